"""The training charts from hand-made values: a line per department and one for all, the bars by state in
the matrix's colours, and tables with the same numbers."""

from __future__ import annotations

from datetime import date

from app import charts
from app.domain.training import CellState
from app.domain.training_progress import ALL_DEPARTMENTS, Completion, CompletionHistory, state_shares

DAYS = (date(2026, 4, 30), date(2026, 5, 31), date(2026, 6, 15))


def test_completion_history_draws_a_line_per_department_and_one_for_all():
    history = CompletionHistory(
        DAYS,
        {
            "Production": (Completion(0, 0), Completion(1, 4), Completion(3, 4)),
            "Quality": (Completion(1, 2), Completion(2, 2), Completion(2, 2)),
            ALL_DEPARTMENTS: (Completion(1, 2), Completion(3, 6), Completion(5, 6)),
        },
    )
    chart = charts.training_completion_history(history)
    production, quality, overall = chart.figure["data"]
    assert [t["name"] for t in chart.figure["data"]] == ["Production", "Quality", ALL_DEPARTMENTS]
    assert production["x"] == ["2026-04-30", "2026-05-31", "2026-06-15"]
    assert production["y"] == [None, 25, 75]  # nothing required in April: a gap, not 0%
    assert overall["y"] == [50, 50, 83]
    assert overall["line"]["dash"] == "dash"
    assert production["marker"]["symbol"] != quality["marker"]["symbol"]
    assert chart.figure["layout"]["yaxis"]["ticksuffix"] == "%"
    assert chart.table.columns == ("Month end", "Production", "Quality", ALL_DEPARTMENTS)
    assert chart.table.rows[0] == ("30 Apr 2026", "—", "50% (1 of 2)", "50% (1 of 2)")
    assert chart.table.rows[2] == ("15 Jun 2026", "75% (3 of 4)", "100% (2 of 2)", "83% (5 of 6)")
    assert chart.empty is None and chart.key == "training-completion"


def test_completion_history_with_nothing_required_says_so():
    chart = charts.training_completion_history(CompletionHistory(DAYS, {}))
    assert chart.empty and "No training is required" in chart.empty
    assert chart.table.rows == tuple((d.strftime("%d %b %Y"),) for d in DAYS)


def test_states_chart_shows_each_state_as_a_share_of_the_required_trainings():
    counts = {
        CellState.DONE: 6,
        CellState.DUE: 2,
        CellState.OUTDATED: 1,
        CellState.FAILED: 1,
        CellState.NOT_REQUIRED: 30,
    }
    chart = charts.training_states(state_shares(counts))
    (bars,) = chart.figure["data"]
    assert bars["y"] == ["Done", "Due", "Outdated", "Expired", "Failed check"]
    assert bars["x"] == [60, 20, 10, 0, 10]
    assert bars["text"] == ["60% · 6", "20% · 2", "10% · 1", "0% · 0", "10% · 1"]
    colours = bars["marker"]["color"]
    assert colours[0] == charts.DONE and colours[-1] == charts.OVERDUE
    assert len(set(colours)) == 5
    assert chart.table.columns == ("State", "Trainings", "Share")
    assert chart.table.rows[0] == ("Done", "6", "60%") and chart.table.rows[3] == ("Expired", "0", "0%")
    assert chart.empty is None and chart.key == "training-states"


def test_states_chart_with_nothing_required_says_so():
    chart = charts.training_states(state_shares({CellState.NOT_REQUIRED: 4}))
    assert chart.empty and chart.table.rows[0] == ("Done", "0", "—")
