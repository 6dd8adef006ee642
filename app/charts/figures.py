"""Figures as the plain dicts plotly.js draws: ``{"data": [trace, ...], "layout": {...}}``.

plotly.py's ``go.Figure`` validated every property and deep-copied and re-validated the shared template for
each figure (about 1.9 ms a figure, 64% of the charts page); a dict costs next to nothing and is encoded
once, when the page is rendered. Nothing is checked here at request time: the trace helpers are typed
(mypy catches a misspelt property), and the tests pass each chart's dict to ``plotly.graph_objects.Figure``,
which refuses any property or value plotly.js would not understand. The dicts stay valid plotly JSON, so
plotly.py can still draw them (to SVG, for a PDF).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Literal, TypedDict, Unpack

Trace = dict[str, Any]  # one trace as plotly.js reads it: {"type": "bar", "x": [...], ...}


class Figure(TypedDict):
    data: list[Trace]
    layout: dict[str, Any]


class _TraceProps(TypedDict, total=False):
    """What every kind of trace here may set (plotly.js's names: plotly.com/javascript/reference)."""

    name: str
    x: Sequence[Any]  # values; days as ISO strings ("2026-05-20"), never date objects
    y: Sequence[Any]
    text: Sequence[Any]
    customdata: Sequence[Any]
    hovertemplate: str
    marker: dict[str, Any]


class BarProps(_TraceProps, total=False):
    orientation: Literal["h", "v"]
    base: Sequence[str | None]  # where each bar starts (a Gantt bar: its first day)
    offsetgroup: str
    textposition: str | Sequence[str]
    cliponaxis: bool


class ScatterProps(_TraceProps, total=False):
    mode: str
    line: dict[str, Any]


class HeatmapProps(_TraceProps, total=False):
    z: Sequence[Sequence[float]]
    texttemplate: str
    textfont: dict[str, Any]
    colorscale: Sequence[Sequence[float | str]]
    zmin: float
    zmax: float
    showscale: bool
    xgap: int
    ygap: int


def bar(**props: Unpack[BarProps]) -> Trace:
    return {"type": "bar", **props}


def scatter(**props: Unpack[ScatterProps]) -> Trace:
    return {"type": "scatter", **props}


def heatmap(**props: Unpack[HeatmapProps]) -> Trace:
    return {"type": "heatmap", **props}


class Marks(TypedDict, total=False):
    """Lines and their labels drawn over a plot (a day, a target)."""

    shapes: list[dict[str, Any]]
    annotations: list[dict[str, Any]]


class LayoutProps(Marks, total=False):
    xaxis: dict[str, Any]
    yaxis: dict[str, Any]
    showlegend: bool
    barmode: Literal["group", "stack", "overlay", "relative"]


def figure_json(drawn: Figure) -> str:
    """Compact JSON; characters outside ASCII stay as they are (the page is UTF-8), and the template's
    escaping of the attribute it goes in makes ``<``, ``&`` and quotes safe."""
    return json.dumps(drawn, separators=(",", ":"), ensure_ascii=False)
