"""A matplotlib figure as SVG without its text, and its text as :class:`Label` (app.services.svg_charts).

matplotlib lays out every line of a chart's text; :func:`print_svg` writes the figure as
:meth:`FigureCanvasSVG.print_svg` does, with a renderer that keeps each line (its text, place, angle, size,
colour and weight) instead of writing it. The report sets the lines as HTML over the image, where Pango shapes
them whole: WeasyPrint's SVG renderer lays out text a letter at a time (a Thai mark then stands alone).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

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
    return out.getvalue(), recorder.labels


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
