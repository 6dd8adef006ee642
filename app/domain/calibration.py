"""Measuring equipment and its calibration (ISO 9001 7.1.5, 7.1.5.1, 7.1.5.2; ISO 13485 7.6).

An instrument whose results the factory relies on is calibrated at an interval against standards traceable
to national or international ones. Its status follows from its latest calibration's next due date and two
facts kept apart from the dates: whether it is out of service, and whether a calibration found it out of
tolerance with the results measured with it before not yet assessed (7.1.5.2: "determine if the validity of
previous measurement results has been adversely affected"). An instrument may have several statuses at once
(out of service and not assessed, say); :func:`statuses` lists them, most urgent first, and the register's
SQL filters (:mod:`app.services.equipment`) mirror each one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from app.domain.nonconformities import sentence_problem
from app.domain.pathway import StandardFamily
from app.domain.registers import Concern
from app.domain.text import _, _l, grouped, ngettext


class Result(StrEnum):
    PASS = "pass"  # noqa: S105 (a result, not a password)
    ADJUSTED = "adjusted"
    OUT_OF_TOLERANCE = "out_of_tolerance"


RESULT_LABELS: Mapping[Result, str] = {
    Result.PASS: _l("Pass"),
    Result.ADJUSTED: _l("Adjusted, then within tolerance"),
    Result.OUT_OF_TOLERANCE: _l("Out of tolerance"),
}


class Status(StrEnum):
    """An instrument's statuses, most urgent first (the register lists the most urgent first too)."""

    OVERDUE = "overdue"
    UNASSESSED = "unassessed"
    NOT_CALIBRATED = "not_calibrated"
    DUE = "due"
    IN_USE = "in_use"
    OUT_OF_SERVICE = "out_of_service"


STATUS_LABELS: Mapping[Status, str] = {
    Status.OVERDUE: _l("Overdue"),
    Status.UNASSESSED: _l("Out of tolerance — earlier results not assessed"),
    Status.NOT_CALIBRATED: _l("Not calibrated"),
    Status.DUE: _l("Due within 30 days"),
    Status.IN_USE: _l("In use"),
    Status.OUT_OF_SERVICE: _l("Out of service"),
}

DUE_SOON_DAYS = 30
INTERVAL_MONTHS_MIN, INTERVAL_MONTHS_MAX = 1, 120
EARLIEST_CALIBRATION = date(1950, 1, 1)

CODE_MAX_LENGTH = 40
DESCRIPTION_MAX_LENGTH = 200
LOCATION_MAX_LENGTH = 120
RANGE_MAX_LENGTH = 80  # the measuring range and the accuracy
PERFORMED_BY_MAX_LENGTH = 160
CERTIFICATE_MAX_LENGTH = 120
REASON_MAX_LENGTH = 500  # why it is taken out of service (kept in its history)
TEXT_MAX_LENGTH = 10_000  # traceability, notes, the assessment and its action
LIMITS: Mapping[str, int] = {
    "code": CODE_MAX_LENGTH,
    "description": DESCRIPTION_MAX_LENGTH,
    "location": LOCATION_MAX_LENGTH,
    "measuring_range": RANGE_MAX_LENGTH,
    "accuracy": RANGE_MAX_LENGTH,
    "performed_by": PERFORMED_BY_MAX_LENGTH,
    "certificate_ref": CERTIFICATE_MAX_LENGTH,
    "reason": REASON_MAX_LENGTH,
}

NEXT_AFTER = _l("The next calibration must come after this one.")
# The English words of interval_error's message (its tests compare them).
INTERVAL_RULE = f"Give the interval in whole months, from {INTERVAL_MONTHS_MIN} to {INTERVAL_MONTHS_MAX}."


@dataclass(frozen=True)
class InstrumentFacts:
    """What an instrument's status is decided on."""

    out_of_service: bool
    next_due: date | None  # the latest calibration's; none: never calibrated
    unassessed: bool  # a calibration found it out of tolerance and the earlier results are not assessed


def due_soon_until(today: date) -> date:
    """The last next-due day that counts as due soon (not yet overdue)."""
    return today + timedelta(days=DUE_SOON_DAYS)


