"""The forms of the measuring equipment pages: an instrument (new and edited), a calibration, the assessment
of an out-of-tolerance calibration, and taking an instrument out of or back into service; the list's
filters and the words of statuses and results.

The forms only read what was typed; the rules (a unique code, an interval of 1 to 120 months, a calibration
done and its next one after it, a real sentence for the assessment) are checked by the service with
:mod:`app.domain.calibration`, and its messages are shown beside the fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Blueprint
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import Optional

from app.documents.forms import FilterSelect
from app.domain import calibration as rules
from app.domain.text import _, _l
from app.evidence.forms import FieldErrors
from app.forms import TrimmedStringField, VersionField, select_choices, strip_filter
from app.models import Calibration, Instrument
from app.services.equipment import AssessmentFields, CalibrationFields, InstrumentFields, RegisterFilters

STATUS_BADGES: Mapping[rules.Status, str] = {
    rules.Status.OVERDUE: "text-bg-danger",
    rules.Status.UNASSESSED: "text-bg-danger",
    rules.Status.NOT_CALIBRATED: "text-bg-warning",
    rules.Status.DUE: "text-bg-info",
    rules.Status.IN_USE: "text-bg-success",
    rules.Status.OUT_OF_SERVICE: "text-bg-secondary",
}
RESULT_BADGES: Mapping[rules.Result, str] = {
    rules.Result.PASS: "text-bg-success",
    rules.Result.ADJUSTED: "text-bg-info",
    rules.Result.OUT_OF_TOLERANCE: "text-bg-danger",
}
UNKNOWN_BADGE = "text-bg-light border"


def register_words(bp: Blueprint) -> None:
    """An instrument's status and a calibration's result, in words and colours, as template filters."""
    filters = {
        "instrument_status": lambda value: rules.STATUS_LABELS.get(value, value),
        "instrument_status_badge": lambda value: STATUS_BADGES.get(value, UNKNOWN_BADGE),
        "calibration_result": lambda value: rules.RESULT_LABELS.get(value, value),
        "calibration_result_badge": lambda value: RESULT_BADGES.get(value, UNKNOWN_BADGE),
    }
    for name, function in filters.items():
        bp.add_app_template_filter(function, name)


# The list's filters


@dataclass(frozen=True)
class CleanFilters:
    filters: RegisterFilters
    refusal: str | None  # what was asked that does not exist, said on the page


def clean_filters(args: Mapping[str, str]) -> CleanFilters:
    """Keep a status only if it is one; an unknown one is said, and every instrument shown."""
    status, location = args.get("status") or None, args.get("location") or None
    refusal = None
    if status is not None and status not in set(rules.Status):
        refusal = _("There is no status “%(status)s”: every instrument is shown.", status=status[:40])
        status = None
    if location is not None and len(location) > rules.LOCATION_MAX_LENGTH:
        location = None
    return CleanFilters(RegisterFilters(rules.Status(status) if status else None, location), refusal)


def filter_bar(filters: RegisterFilters, locations: list[str]) -> dict[str, FilterSelect]:
    statuses = [("", _("Any status")), *((str(s), label) for s, label in rules.STATUS_LABELS.items())]
    places = [("", _("Anywhere")), *((place, place) for place in locations)]
    if filters.location and filters.location not in locations:
        places.append((filters.location, filters.location))
    return {
        "status": FilterSelect("status", _("Status"), statuses, filters.status or ""),
        "location": FilterSelect("location", _("Location"), places, filters.location or ""),
    }


# An instrument


class InstrumentForm(FieldErrors, FlaskForm):
    code = TrimmedStringField(_l("Equipment id"), description=_l("As marked on the instrument, e.g. CAL-01."))
    description = TrimmedStringField(_l("Instrument"), description=_l("e.g. “Digital caliper, 0 to 150 mm”."))
    location = TrimmedStringField(
        _l("Location"), description=_l("Where it is used, e.g. “Finishing line 2”.")
    )
    measuring_range = TrimmedStringField(_l("Measuring range"), description=_l("e.g. 0 to 150 mm."))
    accuracy = TrimmedStringField(_l("Accuracy"), description=_l("e.g. ± 0.02 mm."))
    interval_months = TrimmedStringField(
        _l("Calibration interval (months)"), description=_l("From 1 to 120 months, e.g. 12.")
    )
    traceability = TextAreaField(
        _l("Traceability"),
        filters=[strip_filter],
        render_kw={"rows": 2},
        description=_l(
            "The standard it is calibrated against, traceable to national or international "
            "standards (or the basis used where none exists)."
        ),
    )
    version = VersionField()  # the instrument's version when the edit form was read

    def fields(self) -> InstrumentFields:
        return InstrumentFields(
            code=self.code.data or "",
            description=self.description.data or "",
            interval_months=rules.parse_months(self.interval_months.data or ""),
            location=self.location.data or "",
            measuring_range=self.measuring_range.data or "",
            accuracy=self.accuracy.data or "",
            traceability=self.traceability.data or "",
        )


def instrument_data(instrument: Instrument) -> dict[str, Any]:
    """A saved instrument as the edit form shows it, with the version it was read at."""
    return {
        "code": instrument.code,
        "description": instrument.description,
        "location": instrument.location,
        "measuring_range": instrument.measuring_range,
        "accuracy": instrument.accuracy,
        "interval_months": str(instrument.interval_months),
        "traceability": instrument.traceability,
        "version": instrument.version,
    }


class ServiceForm(FieldErrors, FlaskForm):
    """Take the instrument out of service (with the reason) or put it back (a note may say why)."""

    reason = TrimmedStringField(_l("Reason"), description=_l("e.g. “display faulty, sent for repair”."))
    version = VersionField()


# A calibration


RESULT_CHOICES = select_choices(
    [("", _l("Choose the result…")), *((str(r), t) for r, t in rules.RESULT_LABELS.items())]
)


class CalibrationForm(FieldErrors, FlaskForm):
    calibrated_on = DateField(
        _l("Calibrated on"), validators=[Optional()], description=_l("Not in the future.")
    )
    next_due = DateField(
        _l("Next calibration due"),
        validators=[Optional()],
        description=_l("Left empty: one calibration interval after this one."),
    )
    result = SelectField(_l("Result"), choices=RESULT_CHOICES, validate_choice=False)
    performed_by = TrimmedStringField(
        _l("Performed by"),
        description=_l("The laboratory (and its accreditation), or the person and standard used."),
    )
    certificate_ref = TrimmedStringField(
        _l("Certificate"), description=_l("The certificate or report number.")
    )
    notes = TextAreaField(_l("Notes"), filters=[strip_filter], render_kw={"rows": 2})

    def fields(self) -> CalibrationFields:
        return CalibrationFields(
            calibrated_on=self.calibrated_on.data,
            next_due=self.next_due.data,
            result=self.result.data or "",
            performed_by=self.performed_by.data or "",
            certificate_ref=self.certificate_ref.data or "",
            notes=self.notes.data or "",
        )


class AssessmentForm(FieldErrors, FlaskForm):
    """What the results measured with the instrument before it was found out of tolerance were worth."""

    assessed_on = DateField(_l("Assessed on"), validators=[Optional()], description=_l("Not in the future."))
    assessment = TextAreaField(
        _l("Results assessed"),
        filters=[strip_filter],
        render_kw={"rows": 3},
        description=_l(
            "Which products or lots were measured with it since its last good calibration, and "
            "whether they were affected."
        ),
    )
    assessment_action = TextAreaField(
        _l("Action taken"),
        filters=[strip_filter],
        render_kw={"rows": 2},
        description=_l("e.g. lots re-inspected with another instrument, customer told, stock quarantined."),
    )
    version = VersionField()  # the calibration's version when the page was read

    def fields(self) -> AssessmentFields:
        return AssessmentFields(
            assessed_on=self.assessed_on.data,
            assessment=self.assessment.data or "",
            assessment_action=self.assessment_action.data or "",
        )


def assessment_prefix(calibration_id: int) -> str:
    return f"assessment-{calibration_id}"


def assessment_form(calibration: Calibration, today: date) -> AssessmentForm:
    """An empty assessment form for one calibration, dated today, at the calibration's version."""
    return AssessmentForm(
        formdata=None,
        prefix=assessment_prefix(calibration.id),
        data={"assessed_on": today, "version": calibration.version},
    )
