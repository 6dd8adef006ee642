"""The measuring equipment API's bodies and answers as pydantic models (see :mod:`app.api.schemas` for the
conventions: answers are closed and list every property as required; bodies are validated with their model;
limits and enums come from :mod:`app.domain.calibration`).

A body's model checks its shape (known fields, JSON types, ISO dates); the values themselves (a code not
taken, an interval of 1 to 120 months, a calibration not in the future and its next one after it, a known
result, a real sentence for the assessment) are checked by the service, with the messages the pages show.
The limits are still in the document.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr

from app.api.schemas import NO_NUL, Closed, Count, PageNumber, PerPage, _iso_date, one_of
from app.domain import calibration as rules

Day = Annotated[date | None, BeforeValidator(_iso_date)]
STATUS_DESCRIPTION = (
    "The most urgent of statuses: overdue (in service, next due before today); unassessed (a calibration "
    "found it out of tolerance and the results measured with it before are not assessed); not_calibrated "
    f"(in service, no calibration recorded); due (in service, due within {rules.DUE_SOON_DAYS} days); "
    "in_use (none of these); out_of_service."
)


def _text(limit: int, description: str = "", default: Any = "") -> Any:
    extra: dict[str, Any] = {"maxLength": limit, "pattern": NO_NUL}
    return Field(default=default, description=description or None, json_schema_extra=extra)


def _required_text(limit: int, description: str) -> Any:
    return Field(description=description, json_schema_extra={"maxLength": limit, "pattern": NO_NUL})


# Answers


class InstrumentSummary(Closed):
    """A line of the register."""

    id: int
    code: str = Field(description="The equipment id marked on it; unique in the project.")
    description: str
    location: str
    measuring_range: str
    accuracy: str
    interval_months: int = Field(description="The calibration interval, in months.")
    last_calibrated_on: date | None = Field(description="The latest calibration's date; null: none yet.")
    next_due: date | None = Field(description="The latest calibration's next due date; null: none yet.")
    out_of_service: bool
    status: one_of(rules.Status) = Field(description=STATUS_DESCRIPTION)
    statuses: list[one_of(rules.Status)] = Field(
        description="Every status that applies, most urgent first (out_of_service and unassessed together, "
        "say)."
    )
    url: str = Field(description="The instrument, with its calibrations, in this API.")


class InstrumentList(Closed):
    items: list[InstrumentSummary] = Field(
        description="Most urgent first (overdue, unassessed, not calibrated, due, in use, out of service), "
        "then by next due date and code."
    )
    page: PageNumber
    per_page: PerPage
    total: Count


class CalibrationItem(Closed):
    id: int
    calibrated_on: date
    next_due: date
    result: one_of(rules.Result)
    performed_by: str
    certificate_ref: str
    notes: str
    needs_assessment: bool = Field(
        description="Out of tolerance, and the results measured before it are not assessed yet."
    )
    assessed_on: date | None
    assessment: str = Field(description="Which products or lots were measured, and whether affected.")
    assessment_action: str = Field(description="What was done about them.")
    version: int = Field(description="Send it with the assessment.")


class InstrumentDetail(InstrumentSummary):
    traceability: str
    version: int
    calibrations: list[CalibrationItem] = Field(description="Oldest first.")


# Bodies


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class InstrumentCreate(_Body):
    """A measuring instrument, not calibrated yet (record its calibrations next)."""

    code: StrictStr = _required_text(
        rules.CODE_MAX_LENGTH, "As marked on it, e.g. CAL-01; unique in the project."
    )
    description: StrictStr = _required_text(rules.DESCRIPTION_MAX_LENGTH, "What it is, e.g. Digital caliper.")
    interval_months: StrictInt = Field(
        description="The calibration interval in whole months.",
        json_schema_extra={"minimum": rules.INTERVAL_MONTHS_MIN, "maximum": rules.INTERVAL_MONTHS_MAX},
    )
    location: StrictStr = _text(rules.LOCATION_MAX_LENGTH)
    measuring_range: StrictStr = _text(rules.RANGE_MAX_LENGTH)
    accuracy: StrictStr = _text(rules.RANGE_MAX_LENGTH)
    traceability: StrictStr = _text(
        rules.TEXT_MAX_LENGTH,
        "The standard it is calibrated against, traceable to national or international ones.",
    )


class CalibrationCreate(_Body):
    """A calibration as done; a calibration out of tolerance then needs the assessment of earlier results."""

    calibrated_on: Day = Field(description="Not in the future.")
    next_due: Day = Field(
        default=None,
        description=f"After calibrated_on, within {rules.INTERVAL_MONTHS_MAX} months; null or left out: one "
        "calibration interval after calibrated_on.",
    )
    result: StrictStr = Field(json_schema_extra={"enum": [str(r) for r in rules.Result]})
    performed_by: StrictStr = _required_text(
        rules.PERFORMED_BY_MAX_LENGTH, "The laboratory, or the person and the standard used."
    )
    certificate_ref: StrictStr = _text(rules.CERTIFICATE_MAX_LENGTH)
    notes: StrictStr = _text(rules.TEXT_MAX_LENGTH)


class AssessmentCreate(_Body):
    """The assessment of the results measured with the instrument before a calibration found it out of
    tolerance (ISO 9001 7.1.5.2, ISO 13485 7.6); recorded once."""

    assessed_on: Day = Field(description="Not before the calibration, not in the future.")
    assessment: StrictStr = _required_text(
        rules.TEXT_MAX_LENGTH,
        "Which products or lots were measured with it since its last good calibration, and whether they were "
        "affected: a real sentence (at least four words).",
    )
    assessment_action: StrictStr = _required_text(
        rules.TEXT_MAX_LENGTH, "The action taken on them: a real sentence (at least four words)."
    )
    version: StrictInt | None = Field(
        default=None, description="The calibration's version the assessment is based on; a stale one is 409."
    )