def statuses(facts: InstrumentFacts, today: date) -> tuple[Status, ...]:
    """Every status that applies, most urgent first; "in use" only when none other does."""
    found: set[Status] = set()
    if facts.unassessed:
        found.add(Status.UNASSESSED)
    if facts.out_of_service:
        found.add(Status.OUT_OF_SERVICE)
    elif facts.next_due is None:
        found.add(Status.NOT_CALIBRATED)
    elif facts.next_due < today:
        found.add(Status.OVERDUE)
    elif facts.next_due <= due_soon_until(today):
        found.add(Status.DUE)
    return tuple(s for s in Status if s in found) or (Status.IN_USE,)


def status(facts: InstrumentFacts, today: date) -> Status:
    """The most urgent status: the one the register shows first."""
    return statuses(facts, today)[0]


def needs_assessment(result: str, assessed_on: date | None) -> bool:
    """A calibration that found the instrument out of tolerance, whose earlier results are not assessed."""
    return result == Result.OUT_OF_TOLERANCE and assessed_on is None


def default_next_due(calibrated_on: date, interval_months: int) -> date:
    """The next calibration, one interval after this one (calendar months)."""
    return calibrated_on + relativedelta(months=interval_months)


def parse_months(text: str) -> int | None:
    """A whole number of months as typed ("12"), or None."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 4:
        return None
    return int(text)


def interval_error(months: int | None) -> str | None:
    if months is None or not INTERVAL_MONTHS_MIN <= months <= INTERVAL_MONTHS_MAX:
        return _(
            "Give the interval in whole months, from %(low)d to %(high)d.",
            low=INTERVAL_MONTHS_MIN,
            high=INTERVAL_MONTHS_MAX,
        )
    return None


def limit_errors(**texts: str) -> dict[str, str]:
    """Each text within its column's limit (:data:`LIMITS`; any other at most ``TEXT_MAX_LENGTH``)."""
    errors: dict[str, str] = {}
    for name, text in texts.items():
        limit = LIMITS.get(name, TEXT_MAX_LENGTH)
        if len(text) > limit:
            errors[name] = _("Use at most %(limit)s characters.", limit=grouped(limit))
    return errors


