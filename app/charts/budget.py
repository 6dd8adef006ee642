"""Budget charts: planned against actual by stage and by category, and cumulative spend (the S-curve)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from app.charts.base import (
    BRAND,
    PLANNED,
    Chart,
    date_axis,
    date_text,
    day_mark,
    figure,
    money_text,
    percent_text,
    table,
)
from app.charts.figures import Marks, bar, scatter
from app.domain.budget import CATEGORIES, CENT, STAGES, SpendPoint, Totals, Undated


def _planned_actual(
    key: str,
    title: str,
    totals: Mapping[str, Totals],
    labels: tuple[str, Mapping[str, str]],
    currency: str,
    minor_unit: Decimal,
) -> Chart:
    """Grouped horizontal bars, so long names ("Documentation and translation") read on a phone too."""
    heading, names = labels
    shown = [names.get(k, k) for k in totals]
    bars = [
        bar(
            name=name,
            orientation="h",
            y=shown,
            x=[float(getattr(t, attribute)) for t in totals.values()],
            marker={"color": colour},
            hovertemplate=f"%{{y}}, {name.lower()}: %{{x:,}} {currency}<extra></extra>",
        )
        for name, attribute, colour in (("Planned", "planned", PLANNED), ("Actual", "actual", BRAND))
    ]
    drawn = figure(
        bars,
        90 + 48 * len(shown),
        barmode="group",
        xaxis={"title": {"text": currency}, "rangemode": "tozero"},
        yaxis={"type": "category", "autorange": "reversed"},
    )
    rows = [
        (
            names.get(k, k),
            money_text(t.planned, minor_unit),
            money_text(t.actual, minor_unit),
            "nothing spent yet" if t.nothing_spent else money_text(t.variance, minor_unit),
            percent_text(t.percent_spent),
        )
        for k, t in totals.items()
    ]
    columns = (heading, f"Planned ({currency})", f"Actual ({currency})", "Variance", "Spent")
    return Chart(key, title, drawn, table(columns, rows), None if totals else "No budget lines yet.")


def budget_by_stage(totals: Mapping[str, Totals], currency: str, minor_unit: Decimal = CENT) -> Chart:
    """Planned against actual per stage, in pathway order as the roll-up gives them."""
    return _planned_actual(
        "budget-by-stage", "Budget by stage", totals, ("Stage", STAGES), currency, minor_unit
    )


def budget_by_category(totals: Mapping[str, Totals], currency: str, minor_unit: Decimal = CENT) -> Chart:
    """Planned against actual per category, in the order of the category list."""
    return _planned_actual(
        "budget-by-category", "Budget by category", totals, ("Category", CATEGORIES), currency, minor_unit
    )


def undated_note(left_out: Undated | None, currency: str, minor_unit: Decimal = CENT) -> str | None:
    """What the S-curve leaves out, said under it, so its planned total is not mistaken for the budget's."""
    if left_out is None or left_out.count == 0:
        return None
    one = left_out.count == 1
    lines, verb, them = ("1 line", "is", "it") if one else (f"{left_out.count} lines", "are", "them")
    planned = f"{money_text(left_out.planned, minor_unit)} {currency} planned"
    return (
        f"{lines} without a date ({planned}) {verb} not on this chart: give {them} a date to include {them}."
    )


def spend_curve(
    points: Sequence[SpendPoint],
    currency: str,
    minor_unit: Decimal = CENT,
    today: date | None = None,
    undated: Undated | None = None,
) -> Chart:
    """The S-curve: cumulative planned and actual spend by date (actual stops at the last known spend);
    ``undated`` (the lines it cannot place) is said in a note under it."""
    days = [p.date for p in points]
    lines = [
        scatter(
            name=f"{name} (cumulative)",
            x=[day.isoformat() for day in days],
            y=values,
            mode="lines+markers",
            line={"color": colour, "width": 3, "shape": "hv"},
            hovertemplate=f"%{{x|%d %b %Y}}: {name.lower()} %{{y:,}} {currency}<extra></extra>",
        )
        for name, values, colour in (
            ("Planned", [float(p.planned) for p in points], PLANNED),
            ("Actual", [None if p.actual is None else float(p.actual) for p in points], BRAND),
        )
    ]
    marks: Marks = day_mark(today, "Today") if today is not None and points else {}
    drawn = figure(
        lines,
        320,
        xaxis=date_axis([*days, today] if points else days),
        yaxis={"title": {"text": currency}, "rangemode": "tozero"},
        **marks,
    )
    rows = [
        (date_text(p.date), money_text(p.planned, minor_unit), money_text(p.actual, minor_unit))
        for p in points
    ]
    columns = ("Date", f"Planned to date ({currency})", f"Spent to date ({currency})")
    empty = None if points else "No dated budget lines yet."
    note = undated_note(undated, currency, minor_unit)
    return Chart("spend-curve", "Cumulative spend against plan", drawn, table(columns, rows), empty, note)
