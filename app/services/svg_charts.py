"""The charts page's figures drawn for the PDF report: vector graphics as SVG, their words as HTML.

The charts page sends each :class:`app.charts.Chart`'s figure (plotly.js's JSON, built from domain values
by :mod:`app.charts`) to the browser. A PDF has no browser, and plotly's own export (kaleido) needs
Chrome, so :func:`chart_drawing` draws the same figure dict with matplotlib's SVG backend: the same traces,
colours, axes, target and "today" marks, so a chart added to :mod:`app.charts` reaches the report without
code of its own. Only what :mod:`app.charts` uses is read: vertical and horizontal bars (grouped, and
Gantt bars from a ``base`` day on a date axis), lines and markers (dashes, steps, gaps), category and date
axes, ranges and suffixes, and line marks with their labels. A trace of another kind raises
:class:`Unsupported`, and the report then shows the chart's table alone.

The words of a chart (tick labels, axis titles, legend, bar values, the marks' labels) are not in the SVG:
matplotlib lays them out, and :mod:`app.services.svg_labels` keeps each line's text, place, angle, size
and colour as a :class:`Label`, which the report sets as HTML over the image. WeasyPrint's SVG renderer
lays out text one letter at a time, so a Thai tone or vowel mark came out alone over a dotted circle
(ความพร◌้อม); as HTML, a label is shaped whole by Pango in the report's fonts, and it can be searched and
copied. Nothing here queries; :mod:`matplotlib` is imported on first use (about 0.3 s).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.charts import Chart
from app.domain.text import grouped
from app.services import svg_labels
from app.services.svg_labels import Label

WIDTH_INCHES = 7.0  # the report's charts are this wide (static/css/report.css: .chart), labels in points
PIXELS_PER_INCH = 110  # plotly's heights are in CSS pixels, on a page some 700 pixels wide
# The report's fonts (static/css/report.css), so matplotlib measures and places each label as the PDF sets it
FONT = ["Noto Sans", "Noto Sans Thai", "Noto Sans CJK SC", "DejaVu Sans", "sans-serif"]
ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DASHES = {"dash": (0, (5, 3)), "dot": (0, (1, 2)), "dashdot": (0, (5, 2, 1, 2))}
MARKERS = {
    "circle": "o",
    "square": "s",
    "diamond": "D",
    "triangle-up": "^",
    "x": "x",
    "cross": "+",
    "star": "*",
    "hexagon": "h",
}
STYLE = {
    "svg.fonttype": "none",  # no glyph outlines: the recorder takes every text before it is written
    "text.parse_math": False,  # client data as written: "$5 to $6" is not TeX (it raised, a 500)
    "svg.hashsalt": "readiness",  # the same ids each time: the same chart gives the same SVG
    "font.family": FONT,
    "font.size": 8,
    "axes.edgecolor": "#ced4da",
    "axes.grid": True,
    "grid.color": "#e9ecef",
    "axes.axisbelow": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    # No tick marks, as plotly.js draws none by default (the charts page); their labels stay. Each mark was
    # a <use> of a path that WeasyPrint's SVG renderer copied and drew: 3% of the fullest demo report.
    "xtick.bottom": False,
    "ytick.left": False,
}


class Unsupported(ValueError):
    """A figure holds a trace or axis this module does not draw."""


@dataclass(frozen=True)
class Drawing:
    """A chart as an SVG document with no text (a string starting ``<svg``), ``width`` by ``height``
    points, and the labels to set over it."""

    svg: str
    width: float
    height: float
    labels: tuple[Label, ...]


def chart_drawing(chart: Chart, months: Sequence[str] = ENGLISH_MONTHS) -> Drawing:
    """The chart's figure, ``WIDTH_INCHES`` wide: its graphics as SVG, its words as :class:`Label`; a date
    axis names the months ``months`` (January first), as the charts page's plotly.js does in the reader's
    language (:func:`app.i18n.month_abbreviations`)."""
    import matplotlib  # on first use: the app's other pages never pay for it
    from matplotlib.figure import Figure

    layout = chart.figure["layout"]
    height = max(float(layout.get("height", 320)) / PIXELS_PER_INCH, 1.6)
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(WIDTH_INCHES, height))
        axes = figure.add_subplot()
        _draw(axes, chart.figure["data"], layout, months)
        _margins(figure, axes, layout, height)
        svg, labels = svg_labels.print_svg(figure)
    return Drawing(svg[svg.index("<svg") :], WIDTH_INCHES * 72, round(height * 72, 2), tuple(labels))


def _draw(axes: Any, traces: Sequence[dict[str, Any]], layout: dict[str, Any], months: Sequence[str]) -> None:
    xaxis, yaxis = layout.get("xaxis", {}), layout.get("yaxis", {})
    dates = xaxis.get("type") == "date"
    bars = [t for t in traces if t["type"] == "bar"]
    for trace in traces:
        if trace["type"] not in ("bar", "scatter"):
            raise Unsupported(f"no drawing for a {trace['type']} trace")
    if bars:
        _bars(axes, bars, layout.get("barmode") == "group", dates)
    for trace in traces:
        if trace["type"] == "scatter":
            _scatter(axes, trace, dates)
    _axis(axes, "x", xaxis, months)
    _axis(axes, "y", yaxis, months)
    _marks(axes, layout, dates)
    named = [t for t in traces if t.get("name")]
    if layout.get("showlegend", len(named) > 1) and named:
        axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=4, frameon=False, fontsize=7)


CHAR_INCHES = 0.062  # the width of a character of 8 pt Noto Sans, about


def _margins(figure: Any, axes: Any, layout: dict[str, Any], height: float) -> None:
    """Room for the tick labels, titles and legend, estimated from their text: matplotlib's constrained
    layout measures every label and took 40% of the drawing time."""
    labels = [str(label.get_text()) for label in axes.get_yticklabels()]
    left = max((len(label) for label in labels), default=4) * CHAR_INCHES + 0.2
    left += 0.2 if axes.get_ylabel() else 0
    bottom = 0.3 + (0.35 if layout.get("xaxis", {}).get("type") == "date" else 0)
    bottom += 0.2 if axes.get_xlabel() else 0
    top = 0.45 if axes.get_legend() else 0.25
    figure.subplots_adjust(
        left=min(left / WIDTH_INCHES, 0.45), right=0.97, bottom=bottom / height, top=1 - top / height
    )


def _day(value: str) -> date:
    return date.fromisoformat(value[:10])


def _colours(trace: dict[str, Any], count: int) -> list[Any]:
    colour = trace.get("marker", {}).get("color")
    if isinstance(colour, list):
        return colour
    return [colour] * count


def _categories(bars: Sequence[dict[str, Any]], key: str) -> list[Any]:
    seen: dict[Any, None] = {}
    for trace in bars:
        seen.update(dict.fromkeys(trace.get(key, [])))
    return list(seen)


def _bars(axes: Any, bars: Sequence[dict[str, Any]], grouped: bool, dates: bool) -> None:
    horizontal = bars[0].get("orientation") == "h"
    place, size = ("y", "x") if horizontal else ("x", "y")
    categories = _categories(bars, place)
    slot = {name: index for index, name in enumerate(categories)}
    width = 0.8 / (len(bars) if grouped else 1)
    for number, trace in enumerate(bars):
        offset = (number - (len(bars) - 1) / 2) * width if grouped else 0.0
        where = [slot[name] + offset for name in trace.get(place, [])]
        sizes: list[Any] = list(trace.get(size, []))
        starts: list[Any] = [0.0] * len(sizes)
        if trace.get("base") is not None and dates:
            # A Gantt bar: from its first day, ``size`` milliseconds long; a bar without days is not drawn.
            starts = [_day(b) if b else None for b in trace["base"]]
            sizes = [timedelta(milliseconds=s) if s else None for s in sizes]
        kept = [
            i for i, (s, b) in enumerate(zip(sizes, starts, strict=True)) if s is not None and b is not None
        ]
        colours = _colours(trace, len(sizes))
        drawn = (axes.barh if horizontal else axes.bar)(
            [where[i] for i in kept],
            [sizes[i] for i in kept],
            width,
            [starts[i] for i in kept],
            color=[colours[i] for i in kept] if kept else None,
            label=trace.get("name"),
        )
        texts = trace.get("text")
        if texts:
            position = trace.get("textposition")
            inside = position == "inside" or position == ["inside"] * len(texts)
            axes.bar_label(
                drawn,
                labels=[texts[i] for i in kept],
                label_type="center" if inside else "edge",
                padding=0 if inside else 2,
                fontsize=7,
                color="white" if inside else "#212529",
            )
    ticks = range(len(categories))
    if horizontal:
        axes.set_yticks(list(ticks), [str(c) for c in categories])
    else:
        axes.set_xticks(list(ticks), [str(c) for c in categories])


def _scatter(axes: Any, trace: dict[str, Any], dates: bool) -> None:
    xs = [_day(x) for x in trace.get("x", [])] if dates else list(trace.get("x", []))
    ys = [float("nan") if y is None else y for y in trace.get("y", [])]
    line = trace.get("line", {})
    mode = trace.get("mode", "lines+markers")
    marker = MARKERS.get(trace.get("marker", {}).get("symbol", "circle"), "o")
    axes.plot(
        xs,
        ys,
        label=trace.get("name"),
        color=line.get("color"),
        linewidth=float(line.get("width", 2)) * 0.75,
        linestyle=DASHES.get(line.get("dash", ""), "solid") if "lines" in mode else "none",
        marker=marker if "markers" in mode else None,
        markersize=4,
        drawstyle="steps-post" if line.get("shape") == "hv" else "default",
    )


def _axis(axes: Any, which: str, axis: dict[str, Any], months: Sequence[str]) -> None:
    from matplotlib.dates import num2date
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    target = axes.xaxis if which == "x" else axes.yaxis
    title = axis.get("title", {}).get("text")
    if title:
        (axes.set_xlabel if which == "x" else axes.set_ylabel)(title)
    if axis.get("type") == "date":
        shape = axis.get("tickformat", "%d %b %Y")
        target.set_major_formatter(FuncFormatter(lambda value, _: day_text(num2date(value), shape, months)))
        if "range" in axis:
            (axes.set_xlim if which == "x" else axes.set_ylim)(*(_day(d) for d in axis["range"]))
        for label in target.get_ticklabels():
            label.set_rotation(30)
    elif "range" in axis:
        (axes.set_xlim if which == "x" else axes.set_ylim)(*axis["range"])
    elif axis.get("rangemode") == "tozero":
        if which == "x":
            axes.set_xlim(left=0)
        else:
            axes.set_ylim(bottom=0)
    if suffix := axis.get("ticksuffix"):
        target.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}{suffix}"))
    elif axis.get("type") not in ("date", "category"):
        target.set_major_formatter(FuncFormatter(_number))
        target.set_major_locator(MaxNLocator(nbins=5))
    if axis.get("autorange") == "reversed":
        (axes.invert_xaxis if which == "x" else axes.invert_yaxis)()
    if axis.get("type") == "category":
        axes.grid(False, axis=which)


def day_text(day: date, shape: str, months: Sequence[str]) -> str:
    """``day`` written as plotly.js writes a ``tickformat`` (``"%d %b %Y"``): strftime, with ``%b`` the
    month's name from ``months`` rather than the C locale's English."""
    return months[day.month - 1].join(day.strftime(part) for part in shape.split("%b"))


def _number(value: float, _: Any = None) -> str:
    """1,500,000 rather than matplotlib's 1.5 and an "1e6" over the axis."""
    return grouped(value) if value == int(value) or abs(value) >= 100 else grouped(value, 1)