def instrument_errors(code: str, description: str, interval_months: int | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not code.strip():
        errors["code"] = _("Give the equipment id marked on the instrument, e.g. CAL-01.")
    if not description.strip():
        errors["description"] = _("Say what the instrument is, e.g. “Digital caliper, 0 to 150 mm”.")
    if problem := interval_error(interval_months):
        errors["interval_months"] = problem
    return errors


def _date_error(day: date | None, what: str, today: date) -> str | None:
    """What is wrong with the day of a ``what`` ("calibration" or "assessment")."""
    calibration = what == "calibration"
    if day is None:
        return (
            _("Give the date of the calibration.") if calibration else _("Give the date of the assessment.")
        )
    if day > today:
        if calibration:
            return _("A calibration is recorded once done: the date is in the future.")
        return _("An assessment is recorded once done: the date is in the future.")
    if day < EARLIEST_CALIBRATION:
        return _("Check the year: the date is before %(year)d.", year=EARLIEST_CALIBRATION.year)
    return None


def next_due_error(calibrated_on: date, next_due: date) -> str | None:
    if next_due <= calibrated_on:
        return str(NEXT_AFTER)
    if next_due > default_next_due(calibrated_on, INTERVAL_MONTHS_MAX):
        return _(
            "Plan the next calibration within %(months)d months of this one.", months=INTERVAL_MONTHS_MAX
        )
    return None


def calibration_errors(
    calibrated_on: date | None, next_due: date | None, result: str, performed_by: str, today: date
) -> dict[str, str]:
    """A calibration as recorded: done (not in the future), its next due after it, a known result, and who
    performed it. ``next_due`` None takes the default (:func:`default_next_due`)."""
    errors: dict[str, str] = {}
    if problem := _date_error(calibrated_on, "calibration", today):
        errors["calibrated_on"] = problem
    elif (
        next_due is not None
        and calibrated_on is not None
        and (problem := next_due_error(calibrated_on, next_due))
    ):
        errors["next_due"] = problem
    if result not in set(Result):
        errors["result"] = _("Choose the result: pass, adjusted, or out of tolerance.")
    if not performed_by.strip():
        errors["performed_by"] = _(
            "Name who calibrated it: the laboratory, or the person and the standard used."
        )
    return errors


# What the assessment's texts ask for: written at all, then as a real sentence.
ASSESSMENT_SENTENCES = (
    _l(
        "Write which products or lots were measured with it since its last good calibration, and whether "
        "they were affected."
    ),
    _l(
        "Write which products or lots were measured with it since its last good calibration, and whether "
        "they were affected as a real sentence (at least %(num)d words): a placeholder is not a record."
    ),
)
ACTION_SENTENCES = (
    _l("Write the action taken on them (re-inspected, recalled, released with a reason)."),
    _l(
        "Write the action taken on them (re-inspected, recalled, released with a reason) as a real sentence "
        "(at least %(num)d words): a placeholder is not a record."
    ),
)


def assessment_errors(
    calibrated_on: date, assessed_on: date | None, assessment: str, action: str, today: date
) -> dict[str, str]:
    """The assessment of the results measured before a calibration found the instrument out of tolerance:
    dated on or after that calibration (not in the future), what was measured and whether it was affected,
    and what was done, each a real sentence."""
    errors: dict[str, str] = {}
    if problem := _date_error(assessed_on, "assessment", today):
        errors["assessed_on"] = problem
    elif assessed_on is not None and assessed_on < calibrated_on:
        errors["assessed_on"] = _(
            "The assessment comes after the calibration that found the instrument out of tolerance."
        )
    if problem := sentence_problem(assessment, *ASSESSMENT_SENTENCES):
        errors["assessment"] = problem
    if problem := sentence_problem(action, *ACTION_SENTENCES):
        errors["assessment_action"] = problem
    return errors


# The register's state: what needs attention, and the next step for each


def clause(family: StandardFamily, topic: str) -> str:
    """The requirement a concern answers: ISO 9001 splits calibration (7.1.5.1) from the assessment of
    earlier results (7.1.5.2); ISO 13485 has both in 7.6."""
    if family is StandardFamily.ISO_13485:
        return "7.6"
    return "7.1.5.2" if topic == "assessment" else "7.1.5.1"


CONCERN_LABELS: Mapping[Status, str] = {
    Status.UNASSESSED: _l("out of tolerance, earlier results not assessed"),
    Status.OVERDUE: _l("overdue"),
    Status.NOT_CALIBRATED: _l("not calibrated"),
    Status.DUE: _l("due within 30 days"),
    Status.OUT_OF_SERVICE: _l("out of service"),
}
URGENT = (Status.UNASSESSED, Status.OVERDUE, Status.NOT_CALIBRATED)


def _action(status: Status, count: int, family: StandardFamily) -> str:
    """The next step for ``count`` instruments of ``status``, with the requirement it answers (a clause
    number, the same in every language)."""
    if status is Status.UNASSESSED:
        step = ngettext(
            "Assess the results measured with the instrument found out of calibration",
            "Assess the results measured with the %(num)d instruments found out of calibration",
            count,
        )
        return f"{step} ({clause(family, 'assessment')})"
    if status is Status.OVERDUE:
        step = ngettext(
            "Calibrate the overdue instrument", "Calibrate the %(num)d overdue instruments", count
        )
    else:
        step = ngettext(
            "Calibrate the instrument not calibrated yet, or record the calibration",
            "Calibrate the %(num)d instruments not calibrated yet, or record the calibration",
            count,
        )
    return f"{step} ({clause(family, 'calibration')})"


def concerns(counts: Mapping[Status, int], family: StandardFamily) -> tuple[Concern, ...]:
    """The register's concerns in the order the pages list them: the urgent ones (not assessed, overdue,
    not calibrated) with their next step and the register's filter showing them, then due within 30 days
    and out of service, for information."""
    found = [
        Concern(
            counts.get(s, 0), CONCERN_LABELS[s], True, _action(s, counts.get(s, 0), family), (("status", s),)
        )
        for s in URGENT
    ]
    found += [
        Concern(counts.get(s, 0), CONCERN_LABELS[s], False, "", (("status", s),))
        for s in (Status.DUE, Status.OUT_OF_SERVICE)
    ]
    return tuple(found)


def calibration_summary(calibrated_on: date, performed_by: str, result: str) -> str:
    """The history line of a calibration ("Calibrated on 3 Nov 2026 by Vinacontrol: out of tolerance.")."""
    label = RESULT_LABELS[Result(result)].lower() if result in set(Result) else result
    return f"Calibrated on {day_text(calibrated_on)} by {performed_by}: {label}."


def day_text(day: date) -> str:
    """A date as a history line reads it: 3 Nov 2026."""
    return f"{day.day} {day:%b %Y}"
