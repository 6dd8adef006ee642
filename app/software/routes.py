"""QMS software validation pages (ISO 13485 4.1.6, 7.5.6, 7.6): the list (filtered by state and risk, what
needs attention first), adding an application, and its page (edit it on the version read, record a
validation, retire it, its history and evidence)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from app.documents.forms import FilterSelect
from app.domain import software as rules
from app.domain.pathway import standard_family
from app.domain.permissions import Action
from app.domain.registers import BY_KEY, RecordKind, RegisterKey
from app.domain.text import _, _l
from app.forms import StaleNotice, stale_notice
from app.models import CertificationProject, SoftwareValidation
from app.pagination import Page, page_number
from app.services import register_records as records
from app.services import software as service
from app.services.errors import Invalid, StaleVersion
from app.services.software import ListFilters
from app.software.forms import RetireForm, SoftwareForm, ValidationForm, software_data
from app.software.words import register_words
from app.web.access import current_scope, requires
from app.web.project_request import project as current_project

bp = Blueprint("software", __name__, url_prefix="/software")
register_words(bp)

PER_PAGE = 25
VALIDATION, RETIRE = "validation", "retire"  # the prefixes of the page's other forms
STATE_CHOICES = [("", _l("Any state")), *((str(s), label) for s, label in rules.STATE_LABELS.items())]
RISK_CHOICES = [("", _l("Any risk")), *((str(r), label) for r, label in rules.RISK_LABELS.items())]


def _add_errors(form: Any, error: Invalid) -> str | None:
    shown = {name: message for name, message in error.fields.items() if name in form}
    form.add_errors(shown)
    return None if shown else error.message


def _show_url(software: SoftwareValidation) -> Any:
    return redirect(url_for("project.software.show", software_id=software.id), 303)


def _software(software_id: int) -> tuple[CertificationProject, SoftwareValidation]:
    project = current_project()
    return project, service.software_in(current_scope(), project, software_id)


def clean_filters(args: Mapping[str, str]) -> tuple[ListFilters, list[str]]:
    """The filters that name something the list knows; a message for each one that does not."""
    kept: dict[str, str | None] = {}
    unknown = []
    for name, known in (("state", rules.STATE_LABELS), ("risk", rules.RISK_LABELS)):
        value = args.get(name) or None
        if value is not None and value not in known:
            words = ", ".join(str(label).lower() for label in known.values())
            unknown.append(
                _(
                    "There is no state “%(value)s” to filter by (%(words)s): that filter is left out.",
                    value=value,
                    words=words,
                )
                if name == "state"
                else _(
                    "There is no risk “%(value)s” to filter by (%(words)s): that filter is left out.",
                    value=value,
                    words=words,
                )
            )
            value = None
        kept[name] = value
    return ListFilters(**kept), unknown


def filter_bar(filters: ListFilters) -> list[FilterSelect]:
    return [
        FilterSelect("state", _("State"), STATE_CHOICES, filters.state or ""),
        FilterSelect("risk", _("Risk"), RISK_CHOICES, filters.risk or ""),
    ]


@bp.get("")
def index() -> Any:
    project = current_project()
    filters, unknown = clean_filters(request.args)
    number = page_number(request.args.get("page"))
    rows, total = service.list_page(project.id, filters, number, PER_PAGE, date.today())
    return render_template(
        "software/index.html",
        project=project,
        rows=rows,
        page=Page(number, PER_PAGE, total),
        filters=filters,
        filter_bar=filter_bar(filters),
        unknown_filters=unknown,
        required=BY_KEY[RegisterKey.SOFTWARE].applies_to(standard_family(project.standard.code)),
        may_edit=current_scope().can(Action.EDIT_CONTENT),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def new() -> Any:
    project = current_project()
    form = SoftwareForm()
    refusal = None
    if form.validate_on_submit():
        try:
            software = service.create_software(current_scope(), project, form.fields())
        except Invalid as invalid:
            refusal = _add_errors(form, invalid)
        else:
            flash(
                _("“%(name)s” added to the list. Record its validation once done.", name=software.name),
                "success",
            )
            return _show_url(software)
    page = render_template("software/new.html", project=project, form=form, refusal=refusal)
    return page, 422 if form.is_submitted() else 200


def _render_show(
    project: CertificationProject,
    software: SoftwareValidation,
    status: int = 200,
    form: SoftwareForm | None = None,
    validation_form: ValidationForm | None = None,
    stale: StaleNotice | None = None,
    refusal: str | None = None,
) -> Any:
    may_edit = current_scope().can(Action.EDIT_CONTENT)
    current = {"version": software.version}
    page = render_template(
        "software/show.html",
        project=project,
        software=software,
        row=service.row_of(software, date.today()),
        form=form or SoftwareForm(formdata=None, data=software_data(software)),
        validation_form=validation_form
        or ValidationForm(
            formdata=None,
            prefix=VALIDATION,
            data=current | {"validated_on": date.today(), "validated_version": software.version_label},
        ),
        retire_form=RetireForm(formdata=None, prefix=RETIRE, data=current),
        events=records.history(RecordKind.SOFTWARE, software.id),
        linked=records.linked_evidence(RecordKind.SOFTWARE, [software.id])[software.id],
        choices=records.evidence_choices(project) if may_edit else [],
        kind=RecordKind.SOFTWARE.value,
        may_edit=may_edit,
        stale=stale,
        refusal=refusal,
    )
    return page, status


@bp.route("/<int:software_id>", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT, methods=("POST",))
def show(software_id: int) -> Any:
    project, software = _software(software_id)
    if request.method == "GET":
        return _render_show(project, software)
    saved = SoftwareForm(formdata=None, data=software_data(software))
    form = SoftwareForm()
    if not form.validate_on_submit():
        return _render_show(project, software, 422, form)
    try:
        service.update_software(current_scope(), software, form.fields(), form.version.data)
    except StaleVersion as stale:
        return _render_show(project, software, 409, saved, stale=stale_notice(stale, form, saved))
    except Invalid as invalid:
        return _render_show(project, software, 422, form, refusal=_add_errors(form, invalid))
    flash(_("Application saved."), "success")
    return _show_url(software)


def _stale_refusal(stale: StaleVersion) -> str:
    return (
        f"{stale.message} Nothing of yours was saved: the page now shows it as saved. Look again, then retry."
    )


@bp.post("/<int:software_id>/validation")
@requires(Action.EDIT_CONTENT)
def validation(software_id: int) -> Any:
    project, software = _software(software_id)
    form = ValidationForm(prefix=VALIDATION)
    if not form.validate_on_submit():
        return _render_show(project, software, 422, validation_form=form)
    try:
        service.record_validation(current_scope(), software, form.fields(), form.version.data, date.today())
    except StaleVersion as stale:
        return _render_show(project, software, 409, refusal=_stale_refusal(stale))
    except Invalid as invalid:
        refusal = _add_errors(form, invalid)
        return _render_show(project, software, 422, validation_form=form, refusal=refusal)
    flash(_("Validation recorded."), "success")
    return _show_url(software)


@bp.post("/<int:software_id>/retire")
@requires(Action.EDIT_CONTENT)
def retire(software_id: int) -> Any:
    project, software = _software(software_id)
    form = RetireForm(prefix=RETIRE)
    if not form.validate_on_submit():
        return _render_show(project, software, 422, refusal=_("The form expired; please submit it again."))
    try:
        service.retire(current_scope(), software, form.version.data)
    except StaleVersion as stale:
        return _render_show(project, software, 409, refusal=_stale_refusal(stale))
    except Invalid as invalid:
        return _render_show(project, software, 422, refusal=invalid.message)
    flash(_("“%(name)s” retired: it stays on the list, no longer counted.", name=software.name), "success")
    return _show_url(software)
