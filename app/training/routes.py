"""Training pages: the landing page, job roles and training requirements (with the standard's starter
set), and training sessions with their attendees and each one's effectiveness check. The matrix has its
own area (``project.training_matrix``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from app.domain import staff_list
from app.domain.permissions import Action
from app.domain.text import _, ngettext
from app.forms import stale_notice
from app.models import Attendance, CertificationProject, JobRole, TrainingRequirement, TrainingSession
from app.pagination import Page, page_number
from app.services import training_records as records
from app.services import training_setup as setup
from app.services.errors import Invalid, StaleVersion
from app.training.forms import (
    EffectivenessForm,
    RequirementForm,
    RoleForm,
    SessionForm,
    StarterForm,
    check_prefix,
    role_form_data,
)
from app.training.words import register_words
from app.web.access import current_scope, requires
from app.web.project_request import project as current_project

bp = Blueprint("training", __name__, url_prefix="/training")
register_words(bp)

PER_PAGE = 25
MATRIX_ENDPOINT = "project.training_matrix.index"


def _refusal(form: Any, error: Invalid) -> str | None:
    """The service's messages beside their fields; the message to show above, when none has a field."""
    shown = {name: message for name, message in error.fields.items() if name in form}
    form.add_errors(shown)
    return None if shown else error.message


def _seen(form: Any) -> int:
    """The version the edit form was read at; a post without one is treated as stale (no record has 0)."""
    version: int | None = form.version.data
    return version if version is not None else 0


def _to(endpoint: str, **values: Any) -> Any:
    return redirect(url_for(f"project.training.{endpoint}", **values), 303)


# The landing page and the starter


@bp.get("")
def index() -> Any:
    project = current_project()
    matrix = MATRIX_ENDPOINT in current_app.view_functions
    return render_template(
        "training/index.html",
        project=project,
        roles=setup.roles(project),
        requirements=setup.requirements(project),
        sessions=records.sessions_page(project, 1, 5),
        matrix_url=url_for(MATRIX_ENDPOINT) if matrix else None,
        starter=setup.starter_to_add(project),
        starter_form=StarterForm(formdata=None),
    )


@bp.route("/starter", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT, methods=("POST",))
def starter() -> Any:
    scope, project = current_scope(), current_project()
    form = StarterForm()
    if form.validate_on_submit():
        added = setup.add_starter(scope, project)
        if added.topics or added.roles:
            done = _(
                "Added %(topics)d training topics and %(roles)d job roles. Review them, and link the "
                "procedures each role uses.",
                topics=len(added.topics),
                roles=len(added.roles),
            )
            flash(done, "success")
        else:
            flash(_("Nothing added: this project already has every starter role and topic."), "info")
        return _to("index")
    page = render_template(
        "training/starter.html", project=project, form=form, starter=setup.starter_to_add(project)
    )
    return page, 422 if form.is_submitted() else 200


# Job roles


@bp.get("/roles")
def roles() -> Any:
    project = current_project()
    return render_template(
        "training/roles.html",
        project=project,
        roles=setup.roles(project),
        people=setup.people_per_role(project, date.today()),
        fold=staff_list.name_key,
    )


def _role_page(
    project: CertificationProject,
    form: RoleForm,
    role: JobRole | None = None,
    status: int = 200,
    **extra: Any,
) -> Any:
    form.setup(setup.requirements(project))
    return render_template("training/role_form.html", project=project, form=form, role=role, **extra), status


