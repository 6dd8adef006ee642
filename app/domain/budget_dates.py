"""Dates around a budget: the window a line's date must fall in, and dates for accepted estimate lines.

Rules decided here:

* **Window**: from the earliest of the project's creation day and its stages' planned starts, to the
  latest of its target date and its stages' planned ends. :func:`app.domain.budget.date_error` then
  allows a year of slack before and four after. An end of ``None`` (no target, no plan) checks nothing.
* **Estimate lines**: a line of the certification project itself (cycle year 0) is dated at the planned
  end of its stage, or left undated when that stage has no plan. A surveillance or recertification line
  (cycle year n) is dated n years after the certificate is expected (the target date, or else the external
  audit's planned end), so it lands after the target date; undated when neither is known.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date


def project_window(
    created_on: date | None,
    target: date | None,
    planned_starts: Iterable[date | None] = (),
    planned_ends: Iterable[date | None] = (),
) -> tuple[date | None, date | None]:
    """(start, end) of the project as far as it is known; either may be ``None``."""
    starts = [day for day in (created_on, *planned_starts) if day is not None]
    ends = [day for day in (target, *planned_ends) if day is not None]
    return min(starts, default=None), max(ends, default=None)


def years_after(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a year that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def estimate_line_date(cycle_year: int, stage_end: date | None, certified_on: date | None) -> date | None:
    """When an accepted estimate line is expected to be spent (see the module docstring)."""
    if cycle_year <= 0:
        return stage_end
    if certified_on is None:
        return None
    return years_after(certified_on, cycle_year)
