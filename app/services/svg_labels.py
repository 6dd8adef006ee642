"""A matplotlib figure as SVG without its text, and its text as :class:`Label` (app.services.svg_charts).

matplotlib lays out every line of a chart's text; :func:`print_svg` writes the figure as
:meth:`FigureCanvasSVG.print_svg` does, with a renderer that keeps each line (its text, place, angle, size,
colour and weight) instead of writing it. The report sets the lines as HTML over the image, where Pango shapes
them whole: WeasyPrint's SVG renderer lays out text a letter at a time (a Thai mark then stands alone).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

# How many measures of a line of text (its text and font) and of a font's heights a worker keeps: a report's
# charts measure about a hundred lines, most of them the same in every report (percentages, months, axis
# titles). The font files do not change while the app runs, so neither does a measure.
MEASURES_KEPT = 4096

# Where the middle of an HTML line box of line-height 1 lies above its baseline, in ems, in Noto Sans
# (ascender 1.069, descender 0.293: the baseline sits 0.888 em below the box's top)
BOX_MIDDLE_EMS = 0.388


@dataclass(frozen=True)
class Label:
    """A line of a chart's text, to set over its image: its middle ``left`` and ``top`` points from the
    image's top left corner, turned ``rotation`` degrees clockwise (CSS's sense), ``size`` points high and
    ``width`` points wide (as matplotlib measured it)."""

    text: str
    left: float
    top: float
    rotation: float
    size: float
    colour: str
    bold: bool
    width: float = 0.0

    @property
    def box(self) -> tuple[float, float, float, float]:
        """The HTML box the label is set in, centred on its middle: left, top, width and height in points.

        Its size is given, so WeasyPrint need not fit a box to each label's text and then move it by half
        its size (``translate(-50%, -50%)``), which took the fullest demo report some 7% of its time; the
        page prints the same. The text is centred in it, with a line-height of 1, and the box is wider than
        matplotlib's measure by the size on each side, so Pango's own measure of the line still fits. A
        turned label turns about the same middle."""
        width = round(self.width + 2 * self.size, 2)
        return round(self.left - width / 2, 2), round(self.top - self.size / 2, 2), width, self.size


def print_svg(figure: Any) -> tuple[str, list[Label]]:
    """What :meth:`FigureCanvasSVG.print_svg` writes, with :class:`_LabelRecorder` in place of its
    renderer: the SVG without its text, and the text's labels."""
    from matplotlib.backends.backend_mixed import MixedModeRenderer

    out = io.StringIO()
    figure.dpi = 72  # as print_svg does: the SVG's units are points
    width, height = figure.get_size_inches()
    recorder = _recorder()(
        width * 72, height * 72, out, image_dpi=72, metadata={"Date": None, "Creator": None}
    )
    renderer = MixedModeRenderer(figure, width, height, 72, recorder)
    figure.draw(renderer)
    renderer.finalize()
    return as_attributes(out.getvalue()), recorder.labels


# matplotlib's SVG: a stylesheet of one rule for every element, and each element's style as a ``style``
# attribute. WeasyPrint's SVG renderer matched the rule and parsed each ``style`` with its CSS parser,
# node by node: 6% of the fullest demo report's instructions.
EVERY_ELEMENT_RULE = re.compile(r'\s*<defs>\s*<style type="text/css">\*\{([^{}]*)\}</style>\s*</defs>')
STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')
DECLARATION = re.compile(r"\s*([a-z-]+)\s*:\s*([^;]*?)\s*(?:;|$)")


def as_attributes(svg: str) -> str:
    """The same drawing with each ``style`` declaration as the presentation attribute of the same name,
    and the rule for every element as attributes of the root, which each element then inherits unless
    it sets its own (as its ``style`` overrode the rule); an SVG of another shape is returned as it is."""
    rule = EVERY_ELEMENT_RULE.search(svg)
    root = svg.find("<svg ")
    if rule is None or root < 0:
        return svg
    svg = svg[: rule.start()] + svg[rule.end() :]
    svg = svg[: root + 4] + _attributes(rule.group(1)) + svg[root + 4 :]
    return STYLE_ATTRIBUTE.sub(lambda style: _attributes(style.group(1)), svg)


def _attributes(declarations: str) -> str:
    return "".join(f' {name}="{value}"' for name, value in DECLARATION.findall(declarations))


