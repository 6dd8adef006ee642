"""The charts page's figures drawn for the PDF report (app.services.svg_charts), from hand-made domain
values: vector SVG with no text in it, its words as labels placed where matplotlib laid them out (whole
lines, turned where the axis turns them), the same bars and marks, and a refusal for a trace kind it does
not draw."""

from __future__ import annotations

import base64
import re
from datetime import date, timedelta
from decimal import Decimal

import pypdfium2
import pytest

from app import charts
from app.charts import Chart, StageBar
from app.charts.figures import heatmap
from app.domain.budget import BudgetLine, cumulative_spend
from app.domain.readiness import Readiness, StageProgress
from app.services import svg_labels
from app.services.pdf import html_to_pdf
from app.services.svg_charts import ENGLISH_MONTHS, Drawing, Unsupported, chart_drawing, day_text
from app.services.svg_labels import Label

TODAY = date(2026, 12, 2)


def texts(drawing: Drawing) -> list[str]:
    return [label.text for label in drawing.labels]


def label(drawing: Drawing, text: str) -> Label:
    (found,) = [label for label in drawing.labels if label.text == text]
    return found


def readiness_drawing() -> Drawing:
    by_section = {"4": Readiness(met=3, partial=2, not_met=1), "5": Readiness(met=4)}
    return chart_drawing(
        charts.readiness_by_section_chart(by_section, {"4": "Context", "5": "Leadership"}, 90)
    )


def test_readiness_bars_keep_their_labels_and_target_as_text():
    drawing = readiness_drawing()
    assert drawing.svg.startswith("<svg")
    assert {"4", "5", "67%", "100%", "Target 90%", "Clause section", "Readiness %"} <= set(texts(drawing))
    assert "<image" not in drawing.svg  # vector only, no raster
    assert "<text" not in drawing.svg  # the words are set over it as HTML, not by WeasyPrint's SVG text


def test_no_group_that_only_names_an_artist():
    # matplotlib wraps each artist in <g id="xtick_1"> and so on: nothing to draw, half of what WeasyPrint
    # walked. The bars and grid are still there, as paths.
    svg = readiness_drawing().svg
    assert 'id="figure_1"' not in svg and 'id="xtick_1"' not in svg
    assert [tag for tag in re.findall(r"<g\b[^>]*>", svg) if re.findall(r"([\w:-]+)=", tag) == ["id"]] == []
    assert svg.count("<path") >= 8


def test_no_tick_marks_as_on_the_charts_page():
    # plotly.js draws an axis's labels and grid but no tick marks; matplotlib drew each as a <use> of a path
    drawing = readiness_drawing()
    assert "<use" not in drawing.svg
    assert {"0%", "20%", "4", "5"} <= set(texts(drawing))  # the ticks' labels stay
    assert drawing.svg.count('fill="none" stroke="#e9ecef"') >= 5  # and the grid lines


def test_labels_sit_where_matplotlib_placed_them():
    drawing = readiness_drawing()
    assert drawing.width == 7.0 * 72  # points, as the report's stylesheet sets the chart's box
    for each in drawing.labels:
        assert 0 <= each.left <= drawing.width and 0 <= each.top <= drawing.height, each
    # the value axis reads upwards (top counts from the image's top), the categories left to right
    assert label(drawing, "80%").top < label(drawing, "40%").top < label(drawing, "0%").top
    assert label(drawing, "4").left < label(drawing, "5").left
    assert label(drawing, "4").top == label(drawing, "5").top > label(drawing, "0%").top
    # the tick labels are right-aligned to the axis: the wider one's middle lies further left
    assert label(drawing, "20%").left < label(drawing, "0%").left
    # a bar's value over the bar's middle, above the axis
    assert label(drawing, "67%").left == label(drawing, "4").left
    assert label(drawing, "67%").top < label(drawing, "4").top
    # the value axis title turns a quarter anticlockwise; the rest reads level
    assert label(drawing, "Readiness %").rotation == -90
    assert label(drawing, "Readiness %").left < label(drawing, "20%").left
    assert {each.rotation for each in drawing.labels if each.text != "Readiness %"} == {0}
    assert label(drawing, "4").size == 8 and label(drawing, "67%").size == 7


