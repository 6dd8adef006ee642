"""The training matrix: every cell state, a new revision making training outdated, refresher expiry, and the
Training stage's criteria computed from the matrix."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.training import (
    CellState,
    PersonRow,
    Record,
    Requirement,
    build_matrix,
    cell,
    needs_retraining,
    qualified_auditors,
    training_criteria,
)

TODAY = date(2026, 6, 15)
PROCEDURE = Requirement(1, "QP-04 Document control", is_document=True, current_revision_id=20)
AWARENESS = Requirement(2, "Quality policy awareness", refresher_months=12, everyone=True)
AUDITOR = Requirement(3, "Internal auditor course", qualifies_auditor=True)


def state(requirement, records, required=True, today=TODAY):
    return cell(requirement, required, records, today).state


def test_not_required_whatever_the_records():
    assert state(PROCEDURE, [Record(1, TODAY, 1, 20)], required=False) is CellState.NOT_REQUIRED


def test_due_without_a_record_or_with_records_for_other_requirements():
    assert state(PROCEDURE, []) is CellState.DUE
    assert state(PROCEDURE, [Record(2, TODAY, 1)]) is CellState.DUE


def test_done_on_the_current_revision():
    found = cell(PROCEDURE, True, [Record(1, date(2026, 1, 10), 1, 20, "pass")], TODAY)
    assert found.state is CellState.DONE and found.record.held_on == date(2026, 1, 10)


def test_pending_effectiveness_still_counts_as_done():
    assert state(PROCEDURE, [Record(1, TODAY, 1, 20, "pending")]) is CellState.DONE


def test_a_new_revision_makes_training_on_the_old_one_outdated():
    records = [Record(1, date(2025, 3, 1), 1, revision_id=10, result="pass")]
    assert state(PROCEDURE.__class__(1, "QP-04", True, current_revision_id=10), records) is CellState.DONE
    assert state(PROCEDURE, records) is CellState.OUTDATED  # revision 20 approved since


def test_retraining_on_the_new_revision_makes_it_done_again():
    records = [Record(1, date(2025, 3, 1), 1, 10, "pass"), Record(1, date(2026, 5, 1), 2, 20)]
    assert state(PROCEDURE, records) is CellState.DONE


def test_a_document_without_an_approved_revision_is_due():
    draft_only = Requirement(1, "QP-09", is_document=True, current_revision_id=None)
    assert state(draft_only, [Record(1, TODAY, 1, None)]) is CellState.DUE


def test_a_failed_check_on_the_latest_record():
    assert state(PROCEDURE, [Record(1, TODAY, 1, 20, "fail")]) is CellState.FAILED
    # An earlier failure is overtaken by a later pass.
    records = [Record(1, date(2026, 1, 1), 1, 20, "fail"), Record(1, date(2026, 2, 1), 2, 20, "pass")]
    assert state(PROCEDURE, records) is CellState.DONE


@pytest.mark.parametrize(
    ("held_on", "expected"),
    [
        (date(2025, 6, 15), CellState.DONE),
        (date(2025, 6, 14), CellState.EXPIRED),
        (date(2026, 1, 1), CellState.DONE),
    ],
)
def test_refresher_interval(held_on, expected):
    # Trained 15 June 2025 with a 12-month refresher: still done on 15 June 2026, expired from 16 June.
    assert state(AWARENESS, [Record(2, held_on, 1)]) is expected


def test_a_topic_without_refresher_never_expires():
    assert state(AUDITOR, [Record(3, date(2000, 1, 1), 1, None, "pass")]) is CellState.DONE


def test_the_latest_session_wins_on_the_same_day():
    records = [Record(1, TODAY, 2, 20, "fail"), Record(1, TODAY, 1, 20, "pass")]
    assert state(PROCEDURE, records) is CellState.FAILED


# The matrix and the stage

AN = PersonRow(1, "An", "Production", "Operator", frozenset({1}))
BINH = PersonRow(2, "Binh", "Quality", "QC inspector", frozenset({1, 3}))
REQUIREMENTS = [PROCEDURE, AWARENESS, AUDITOR]


def everyone_trained() -> dict[int, list[Record]]:
    return {
        1: [Record(1, date(2026, 3, 1), 1, 20), Record(2, date(2026, 3, 1), 2)],
        2: [
            Record(1, date(2026, 3, 1), 1, 20),
            Record(2, date(2026, 3, 1), 2),
            Record(3, date(2026, 2, 1), 3, None, "pass"),
        ],
    }


def criteria(people, records):
    return {c.key: c for c in training_criteria(build_matrix(people, REQUIREMENTS, records, TODAY))}


def test_the_matrix_has_a_cell_per_person_and_requirement_with_totals():
    matrix = build_matrix([AN, BINH], REQUIREMENTS, {1: [Record(1, TODAY, 1, 20)]}, TODAY)
    assert len(matrix.cells) == 6
    assert matrix.at(1, 3).state is CellState.NOT_REQUIRED  # An's role does not need the auditor course
    assert matrix.at(1, 2).state is CellState.DUE  # awareness is for everyone
    assert matrix.row_counts(1)[CellState.DONE] == 1
    assert matrix.column_counts(2)[CellState.DUE] == 2
    assert sum(matrix.counts().values()) == 6


def test_every_criterion_met_when_everyone_is_trained_and_an_auditor_passed():
    met = criteria([AN, BINH], everyone_trained())
    assert all(c.met for c in met.values()), [c.reason for c in met.values()]
    assert met["training.auditor_qualified"].reason == "Qualified internal auditors: Binh."


def test_no_people_meets_nothing():
    met = criteria([], {})
    assert not any(c.met for c in met.values())
    assert met["training.required_done"].reason == "No active people on the staff list of this site yet."


def test_an_outdated_cell_reopens_the_stage_and_asks_for_retraining():
    records = everyone_trained()
    records[1][0] = Record(1, date(2026, 1, 1), 1, 10)  # An was trained on revision 10
    matrix = build_matrix([AN, BINH], REQUIREMENTS, records, TODAY)
    met = {c.key: c for c in training_criteria(matrix)}
    assert not met["training.required_done"].met
    assert (
        met["training.required_done"].reason
        == "1 person with trainings due, outdated, expired or failed: An."
    )
    assert [p.name for p in needs_retraining(matrix)[1]] == ["An"]


def test_awareness_missing_is_named():
    records = everyone_trained()
    records[1] = [r for r in records[1] if r.requirement_id != 2]
    met = criteria([AN, BINH], records)
    assert met["training.awareness"].reason == "1 person without the awareness training: An."


def test_no_awareness_topic_defined_is_not_met():
    matrix = build_matrix([AN], [PROCEDURE], {1: [Record(1, TODAY, 1, 20)]}, TODAY)
    met = {c.key: c for c in training_criteria(matrix)}
    assert met["training.required_done"].met and not met["training.awareness"].met


def test_an_auditor_needs_a_passed_check():
    records = everyone_trained()
    records[2][2] = Record(3, date(2026, 2, 1), 3, None, "pending")
    matrix = build_matrix([AN, BINH], REQUIREMENTS, records, TODAY)
    assert qualified_auditors(matrix) == []
    assert not criteria([AN, BINH], records)["training.auditor_qualified"].met