@bp.route("/roles/new", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def new_role() -> Any:
    scope, project = current_scope(), current_project()
    form = RoleForm()
    refusal = None
    if form.validate_on_submit():
        try:
            role = setup.create_role(scope, project, form.fields())
        except Invalid as invalid:
            refusal = _refusal(form, invalid)
        else:
            flash(_("Job role “%(name)s” added.", name=role.name), "success")
            return _to("roles")
    return _role_page(project, form, status=422 if form.is_submitted() else 200, refusal=refusal)


@bp.route("/roles/<int:role_id>/edit", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def edit_role(role_id: int) -> Any:
    scope, project = current_scope(), current_project()
    role = setup.role_in(project, role_id)
    saved = RoleForm(formdata=None, data=role_form_data(role))
    if request.method == "GET":
        return _role_page(project, saved, role)
    form = RoleForm()
    refusal = None
    if form.validate_on_submit():
        try:
            setup.update_role(scope, project, role, form.fields(), version=_seen(form))
        except StaleVersion as stale:
            choices = setup.requirements(project)
            notice = stale_notice(stale, form.setup(choices), saved.setup(choices))
            return _role_page(project, saved, role, 409, stale=notice)
        except Invalid as invalid:
            refusal = _refusal(form, invalid)
        else:
            flash(_("Job role “%(name)s” saved.", name=role.name), "success")
            return _to("roles")
    return _role_page(project, form, role, 422, refusal=refusal)


# Training requirements


@bp.get("/requirements")
def requirements() -> Any:
    project = current_project()
    return render_template(
        "training/requirements.html",
        project=project,
        requirements=setup.requirements(project),
        roles=setup.roles(project),
        sessions=setup.sessions_per_requirement(project),
    )


def _requirement_page(
    project: CertificationProject,
    form: RequirementForm,
    requirement: TrainingRequirement | None = None,
    status: int = 200,
    **extra: Any,
) -> Any:
    form.setup(setup.document_choices(project, keep=requirement.document_id if requirement else None))
    page = render_template(
        "training/requirement_form.html", project=project, form=form, requirement=requirement, **extra
    )
    return page, status


@bp.route("/requirements/new", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def new_requirement() -> Any:
    scope, project = current_scope(), current_project()
    form = RequirementForm()
    refusal = None
    if form.validate_on_submit():
        try:
            requirement = setup.create_requirement(scope, project, form.fields())
        except Invalid as invalid:
            refusal = _refusal(form, invalid)
        else:
            flash(
                _("“%(name)s” added. Tick it on the job roles that need it.", name=requirement.name),
                "success",
            )
            return _to("requirements")
    return _requirement_page(project, form, status=422 if form.is_submitted() else 200, refusal=refusal)


@bp.route("/requirements/<int:requirement_id>/edit", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def edit_requirement(requirement_id: int) -> Any:
    scope, project = current_scope(), current_project()
    requirement = setup.requirement_in(project, requirement_id)
    saved = RequirementForm(formdata=None, data=setup.requirement_form_data(requirement))
    if request.method == "GET":
        return _requirement_page(project, saved, requirement)
    form = RequirementForm()
    refusal = None
    if form.validate_on_submit():
        try:
            setup.update_requirement(scope, project, requirement, form.fields(), version=_seen(form))
        except StaleVersion as stale:
            choices = setup.document_choices(project, keep=requirement.document_id)
            notice = stale_notice(stale, form.setup(choices), saved.setup(choices))
            return _requirement_page(project, saved, requirement, 409, stale=notice)
        except Invalid as invalid:
            refusal = _refusal(form, invalid)
        else:
            flash(_("“%(name)s” saved.", name=requirement.name), "success")
            return _to("requirements")
    return _requirement_page(project, form, requirement, 422, refusal=refusal)


# Sessions


@bp.get("/sessions")
def sessions() -> Any:
    project = current_project()
    number = page_number(request.args.get("page"))
    rows, total = records.sessions_page(project, number, PER_PAGE)
    return render_template(
        "training/sessions.html", project=project, rows=rows, page=Page(number, PER_PAGE, total)
    )


def _session_form_page(
    project: CertificationProject, form: SessionForm, status: int = 200, **extra: Any
) -> Any:
    form.setup(setup.requirements(project))
    chosen = set(form.attendee_ids.data or [])
    page = render_template(
        "training/session_form.html",
        project=project,
        form=form,
        departments=records.attendee_choices(project, date.today()),
        chosen=chosen,
        **extra,
    )
    return page, status


@bp.route("/sessions/new", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def new_session() -> Any:
    scope, project = current_scope(), current_project()
    prefill = None if request.method == "POST" else {"requirement_id": request.args.get("requirement", "")}
    form = SessionForm(data=prefill)
    refusal, status = None, 422
    if form.validate_on_submit():
        try:
            session = records.record_session(scope, project, form.session())
        except Invalid as invalid:
            refusal = _refusal(form, invalid)
            status = getattr(invalid, "status", 422)
        else:
            done = ngettext(
                "Training recorded for %(num)d person.",
                "Training recorded for %(num)d people.",
                len(session.attendance),
            )
            flash(done, "success")
            return _to("show_session", session_id=session.id)
    return _session_form_page(project, form, status if form.is_submitted() else 200, refusal=refusal)


def _session_page(
    project: CertificationProject,
    session: TrainingSession,
    status: int = 200,
    posted: dict[int, EffectivenessForm] | None = None,
    **extra: Any,
) -> Any:
    posted = posted or {}
    forms = {
        a.id: posted.get(a.id)
        or EffectivenessForm(formdata=None, prefix=check_prefix(a.id), data=_check_data(a))
        for a in session.attendance
    }
    page = render_template(
        "training/session.html",
        project=project,
        session=session,
        attendance=sorted(session.attendance, key=lambda a: (a.person.name, a.id)),
        forms=forms,
        may_check=current_scope().can(Action.EDIT_CONTENT),
        **({"stale_id": None} | extra),
    )
    return page, status


def _check_data(attendance: Attendance) -> dict[str, Any]:
    return {
        "result": attendance.result,
        "check_method": attendance.check_method,
        "checked_on": attendance.checked_on,
        "version": attendance.version,
    }


@bp.get("/sessions/<int:session_id>")
def show_session(session_id: int) -> Any:
    project = current_project()
    return _session_page(project, records.session_in(project, session_id))


@bp.post("/sessions/<int:session_id>/attendance/<int:attendance_id>")
@requires(Action.EDIT_CONTENT)
def check(session_id: int, attendance_id: int) -> Any:
    scope, project = current_scope(), current_project()
    session = records.session_in(project, session_id)
    attendance = records.attendance_in(session, attendance_id)
    form = EffectivenessForm(prefix=check_prefix(attendance.id))
    if not form.validate_on_submit():
        return _session_page(project, session, 422, {attendance.id: form})
    try:
        records.set_effectiveness(
            scope,
            attendance,
            form.result.data or "",
            form.check_method.data or "",
            form.checked_on.data,
            _seen(form),
        )
    except StaleVersion as stale:
        notice = stale_notice(stale, form, EffectivenessForm(formdata=None, data=_check_data(attendance)))
        return _session_page(project, session, 409, stale=notice, stale_id=attendance.id)
    except Invalid as invalid:
        refusal = _refusal(form, invalid)
        return _session_page(project, session, 422, {attendance.id: form}, refusal=refusal)
    flash(_("Effectiveness check of %(name)s saved.", name=attendance.person.name), "success")
    return redirect(
        url_for("project.training.show_session", session_id=session.id, _anchor=f"attendee-{attendance.id}"),
        303,
    )
