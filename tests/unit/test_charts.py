"""Chart figures from hand-made domain values: the right traces, numbers, order and marks, and tables that
carry the same numbers as the figures."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from app import charts
from app.charts import MS_PER_DAY, HistoryPoint, StageBar
from app.domain.budget import BudgetLine, cumulative_spend, summarise, undated
from app.domain.readiness import Readiness, StageProgress

D = Decimal
TODAY = date(2026, 5, 20)
TITLES = {"4": "Context of the organization", "5": "Leadership", "10": "Improvement"}


def stage(key: str, title: str, status: str = "not_started", **fields: object) -> StageBar:
    values: dict[str, object] = {
        "progress": StageProgress(0, 2, 0, 4),
        "planned_start": None,
        "planned_end": None,
        "actual_start": None,
        "actual_end": None,
        "overdue": False,
    } | fields
    return StageBar(key=key, title=title, status=status, **values)  # type: ignore[arg-type]


# Readiness by section


def test_readiness_by_section_bars_in_section_order_with_the_target_line():
    by_section = {
        "4": Readiness(met=3, partial=2, not_met=1, not_applicable=1),  # 4 / 6 -> 67
        "5": Readiness(met=4),  # 100
        "10": Readiness(not_applicable=2),  # nothing applicable -> None
    }
    chart = charts.readiness_by_section_chart(by_section, TITLES, target=85)
    (bars,) = chart.figure["data"]
    assert bars["x"] == ["4", "5", "10"]
    assert bars["y"] == [67, 100, None]
    assert bars["text"] == ["67%", "100%", "—"]
    assert bars["marker"]["color"] == [charts.BRAND, charts.DONE, charts.BRAND]  # at or above target: done
    (line,) = chart.figure["layout"]["shapes"]
    assert (line["y0"], line["y1"], line["xref"]) == (85, 85, "paper")
    assert chart.figure["layout"]["annotations"][0]["text"] == "Target 85%"
    assert chart.table.columns == ("Section", "Readiness", "Met", "Partly", "Not met", "To assess", "N/A")
    assert chart.table.rows == (
        ("4. Context of the organization", "67%", "3", "2", "1", "0", "1"),
        ("5. Leadership", "100%", "4", "0", "0", "0", "0"),
        ("10. Improvement", "—", "0", "0", "0", "0", "2"),
    )
    assert chart.empty is None


def test_readiness_target_defaults_to_every_requirement_met():
    chart = charts.readiness_by_section_chart({"4": Readiness(met=1)}, TITLES)
    assert chart.figure["layout"]["shapes"][0]["y0"] == 100


def test_readiness_by_section_with_no_requirements_says_so():
    assert charts.readiness_by_section_chart({}, {}).empty


# Stage progress


STAGES = [
    stage("gap_analysis", "Gap analysis", "done", progress=StageProgress(2, 2, 4, 4)),
    stage("documentation", "Documentation", "in_progress", progress=StageProgress(0, 1, 3, 12)),
    stage("training", "Training", progress=StageProgress(0, 1, 0, 0)),
]


def test_stage_progress_one_bar_per_stage_in_pathway_order_top_down():
    chart = charts.stage_progress_chart(STAGES)
    (bars,) = chart.figure["data"]
    assert bars["orientation"] == "h"
    assert bars["y"] == ["Gap analysis", "Documentation", "Training"]
    assert bars["x"] == [100, 13, 0]  # documentation: (0/1 + 3/12) / 2 = 12.5 -> 13
    assert chart.figure["layout"]["yaxis"]["autorange"] == "reversed"  # the first stage on top
    assert bars["marker"]["color"] == [charts.DONE, charts.IN_PROGRESS, charts.NOT_STARTED]
    assert bars["textposition"] == ["inside", "outside", "outside"]
    assert chart.table.rows == (
        ("Gap analysis", "Done", "100%", "2 of 2", "4 of 4"),
        ("Documentation", "In progress", "13%", "0 of 1", "3 of 12"),
        ("Training", "Not started", "0%", "0 of 1", "0 of 0"),
    )


# Timeline (Gantt)


def test_timeline_marks_today_and_highlights_overdue_stages():
    stages = [
        stage("gap_analysis", "Gap analysis", "done",
              planned_start=date(2026, 3, 1), planned_end=date(2026, 3, 21),
              actual_start=date(2026, 3, 2), actual_end=date(2026, 3, 31)),
        stage("documentation", "Documentation", "in_progress",
              planned_start=date(2026, 3, 22), planned_end=date(2026, 5, 10),
              actual_start=date(2026, 4, 1), overdue=True),
        stage("training", "Training", planned_start=date(2026, 5, 11), planned_end=date(2026, 6, 7)),
        stage("internal_audit", "Internal audit"),
    ]  # fmt: skip
    chart = charts.stage_timeline(stages, TODAY)
    planned, actual = chart.figure["data"]
    assert (planned["name"], actual["name"]) == ("Planned", "Actual")
    assert planned["y"] == ["Gap analysis", "Documentation", "Training", "Internal audit"]
    assert planned["base"] == ["2026-03-01", "2026-03-22", "2026-05-11", None]
    # A bar runs to the end of its last day: 1 to 21 March is 21 days.
    assert planned["x"] == [21 * MS_PER_DAY, 50 * MS_PER_DAY, 28 * MS_PER_DAY, None]
    assert planned["marker"]["color"] == [charts.PLANNED, charts.OVERDUE, charts.PLANNED, charts.PLANNED]
    assert planned["text"] == ["", "Overdue", "", ""]
    # Documentation started on 1 April and is under way: its actual bar reaches today (50 days).
    assert actual["base"] == ["2026-03-02", "2026-04-01", None, None]
    assert actual["x"] == [30 * MS_PER_DAY, 50 * MS_PER_DAY, None, None]
    (today_line,) = chart.figure["layout"]["shapes"]
    assert (today_line["x0"], today_line["x1"], today_line["yref"]) == ("2026-05-20", "2026-05-20", "paper")
    assert chart.figure["layout"]["annotations"][0]["text"] == "Today"
    assert chart.figure["layout"]["xaxis"]["type"] == "date"
    assert chart.table.rows[1] == (
        "Documentation", "22 Mar 2026", "10 May 2026", "01 Apr 2026", "under way", "Overdue",
    )  # fmt: skip
    assert chart.table.rows[0][-1] == "Done" and chart.table.rows[3][1:] == (
        "—",
        "—",
        "—",
        "—",
        "Not started",
    )


def test_timeline_without_any_dates_says_so():
    assert charts.stage_timeline([stage("gap_analysis", "Gap analysis")], TODAY).empty


# Readiness over time


def test_history_draws_readiness_and_coverage_by_day():
    points = [
        HistoryPoint(date(2026, 5, 1), Readiness(met=1, not_assessed=3), 25, None),
        HistoryPoint(date(2026, 5, 8), Readiness(met=2, partial=1, not_assessed=1), 63, 10),
        HistoryPoint(date(2026, 5, 15), Readiness(met=4), 100, 40),
    ]
    chart = charts.readiness_history(points)
    readiness_line, coverage_line = chart.figure["data"]
    assert readiness_line["name"] == "Readiness" and coverage_line["name"] == "Evidence coverage"
    assert readiness_line["x"] == ["2026-05-01", "2026-05-08", "2026-05-15"]
    assert readiness_line["y"] == [25, 63, 100]
    assert coverage_line["y"] == [None, 10, 40]
    assert chart.table.rows[1] == ("08 May 2026", "63%", "10%", "2", "1", "0", "1")
    assert chart.table.rows[0][2] == "—"


def test_history_without_points_says_so():
    assert charts.readiness_history([]).empty


# Budget


VND_LINES = [
    BudgetLine("gap_analysis", "consultant", "Gap analysis", D(24_000_000), D(22_800_000), date(2026, 3, 1)),
    BudgetLine("documentation", "consultant", "Support", D(90_000_000), None, date(2026, 4, 1)),
    BudgetLine("gap_analysis", "internal_time", "Staff", D(6_000_000), D(7_500_000), date(2026, 3, 20)),
    BudgetLine("external_audit", "certification_body", "Stage 1", D(40_000_000), None, None),
]


def test_budget_by_stage_grouped_planned_and_actual_in_pathway_order():
    summary = summarise(VND_LINES, D(1))
    chart = charts.budget_by_stage(summary.by_stage, "VND", D(1))
    planned, actual = chart.figure["data"]
    assert (planned["name"], actual["name"]) == ("Planned", "Actual")
    assert chart.figure["layout"]["barmode"] == "group"
    assert planned["y"] == ["Gap analysis", "Documentation", "External audit"]
    assert planned["x"] == [30_000_000, 90_000_000, 40_000_000]
    assert actual["x"] == [30_300_000, 0, 0]
    assert chart.table.columns[:3] == ("Stage", "Planned (VND)", "Actual (VND)")
    assert chart.table.rows[0] == ("Gap analysis", "30,000,000", "30,300,000", "300,000", "101.0%")
    assert chart.table.rows[1] == ("Documentation", "90,000,000", "0", "nothing spent yet", "0.0%")


def test_budget_by_category_in_category_order_with_cents():
    lines = [
        BudgetLine("training", "training", "Course", D("800.5"), D("880.25")),
        BudgetLine("gap_analysis", "consultant", "Gap", D("1000"), None),
    ]
    chart = charts.budget_by_category(summarise(lines).by_category, "USD")
    assert chart.figure["data"][0]["y"] == ["Consultant", "Training"]
    assert chart.table.columns[0] == "Category"
    assert chart.table.rows == (
        ("Consultant", "1,000.00", "0.00", "nothing spent yet", "0.0%"),
        ("Training", "800.50", "880.25", "79.75", "110.0%"),
    )


def test_budget_without_lines_says_so():
    assert charts.budget_by_stage({}, "USD").empty
    assert charts.spend_curve([], "USD").empty


def test_spend_curve_is_cumulative_and_actual_stops_at_the_last_spend():
    points = cumulative_spend(VND_LINES, D(1))
    chart = charts.spend_curve(points, "VND", D(1), today=TODAY)
    planned, actual = chart.figure["data"]
    assert planned["x"] == ["2026-03-01", "2026-03-20", "2026-04-01"]  # the undated line left out
    assert planned["y"] == [24_000_000, 30_000_000, 120_000_000]
    assert actual["y"] == [22_800_000, 30_300_000, None]
    assert chart.figure["layout"]["shapes"][0]["x0"] == TODAY.isoformat()
    assert chart.table.rows == (
        ("01 Mar 2026", "24,000,000", "22,800,000"),
        ("20 Mar 2026", "30,000,000", "30,300,000"),
        ("01 Apr 2026", "120,000,000", "—"),
    )


def test_figure_json_is_plain_json_without_plotlys_default_template():
    chart = charts.stage_progress_chart(STAGES)
    figure = json.loads(chart.figure_json())
    assert figure["data"][0]["type"] == "bar"
    assert figure["layout"]["height"] == 300
    assert "histogram2dcontour" not in chart.figure_json()  # plotly's default template would add ~10 kB
    assert len(chart.figure_json()) < 3000


def test_every_table_row_has_a_cell_per_column():
    built = [
        charts.readiness_by_section_chart({"4": Readiness(met=1)}, TITLES),
        charts.stage_progress_chart(STAGES),
        charts.stage_timeline(STAGES, TODAY),
        charts.readiness_history([HistoryPoint(TODAY - timedelta(days=1), Readiness(met=1), 100, 0)]),
        charts.budget_by_stage(summarise(VND_LINES).by_stage, "VND"),
        charts.spend_curve(cumulative_spend(VND_LINES), "VND"),
    ]
    for chart in built:
        assert len(chart.table.numeric) == len(chart.table.columns)
        assert all(len(row) == len(chart.table.columns) for row in chart.table.rows), chart.key
    assert len({chart.key for chart in built}) == len(built)


# Date axes (issue 16: with one day of data the axes read "23:59:59.999 … 00:00:00.0005")


def _axis(chart: charts.Chart) -> dict[str, object]:
    return dict(json.loads(chart.figure_json())["layout"]["xaxis"])


def test_one_day_of_history_shows_dates_a_few_days_either_side_not_hours():
    day = date(2026, 5, 8)
    axis = _axis(charts.readiness_history([HistoryPoint(day, Readiness(met=1), 100, 50)]))
    assert axis["type"] == "date" and axis["tickformat"] == "%d %b %Y"
    assert axis["dtick"] == MS_PER_DAY  # ticks a whole day apart: never a time of day
    assert axis["range"] == ["2026-05-05", "2026-05-11"]


def test_one_day_of_spend_shows_dates_not_hours():
    line = BudgetLine("gap_analysis", "consultant", "Gap", D(100), D(80), TODAY)
    axis = _axis(charts.spend_curve(cumulative_spend([line]), "USD", today=TODAY))
    assert axis["tickformat"] == "%d %b %Y" and axis["dtick"] == MS_PER_DAY
    assert axis["range"] == [(TODAY - timedelta(days=3)).isoformat(), (TODAY + timedelta(days=3)).isoformat()]


def test_a_long_span_keeps_plotlys_own_ticks_but_formats_dates():
    points = [
        HistoryPoint(date(2026, 1, 1), Readiness(met=1), 10, 0),
        HistoryPoint(date(2026, 6, 1), Readiness(met=2), 20, 0),
    ]
    axis = _axis(charts.readiness_history(points))
    assert axis["tickformat"] == "%d %b %Y" and "dtick" not in axis and "range" not in axis


def test_the_timeline_axis_shows_dates():
    axis = _axis(charts.stage_timeline(STAGES, TODAY))
    assert axis["type"] == "date" and axis["tickformat"] == "%d %b %Y"


# Undated lines (issue 16: the S-curve silently left out 4,675.00 of a 19,441.50 budget)


def test_the_spend_curve_says_what_undated_lines_it_leaves_out():
    chart = charts.spend_curve(
        cumulative_spend(VND_LINES, D(1)), "VND", D(1), TODAY, undated(VND_LINES, D(1))
    )
    assert chart.note == (
        "1 line without a date (40,000,000 VND planned) is not on this chart: give it a date to include it."
    )
    lines = [
        BudgetLine("external_audit", "certification_body", "Stage 1", D("2000.50"), None, None),
        BudgetLine("external_audit", "certification_body", "Stage 2", D("2674.50"), None, None),
    ]
    assert charts.spend_curve([], "USD", undated=undated(lines)).note == (
        "2 lines without a date (4,675.00 USD planned) are not on this chart: "
        "give them a date to include them."
    )
    assert charts.spend_curve([], "USD").note is None
    dated = [BudgetLine("training", "training", "Course", D(10), None, TODAY)]
    assert charts.spend_curve(cumulative_spend(dated), "USD", undated=undated(dated)).note is None


def test_a_budget_table_says_nothing_spent_yet_instead_of_a_negative_variance():
    chart = charts.budget_by_stage(summarise(VND_LINES, D(1)).by_stage, "VND", D(1))
    assert chart.table.rows[1][3] == "nothing spent yet"  # documentation: planned, nothing spent
    assert chart.table.rows[0][3] == "300,000"
