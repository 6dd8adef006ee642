"""Stage pages: dates and status, the checklist, exit criteria, and marking a stage done."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for

from app.domain import gates
from app.domain.pathway import STAGE_STATUS_LABELS, STAGES, TASK_STATUS_LABELS, Stage, StageStatus
from app.domain.permissions import Action
from app.domain.text import _, _l
from app.forms import StaleNotice, select_choices, stale_notice
from app.models import CertificationProject
from app.services import evidence_on_pages
from app.services import pathway as pathway_service
from app.services import stages as stage_service
from app.services.errors import Invalid, NotFound, StaleVersion
from app.stages.forms import StageForm, TaskForm
from app.web.access import current_scope, requires
from app.web.project_request import project

bp = Blueprint("stages", __name__)

STAGE_FIELDS = ("planned_start", "planned_end", "actual_start", "actual_end")


def _stage_key(stage: str) -> str:
    if stage not in {s.value for s in Stage}:
        raise NotFound(_("No stage %(stage)s.", stage=repr(stage)))
    return stage


def _stage_url(stage: str, anchor: str | None = None) -> str:
    return url_for("project.stages.show", stage=stage, _anchor=anchor)


def _stage_form(row: Any, **kwargs: Any) -> StageForm:
    """Done is reached only through the exit criteria; a done stage may be kept done or reopened."""
    form = StageForm(**kwargs)
    if row.status == "done":
        form.status.choices = select_choices(
            [("done", STAGE_STATUS_LABELS[StageStatus.DONE]), ("in_progress", _l("Reopen (in progress)"))]
        )
    return form


def _overview(project: CertificationProject, stage: str) -> pathway_service.ProjectOverview:
    """The project with this stage judged alone (and the training: the internal audit needs its auditors)."""
    judged = {Stage(stage), Stage.TRAINING} if stage == Stage.INTERNAL_AUDIT else {Stage(stage)}
    return pathway_service.project_overview(project, date.today(), judged, with_next_steps=False)


def _no_qualified_auditor(overview: pathway_service.ProjectOverview, stage: str) -> bool:
    """The internal audit with nobody qualified to audit yet: the Training stage's auditor criterion (the
    training matrix's qualified auditors) does not hold."""
    if stage != Stage.INTERNAL_AUDIT:
        return False
    criteria = overview.stage(Stage.TRAINING).criteria
    return any(c.key == "training.auditor_qualified" and not c.met for c in criteria)


def _start_block(overview: pathway_service.ProjectOverview, stage: str) -> str | None:
    """Why this stage, not started yet, may not start now (the stage order), shown beside its status."""
    if overview.stage(stage).row.status != StageStatus.NOT_STARTED:
        return None
    statuses = {Stage(v.row.key): StageStatus(v.row.status) for v in overview.stages}
    return gates.start_error(Stage(stage), statuses)


def _starter(form: StageForm) -> stage_service.Starter:
    scope = current_scope()
    return stage_service.Starter(
        scope.user_id, gates.may_override(scope.role), form.override_reason.data or ""
    )


def _render(
    project: CertificationProject,
    stage: str,
    status: int = 200,
    stale: StaleNotice | None = None,
    **forms: Any,
) -> Any:
    overview = _overview(project, stage)
    view = overview.stage(stage)
    stage_form = forms.get("stage_form") or _stage_form(view.row, obj=view.row)
    start_block = _start_block(overview, stage)
    return render_template(
        "stages/show.html",
        project=project,
        overview=overview,
        view=view,
        stage_form=stage_form,
        task_form=forms.get("task_form") or TaskForm(formdata=None),
        evidence=evidence_on_pages.task_evidence(project, [task.id for task in view.tasks], date.today()),
        stale=stale,
        no_qualified_auditor=_no_qualified_auditor(overview, stage),
        start_block=start_block,
        offer_override=start_block is not None and gates.may_override(current_scope().role),
        override=stage_service.override_note(view.row),
        stage_statuses=STAGE_STATUS_LABELS,
        task_statuses=TASK_STATUS_LABELS,
    ), status


