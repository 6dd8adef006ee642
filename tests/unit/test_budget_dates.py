"""The project window a budget line's date must fall in, and dates of accepted estimate lines."""

from __future__ import annotations

from datetime import date

from app.domain.budget_dates import estimate_line_date, project_window, years_after


def test_window_spans_creation_or_first_start_to_target_or_last_end() -> None:
    created, target = date(2026, 3, 1), date(2027, 6, 30)
    assert project_window(created, target) == (created, target)
    starts = [None, date(2026, 1, 15), date(2026, 4, 1)]
    ends = [date(2026, 5, 1), None, date(2027, 9, 30)]
    assert project_window(created, target, starts, ends) == (date(2026, 1, 15), date(2027, 9, 30))


def test_window_without_dates_is_open() -> None:
    assert project_window(None, None, [None], [None]) == (None, None)
    assert project_window(date(2026, 3, 1), None) == (date(2026, 3, 1), None)


def test_years_after_handles_29_february() -> None:
    assert years_after(date(2027, 6, 30), 3) == date(2030, 6, 30)
    assert years_after(date(2028, 2, 29), 1) == date(2029, 2, 28)


def test_project_lines_use_their_stage_end_and_cycle_lines_land_after_the_target() -> None:
    stage_end, certified = date(2026, 9, 1), date(2027, 6, 30)
    assert estimate_line_date(0, stage_end, certified) == stage_end
    assert estimate_line_date(0, None, certified) is None
    assert estimate_line_date(1, stage_end, certified) == date(2028, 6, 30)
    assert estimate_line_date(3, stage_end, certified) == date(2030, 6, 30)
    assert estimate_line_date(2, stage_end, None) is None
