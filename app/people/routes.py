"""People pages: the staff list of the project's site (filters, pages, counts), adding and editing a person,
leaving and coming back, the import of a staff list (upload, preview, confirm) and its export as CSV."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from app.documents.words import row_url
from app.domain import staff_list as staff_rules
from app.domain.evidence_rules import sanitise_filename
from app.domain.permissions import Action
from app.domain.text import _, ngettext
from app.forms import stale_notice
from app.i18n import format_day
from app.models import CertificationProject, Person
from app.pagination import Page, page_number
from app.people.forms import (
    BackForm,
    ConfirmImportForm,
    ImportForm,
    LeftForm,
    PersonForm,
    clean_filters,
    filter_bar,
    form_data,
)
from app.services import people as service
from app.services import staff_list
from app.services.errors import Invalid, StaleVersion
from app.web.access import current_scope, requires
from app.web.download import content_disposition
from app.web.project_request import project as current_project

bp = Blueprint("people", __name__, url_prefix="/people")

PER_PAGE = 50
# The confirmation sends the previewed file back in a form field: up to 1 MB of text, which a browser may
# grow (line breaks sent as CRLF, and percent-encoded when the form is not multipart). Werkzeug keeps a
# field to 500 kB unless told otherwise; the rules refuse what is still over 1 MB once read back.
CONFIRM_FIELD_MAX_BYTES = 8 * staff_rules.CSV_MAX_BYTES


@bp.url_value_preprocessor
def allow_the_staff_list_back(endpoint: str | None, values: dict[str, Any] | None) -> None:
    # Before the form is parsed (the NUL screening reads it before any view or before_request here).
    if endpoint == "project.people.confirm_import":
        request.max_form_memory_size = CONFIRM_FIELD_MAX_BYTES


def _add_errors(form: Any, error: Invalid) -> str | None:
    """The service's messages beside their fields; the message to show above, when none has a field."""
    shown = {name: message for name, message in error.fields.items() if name in form}
    form.add_errors(shown)
    return None if shown else error.message


# The staff list


@bp.get("")
def index() -> Any:
    project, today = current_project(), date.today()
    roles, departments = service.role_names(project), staff_list.departments(project)
    filters = clean_filters(request.args, roles, departments)
    number = page_number(request.args.get("page"))
    lines, total = staff_list.people_page(project, filters, number, PER_PAGE, today)
    return render_template(
        "people/index.html",
        project=project,
        lines=lines,
        page=Page(number, PER_PAGE, total),
        counts=staff_list.counts(project, today),
        filters=filters,
        filter_bar=filter_bar(filters, roles, departments),
        edit_url=row_url("project.people.edit", "person_id", project_id=project.id),
    )