def _task_page(task: Any) -> dict[str, Any]:
    return {
        "project": project(),
        "task": task,
        "task_statuses": TASK_STATUS_LABELS,
        "stage_titles": {info.key.value: info.title for info in STAGES},
    }


@bp.get("/stages/<stage>")
def show(stage: str) -> Any:
    return _render(project(), _stage_key(stage))


@bp.post("/stages/<stage>")
@requires(Action.EDIT_CONTENT)
def update(stage: str) -> Any:
    row = stage_service.stage_row(project(), _stage_key(stage))
    form = _stage_form(row)
    if not form.validate_on_submit():
        return _render(project(), stage, 422, stage_form=form)
    values = {name: form[name].data for name in STAGE_FIELDS}
    try:
        pathway_service.update_stage(
            row, version=form.version.data, starter=_starter(form), status=form.status.data, **values
        )
    except StaleVersion as stale:
        saved = _stage_form(row, formdata=None, obj=row)
        return _render(project(), stage, 409, stale_notice(stale, form, saved), stage_form=saved)
    except Invalid as invalid:  # the stage order, or an owner's reason that is no sentence
        for name, message in invalid.fields.items():
            form[name].errors = [*form[name].errors, message]
        return _render(project(), stage, 422, stage_form=form)
    flash(_("Stage saved."), "success")
    return redirect(_stage_url(stage), 303)


@bp.post("/stages/<stage>/complete")
@requires(Action.MANAGE_PROJECTS)  # the consultant's call; a contributor works towards the exit criteria
def complete(stage: str) -> Any:
    overview = _overview(project(), _stage_key(stage))
    try:
        unmet = pathway_service.complete_stage(overview, _stage_key(stage), date.today())
    except Invalid as invalid:  # the stage order: the stage before is not done
        flash(_("This stage cannot be marked done yet. %(why)s", why=invalid.message), "danger")
        return redirect(_stage_url(stage), 303)
    if unmet:
        # Post/Redirect/Get: back to the stage page, so a reload there does not send the request again.
        labels = "; ".join(criterion.label for criterion in unmet)
        flash(
            _(
                "This stage cannot be marked done yet. Still to meet: %(labels)s. The exit criteria say why.",
                labels=labels,
            ),
            "danger",
        )
        return redirect(_stage_url(stage), 303)
    flash(_("%(stage)s is done.", stage=overview.stage(stage).info.title), "success")
    return redirect(url_for("project.show"), 303)


@bp.post("/stages/<stage>/tasks")
@requires(Action.EDIT_CONTENT)
def add_task(stage: str) -> Any:
    form = TaskForm()
    if not form.validate_on_submit():
        return _render(project(), _stage_key(stage), 422, task_form=form)
    task = stage_service.add_task(project(), _stage_key(stage), **form.values())
    flash(_("Task added."), "success")
    return redirect(_stage_url(stage, f"task-{task.id}"), 303)


@bp.route("/tasks/<int:task_id>", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT, methods=("POST",))
def edit_task(task_id: int) -> Any:
    task = stage_service.task_in(current_scope(), project(), task_id)
    form = TaskForm(obj=task)
    if form.validate_on_submit():
        try:
            stage_service.update_task(task, version=form.version.data, **form.values())
        except StaleVersion as stale:
            saved = TaskForm(formdata=None, obj=task)
            notice = stale_notice(stale, form, saved)
            page = render_template("stages/task.html", form=saved, stale=notice, **_task_page(task))
            return page, 409
        flash(_("Task saved."), "success")
        return redirect(_stage_url(task.stage, f"task-{task.id}"), 303)
    status = 422 if form.errors else 200
    return render_template("stages/task.html", form=form, **_task_page(task)), status