def test_a_thai_label_is_one_line_of_text_not_letters():
    # WeasyPrint sets an SVG's text a letter at a time: a Thai tone mark then stood alone over a dotted
    # circle. A label is the whole line, which the report sets as HTML (shaped by Pango).
    title = "ความพร้อม %"
    figure = {
        "data": [{"type": "bar", "x": ["4", "5"], "y": [60, 80], "marker": {"color": "#1f5f5b"}}],
        "layout": {"height": 300, "yaxis": {"title": {"text": title}, "ticksuffix": "%"}},
    }
    drawing = chart_drawing(Chart("th", "Thai", figure, charts.Table((), (), ())))  # type: ignore[arg-type]
    assert label(drawing, title).rotation == -90
    assert not any(each.text in title for each in drawing.labels if each.text != title)


def test_a_gantt_chart_draws_dated_bars_and_marks_today():
    progress = StageProgress(1, 2, 1, 4)
    stages = [
        StageBar("gap_analysis", "Gap analysis", "done", progress, TODAY - timedelta(days=60),
                 TODAY - timedelta(days=30), TODAY - timedelta(days=58), TODAY - timedelta(days=31), False),
        StageBar("documentation", "Documentation", "in_progress", progress, TODAY - timedelta(days=29),
                 TODAY - timedelta(days=5), TODAY - timedelta(days=28), None, True),
    ]  # fmt: skip
    drawing = chart_drawing(charts.stage_timeline(stages, TODAY))
    shown = texts(drawing)
    assert {"Gap analysis", "Documentation", "Today", "Planned", "Actual"} <= set(shown)
    dated = [each for each in drawing.labels if each.text.endswith("2026")]  # as the page's "%d %b %Y"
    assert dated and {each.rotation for each in dated} == {-30}  # turned as matplotlib turns them


def test_dollar_signs_are_text_not_tex():
    # matplotlib reads text between two "$" as TeX: "$5 to $6" raised, and the report was a 500
    figure = {
        "data": [{"type": "bar", "x": ["Sales $5 to $6", "B"], "y": [1, 2], "marker": {"color": "#1f5f5b"}}],
        "layout": {"height": 300, "xaxis": {"type": "category", "title": {"text": "Cost $x^$"}}},
    }
    drawing = chart_drawing(Chart("usd", "USD", figure, charts.Table((), (), ())))  # type: ignore[arg-type]
    assert {"Sales $5 to $6", "Cost $x^$"} <= set(texts(drawing))


def test_date_ticks_name_the_months_given():
    start, end = TODAY - timedelta(days=90), TODAY - timedelta(days=30)
    stages = [
        StageBar(
            "gap_analysis", "Gap analysis", "done", StageProgress(1, 1, 1, 1), start, end, None, None, False
        )
    ]
    thai = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
    shown = texts(chart_drawing(charts.stage_timeline(stages, TODAY), thai))
    assert any("ต.ค. 2026" in each for each in shown), shown  # "%d %b %Y", as plotly.js writes it
    assert not any("Oct" in each for each in shown)
    assert day_text(date(2026, 9, 3), "%d %b %Y", ENGLISH_MONTHS) == "03 Sep 2026"
    assert day_text(date(2027, 1, 9), "%b %Y", thai) == "ม.ค. 2027"


def test_money_axes_read_as_plain_amounts():
    lines = [
        BudgetLine("training", "consultant", "Course", Decimal(1500000), Decimal(1200000), TODAY),
        BudgetLine("documentation", "consultant", "Manual", Decimal(2500000), None, TODAY + timedelta(30)),
    ]
    curve = charts.spend_curve(cumulative_spend(lines, Decimal(1)), "VND", Decimal(1), TODAY)
    shown = texts(chart_drawing(curve))
    assert "VND" in shown
    assert any(re.fullmatch(r"\d{1,3}(,\d{3})+", label) for label in shown), shown  # 1,000,000, no "1e6"


def test_a_trace_it_does_not_draw_is_refused():
    figure = {"data": [heatmap(z=[[1.0]])], "layout": {"height": 200}}
    with pytest.raises(Unsupported):
        chart_drawing(Chart("heat", "Heat", figure, charts.Table((), (), ())))  # type: ignore[arg-type]