@cache
def _recorder() -> type:
    from matplotlib.backends.backend_svg import RendererSVG
    from matplotlib.colors import to_hex

    class _LabelRecorder(RendererSVG):  # type: ignore[misc]
        """matplotlib's SVG renderer, keeping each line of text as a :class:`Label` instead of writing it.

        matplotlib hands it the line's baseline start, already aligned and turned (``x`` from the left,
        ``y`` from the top, in points); the label's middle is half its width along the baseline and
        ``BOX_MIDDLE_EMS`` above it, where the HTML box of the same text has its middle.

        It writes no group for each artist either: matplotlib names one ``<g id="xtick_1">`` (and so on)
        around each, with nothing else on it, so it draws nothing. Those were half the elements WeasyPrint
        walked; without them the fullest demo report draws the same, page for page (poppler at 100 dpi),
        with 16% less HTML, and 3% less time (about the host's noise)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.labels: list[Label] = []

        def get_text_width_height_descent(self, s: str, prop: Any, ismath: Any) -> tuple[float, float, float]:
            """matplotlib's measure of the line ``s`` in the font ``prop``, measured once per worker: each
            line was measured twice per chart (laid out, then drawn), by a lookup of each of the report's
            five font families and FreeType's layout of the line (14% of the charts' instructions)."""
            measure = super().get_text_width_height_descent
            return _kept(_MEASURES, (s, ismath, _font_key(prop)), lambda: measure(s, prop, ismath))

        def _get_font_height_metrics(self, prop: Any) -> tuple[float | None, float | None, float | None]:
            """A font's ascent, descent and line gap, which :meth:`matplotlib.text.Text._get_layout` asks a
            renderer for when it can tell them (``hasattr``), and otherwise reads from the font's tables
            for each line of text: the same figures (:func:`_font_heights`), read once per font."""
            return _kept(_HEIGHTS, _font_key(prop), lambda: _font_heights(prop))

        def open_group(self, s: str, gid: str | None = None) -> None:
            pass

        def close_group(self, s: str) -> None:
            pass

        def draw_text(
            self,
            gc: Any,
            x: float,
            y: float,
            s: str,
            prop: Any,
            angle: float,
            ismath: Any = False,
            mtext: Any = None,
        ) -> None:
            if not s.strip():
                return
            size = prop.get_size_in_points()
            width, _, _ = self.get_text_width_height_descent(s, prop, ismath)
            turn = math.radians(angle)
            along, up = (math.cos(turn), -math.sin(turn)), (-math.sin(turn), -math.cos(turn))
            rise = BOX_MIDDLE_EMS * size
            weight = prop.get_weight()
            bold = weight in ("bold", "heavy", "black") or (isinstance(weight, int) and weight >= 600)
            self.labels.append(
                Label(
                    text=s,
                    left=round(float(x + along[0] * width / 2 + up[0] * rise), 2),
                    top=round(float(y + along[1] * width / 2 + up[1] * rise), 2),
                    rotation=round(float(-angle), 2) + 0.0,  # + 0.0: no -0.0
                    size=round(float(size), 2),
                    colour=to_hex(gc.get_rgb()),
                    bold=bold,
                    width=round(float(width), 2),
                )
            )

    return _LabelRecorder


_MEASURES: dict[tuple[Any, ...], tuple[float, float, float]] = {}
_HEIGHTS: dict[tuple[Any, ...], tuple[float | None, float | None, float | None]] = {}


def forget_measures() -> None:
    """Forget every measure kept: the next chart measures its text as a worker's first does (bench)."""
    _MEASURES.clear()
    _HEIGHTS.clear()


def _kept(kept: dict[Any, Any], key: Any, compute: Callable[[], Any]) -> Any:
    """``kept[key]``, computed and kept the first time it is asked for."""
    if key in kept:
        return kept[key]
    if len(kept) >= MEASURES_KEPT:
        kept.clear()  # a worker that met this many lines starts again, rather than grow
    value = kept[key] = compute()
    return value


def _font_key(prop: Any) -> tuple[Any, ...]:
    """What a :class:`FontProperties` measures by (as its own ``__hash__`` reads it), as a value: the
    object itself can change after it is measured."""
    return (
        tuple(prop.get_family()),
        prop.get_style(),
        prop.get_variant(),
        prop.get_weight(),
        prop.get_stretch(),
        prop.get_size_in_points(),
        prop.get_file(),
    )


def _font_heights(prop: Any) -> tuple[float | None, float | None, float | None]:
    """The ascent, descent and line gap ``matplotlib.text.Text._get_layout`` reads from the font of
    ``prop`` at 72 dpi (the SVG's points): from its OS/2 table, else its hhea table; None for each when
    neither is there, so matplotlib measures the font instead."""
    from matplotlib.font_manager import fontManager, get_font

    font = get_font(fontManager._find_fonts_by_props(prop))
    for table_name, gap, ascent, descent in (
        ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
        ("hhea", "lineGap", "ascent", "descent"),
    ):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        scale = prop.get_size_in_points() / font.get_sfnt_table("head")["unitsPerEm"]
        return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
    return None, None, None
