"""The measuring equipment register's pages: the register (filtered by status and location, most urgent
first), adding an instrument, and an instrument's page: its edit form (on the version read), its
calibrations with the form to record one, the assessment form of each calibration found out of tolerance
and not yet assessed, taking it out of or back into service, its history and its evidence. The rules are
:mod:`app.domain.calibration`, the loads and saves :mod:`app.services.equipment`."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from app.domain import calibration as rules
from app.domain.pathway import standard_family
from app.domain.permissions import Action
from app.domain.registers import BY_KEY, RegisterKey
from app.domain.text import _
from app.equipment.forms import (
    AssessmentForm,
    CalibrationForm,
    InstrumentForm,
    ServiceForm,
    assessment_form,
    assessment_prefix,
    clean_filters,
    filter_bar,
    instrument_data,
    register_words,
)
from app.forms import StaleNotice, stale_notice
from app.i18n import format_day
from app.models import CertificationProject, Instrument
from app.pagination import Page, page_number
from app.services import equipment as service
from app.services import register_records as records
from app.services.errors import Invalid, ServiceError, StaleVersion
from app.web.access import current_scope, requires
from app.web.project_request import project as current_project

bp = Blueprint("equipment", __name__, url_prefix="/equipment")
register_words(bp)

PER_PAGE = 25
CALIBRATION = "calibration"  # the calibration form's prefix
SERVICE = "service"  # the service form's prefix


def _instrument(instrument_id: int) -> tuple[CertificationProject, Instrument]:
    project = current_project()
    return project, service.instrument_in(current_scope(), project, instrument_id)


def _show_url(instrument: Instrument, anchor: str = "") -> Any:
    url = url_for("project.equipment.show", instrument_id=instrument.id)
    return redirect(f"{url}#{anchor}" if anchor else url, 303)


def _add_errors(form: Any, error: ServiceError) -> str | None:
    """The service's messages beside their fields; the message to show above, when none has a field."""
    shown = {name: message for name, message in error.fields.items() if name in form}
    form.add_errors(shown)
    return None if shown else error.message


def _stale_message(stale: StaleVersion) -> str:
    return _(
        "%(message)s The page shows it as it is now: nothing of yours was saved. Look again, then retry.",
        message=stale.message,
    )


# The register


@bp.get("")
def index() -> Any:
    project = current_project()
    clean = clean_filters(request.args)
    number = page_number(request.args.get("page"))
    rows, total = service.register_page(project.id, clean.filters, number, PER_PAGE, date.today())
    return render_template(
        "equipment/index.html",
        project=project,
        rows=rows,
        page=Page(number, PER_PAGE, total),
        filters=clean.filters,
        refusal=clean.refusal,
        filter_bar=filter_bar(clean.filters, service.locations(project.id)),
        may_edit=current_scope().can(Action.EDIT_CONTENT),
        clauses=_clauses(project),
    )


def _clauses(project: CertificationProject) -> str:
    """The requirements the register evidences, for the empty register's guidance."""
    family = standard_family(project.standard.code)
    numbers = ", ".join(BY_KEY[RegisterKey.EQUIPMENT].clauses_for(family))
    return f"{project.standard.name} {numbers}"


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def new() -> Any:
    project = current_project()
    form = InstrumentForm(data=None if request.method == "POST" else {"interval_months": "12"})
    refusal = None
    if form.validate_on_submit():
        try:
            instrument = service.create_instrument(current_scope(), project, form.fields())
        except Invalid as invalid:
            refusal = _add_errors(form, invalid)
        else:
            flash(
                _("Instrument %(code)s added. Record its latest calibration.", code=instrument.code),
                "success",
            )
            return _show_url(instrument, "calibrations")
    page = render_template("equipment/new.html", project=project, form=form, refusal=refusal)
    return page, 422 if form.is_submitted() else 200


# An instrument


