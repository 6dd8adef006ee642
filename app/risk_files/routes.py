"""Risk-management file pages (ISO 13485 7.1): the device families with their hazard counts and worst
residual risk, opening a file, and a file's page (edit it on the version read, its hazard table with the
initial and residual levels, add a hazard, its history and evidence), and a hazard's own edit page."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from app.documents.forms import FilterSelect
from app.domain import risk_files as rules
from app.domain.pathway import standard_family
from app.domain.permissions import Action
from app.domain.registers import BY_KEY, ISO_14971_REFERENCE, RecordKind, RegisterKey
from app.domain.text import _, _l
from app.forms import StaleNotice, stale_notice
from app.models import CertificationProject, Hazard, RiskFile
from app.pagination import Page, page_number
from app.risk_files.forms import HazardEditForm, HazardForm, RiskFileForm, hazard_data, risk_file_data
from app.risk_files.words import register_words
from app.services import register_records as records
from app.services import risk_files as service
from app.services.errors import Invalid, StaleVersion
from app.services.risk_files import ListFilters
from app.web.access import current_scope, requires
from app.web.project_request import project as current_project

bp = Blueprint("risk_files", __name__, url_prefix="/risk-files")
register_words(bp)

PER_PAGE = 25
NEW_HAZARD = "new"  # the prefix of the add-a-hazard form on the file's page
# The matrix as the pages show it: the worst severity first, each row with its level per probability.
MATRIX_ROWS = [
    (s, rules.SEVERITY_LABELS[s], [rules.level(s, p) for p in rules.SCALE]) for s in reversed(rules.SCALE)
]
FILTER_CHOICES = [("", _l("Any")), *((str(state), label) for state, label in rules.FILTER_LABELS.items())]


def filter_bar(filters: ListFilters) -> FilterSelect:
    return FilterSelect("state", _("State"), FILTER_CHOICES, filters.state or "")


def _add_errors(form: Any, error: Invalid) -> str | None:
    shown = {name: message for name, message in error.fields.items() if name in form}
    form.add_errors(shown)
    return None if shown else error.message


def _show_url(risk_file: RiskFile, anchor: str = "") -> Any:
    url = url_for("project.risk_files.show", risk_file_id=risk_file.id)
    return redirect(f"{url}{anchor}", 303)


def _risk_file(risk_file_id: int) -> tuple[CertificationProject, RiskFile]:
    project = current_project()
    return project, service.risk_file_in(current_scope(), project, risk_file_id)


def clean_filters(args: Mapping[str, str]) -> tuple[ListFilters, str | None]:
    """The filter if it names a state the list knows; else no filter, and a message saying so."""
    wanted = args.get("state") or None
    if wanted is None or wanted in set(rules.FileState):
        return ListFilters(state=wanted), None
    choices = ", ".join(str(rules.FILTER_LABELS[s]).lower() for s in rules.FileState)
    message = _(
        "There is no state “%(state)s” to filter by (%(states)s): every file is shown.",
        state=wanted,
        states=choices,
    )
    return ListFilters(), message


def is_required(project: CertificationProject) -> bool:
    return BY_KEY[RegisterKey.RISK_FILES].applies_to(standard_family(project.standard.code))


@bp.get("")
def index() -> Any:
    project = current_project()
    filters, unknown = clean_filters(request.args)
    number = page_number(request.args.get("page"))
    rows, total = service.list_page(project.id, filters, number, PER_PAGE)
    return render_template(
        "risk_files/index.html",
        project=project,
        rows=rows,
        page=Page(number, PER_PAGE, total),
        filters=filters,
        filter_bar=filter_bar(filters),
        unknown_filter=unknown,
        required=is_required(project),
        reference=ISO_14971_REFERENCE,
        may_edit=current_scope().can(Action.EDIT_CONTENT),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def new() -> Any:
    project = current_project()
    form = RiskFileForm()
    refusal = None
    if form.validate_on_submit():
        try:
            risk_file = service.create_risk_file(current_scope(), project, form.fields(), date.today())
        except Invalid as invalid:
            refusal = _add_errors(form, invalid)
        else:
            message = _(
                "Risk-management file of “%(family)s” opened: add its hazards.",
                family=risk_file.device_family,
            )
            flash(message, "success")
            return _show_url(risk_file)
    page = render_template(
        "risk_files/new.html", project=project, form=form, refusal=refusal, reference=ISO_14971_REFERENCE
    )
    return page, 422 if form.is_submitted() else 200


def _render_show(
    project: CertificationProject,
    risk_file: RiskFile,
    status: int = 200,
    form: RiskFileForm | None = None,
    hazard_form: HazardForm | None = None,
    stale: StaleNotice | None = None,
    refusal: str | None = None,
) -> Any:
    may_edit = current_scope().can(Action.EDIT_CONTENT)
    counts = service.counts_of(risk_file)
    page = render_template(
        "risk_files/show.html",
        project=project,
        risk_file=risk_file,
        hazards=service.hazard_views(risk_file),
        counts=counts,
        file_state=rules.file_state(counts),
        form=form or RiskFileForm(formdata=None, data=risk_file_data(risk_file)),
        hazard_form=hazard_form or HazardForm(formdata=None, prefix=NEW_HAZARD),
        matrix=MATRIX_ROWS,
        probabilities=rules.PROBABILITY_LABELS,
        reference=ISO_14971_REFERENCE,
        events=records.history(RecordKind.RISK_FILE, risk_file.id),
        linked=records.linked_evidence(RecordKind.RISK_FILE, [risk_file.id])[risk_file.id],
        choices=records.evidence_choices(project) if may_edit else [],
        kind=RecordKind.RISK_FILE.value,
        may_edit=may_edit,
        stale=stale,
        refusal=refusal,
    )
    return page, status


@bp.route("/<int:risk_file_id>", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT, methods=("POST",))
def show(risk_file_id: int) -> Any:
    project, risk_file = _risk_file(risk_file_id)
    if request.method == "GET":
        return _render_show(project, risk_file)
    saved = RiskFileForm(formdata=None, data=risk_file_data(risk_file))
    form = RiskFileForm()
    if not form.validate_on_submit():
        return _render_show(project, risk_file, 422, form)
    try:
        service.update_risk_file(current_scope(), risk_file, form.fields(), form.version.data, date.today())
    except StaleVersion as stale:
        return _render_show(project, risk_file, 409, saved, stale=stale_notice(stale, form, saved))
    except Invalid as invalid:
        return _render_show(project, risk_file, 422, form, refusal=_add_errors(form, invalid))
    flash(_("Risk-management file saved."), "success")
    return _show_url(risk_file)


@bp.post("/<int:risk_file_id>/hazards")
@requires(Action.EDIT_CONTENT)
def add_hazard(risk_file_id: int) -> Any:
    project, risk_file = _risk_file(risk_file_id)
    form = HazardForm(prefix=NEW_HAZARD)
    if not form.validate_on_submit():
        return _render_show(project, risk_file, 422, hazard_form=form)
    try:
        hazard = service.add_hazard(current_scope(), risk_file, form.fields())
    except Invalid as invalid:
        return _render_show(project, risk_file, 422, hazard_form=form, refusal=_add_errors(form, invalid))
    flash(_("Hazard “%(hazard)s” added.", hazard=hazard.hazard), "success")
    return _show_url(risk_file, "#hazards")


def _render_hazard(
    project: CertificationProject,
    risk_file: RiskFile,
    hazard: Hazard,
    form: HazardEditForm,
    status: int = 200,
    stale: StaleNotice | None = None,
    refusal: str | None = None,
) -> Any:
    page = render_template(
        "risk_files/hazard.html",
        project=project,
        risk_file=risk_file,
        hazard=hazard,
        scores=service.scores_of(hazard),
        form=form,
        may_edit=current_scope().can(Action.EDIT_CONTENT),
        stale=stale,
        refusal=refusal,
    )
    return page, status


@bp.route("/<int:risk_file_id>/hazards/<int:hazard_id>", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT, methods=("POST",))
def hazard(risk_file_id: int, hazard_id: int) -> Any:
    project, risk_file = _risk_file(risk_file_id)
    found = service.hazard_in(risk_file, hazard_id)
    saved = HazardEditForm(formdata=None, data=hazard_data(found))
    if request.method == "GET":
        return _render_hazard(project, risk_file, found, saved)
    form = HazardEditForm()
    if not form.validate_on_submit():
        return _render_hazard(project, risk_file, found, form, 422)
    try:
        service.update_hazard(current_scope(), risk_file, found, form.fields(), form.version.data)
    except StaleVersion as stale:
        return _render_hazard(project, risk_file, found, saved, 409, stale_notice(stale, form, saved))
    except Invalid as invalid:
        return _render_hazard(project, risk_file, found, form, 422, refusal=_add_errors(form, invalid))
    flash(_("Hazard “%(hazard)s” saved.", hazard=found.hazard), "success")
    return _show_url(risk_file, "#hazards")
