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
from app.domain.text import _, ngettext


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
    shown = [str(names.get(k, k)) for k in totals]  # plotly's JSON takes a str's own value: the English
    hover = {"name": "%{y}", "amount": "%{x:,}", "currency": currency}
    bars = [
        bar(
            name=name,
            orientation="h",
            y=shown,
            x=[float(getattr(t, attribute)) for t in totals.values()],
            marker={"color": colour},
            hovertemplate=hovertemplate + "<extra></extra>",
        )
        for name, attribute, colour, hovertemplate in (
            (_("Planned"), "planned", PLANNED, _("%(name)s, planned: %(amount)s %(currency)s", **hover)),
            (_("Actual"), "actual", BRAND, _("%(name)s, actual: %(amount)s %(currency)s", **hover)),
        )
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
            str(names.get(k, k)),
            money_text(t.planned, minor_unit),
            money_text(t.actual, minor_unit),
            _("nothing spent yet") if t.nothing_spent else money_text(t.variance, minor_unit),
            percent_text(t.percent_spent),
        )
        for k, t in totals.items()
    ]
    columns = (
        heading,
        _("Planned (%(currency)s)", currency=currency),
        _("Actual (%(currency)s)", currency=currency),
        _("Variance"),
        _("Spent"),
    )
    return Chart(key, title, drawn, table(columns, rows), None if totals else _("No budget lines yet."))


def budget_by_stage(totals: Mapping[str, Totals], currency: str, minor_unit: Decimal = CENT) -> Chart:
    """Planned against actual per stage, in pathway order as the roll-up gives them."""
    return _planned_actual(
        "budget-by-stage", _("Budget by stage"), totals, (_("Stage"), STAGES), currency, minor_unit
    )


def budget_by_category(totals: Mapping[str, Totals], currency: str, minor_unit: Decimal = CENT) -> Chart:
    """Planned against actual per category, in the order of the category list."""
    return _planned_actual(
        "budget-by-category",
        _("Budget by category"),
        totals,
        (_("Category"), CATEGORIES),
        currency,
        minor_unit,
    )


def undated_note(left_out: Undated | None, currency: str, minor_unit: Decimal = CENT) -> str | None:
    """What the S-curve leaves out, said under it, so its planned total is not mistaken for the budget's."""
    if left_out is None or left_out.count == 0:
        return None
    return ngettext(
        "%(num)d line without a date (%(amount)s %(currency)s planned) is not on this chart: "
        "give it a date to include it.",
        "%(num)d lines without a date (%(amount)s %(currency)s planned) are not on this chart: "
        "give them a date to include them.",
        left_out.count,
        amount=money_text(left_out.planned, minor_unit),
        currency=currency,
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
    hover = {"day": "%{x|%d %b %Y}", "amount": "%{y:,}", "currency": currency}
    lines = [
        scatter(
            name=name,
            x=[day.isoformat() for day in days],
            y=values,
            mode="lines+markers",
            line={"color": colour, "width": 3, "shape": "hv"},
            hovertemplate=hovertemplate + "<extra></extra>",
        )
        for name, values, colour, hovertemplate in (
            (_("Planned (cumulative)"), [float(p.planned) for p in points], PLANNED,
             _("%(day)s: planned %(amount)s %(currency)s", **hover)),
            (_("Actual (cumulative)"), [None if p.actual is None else float(p.actual) for p in points], BRAND,
             _("%(day)s: actual %(amount)s %(currency)s", **hover)),
        )
    ]  # fmt: skip
    marks: Marks = day_mark(today, _("Today")) if today is not None and points else {}
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
    columns = (
        _("Date"),
        _("Planned to date (%(currency)s)", currency=currency),
        _("Spent to date (%(currency)s)", currency=currency),
    )
    empty = None if points else _("No dated budget lines yet.")
    note = undated_note(undated, currency, minor_unit)
    return Chart("spend-curve", _("Cumulative spend against plan"), drawn, table(columns, rows), empty, note)