def _render_show(
    project: CertificationProject,
    instrument: Instrument,
    status: int = 200,
    posted: dict[str, Any] | None = None,
    stale: StaleNotice | None = None,
    refusal: str | None = None,
) -> Any:
    """The instrument's page; ``posted`` holds a refused form (by prefix, "" for the edit form) to show again
    as typed."""
    posted = posted or {}
    today = date.today()
    unassessed = [c for c in instrument.calibrations if rules.needs_assessment(c.result, c.assessed_on)]
    scope = current_scope()
    page = render_template(
        "equipment/show.html",
        project=project,
        instrument=instrument,
        row=service.row_of(instrument, today),
        calibrations=list(reversed(instrument.calibrations)),
        form=posted.get("") or InstrumentForm(formdata=None, data=instrument_data(instrument)),
        calibration_form=posted.get(CALIBRATION)
        or CalibrationForm(formdata=None, prefix=CALIBRATION, data={"calibrated_on": today}),
        assessments=[
            (c, posted.get(assessment_prefix(c.id)) or assessment_form(c, today)) for c in unassessed
        ],
        unassessed_ids={c.id for c in unassessed},
        assessment_clause=rules.clause(standard_family(project.standard.code), "assessment"),
        service_form=posted.get(SERVICE)
        or ServiceForm(formdata=None, prefix=SERVICE, data={"version": instrument.version}),
        history=records.history(service.KIND, instrument.id),
        linked=records.linked_evidence(service.KIND, [instrument.id]).get(instrument.id, []),
        choices=records.evidence_choices(project),
        may_edit=scope.can(Action.EDIT_CONTENT),
        stale=stale,
        refusal=refusal,
    )
    return page, status


@bp.route("/<int:instrument_id>", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT, methods=("POST",))
def show(instrument_id: int) -> Any:
    project, instrument = _instrument(instrument_id)
    if request.method == "GET":
        return _render_show(project, instrument)
    saved = InstrumentForm(formdata=None, data=instrument_data(instrument))
    form = InstrumentForm()
    if not form.validate_on_submit():
        return _render_show(project, instrument, 422, {"": form})
    try:
        service.update_instrument(current_scope(), instrument, form.fields(), form.version.data)
    except StaleVersion as stale:
        return _render_show(project, instrument, 409, {"": saved}, stale=stale_notice(stale, form, saved))
    except Invalid as invalid:
        return _render_show(project, instrument, 422, {"": form}, refusal=_add_errors(form, invalid))
    flash(_("Instrument saved."), "success")
    return _show_url(instrument)


@bp.post("/<int:instrument_id>/calibrations")
@requires(Action.EDIT_CONTENT)
def calibrate(instrument_id: int) -> Any:
    project, instrument = _instrument(instrument_id)
    form = CalibrationForm(prefix=CALIBRATION)
    if not form.validate_on_submit():
        return _render_show(project, instrument, 422, {CALIBRATION: form})
    try:
        calibration = service.add_calibration(current_scope(), instrument, form.fields(), date.today())
    except Invalid as invalid:
        refusal = _add_errors(form, invalid)
        return _render_show(project, instrument, 422, {CALIBRATION: form}, refusal=refusal)
    if calibration.result == rules.Result.OUT_OF_TOLERANCE:
        flash(
            _(
                "Calibration recorded: out of tolerance. Assess the results measured with it since its last "
                "good calibration, below."
            ),
            "warning",
        )
    else:
        flash(
            _("Calibration recorded. Next calibration due %(day)s.", day=format_day(calibration.next_due)),
            "success",
        )
    return _show_url(instrument, "calibrations")


@bp.post("/<int:instrument_id>/calibrations/<int:calibration_id>/assessment")
@requires(Action.EDIT_CONTENT)
def assess(instrument_id: int, calibration_id: int) -> Any:
    project, instrument = _instrument(instrument_id)
    calibration = service.calibration_of(instrument, calibration_id)
    prefix = assessment_prefix(calibration.id)
    form = AssessmentForm(prefix=prefix)
    if not form.validate_on_submit():
        return _render_show(project, instrument, 422, {prefix: form})
    try:
        service.record_assessment(
            current_scope(), instrument, calibration, form.fields(), date.today(), form.version.data
        )
    except StaleVersion as stale:
        return _render_show(project, instrument, 409, refusal=_stale_message(stale))
    except Invalid as invalid:
        return _render_show(project, instrument, 422, {prefix: form}, refusal=_add_errors(form, invalid))
    flash(_("Assessment of the earlier results recorded."), "success")
    return _show_url(instrument, "calibrations")


@bp.post("/<int:instrument_id>/service")
@requires(Action.EDIT_CONTENT)
def change_service(instrument_id: int) -> Any:
    """Out of service when in service, back in service when out (the version read says which it was)."""
    project, instrument = _instrument(instrument_id)
    form = ServiceForm(prefix=SERVICE)
    if not form.validate_on_submit():
        return _render_show(project, instrument, 422, {SERVICE: form})
    back = instrument.out_of_service
    try:
        service.set_service(current_scope(), instrument, back, form.reason.data or "", form.version.data)
    except StaleVersion as stale:
        return _render_show(project, instrument, 409, refusal=_stale_message(stale))
    except Invalid as invalid:
        return _render_show(project, instrument, 422, {SERVICE: form}, refusal=_add_errors(form, invalid))
    flash(_("Instrument back in service.") if back else _("Instrument taken out of service."), "success")
    return _show_url(instrument)
