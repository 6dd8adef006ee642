"""A customer satisfaction measure's chart: its values over time, against its target line when it has one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from app.charts.base import BRAND, DONE, OVERDUE, Chart, date_axis, date_text, figure, level_mark, table
from app.charts.figures import Marks, scatter
from app.domain.text import _


@dataclass(frozen=True)
class SatisfactionPoint:
    day: date  # the period's last day
    value: Decimal
    text: str  # the value as shown, with its unit
    judged: str  # against the target: "Meets the target", "Below target" or "No target"
    met: bool | None  # None: no target


def _colour(met: bool | None) -> str:
    return BRAND if met is None else DONE if met else OVERDUE


def satisfaction_values_chart(
    key: str,
    title: str,
    points: Sequence[SatisfactionPoint],
    target: Decimal | None,
    target_label: str,
    unit: str = "",
    height: int = 300,
) -> Chart:
    """The values as a line (each marker green on or past the target, red short of it), over a dashed line
    at the target (``target_label``, e.g. "Target: at least 90 %") when the measure has one."""
    ordered = sorted(points, key=lambda p: p.day)
    values = scatter(
        name=_("Value"),
        x=[p.day.isoformat() for p in ordered],
        y=[float(p.value) for p in ordered],
        mode="lines+markers",
        line={"color": BRAND, "width": 2},
        marker={"size": 9, "color": [_colour(p.met) for p in ordered]},
        customdata=[[p.text, p.judged] for p in ordered],
        hovertemplate=_(
            "Period to %(day)s: %(value)s (%(judged)s)",
            day="%{x|%d %b %Y}",
            value="%{customdata[0]}",
            judged="%{customdata[1]}",
        )
        + "<extra></extra>",
    )
    levels = [float(p.value) for p in ordered] + ([float(target)] if target is not None else [])
    low, high = min(levels, default=0.0), max(levels, default=1.0)
    pad = (high - low) * 0.1 or abs(high) * 0.1 or 1
    yaxis: dict[str, Any] = {"range": [low - pad, high + pad]}
    if unit:
        yaxis["title"] = {"text": unit}
    marks: Marks = level_mark(float(target), target_label) if target is not None else {}
    drawn = figure(
        [values], height, xaxis=date_axis(p.day for p in ordered), yaxis=yaxis, showlegend=False, **marks
    )
    rows = [(date_text(p.day), p.text, p.judged) for p in reversed(ordered)]
    empty = None if ordered else _("Nothing recorded yet: record a first value to draw the chart.")
    columns = (_("Period ending"), _("Value"), _("Target"))
    return Chart(key, title, drawn, table(columns, rows), empty)
