"""A chart in the PDF report prints each of its words where matplotlib placed it: the label's HTML box (the
report's chart macro and stylesheet, svg_labels.Label.box) is centred on the label's middle, and the text in
it; read back from the PDF with PDFium."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
from flask import render_template_string

from app import charts, create_app
from app.domain.readiness import Readiness
from app.services.pdf import html_to_pdf
from app.services.report import DrawnChart
from app.services.svg_charts import chart_drawing

PAGE = """{% from "reports/_macros.html" import chart_block %}<html lang="en"><head><style>
  @page { size: A4; margin: 0 } body { margin: 0 } .chart-block h3, table { display: none }
</style></head><body>{{ chart_block(drawn) }}</body></html>"""
POINT_TOLERANCE = 1.5  # Pango's and matplotlib's measures of the same line differ by a fraction of a point


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[DrawnChart, pypdfium2.PdfPage]:
    folder: Path = tmp_path_factory.mktemp("labels")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'p.db'}"})
    by_section = {"4": Readiness(met=3, partial=2, not_met=1), "5": Readiness(met=4), "10": Readiness(met=1)}
    chart = charts.readiness_by_section_chart(
        by_section, {"4": "Context", "5": "Leadership", "10": "Improvement"}, 90
    )
    drawing = chart_drawing(chart)
    drawn = DrawnChart(chart, drawing, "data:image/svg+xml;utf8," + drawing.svg.replace("#", "%23"))
    with app.test_request_context():
        html = render_template_string(PAGE, drawn=drawn)
    document = pypdfium2.PdfDocument(html_to_pdf(html, ["css/report.css"]))
    return drawn, document[0]


def middles(page: pypdfium2.PdfPage, text: str) -> list[tuple[float, float]]:
    """The middle of each place ``text`` is printed on the page, in points from its top left corner: the
    middle of its characters' boxes from the font's ascent to its descent (PDFium's loose boxes), where the
    report's labels put the middle of a line (svg_labels.BOX_MIDDLE_EMS)."""
    textpage = page.get_textpage()
    height = page.get_height()
    found = []
    searcher = textpage.search(text, match_case=True, match_whole_word=False)
    while (where := searcher.get_next()) is not None:
        start, count = where
        boxes = [textpage.get_charbox(index, loose=True) for index in range(start, start + count)]
        left, right = min(box[0] for box in boxes), max(box[2] for box in boxes)
        bottom, top = min(box[1] for box in boxes), max(box[3] for box in boxes)
        found.append(((left + right) / 2, height - (bottom + top) / 2))
    return found


def test_each_label_prints_centred_on_its_place(printed):
    drawn, page = printed
    assert drawn.drawing is not None
    labels = [label for label in drawn.drawing.labels if not label.rotation]
    assert {"4", "5", "10", "0%", "100%", "Clause section", "Target 90%"} <= {label.text for label in labels}
    for label in labels:
        distances = [max(abs(x - label.left), abs(y - label.top)) for x, y in middles(page, label.text)]
        assert distances and min(distances) <= POINT_TOLERANCE, (label, middles(page, label.text))


def test_a_turned_label_turns_about_its_place(printed):
    drawn, page = printed
    assert drawn.drawing is not None
    (turned,) = [label for label in drawn.drawing.labels if label.rotation]
    assert turned.text == "Readiness %" and turned.rotation == -90
    ((x, y),) = middles(page, turned.text)
    assert abs(x - turned.left) <= POINT_TOLERANCE and abs(y - turned.top) <= POINT_TOLERANCE


def test_a_label_box_is_centred_on_its_middle_and_wider_than_its_text(printed):
    drawn, _ = printed
    assert drawn.drawing is not None
    for label in drawn.drawing.labels:
        left, top, width, height = label.box
        assert width > label.width > 0 and height == label.size
        assert left + width / 2 == pytest.approx(label.left, abs=0.01)
        assert top + height / 2 == pytest.approx(label.top, abs=0.01)
