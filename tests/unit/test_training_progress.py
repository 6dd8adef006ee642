"""Training progress: completion by department at each month end (people employed then, the revision in
force then, records held by then, refreshers run to then), the share of cells per state, and the matrix's
state filter."""

from __future__ import annotations

from datetime import date

from app.domain.training import CellState, PersonRow, Record, Requirement, build_matrix
from app.domain.training_progress import (
    ALL_DEPARTMENTS,
    NO_DEPARTMENT,
    Approval,
    Completion,
    Employment,
    completion,
    completion_by_department,
    month_ends,
    revision_on,
    rows_with_state,
    state_shares,
)

TODAY = date(2026, 6, 15)
PROCEDURE = Requirement(1, "QP-04 Document control", is_document=True, current_revision_id=20)
AWARENESS = Requirement(2, "Quality policy awareness", refresher_months=6, everyone=True)
WELDING = Requirement(3, "Welding")
ANNA = PersonRow(1, "Anna", "Production", "Welder", frozenset({1, 3}))
BAO = PersonRow(2, "Bao", "Production", "Welder", frozenset({1, 3}))
CHI = PersonRow(3, "Chi", "Quality", "Inspector", frozenset({1}))
DUNG = PersonRow(4, "Dung", "", "")
# QP-04 rev 10 approved in 2025, rev 20 on 10 April 2026.
APPROVALS = {1: [Approval(10, date(2025, 1, 5)), Approval(20, date(2026, 4, 10))]}


def history(staff, records=None, approvals=APPROVALS, requirements=(PROCEDURE, AWARENESS, WELDING)):
    return completion_by_department(staff, requirements, records or {}, approvals, TODAY)


def test_month_ends_are_the_last_twelve_month_ends_with_today_last():
    days = month_ends(TODAY)
    assert len(days) == 12
    assert days[0] == date(2025, 7, 31) and days[-2] == date(2026, 5, 31) and days[-1] == TODAY
    assert date(2026, 2, 28) in days  # February's end, not the 31st
    assert month_ends(date(2024, 3, 31), 3) == [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31)]


def test_the_revision_in_force_is_the_last_approved_by_that_day():
    approvals = APPROVALS[1]
    assert revision_on(approvals, date(2024, 12, 31)) is None
    assert revision_on(approvals, date(2025, 1, 5)) == 10
    assert revision_on(approvals, date(2026, 4, 9)) == 10
    assert revision_on(approvals, date(2026, 4, 10)) == 20
    assert revision_on([Approval(5, TODAY), Approval(6, TODAY)], TODAY) == 6


def test_completion_counts_required_cells_per_department_at_each_month_end():
    records = {
        1: [Record(3, date(2025, 9, 10), 1), Record(2, date(2026, 3, 2), 2)],  # Anna: welding, awareness
        3: [Record(1, date(2025, 8, 1), 3, revision_id=10)],  # Chi: QP-04 rev 10
    }
    staff = [Employment(ANNA), Employment(CHI)]
    found = history(staff, records)
    assert list(found.lines) == ["Production", "Quality", ALL_DEPARTMENTS]
    production, quality = found.lines["Production"], found.lines["Quality"]
    by_day = dict(zip(found.days, production, strict=True))
    assert by_day[date(2025, 7, 31)] == Completion(0, 3)  # QP-04, awareness, welding
    assert by_day[date(2025, 9, 30)] == Completion(1, 3)  # welding done on 10 September
    assert by_day[date(2026, 3, 31)] == Completion(2, 3)
    assert by_day[TODAY].percent == 67
    quality_by_day = dict(zip(found.days, quality, strict=True))
    assert quality_by_day[date(2025, 7, 31)] == Completion(0, 2)  # trained on 1 August
    assert quality_by_day[date(2025, 8, 31)] == Completion(1, 2)
    # Rev 20 approved on 10 April: training on rev 10 is outdated from then on.
    assert quality_by_day[date(2026, 3, 31)] == Completion(1, 2)
    assert quality_by_day[date(2026, 4, 30)] == Completion(0, 2)
    total = dict(zip(found.days, found.lines[ALL_DEPARTMENTS], strict=True))
    assert total[date(2026, 3, 31)] == Completion(3, 5)  # weighted by cells


