"""Charts are plain dicts in plotly.js's JSON shape, built without plotly.py (issue 19: plotly.py's validation
was 64% of the charts page). Validation happens here instead: plotly.py accepts every chart's dict, full and
empty, and sends exactly the same JSON for it as the page does, so the page looks as it did when plotly.py
built the figures and plotly.py can still draw them (to SVG, for a PDF)."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import plotly.graph_objects as go
import pytest

from app import charts
from app.charts import HistoryPoint, TimelineEvent
from app.charts.base import TEMPLATE
from app.charts.objectives import ValuePoint, objective_values_chart
from app.charts.risks import risk_heat_map
from app.charts.satisfaction import SatisfactionPoint, satisfaction_values_chart
from app.domain.budget import cumulative_spend, summarise, undated
from app.domain.readiness import Readiness
from app.domain.training import CellState
from app.domain.training_progress import ALL_DEPARTMENTS, Completion, CompletionHistory, state_shares
from tests.unit.test_charts import STAGES, TITLES, TODAY, VND_LINES, stage

D = Decimal
ROOT = Path(__file__).resolve().parents[2]
DAYS = (date(2026, 4, 30), date(2026, 5, 31))


def _every_chart() -> list[charts.Chart]:
    """Each chart the app draws, from hand-made values: with data, and with nothing to draw."""
    dated = [
        stage("gap_analysis", "Gap analysis", "done", planned_start=date(2026, 3, 1),
              planned_end=date(2026, 3, 21), actual_start=date(2026, 3, 2), actual_end=date(2026, 3, 31)),
        stage("documentation", "Documentation", "in_progress", planned_start=date(2026, 3, 22),
              planned_end=date(2026, 5, 10), actual_start=date(2026, 4, 1), overdue=True),
    ]  # fmt: skip
    events = [
        TimelineEvent("Stage 1 audit", date(2026, 4, 2), date(2026, 4, 3), "held"),
        TimelineEvent("Stage 2 audit", date(2026, 6, 1), date(2026, 6, 3), "scheduled"),
        TimelineEvent("Surveillance 1", date(2027, 3, 1), date(2027, 6, 1), "window"),
    ]
    history = [HistoryPoint(TODAY - timedelta(days=7 * n), Readiness(met=n), 10 * n, None) for n in (2, 1)]
    completion = CompletionHistory(
        DAYS,
        {
            "Production": (Completion(0, 0), Completion(1, 4)),
            ALL_DEPARTMENTS: (Completion(1, 2), Completion(2, 6)),
        },
    )
    shares = state_shares({CellState.DONE: 3, CellState.DUE: 1, CellState.EXPIRED: 1})
    measured = [
        ValuePoint(date(2026, 4, 30), D("97.5"), "97.5 %", True),
        ValuePoint(TODAY, D(93), "93 %", False),
    ]
    rated = [SatisfactionPoint(date(2026, 3, 31), D("4.2"), "4.2 / 5", "Meets the target", True)]
    return [
        charts.readiness_by_section_chart({"4": Readiness(met=1, not_met=1), "5": Readiness()}, TITLES, 90),
        charts.readiness_by_section_chart({}, {}),
        charts.stage_progress_chart(STAGES),
        charts.stage_timeline(dated, TODAY, events),
        charts.stage_timeline([stage("gap_analysis", "Gap analysis")], TODAY),
        charts.readiness_history(history),
        charts.readiness_history([]),
        charts.budget_by_stage(summarise(VND_LINES, D(1)).by_stage, "VND", D(1)),
        charts.budget_by_category(summarise(VND_LINES).by_category, "USD"),
        charts.budget_by_category({}, "USD"),
        charts.spend_curve(cumulative_spend(VND_LINES, D(1)), "VND", D(1), TODAY, undated(VND_LINES, D(1))),
        charts.spend_curve([], "USD", today=TODAY),
        charts.training_completion_history(completion),
        charts.training_completion_history(CompletionHistory(DAYS, {})),
        charts.training_states(shares),
        charts.training_states(state_shares({})),
        risk_heat_map("heat", 5, {(4, 4): 1, (1, 2): 3}, opportunities=2),
        risk_heat_map("heat", 3, {}, 0),
        objective_values_chart(
            "objective", "On-time delivery", measured, D(95), "Target: at least 95 %", "%"
        ),
        objective_values_chart("objective", "On-time delivery", [], D(95), "Target: at least 95 %"),
        satisfaction_values_chart("measure", "Survey", rated, D(4), "Target: at least 4", "score"),
        satisfaction_values_chart("measure", "Survey", rated, None, ""),
        satisfaction_values_chart("measure", "Survey", [], None, ""),
    ]


@pytest.mark.parametrize("chart", _every_chart(), ids=lambda chart: chart.key)
def test_each_chart_is_valid_plotly_json_the_same_as_plotly_py_sends(chart):
    drawn = go.Figure(chart.figure)  # refuses a property or a value plotly.js does not know
    assert json.loads(drawn.to_json()) == json.loads(chart.figure_json())
    assert chart.figure["layout"]["template"] is TEMPLATE  # the one shared template, never a copy


def test_a_misspelt_property_is_what_the_validation_catches():
    chart = charts.stage_progress_chart(STAGES)
    chart.figure["data"][0]["textposition"] = "middle"
    with pytest.raises(ValueError, match="textposition"):
        go.Figure(chart.figure)


def test_figure_json_is_compact_and_keeps_text_as_written():
    chart = charts.stage_progress_chart(STAGES)
    sent = chart.figure_json()
    assert "100% · Done" in sent  # not "\\u00b7": the page is UTF-8
    assert '": ' not in sent and '", "' not in sent
    assert json.loads(sent)["layout"]["template"]["layout"]["dragmode"] is False


def test_the_app_never_imports_plotly_py():
    """Importing plotly.graph_objects costs every worker about 0.2 s and 28 MB at start; the app serves
    plotly.js from static/ and builds figures as dicts."""
    importing = re.compile(r"^\s*(?:import|from)\s+plotly\b", re.M)
    found = [
        str(p.relative_to(ROOT)) for p in (ROOT / "app").rglob("*.py") if importing.search(p.read_text())
    ]
    assert found == []
