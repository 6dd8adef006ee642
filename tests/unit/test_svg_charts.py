"""The charts page's figures drawn as SVG for the PDF report (app.services.svg_charts), from hand-made
domain values: vector SVG whose labels stay text, the same bars and marks, and a refusal for a trace kind
it does not draw."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from app import charts
from app.charts import Chart, StageBar
from app.charts.figures import heatmap
from app.domain.budget import BudgetLine, cumulative_spend
from app.domain.readiness import Readiness, StageProgress
from app.services.svg_charts import Unsupported, chart_svg

TODAY = date(2026, 12, 2)


def texts(svg: str) -> list[str]:
    """The text of every <text> element (matplotlib writes one per label, with svg.fonttype none)."""
    return [re.sub(r"<[^>]+>", "", found).strip() for found in re.findall(r"<text\b.*?</text>", svg, re.S)]


def test_readiness_bars_keep_their_labels_and_target_as_text():
    by_section = {"4": Readiness(met=3, partial=2, not_met=1), "5": Readiness(met=4)}
    svg = chart_svg(charts.readiness_by_section_chart(by_section, {"4": "Context", "5": "Leadership"}, 90))
    assert svg.startswith("<svg")
    shown = texts(svg)
    assert {"4", "5", "67%", "100%", "Target 90%", "Clause section", "Readiness %"} <= set(shown)
    assert "<image" not in svg  # vector only, no raster


def test_a_gantt_chart_draws_dated_bars_and_marks_today():
    progress = StageProgress(1, 2, 1, 4)
    stages = [
        StageBar("gap_analysis", "Gap analysis", "done", progress, TODAY - timedelta(days=60),
                 TODAY - timedelta(days=30), TODAY - timedelta(days=58), TODAY - timedelta(days=31), False),
        StageBar("documentation", "Documentation", "in_progress", progress, TODAY - timedelta(days=29),
                 TODAY - timedelta(days=5), TODAY - timedelta(days=28), None, True),
    ]  # fmt: skip
    shown = texts(chart_svg(charts.stage_timeline(stages, TODAY)))
    assert {"Gap analysis", "Documentation", "Today", "Planned", "Actual"} <= set(shown)
    assert any(label.endswith("2026") for label in shown)  # date ticks, as the page's "%d %b %Y"


def test_money_axes_read_as_plain_amounts():
    lines = [
        BudgetLine("training", "consultant", "Course", Decimal(1500000), Decimal(1200000), TODAY),
        BudgetLine("documentation", "consultant", "Manual", Decimal(2500000), None, TODAY + timedelta(30)),
    ]
    svg = chart_svg(charts.spend_curve(cumulative_spend(lines, Decimal(1)), "VND", Decimal(1), TODAY))
    shown = texts(svg)
    assert "VND" in shown
    assert any(re.fullmatch(r"\d{1,3}(,\d{3})+", label) for label in shown), shown  # 1,000,000, no "1e6"


def test_a_trace_it_does_not_draw_is_refused():
    figure = {"data": [heatmap(z=[[1.0]])], "layout": {"height": 200}}
    with pytest.raises(Unsupported):
        chart_svg(Chart("heat", "Heat", figure, charts.Table((), (), ())))  # type: ignore[arg-type]