def test_a_document_without_an_approved_revision_then_was_due_then():
    records = {3: [Record(1, date(2024, 11, 1), 1, revision_id=10)]}
    late = {1: [Approval(10, date(2025, 9, 1))]}
    quality = history([Employment(CHI)], records, late, requirements=(PROCEDURE,)).lines["Quality"]
    assert [c.done for c in quality[:3]] == [0, 0, 1]  # July, August: nothing approved; September: done


def test_only_people_employed_at_the_month_end_count():
    staff = [
        Employment(ANNA, started_on=date(2026, 1, 15)),
        Employment(BAO, started_on=date(2024, 1, 1), left_on=date(2025, 10, 31)),
    ]
    found = history(staff)
    production = dict(zip(found.days, found.lines["Production"], strict=True))
    assert production[date(2025, 9, 30)].required == 3  # Bao only
    assert production[date(2025, 10, 31)].required == 0  # Bao left that day; Anna not started yet
    assert production[date(2025, 10, 31)].percent is None  # nothing required: no share, not 0%
    assert production[date(2026, 1, 31)].required == 3  # Anna


def test_a_refresher_expires_within_the_months_shown():
    records = {4: [Record(2, date(2025, 7, 20), 1)]}  # six-monthly awareness
    line = history([Employment(DUNG)], records).lines[NO_DEPARTMENT]
    by_day = dict(zip(month_ends(TODAY), line, strict=True))
    assert by_day[date(2025, 7, 31)] == Completion(1, 1)
    assert by_day[date(2025, 12, 31)] == Completion(1, 1)
    assert by_day[date(2026, 1, 31)] == Completion(0, 1)  # expired on 21 January


def test_the_latest_record_by_then_decides_not_a_later_one():
    records = {
        1: [
            Record(3, date(2025, 8, 1), 1, result="fail"),
            Record(3, date(2025, 12, 1), 2, result="pass"),
        ]
    }
    line = history([Employment(ANNA)], records, requirements=(WELDING,)).lines["Production"]
    by_day = dict(zip(month_ends(TODAY), line, strict=True))
    assert by_day[date(2025, 8, 31)] == Completion(0, 1)  # failed check
    assert by_day[date(2025, 12, 31)] == Completion(1, 1)


def test_no_department_is_listed_last_and_nothing_at_all_gives_no_lines():
    found = history([Employment(DUNG), Employment(CHI)])
    assert list(found.lines) == ["Quality", NO_DEPARTMENT, ALL_DEPARTMENTS]
    assert history([]).lines == {}
    assert history([Employment(DUNG)], requirements=(WELDING,)).lines == {}  # nothing required of anyone
    assert len(history([]).days) == 12


def test_state_shares_are_of_the_required_cells():
    counts = {CellState.DONE: 3, CellState.DUE: 1, CellState.NOT_REQUIRED: 10}
    shares = state_shares(counts)
    assert [s.state for s in shares] == [
        CellState.DONE,
        CellState.DUE,
        CellState.OUTDATED,
        CellState.EXPIRED,
        CellState.FAILED,
    ]
    assert [(s.cells, s.percent) for s in shares[:3]] == [(3, 75), (1, 25), (0, 0)]
    assert all(s.percent is None for s in state_shares({CellState.NOT_REQUIRED: 4}))
    assert completion(counts) == Completion(3, 4)


def test_the_state_filter_keeps_people_with_a_cell_in_that_state():
    records = {1: [Record(1, date(2026, 1, 1), 1, revision_id=10)], 3: [Record(1, date(2026, 5, 1), 2, 20)]}
    matrix = build_matrix([ANNA, BAO, CHI], [PROCEDURE, WELDING], records, TODAY)
    outdated = rows_with_state(matrix, CellState.OUTDATED)
    assert [p.name for p in outdated.people] == ["Anna"]
    assert outdated.at(1, 3).state is CellState.DUE and (2, 1) not in outdated.cells
    assert [p.name for p in rows_with_state(matrix, CellState.DUE).people] == ["Anna", "Bao"]
    assert rows_with_state(matrix, CellState.EXPIRED).people == ()
