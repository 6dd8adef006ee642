"""What every chart shares: colours, a small template, the chart and table values, text and marks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Unpack

from app.charts.figures import Figure, LayoutProps, Marks, Trace, figure_json
from app.domain.budget import CENT
from app.domain.money import format_amount
from app.i18n import format_day

READINESS_TARGET = 100  # every applicable requirement met: what the certification audit expects
MS_PER_DAY = 86_400_000

BRAND = "#1f5f5b"
PLANNED = "#9bb8b5"
OVERDUE = "#dc3545"
DONE = "#198754"
IN_PROGRESS = "#0d6efd"
NOT_STARTED = "#adb5bd"
COVERAGE = "#0d6efd"
MUTED = "#6c757d"

# A small template of our own: plotly's default one adds ~10 kB of JSON to every figure. Every figure's layout
# carries this one dict as its "template", as plotly.py sent it: plotly.js applies it under the figure's own
# layout, and plotly.py draws a figure made from the dict with it (not with plotly's default template).
TEMPLATE: dict[str, Any] = {
    "layout": {
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12},
        "colorway": [BRAND, PLANNED, COVERAGE, OVERDUE],
        "paper_bgcolor": "#fff",
        "plot_bgcolor": "#fff",
        # No zooming or panning: a finger scrolling the page on a phone must not get caught by a chart.
        "dragmode": False,
        "xaxis": {"gridcolor": "#e9ecef", "automargin": True, "fixedrange": True},
        "yaxis": {"gridcolor": "#e9ecef", "automargin": True, "zerolinecolor": "#ced4da", "fixedrange": True},
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "margin": {"l": 8, "r": 8, "t": 36, "b": 8},
        "hovermode": "closest",
    }
}


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]  # per column: right-aligned figures


@dataclass(frozen=True)
class Chart:
    key: str  # unique on a page: the element ids derive from it
    title: str
    figure: Figure  # plotly.js's JSON shape, as a dict (app.charts.figures)
    table: Table
    empty: str | None = None  # said instead of drawing when there is nothing to show
    note: str | None = None  # said under the chart: what it leaves out, and why

    def figure_json(self) -> str:
        return figure_json(self.figure)


def percent_text(value: int | Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def money_text(amount: Decimal | None, minor_unit: Decimal = CENT) -> str:
    """1,234,500 for VND (minor unit 1), 1,234.50 for USD; a dash for no amount."""
    return "—" if amount is None else format_amount(amount, minor_unit)


def date_text(value: date | None) -> str:
    """A day in a table, as the reader's language writes it (02 Dec 2026 in English); a dash for none."""
    return format_day(value)


DATE_FORMAT = "%d %b %Y"
# Under two weeks of data plotly's automatic ticks fall on hours ("23:59:59.999 ... 00:00:00.0005"); ticks
# are then one day apart, and a short span (one day) gets a few days either side.
SHORT_SPAN_DAYS = 14
PAD_DAYS = 3


def date_axis(days: Iterable[date | None]) -> dict[str, Any]:
    """A date x axis that labels days, never times of day, however few days ``days`` span."""
    axis: dict[str, Any] = {"type": "date", "tickformat": DATE_FORMAT, "hoverformat": DATE_FORMAT}
    known = sorted(day for day in days if day is not None)
    if known and (known[-1] - known[0]).days < SHORT_SPAN_DAYS:
        axis["dtick"] = MS_PER_DAY
        if (known[-1] - known[0]).days < 2 * PAD_DAYS:
            pad = timedelta(days=PAD_DAYS)
            axis["range"] = [(known[0] - pad).isoformat(), (known[-1] + pad).isoformat()]
    return axis


def figure(traces: Sequence[Trace], height: int, **layout: Unpack[LayoutProps]) -> Figure:
    """The figure of ``traces``, ``height`` pixels high, on the shared template."""
    return {"data": list(traces), "layout": {"template": TEMPLATE, "height": height, **layout}}


def table(columns: Sequence[str], rows: Sequence[Sequence[str]], numeric_from: int = 1) -> Table:
    """A table whose columns from ``numeric_from`` on hold figures (right-aligned)."""
    numeric = tuple(index >= numeric_from for index in range(len(columns)))
    return Table(tuple(columns), tuple(tuple(row) for row in rows), numeric)


def day_mark(day: date, label: str = "", colour: str = OVERDUE) -> Marks:
    """Layout shapes and annotations for a dotted vertical line on ``day`` (a date x axis), labelled."""
    line = {
        "type": "line", "xref": "x", "x0": day.isoformat(), "x1": day.isoformat(),
        "yref": "paper", "y0": 0, "y1": 1, "line": {"color": colour, "width": 2, "dash": "dot"},
    }  # fmt: skip
    text = {
        "xref": "x", "x": day.isoformat(), "yref": "paper", "y": 1, "yanchor": "bottom",
        "text": label, "showarrow": False, "font": {"color": colour},
    }  # fmt: skip
    return {"shapes": [line], "annotations": [text] if label else []}


def level_mark(value: float, label: str, colour: str = MUTED) -> Marks:
    """Layout shapes and annotations for a dashed horizontal line at ``value`` across the plot, labelled."""
    line = {
        "type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": value, "y1": value,
        "line": {"color": colour, "dash": "dash", "width": 2},
    }  # fmt: skip
    text = {
        "xref": "paper", "x": 1, "xanchor": "right", "yref": "y", "y": value, "yanchor": "bottom",
        "text": label, "showarrow": False, "font": {"color": colour},
    }  # fmt: skip
    return {"shapes": [line], "annotations": [text]}
