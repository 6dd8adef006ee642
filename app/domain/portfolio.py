"""The consultant's portfolio: each project's status (on track, at risk, late) and what the page sorts by.

The status rule
---------------
A project is **late** when either

* its target date has passed while a stage of its pathway is still not done, or
* its next milestone's date has passed: a stage's planned end (the stage not done), an external audit
  scheduled and not held, or a surveillance audit of its certificate's cycle not held by its latest day.

Otherwise it is **at risk** when any of

* a major finding is open (not closed),
* an item is overdue: a task, a finding's action or a management review's action past its due date,
* more has been spent than planned (actual > planned, with something planned), or
* its target date is at most ``TARGET_SOON_DAYS`` (60) days away while its readiness is below
  ``READY_PERCENT`` (80 %) or not yet known.

Otherwise it is **on track**. The due day itself is never late (the app's overdue rule,
:func:`app.domain.pathway.is_overdue`). The rule reads only counts and days, so the portfolio's service can
write the same rule in SQL to sort and filter every project at once (``STATUS_ORDER``, ``TARGET_SOON_DAYS``,
``READY_PERCENT`` are read there); ``tests/integration/test_portfolio_page.py`` holds the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from app.domain.certification import KIND_LABELS, AuditKind
from app.domain.pathway import Stage
from app.domain.text import _, _l

TARGET_SOON_DAYS = 60
READY_PERCENT = 80
UPCOMING_DAYS = 90  # the portfolio's chart of coming audits and deadlines


class Status(StrEnum):
    LATE = "late"
    AT_RISK = "at_risk"
    ON_TRACK = "on_track"


STATUS_LABELS: dict[Status, str] = {
    Status.LATE: _l("Late"),
    Status.AT_RISK: _l("At risk"),
    Status.ON_TRACK: _l("On track"),
}
# Worst first: sorting by status ascending puts the late projects at the top.
STATUS_ORDER: dict[Status, int] = {Status.LATE: 0, Status.AT_RISK: 1, Status.ON_TRACK: 2}


def legend() -> tuple[tuple[Status, str], ...]:
    """Each status and when a project has it, in the reader's language (the module's rule in words)."""
    return (
        (
            Status.LATE,
            _("the target date has passed with a stage not done, or the next milestone's date has passed"),
        ),
        (
            Status.AT_RISK,
            _(
                "an open major finding, an overdue task or action, more spent than planned, or the target "
                "date within %(days)d days with readiness below %(percent)d %%",
                days=TARGET_SOON_DAYS,
                percent=READY_PERCENT,
            ),
        ),
        (Status.ON_TRACK, _("none of these")),
    )


@dataclass(frozen=True)
class ProjectFacts:
    """What the status rule reads of one project."""

    target_date: date | None
    all_stages_done: bool
    milestone_on: date | None  # the next milestone's day (module docstring)
    readiness: int | None  # percent (app.domain.readiness)
    overdue_items: int
    open_majors: int
    planned: Decimal
    spent: Decimal


def is_late(facts: ProjectFacts, today: date) -> bool:
    target_passed = facts.target_date is not None and facts.target_date < today
    milestone_passed = facts.milestone_on is not None and facts.milestone_on < today
    return (target_passed and not facts.all_stages_done) or milestone_passed


def is_overspent(planned: Decimal, spent: Decimal) -> bool:
    return planned > 0 and spent > planned


def target_is_near(target_date: date | None, today: date) -> bool:
    """The target date is at most ``TARGET_SOON_DAYS`` away (a passed target counts as near)."""
    return target_date is not None and target_date <= today + timedelta(days=TARGET_SOON_DAYS)


def is_at_risk(facts: ProjectFacts, today: date) -> bool:
    not_ready = facts.readiness is None or facts.readiness < READY_PERCENT
    return (
        facts.open_majors > 0
        or facts.overdue_items > 0
        or is_overspent(facts.planned, facts.spent)
        or (target_is_near(facts.target_date, today) and not_ready)
    )


def status_of(facts: ProjectFacts, today: date) -> Status:
    """The project's status by the module's rule."""
    if is_late(facts, today):
        return Status.LATE
    if is_at_risk(facts, today):
        return Status.AT_RISK
    return Status.ON_TRACK


def days_to(day: date | None, today: date) -> int | None:
    """Days from today to ``day`` (negative once passed); None without a day."""
    return None if day is None else (day - today).days


READINESS_BANDS: tuple[tuple[str, int, int], ...] = (
    ("0-19 %", 0, 19),
    ("20-39 %", 20, 39),
    ("40-59 %", 40, 59),
    ("60-79 %", 60, 79),
    ("80-99 %", 80, 99),
    ("100 %", 100, 100),
)
UNKNOWN_BAND = _l("Not known")


def readiness_band(percent: int | None) -> str:
    """The band of the readiness distribution a percent falls in."""
    if percent is None:
        return UNKNOWN_BAND
    return next(label for label, low, high in READINESS_BANDS if low <= percent <= high)


def week_of(day: date, today: date) -> int:
    """Which week from today ``day`` falls in (0: today and the six days after it)."""
    return (day - today).days // 7


# What a milestone is, by the kind the portfolio's service gives it: a stage's key (its planned end), an
# external audit's kind (scheduled), or a current certificate's expiry and surveillance audits due.
AUDIT_MILESTONES = frozenset({*(kind.value for kind in AuditKind), "surveillance1_due", "surveillance2_due"})
MILESTONE_LABELS: dict[str, str] = {
    Stage.GAP_ANALYSIS.value: _l("End of gap analysis"),
    Stage.DOCUMENTATION.value: _l("End of documentation"),
    Stage.TRAINING.value: _l("End of training"),
    Stage.INTERNAL_AUDIT.value: _l("End of internal audit"),
    Stage.MANAGEMENT_REVIEW.value: _l("End of management review"),
    Stage.EXTERNAL_AUDIT.value: _l("End of external audit"),
    **{kind.value: label for kind, label in KIND_LABELS.items()},
    "expiry": _l("Certificate expires"),
    "surveillance1_due": _l("First surveillance audit due"),
    "surveillance2_due": _l("Second surveillance audit due"),
}


def milestone_label(kind: str | None) -> str:
    return "—" if kind is None else MILESTONE_LABELS.get(kind, kind)


def is_audit(kind: str) -> bool:
    """An audit (scheduled or due) rather than a deadline (a stage's end, a certificate's expiry)."""
    return kind in AUDIT_MILESTONES