def _position(value: Any, dates: bool) -> Any:
    return _day(value) if dates and isinstance(value, str) else value


def _marks(axes: Any, layout: dict[str, Any], dates: bool) -> None:
    """The figure's line shapes (a day, a target) and their labels."""
    for shape in layout.get("shapes", []):
        style = {
            "color": shape["line"].get("color"),
            "linewidth": float(shape["line"].get("width", 1)),
            "linestyle": DASHES.get(shape["line"].get("dash", ""), "solid"),
        }
        if shape.get("xref") == "x":
            axes.axvline(_position(shape["x0"], dates), **style)
        elif shape.get("yref") == "y":
            axes.axhline(shape["y0"], **style)
    for note in layout.get("annotations", []):
        colour = note.get("font", {}).get("color")
        if note.get("xref") == "x":
            transform = axes.get_xaxis_transform()
            where = (_position(note["x"], dates), note.get("y", 1))
        else:
            transform = axes.get_yaxis_transform()
            where = (note.get("x", 1), note["y"])
        axes.annotate(
            note.get("text", ""),
            where,
            xycoords=transform,
            ha=note.get("xanchor", "center") if note.get("xanchor") != "center" else "center",
            va="bottom",
            color=colour,
            fontsize=7,
            annotation_clip=False,
        )