@bp.get("/export")
def export() -> Any:
    project, today = current_project(), date.today()
    filters = clean_filters(request.args, service.role_names(project), staff_list.departments(project))
    text = staff_rules.staff_csv(staff_list.export_rows(project, filters, today))
    name = sanitise_filename(
        _("Staff list %(site)s %(day)s.csv", site=project.site.name, day=today.isoformat())
    )
    name = name or "staff-list.csv"
    # With a byte order mark, so a spreadsheet opens accented names as UTF-8 (the import skips it).
    response = Response("\ufeff" + text, mimetype="text/csv")
    response.headers["Content-Disposition"] = content_disposition("attachment", name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.private = True
    return response


# A person


def _person_form(
    project: CertificationProject, person: Person | None = None, saved: bool = False
) -> PersonForm:
    """The form, as posted (or the saved person's values with ``saved``), with its choices."""
    if saved and person is not None:
        form = PersonForm(formdata=None, data=form_data(service.fields_of(person), person.version))
    else:
        form = PersonForm()
    kept = person.job_role if person is not None else ""
    return form.setup(service.role_names(project), service.account_choices(current_scope()), kept)


def _form_page(
    project: CertificationProject,
    form: PersonForm,
    person: Person | None = None,
    status: int = 200,
    left_form: LeftForm | None = None,
    **extra: Any,
) -> Any:
    """The person's form; for a saved person, the leaving form too (``left_form``: as posted)."""
    today = date.today()
    if person is not None and left_form is None:
        left_form = LeftForm(formdata=None, data={"left_on": today, "version": person.version})
    back_form = BackForm(formdata=None, data={"version": person.version}) if person is not None else None
    page = render_template(
        "people/form.html",
        project=project,
        form=form,
        person=person,
        departments=staff_list.departments(project),
        left_form=left_form,
        back_form=back_form,
        has_left=person is not None and person.left_on is not None and person.left_on <= today,
        **extra,
    )
    return page, status


def _edit_url(person: Person) -> Any:
    return redirect(url_for("project.people.edit", person_id=person.id), 303)


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def new() -> Any:
    scope, project = current_scope(), current_project()
    form = _person_form(project)
    refusal = None
    if form.validate_on_submit():
        try:
            person = service.create_person(scope, project, form.fields(), date.today())
        except Invalid as invalid:
            refusal = _add_errors(form, invalid)
        else:
            done = _(
                "%(name)s added to the staff list of %(site)s.", name=person.name, site=project.site.name
            )
            flash(done, "success")
            return redirect(url_for("project.people.index"), 303)
    return _form_page(project, form, status=422 if form.is_submitted() else 200, refusal=refusal)


@bp.route("/<int:person_id>/edit", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def edit(person_id: int) -> Any:
    scope, project = current_scope(), current_project()
    person = service.person_in(project, person_id)
    if request.method == "GET":
        return _form_page(project, _person_form(project, person, saved=True), person)
    form = _person_form(project, person)
    refusal = None
    if form.validate_on_submit():
        try:
            service.update_person(
                scope, project, person, form.fields(), date.today(), version=form.version.data
            )
        except StaleVersion as stale:
            saved = _person_form(project, person, saved=True)
            return _form_page(project, saved, person, 409, stale=stale_notice(stale, form, saved))
        except Invalid as invalid:
            refusal = _add_errors(form, invalid)
        else:
            flash(_("%(name)s saved.", name=person.name), "success")
            return redirect(url_for("project.people.index"), 303)
    return _form_page(project, form, person, 422, refusal=refusal)


@bp.post("/<int:person_id>/left")
@requires(Action.EDIT_CONTENT)
def mark_left(person_id: int) -> Any:
    scope, project = current_scope(), current_project()
    person = service.person_in(project, person_id)
    form = LeftForm()
    saved = _person_form(project, person, saved=True)
    if not form.validate_on_submit():
        return _form_page(project, saved, person, 422, left_form=form)
    try:
        service.mark_left(scope, person, form.left_on.data, date.today(), version=form.version.data)
    except StaleVersion as stale:
        return _form_page(project, saved, person, 409, refusal=_stale_message(stale))
    except Invalid as invalid:
        return _form_page(project, saved, person, 422, left_form=form, refusal=_add_errors(form, invalid))
    day = format_day(form.left_on.data)
    if form.left_on.data <= date.today():
        done = _("%(name)s left on %(day)s: off the training matrix from then.", name=person.name, day=day)
    else:
        done = _("%(name)s leaves on %(day)s: off the training matrix from then.", name=person.name, day=day)
    flash(done, "success")
    return _edit_url(person)


@bp.post("/<int:person_id>/back")
@requires(Action.EDIT_CONTENT)
def mark_back(person_id: int) -> Any:
    scope, project = current_scope(), current_project()
    person = service.person_in(project, person_id)
    form = BackForm()
    if not form.validate_on_submit():
        return _form_page(project, _person_form(project, person, saved=True), person, 422)
    try:
        service.mark_back(scope, person, version=form.version.data)
    except StaleVersion as stale:
        saved = _person_form(project, person, saved=True)
        return _form_page(project, saved, person, 409, refusal=_stale_message(stale))
    flash(_("%(name)s is on the staff list again.", name=person.name), "success")
    return _edit_url(person)


def _stale_message(stale: StaleVersion) -> str:
    return _(
        "%(message)s Nothing was changed: the page shows it as saved now; look again, then retry.",
        message=stale.message,
    )


# Importing the staff list


def _import_page(
    project: CertificationProject,
    form: ImportForm,
    status: int = 200,
    staff: staff_rules.StaffList | None = None,
    text: str = "",
) -> Any:
    confirm = None
    if staff is not None and staff.clean_rows:
        confirm = ConfirmImportForm(formdata=None, data={"csv_text": text})
    page = render_template(
        "people/import.html",
        project=project,
        form=form,
        staff=staff,
        confirm=confirm,
        roles=service.role_names(project),
        columns=staff_rules.CSV_COLUMNS,
    )
    return page, status


@bp.route("/import", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def import_people() -> Any:
    """Upload a staff list and see every row with its problems; nothing is saved until confirmed."""
    project = current_project()
    form = ImportForm()
    if not form.validate_on_submit():
        return _import_page(project, form, 422 if form.is_submitted() else 200)
    data = form.content()
    if data is None:
        form.add_errors({"file": _("Choose the CSV file of your staff list.")})
        return _import_page(project, form, 422)
    staff = service.read_import(project, data, date.today())
    if staff.error:
        return _import_page(project, form, 422, staff)
    return _import_page(project, form, 200, staff, data.decode("utf-8-sig"))


@bp.post("/import/confirm")
@requires(Action.EDIT_CONTENT)
def confirm_import() -> Any:
    """Save the clean rows of the previewed file, read again: a row that became a duplicate meanwhile (the
    same file imported twice) is left out."""
    scope, project = current_scope(), current_project()
    form = ConfirmImportForm()
    upload = ImportForm(formdata=None)
    if not form.validate_on_submit():
        return _import_page(project, upload, 422)
    data = form.content()
    try:
        staff, added = service.import_people(scope, project, data, date.today())
    except Invalid as invalid:
        return _import_page(project, upload, 422, staff_rules.StaffList(error=invalid.message))
    if not added:
        return _import_page(project, upload, 422, staff, data.decode("utf-8"))
    left_out = len(staff.rows) - len(added)
    done = ngettext(
        "%(num)d person added to the staff list of %(site)s.",
        "%(num)d people added to the staff list of %(site)s.",
        len(added),
        site=project.site.name,
    )
    if left_out:
        done += " " + ngettext("%(num)d row was left out.", "%(num)d rows were left out.", left_out)
    flash(done, "success")
    return redirect(url_for("project.people.index"), 303)
