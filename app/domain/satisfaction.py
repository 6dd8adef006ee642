"""Customer satisfaction (ISO 9001 9.1.2, ISO 13485 8.2.1): the ways the factory measures how customers see
it (a survey score, returns, on-time delivery...) and their values over time.

A measure says whether a higher value is better (a survey score) or a lower one (returns) and may have a
target. Its latest value is the one of the latest period; the trend compares it with the one before; it
meets the target when it is on the better side of it (on the target counts). A measure with no value in
:data:`STALE_AFTER_MONTHS` months is no longer measured.

Numbers are read as :mod:`app.domain.objectives` reads them (one rule for "a number" in the app).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from app.domain.assessment import EARLIEST_DUE_DATE
from app.domain.objectives import MAX_VALUE
from app.domain.text import _, _l, grouped


class MeasureKind(StrEnum):
    SURVEY = "survey"
    RETURNS = "returns"
    ON_TIME_DELIVERY = "on_time_delivery"
    OTHER = "other"


KIND_LABELS: Mapping[MeasureKind, str] = {
    MeasureKind.SURVEY: _l("Customer survey"),
    MeasureKind.RETURNS: _l("Returns"),
    MeasureKind.ON_TIME_DELIVERY: _l("On-time delivery"),
    MeasureKind.OTHER: _l("Other"),
}


class Trend(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    STEADY = "steady"


TREND_LABELS: Mapping[Trend | None, str] = {
    Trend.BETTER: _l("Getting better"),
    Trend.WORSE: _l("Getting worse"),
    Trend.STEADY: _l("Steady"),
    None: _l("Not enough values yet"),
}
TARGET_LABELS: Mapping[bool | None, str] = {
    True: _l("Meets the target"),
    False: _l("Below target"),
    None: _l("No target"),
}

STALE_AFTER_MONTHS = 6
# The list's filters by the latest value.
STALE = "stale"
BELOW = "below"
MEETS = "meets"
STATUS_FILTER_LABELS: Mapping[str, str] = {
    STALE: _l("Not measured in 6 months"),  # STALE_AFTER_MONTHS
    BELOW: _l("Below target"),
    MEETS: _l("Meets the target"),
}
NAME_MAX_LENGTH = 160
UNIT_MAX_LENGTH = 20
NOTES_MAX_LENGTH = 2_000


@dataclass(frozen=True)
class Value:
    period_end: date
    value: Decimal


def in_order(values: Sequence[Value]) -> list[Value]:
    """By period, oldest first; two values of the same period stay in the order they were recorded."""
    return sorted(values, key=lambda v: v.period_end)


def latest(values: Sequence[Value]) -> Value | None:
    """The value of the latest period (of two for the same period, the one recorded last)."""
    ordered = in_order(values)
    return ordered[-1] if ordered else None


def is_better(value: Decimal, than: Decimal, higher_is_better: bool) -> bool:
    return value > than if higher_is_better else value < than


def trend(values: Sequence[Value], higher_is_better: bool) -> Trend | None:
    """The latest value against the one before it; None with fewer than two values."""
    ordered = in_order(values)
    if len(ordered) < 2:
        return None
    before, last = ordered[-2], ordered[-1]
    if last.value == before.value:
        return Trend.STEADY
    return Trend.BETTER if is_better(last.value, before.value, higher_is_better) else Trend.WORSE


def meets_target(value: Decimal | None, target: Decimal | None, higher_is_better: bool) -> bool | None:
    """On the target or on its better side; None without a target or a value."""
    if value is None or target is None:
        return None
    return value == target or is_better(value, target, higher_is_better)


def measured_since(today: date) -> date:
    """A measure whose latest period ended before this day has not been measured for six months."""
    return today - relativedelta(months=STALE_AFTER_MONTHS)


def is_stale(last: date | None, today: date) -> bool:
    return last is None or last < measured_since(today)


def target_text(target: Decimal | None, unit: str, higher_is_better: bool) -> str:
    """ "at least 90 %", "at most 0.5 %", or "none"."""
    if target is None:
        return _("none")
    if higher_is_better:
        return _("at least %(value)s", value=value_text(target, unit))
    return _("at most %(value)s", value=value_text(target, unit))


def value_text(value: Decimal, unit: str) -> str:
    text = format(value.normalize(), "f")
    return f"{text} {unit}" if unit else text


def measure_errors(
    name: str, kind: str, unit: str, target: Decimal | None, target_typed: bool
) -> dict[str, str]:
    """What is wrong with a measure; ``target`` is the typed target read as a number (None when nothing
    or no number was typed, ``target_typed`` says which)."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _('Name the measure, e.g. "Yearly customer survey score".')
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = _("Use at most %(limit)s characters.", limit=str(NAME_MAX_LENGTH))
    if kind not in set(MeasureKind):
        errors["kind"] = _("Choose a survey, returns, on-time delivery or other.")
    if len(unit) > UNIT_MAX_LENGTH:
        errors["unit"] = _("Use at most %(limit)s characters.", limit=str(UNIT_MAX_LENGTH))
    if target_typed and target is None:
        errors["target"] = _(
            "Give the target as a number (less than %(max)s either way), or leave it empty.",
            max=grouped(MAX_VALUE),
        )
    return errors


def value_errors(period_end: date | None, value: Decimal | None, notes: str, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if period_end is None:
        errors["period_end"] = _("Give the last day of the period the value covers.")
    elif period_end > today:
        errors["period_end"] = _("A value is recorded once its period has ended: the date is in the future.")
    elif period_end < EARLIEST_DUE_DATE:
        errors["period_end"] = _("Enter a date from %(year)d on.", year=EARLIEST_DUE_DATE.year)
    if value is None:
        errors["value"] = _(
            "Give the value as a number (less than %(max)s either way).", max=grouped(MAX_VALUE)
        )
    if len(notes) > NOTES_MAX_LENGTH:
        errors["notes"] = _("Use at most %(limit)s characters.", limit=grouped(NOTES_MAX_LENGTH))
    return errors