def printed_pixels(svg: str) -> bytes:
    encoded = base64.b64encode(svg.encode()).decode("ascii")
    document = pypdfium2.PdfDocument(html_to_pdf(f'<img src="data:image/svg+xml;base64,{encoded}">'))
    return bytes(document[0].render(scale=2).to_pil().tobytes())


def test_styles_are_written_as_attributes_and_print_the_same(monkeypatch):
    # WeasyPrint's SVG renderer parsed each element's style="" with its CSS parser and matched the one rule
    # for every element against each: 6% of the fullest report's instructions
    drawing = readiness_drawing()
    assert "style=" not in drawing.svg and "<style" not in drawing.svg
    assert drawing.svg.startswith('<svg stroke-linejoin="round" stroke-linecap="butt" ')
    assert 'fill="none" stroke="#e9ecef" stroke-width="0.8" stroke-linecap="square"' in drawing.svg
    monkeypatch.setattr(svg_labels, "as_attributes", lambda svg: svg)
    styled = readiness_drawing().svg
    assert 'style="fill: none; stroke: #e9ecef; stroke-width: 0.8; stroke-linecap: square"' in styled
    assert printed_pixels(drawing.svg) == printed_pixels(styled)
    # a thick zigzag: its joins are round by the root's attribute, as by the rule for every element
    zigzag = {"type": "scatter", "mode": "lines", "x": [0, 1, 2, 3], "y": [0, 9, 0, 9], "line": {"width": 12}}
    figure = {"data": [zigzag], "layout": {"height": 200}}
    zigzag_chart = Chart("zigzag", "Zigzag", figure, charts.Table((), (), ()))  # type: ignore[arg-type]
    styled = chart_drawing(zigzag_chart).svg
    monkeypatch.undo()
    assert printed_pixels(chart_drawing(zigzag_chart).svg) == printed_pixels(styled)


def test_an_svg_of_another_shape_is_left_as_it_is():
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><path style="fill: red" d="M 0 0 L 1 1"/></svg>'
    assert svg_labels.as_attributes(svg) == svg


def test_each_line_and_font_is_measured_once_per_worker_with_matplotlibs_own_figures(monkeypatch):
    from matplotlib.backends.backend_svg import RendererSVG

    svg_labels.forget_measures()
    measured: list[tuple[str, float]] = []
    measure = RendererSVG.get_text_width_height_descent

    def counted(self, s, prop, ismath):  # type: ignore[no-untyped-def]
        measured.append((s, prop.get_size_in_points()))
        return measure(self, s, prop, ismath)

    monkeypatch.setattr(RendererSVG, "get_text_width_height_descent", counted)
    first = readiness_drawing()
    assert len(measured) == len(set(measured)) and {("67%", 7), ("Readiness %", 8)} <= set(measured)
    assert svg_labels._HEIGHTS  # each font's heights, read once
    measured.clear()
    assert readiness_drawing() == first and measured == []  # all from what the worker kept
    # the same drawing as matplotlib measuring each line as it meets it, and reading each font's tables
    recorder = svg_labels._recorder()
    monkeypatch.delattr(recorder, "get_text_width_height_descent")
    monkeypatch.delattr(recorder, "_get_font_height_metrics")
    assert readiness_drawing() == first and len(measured) > len(set(measured))


def test_the_measures_kept_are_bounded_and_keyed_by_the_fonts_values(monkeypatch):
    from matplotlib.font_manager import FontProperties

    monkeypatch.setattr(svg_labels, "MEASURES_KEPT", 2)
    kept: dict[str, int] = {}
    for number in range(5):
        assert svg_labels._kept(kept, str(number), lambda number=number: number) == number
        assert len(kept) <= 2
    assert kept["4"] == 4
    prop = FontProperties(family=["Noto Sans"], size=8)
    key = svg_labels._font_key(prop)
    prop.set_size(9)  # a FontProperties can change after it was measured: the key is a copy of its values
    assert svg_labels._font_key(prop) != key and key[-2] == 8
