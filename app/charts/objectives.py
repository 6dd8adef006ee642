"""A quality objective's chart: its measured values over time against the target line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from app.charts.base import BRAND, DONE, OVERDUE, Chart, date_axis, date_text, figure, level_mark, table
from app.charts.figures import scatter
from app.domain.text import _


@dataclass(frozen=True)
class ValuePoint:
    day: date
    value: Decimal
    text: str  # the value as shown, with its unit
    met: bool


def objective_values_chart(
    key: str,
    title: str,
    points: Sequence[ValuePoint],
    target: Decimal,
    target_label: str,
    unit: str = "",
    height: int = 300,
) -> Chart:
    """The measured values as a line, each marker green where the target was met and red where not, over
    a dashed line at the target (``target_label``, e.g. "Target: at least 95 %")."""
    ordered = sorted(points, key=lambda p: p.day)
    values = scatter(
        name=_("Measured"),
        x=[p.day.isoformat() for p in ordered],
        y=[float(p.value) for p in ordered],
        mode="lines+markers",
        line={"color": BRAND, "width": 2},
        marker={"size": 9, "color": [DONE if p.met else OVERDUE for p in ordered]},
        customdata=[[p.text, _("met") if p.met else _("not met")] for p in ordered],
        hovertemplate="%{x|%d %b %Y}: %{customdata[0]} (%{customdata[1]})<extra></extra>",
    )
    low = min([float(target), *(float(p.value) for p in ordered)])
    high = max([float(target), *(float(p.value) for p in ordered)])
    pad = (high - low) * 0.1 or abs(high) * 0.1 or 1
    yaxis: dict[str, Any] = {"range": [low - pad, high + pad]}
    if unit:
        yaxis["title"] = {"text": unit}
    drawn = figure(
        [values],
        height,
        xaxis=date_axis(p.day for p in ordered),
        yaxis=yaxis,
        showlegend=False,
        **level_mark(float(target), target_label),
    )
    rows = [(date_text(p.day), p.text, _("Met") if p.met else _("Not met")) for p in reversed(ordered)]
    empty = None if ordered else _("Nothing measured yet: record a first value to draw the chart.")
    return Chart(key, title, drawn, table((_("Measured on"), _("Value"), _("Target")), rows), empty)
