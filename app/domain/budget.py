"""Budget roll-ups, forecast, overspend flags, the spend S-curve and the checks a budget line must pass.

Rules decided here:

* **Money** is ``Decimal``. Every amount is first quantized to the currency's minor unit (``minor_unit``,
  0.01 unless the caller passes the project currency's, see :func:`minor_unit_for`) with ``ROUND_HALF_UP``
  (0.005 -> 0.01), then summed, so a total always equals the sum of the amounts shown.
* **Variance** is ``actual - planned``: positive means more was spent than planned, negative means less
  (or not yet) spent. A line with no actual yet counts as 0 actual.
* **Percent spent** is ``actual / planned * 100`` to one decimal place (``ROUND_HALF_UP``); it is ``None``
  when nothing is planned, since a percentage of zero means nothing (the page shows a dash).
* **Forecast at completion** is actual so far plus planned remaining. Per line: no actual yet counts its
  planned amount; an actual counts as ``max(actual, planned)``: a partly spent line is still expected to
  use its whole plan (lower the planned amount to release a saving), an overspent line counts what was
  spent.
* **Overspend**: a line is flagged when ``actual > planned * (1 + threshold)`` (default 10%): exactly 10%
  over is not flagged; any spend on a line planned at 0 is.
* **Nothing spent yet**: while no money has been spent (actual 0), the variance is only the budget still to
  spend, not an overspend or a saving; :attr:`Totals.nothing_spent` lets a page say so instead of showing a
  negative figure.
* **S-curve**: lines without a date are left out; actual is ``None`` after the last date carrying an
  actual, so the chart's actual line stops at the latest known spend. :func:`undated` counts what is left
  out, so the chart can say so.
* **Line order**: pathway stage first; within a stage, undated lines (the stage's own work, not yet
  scheduled) before dated ones, dated ones by date, then the order they were added. So the undated stage 1
  and 2 audits come before the dated surveillance audits of the same stage, and every line of an earlier
  stage comes before any line of a later one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.domain.text import _, _l

CENT = Decimal("0.01")
PERCENT_STEP = Decimal("0.1")
DEFAULT_OVERSPEND_THRESHOLD = Decimal("0.10")
# A line may be dated up to a year before the project starts (deposits, early training) and up to four
# years after its target date: surveillance in years 1-2 and recertification in year 3, plus slack.
DATE_SLACK_BEFORE = timedelta(days=366)
DATE_SLACK_AFTER = timedelta(days=4 * 366)

CATEGORIES = {
    "certification_body": _l("Certification body"),
    "consultant": _l("Consultant"),
    "training": _l("Training"),
    "internal_time": _l("Internal staff time"),
    "equipment_calibration": _l("Equipment and calibration"),
    "documentation_translation": _l("Documentation and translation"),
    "travel": _l("Travel"),
    "other": _l("Other"),
}

# In pathway order.
STAGES = {
    "gap_analysis": _l("Gap analysis"),
    "documentation": _l("Documentation"),
    "training": _l("Training"),
    "internal_audit": _l("Internal audit"),
    "management_review": _l("Management review"),
    "external_audit": _l("External audit"),
}

# ISO 4217 currencies whose minor unit is not 1/100.
_ZERO_DECIMAL = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF"}
    | {"XOF", "XPF"}
)
_THREE_DECIMAL = frozenset({"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"})


def minor_unit_for(currency: str) -> Decimal:
    """The ISO 4217 minor unit of ``currency``: 1 for KRW or VND, 0.001 for KWD, else 0.01."""
    code = currency.upper()
    if code in _ZERO_DECIMAL:
        return Decimal(1)
    if code in _THREE_DECIMAL:
        return Decimal("0.001")
    return CENT


def quantize_money(amount: Decimal, minor_unit: Decimal = CENT) -> Decimal:
    """Round ``amount`` to ``minor_unit`` with ``ROUND_HALF_UP`` (half a minor unit rounds away from 0)."""
    return amount.quantize(minor_unit, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class BudgetLine:
    """One planned (and perhaps spent) amount; ``line_id`` lets a service map results back to rows."""

    stage: str
    category: str
    description: str
    planned: Decimal
    actual: Decimal | None = None
    date: date | None = None
    line_id: int | None = None


@dataclass(frozen=True)
class Totals:
    planned: Decimal
    actual: Decimal
    variance: Decimal  # actual - planned
    percent_spent: Decimal | None  # None when planned is 0

    @property
    def nothing_spent(self) -> bool:
        """True while money is planned but none spent: the variance is then just the budget still to spend."""
        return self.actual == 0 and self.planned > 0


@dataclass(frozen=True)
class BudgetSummary:
    by_stage: dict[str, Totals]
    by_category: dict[str, Totals]
    total: Totals
    forecast: Decimal


@dataclass(frozen=True)
class SpendPoint:
    """Cumulative planned and actual spend up to and including ``date``."""

    date: date
    planned: Decimal
    actual: Decimal | None


def percent_spent(actual: Decimal, planned: Decimal) -> Decimal | None:
    if planned == 0:
        return None
    return (actual * 100 / planned).quantize(PERCENT_STEP, rounding=ROUND_HALF_UP)


def totals(lines: Iterable[BudgetLine], minor_unit: Decimal = CENT) -> Totals:
    planned = actual = Decimal(0)
    for line in lines:
        planned += quantize_money(line.planned, minor_unit)
        if line.actual is not None:
            actual += quantize_money(line.actual, minor_unit)
    return Totals(planned, actual, actual - planned, percent_spent(actual, planned))


def _ordered_keys(present: set[str], known: Iterable[str]) -> list[str]:
    """Known keys in their canonical order, then any unknown ones sorted (money is never dropped)."""
    ordered = [key for key in known if key in present]
    return ordered + sorted(present - set(ordered))


def totals_by_stage(lines: Sequence[BudgetLine], minor_unit: Decimal = CENT) -> dict[str, Totals]:
    """Totals per stage that has lines, in pathway order."""
    keys = _ordered_keys({line.stage for line in lines}, STAGES)
    return {key: totals((line for line in lines if line.stage == key), minor_unit) for key in keys}


def totals_by_category(lines: Sequence[BudgetLine], minor_unit: Decimal = CENT) -> dict[str, Totals]:
    """Totals per category that has lines, in the order of :data:`CATEGORIES`."""
    keys = _ordered_keys({line.category for line in lines}, CATEGORIES)
    return {key: totals((line for line in lines if line.category == key), minor_unit) for key in keys}


def line_forecast(line: BudgetLine, minor_unit: Decimal = CENT) -> Decimal:
    planned = quantize_money(line.planned, minor_unit)
    if line.actual is None:
        return planned
    return max(quantize_money(line.actual, minor_unit), planned)


def forecast_at_completion(lines: Iterable[BudgetLine], minor_unit: Decimal = CENT) -> Decimal:
    """Actual so far plus planned remaining (see the module docstring for partly spent lines)."""
    return sum((line_forecast(line, minor_unit) for line in lines), Decimal(0))


def summarise(lines: Sequence[BudgetLine], minor_unit: Decimal = CENT) -> BudgetSummary:
    return BudgetSummary(
        by_stage=totals_by_stage(lines, minor_unit),
        by_category=totals_by_category(lines, minor_unit),
        total=totals(lines, minor_unit),
        forecast=forecast_at_completion(lines, minor_unit),
    )


def is_overspent(
    line: BudgetLine, threshold: Decimal = DEFAULT_OVERSPEND_THRESHOLD, minor_unit: Decimal = CENT
) -> bool:
    """True when the actual exceeds the planned amount by *more than* ``threshold`` (a fraction)."""
    if threshold < 0:
        raise ValueError(f"The overspend threshold cannot be negative (got {threshold}).")
    if line.actual is None:
        return False
    planned = quantize_money(line.planned, minor_unit)
    return quantize_money(line.actual, minor_unit) > planned * (1 + threshold)


def overspent_lines(
    lines: Iterable[BudgetLine], threshold: Decimal = DEFAULT_OVERSPEND_THRESHOLD, minor_unit: Decimal = CENT
) -> list[BudgetLine]:
    return [line for line in lines if is_overspent(line, threshold, minor_unit)]


def cumulative_spend(lines: Iterable[BudgetLine], minor_unit: Decimal = CENT) -> list[SpendPoint]:
    """The S-curve: one point per date that has a line, cumulative planned and actual, in date order."""
    planned_on: defaultdict[date, Decimal] = defaultdict(Decimal)
    actual_on: defaultdict[date, Decimal] = defaultdict(Decimal)
    for line in lines:
        if line.date is None:
            continue
        planned_on[line.date] += quantize_money(line.planned, minor_unit)
        if line.actual is not None:
            actual_on[line.date] += quantize_money(line.actual, minor_unit)
    last_actual = max(actual_on, default=None)
    points: list[SpendPoint] = []
    planned = actual = Decimal(0)
    for day in sorted(planned_on):
        planned += planned_on[day]
        actual += actual_on.get(day, Decimal(0))
        shown = actual if last_actual is not None and day <= last_actual else None
        points.append(SpendPoint(day, planned, shown))
    return points


@dataclass(frozen=True)
class Undated:
    """The lines without a date, which the S-curve cannot place: how many and what they plan."""

    count: int
    planned: Decimal


def undated(lines: Iterable[BudgetLine], minor_unit: Decimal = CENT) -> Undated:
    left_out = [line for line in lines if line.date is None]
    return Undated(len(left_out), totals(left_out, minor_unit).planned)


def line_order_key(line: BudgetLine) -> tuple[int, str, bool, date, int]:
    """Sort key of a line (see the module docstring): stage, undated first, date, then ``line_id``."""
    stages = list(STAGES)
    rank = stages.index(line.stage) if line.stage in STAGES else len(stages)
    dated = line.date is not None
    return (rank, line.stage, dated, line.date or date.min, line.line_id or 0)


def in_line_order(lines: Iterable[BudgetLine]) -> list[BudgetLine]:
    return sorted(lines, key=line_order_key)


# Validation: each helper returns a message for the field, or None when the value is acceptable.


def parse_amount(text: str) -> Decimal:
    """Parse a plain decimal number such as ``1200.50``; ValueError with a message the form can show."""
    cleaned = text.strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise ValueError(_("%(value)s is not a number; enter digits such as 1200.50.", value=repr(cleaned)))
    return amount


def amount_error(amount: Decimal | None, label: str = _l("Amount"), required: bool = True) -> str | None:
    """Why ``amount`` cannot be saved in the field called ``label`` (the field's label as shown), or None."""
    if amount is None:
        return _("%(field)s is required.", field=label) if required else None
    if not amount.is_finite():
        return _("%(field)s must be a number.", field=label)
    if amount < 0:
        return _("%(field)s cannot be negative (got %(amount)s).", field=label, amount=amount)
    return None


def category_error(category: str) -> str | None:
    if category in CATEGORIES:
        return None
    return _(
        "Unknown category %(value)s; choose one of: %(choices)s.",
        value=repr(category),
        choices=", ".join(CATEGORIES),
    )


def stage_error(stage: str) -> str | None:
    if stage in STAGES:
        return None
    return _(
        "Unknown stage %(value)s; choose one of: %(choices)s.", value=repr(stage), choices=", ".join(STAGES)
    )


def date_error(when: date | None, start: date | None, end: date | None) -> str | None:
    """A date more than a year before the project starts or four years after its target date is refused."""
    if when is None:
        return None
    if start is not None and when < start - DATE_SLACK_BEFORE:
        return _(
            "%(day)s is more than a year before the project starts (%(start)s).",
            day=when.isoformat(),
            start=start.isoformat(),
        )
    if end is not None and when > end + DATE_SLACK_AFTER:
        return _(
            "%(day)s is more than four years after the project's target date (%(end)s); check the year.",
            day=when.isoformat(),
            end=end.isoformat(),
        )
    return None


def validate_line(line: BudgetLine, start: date | None = None, end: date | None = None) -> dict[str, str]:
    """Field name -> message for every problem with ``line``; empty when the line may be saved."""
    checks = {
        "stage": stage_error(line.stage),
        "category": category_error(line.category),
        "planned": amount_error(line.planned, _l("Planned amount")),
        "actual": amount_error(line.actual, _l("Actual amount"), required=False),
        "date": date_error(line.date, start, end),
    }
    return {field: message for field, message in checks.items() if message is not None}
