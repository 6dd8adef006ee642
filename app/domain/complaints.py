"""Customer complaints (ISO 9001 8.2.1, 9.1.2, 10.2; ISO 13485 8.2.2, 8.2.3): received, investigated, closed.

A complaint is *received* until its investigation is written, *investigating* until it is closed, and
*closed* once it has a closing day and a closure written as a sentence; it closes only once investigated.
For ISO 13485 the decision whether it must be reported to a regulatory authority (8.2.3) is taken, with its
reason, before it closes; a reportable complaint names the authority, the day it was reported and the
report's reference. An ISO 9001 project keeps none of these. A complaint open more than
:data:`LATE_AFTER_DAYS` days needs attention.

Every rule here is one function the pages, the API and the register's counts call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.domain.assessment import EARLIEST_DUE_DATE
from app.domain.nonconformities import is_sentence, sentence_problem
from app.domain.text import _, _l, grouped


class ComplaintState(StrEnum):
    RECEIVED = "received"
    INVESTIGATING = "investigating"
    CLOSED = "closed"


STATE_LABELS: Mapping[ComplaintState, str] = {
    ComplaintState.RECEIVED: _l("Received"),
    ComplaintState.INVESTIGATING: _l("Investigating"),
    ComplaintState.CLOSED: _l("Closed"),
}
LATE_AFTER_DAYS = 30
LATE = "late"  # the list's filter of the complaints open for too long
OPEN = "open"  # the list's filter of every complaint not closed
STATE_FILTER_LABELS: Mapping[str, str] = {
    OPEN: _l("Open (not closed)"),
    LATE: _l("Open for more than 30 days"),  # LATE_AFTER_DAYS
    **{str(state): label for state, label in STATE_LABELS.items()},
}


class Reportability(StrEnum):
    """The ISO 13485 8.2.3 decision as the list filters it."""

    UNDECIDED = "undecided"
    REPORTABLE = "reportable"
    NOT_REPORTABLE = "not_reportable"


REPORTABILITY_LABELS: Mapping[Reportability, str] = {
    Reportability.UNDECIDED: _l("Not decided yet"),
    Reportability.REPORTABLE: _l("Reported to the regulator"),
    Reportability.NOT_REPORTABLE: _l("Not reportable"),
}

NAME_MAX_LENGTH = 160  # the customer, the product, the authority
REFERENCE_MAX_LENGTH = 120
TEXT_MAX_LENGTH = 10_000  # the description, the investigation, the closure, the reason


def state_of(investigation: str, closed_on: date | None) -> ComplaintState:
    if closed_on is not None:
        return ComplaintState.CLOSED
    return ComplaintState.INVESTIGATING if investigation.strip() else ComplaintState.RECEIVED


def late_before(today: date) -> date:
    """A complaint still open that was received before this day is open for more than 30 days."""
    return today - timedelta(days=LATE_AFTER_DAYS)


def is_late(received_on: date, closed_on: date | None, today: date) -> bool:
    return closed_on is None and received_on < late_before(today)


def days_open(received_on: date, closed_on: date | None, today: date) -> int:
    """Days from receipt to closure (or to today while open)."""
    return max(0, ((closed_on or today) - received_on).days)


def reportability_of(reportable: bool | None) -> Reportability:
    if reportable is None:
        return Reportability.UNDECIDED
    return Reportability.REPORTABLE if reportable else Reportability.NOT_REPORTABLE


def label(complaint_id: int, customer: str) -> str:
    """How a complaint is named in lists and history: "Complaint 12 (Vinamilk)"."""
    return _("Complaint %(id)d (%(customer)s)", id=complaint_id, customer=customer)


@dataclass(frozen=True)
class ComplaintValues:
    """A complaint as a whole, as it would be saved: the rules judge the record, never a part of it."""

    received_on: date | None
    customer: str
    product: str
    description: str
    investigation: str = ""
    closed_on: date | None = None
    closure: str = ""
    reportable: bool | None = None
    reportability_reason: str = ""
    authority: str = ""
    reported_on: date | None = None
    report_reference: str = ""


def _day_error(day: date, today: date, future: str) -> str | None:
    """``future`` (the message) for a day after today; a day before the earliest is a typing slip."""
    if day > today:
        return future
    if day < EARLIEST_DUE_DATE:
        return _("Enter a date from %(year)d on.", year=EARLIEST_DUE_DATE.year)
    return None


def _length_errors(values: ComplaintValues) -> dict[str, str]:
    limits = {
        "customer": NAME_MAX_LENGTH,
        "product": NAME_MAX_LENGTH,
        "authority": NAME_MAX_LENGTH,
        "report_reference": REFERENCE_MAX_LENGTH,
        "description": TEXT_MAX_LENGTH,
        "investigation": TEXT_MAX_LENGTH,
        "closure": TEXT_MAX_LENGTH,
        "reportability_reason": TEXT_MAX_LENGTH,
    }
    return {
        name: _("Use at most %(limit)s characters.", limit=grouped(limit))
        for name, limit in limits.items()
        if len(getattr(values, name)) > limit
    }


def _receipt_errors(values: ComplaintValues, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values.received_on is None:
        errors["received_on"] = _("Give the date the complaint was received.")
    elif problem := _day_error(
        values.received_on,
        today,
        _("A complaint is recorded once it has happened: the date is in the future."),
    ):
        errors["received_on"] = problem
    if not values.customer.strip():
        errors["customer"] = _("Name the customer who complained.")
    if not values.product.strip():
        errors["product"] = _("Name the product (or service) the complaint is about.")
    if not values.description.strip():
        errors["description"] = _("Describe the complaint: what the customer reports.")
    if values.investigation.strip() and not is_sentence(values.investigation):
        errors["investigation"] = _(
            "Write the investigation as a real sentence (at least four words): what was checked and found."
        )
    return errors


def _closure_errors(values: ComplaintValues, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values.closed_on is None:
        if values.closure.strip():
            errors["closed_on"] = _("Give the date the complaint was closed.")
        return errors
    if not values.investigation.strip():
        errors["investigation"] = _(
            "A complaint closes only once investigated: write what was checked and found."
        )
    if problem := _day_error(
        values.closed_on, today, _("A closure is recorded once it has happened: the date is in the future.")
    ):
        errors["closed_on"] = problem
    elif values.received_on is not None and values.closed_on < values.received_on:
        errors["closed_on"] = _("A complaint cannot close before it was received.")
    if problem := sentence_problem(
        values.closure,
        _("Write how the complaint was closed (the answer to the customer)."),
        _(
            "Write how the complaint was closed (the answer to the customer) as a real sentence "
            "(at least %(num)d words): a placeholder is not a record."
        ),
    ):
        errors["closure"] = problem
    return errors


REPORT_FIELDS = ("authority", "reported_on", "report_reference")
UNDECIDED = _l("Say whether the complaint must be reported to the regulator.")
NOT_MEDICAL = _l(
    "Reporting to a regulatory authority (ISO 13485 8.2.3) is recorded for ISO 13485 projects only."
)


def _reportability_errors(values: ComplaintValues, today: date, medical: bool) -> dict[str, str]:
    report = {name: getattr(values, name) for name in REPORT_FIELDS}
    if not medical:
        decided = values.reportable is not None or values.reportability_reason.strip()
        sent = ["reportable"] if decided else []
        sent += [name for name, value in report.items() if value]
        return dict.fromkeys(sent, str(NOT_MEDICAL))
    errors: dict[str, str] = {}
    if values.reportable is None:
        if values.closed_on is not None:
            errors["reportable"] = _(
                "Decide whether the complaint must be reported to the regulator (8.2.3) before closing it."
            )
        if values.reportability_reason.strip() or any(report.values()):
            errors.setdefault("reportable", str(UNDECIDED))
        return errors
    if problem := sentence_problem(
        values.reportability_reason,
        _("Write the reason for the decision."),
        _(
            "Write the reason for the decision as a real sentence (at least %(num)d words): "
            "a placeholder is not a record."
        ),
    ):
        errors["reportability_reason"] = problem
    if not values.reportable:
        for name in (name for name, value in report.items() if value):
            errors[name] = _("A complaint that is not reportable has no report: leave this empty.")
        return errors
    if not values.authority.strip():
        errors["authority"] = _("Name the regulatory authority it was reported to.")
    if values.reported_on is None:
        errors["reported_on"] = _("Give the date it was reported.")
    elif problem := _day_error(
        values.reported_on, today, _("A report is recorded once it has happened: the date is in the future.")
    ):
        errors["reported_on"] = problem
    elif values.received_on is not None and values.reported_on < values.received_on:
        errors["reported_on"] = _("A complaint cannot be reported before it was received.")
    if not values.report_reference.strip():
        errors["report_reference"] = _("Give the report's reference (the authority's or your own).")
    return errors


def complaint_errors(values: ComplaintValues, today: date, medical: bool) -> dict[str, str]:
    """What is wrong with the complaint as a whole, by field: receipt, investigation, closure and, for an
    ISO 13485 project (``medical``), the reportability decision and its report."""
    errors = _receipt_errors(values, today)
    for name, message in _closure_errors(values, today).items():
        errors.setdefault(name, message)
    for name, message in _reportability_errors(values, today, medical).items():
        errors.setdefault(name, message)
    for name, message in _length_errors(values).items():
        errors[name] = message  # a text too long is the first thing to fix
    return errors
