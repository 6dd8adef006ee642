"""The readiness formula, pinned on hand-worked tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.pathway import Criterion, Stage, TaskSnapshot, TaskStatus
from app.domain.readiness import (
    ClauseAssessment,
    ClauseStatus,
    Readiness,
    clause_score,
    overall_readiness,
    percent,
    readiness_by_section,
    section_to_show,
    stage_progress,
)

S = ClauseStatus


def clauses(section: str = "7", /, **counts: int) -> list[ClauseAssessment]:
    """``counts`` of each status (met=3, partial=2, ...) as clauses 7.1, 7.2, ... of one section."""
    statuses = [S(name) for name, count in counts.items() for _ in range(count)]
    return [ClauseAssessment(f"{section}.{i}", status) for i, status in enumerate(statuses, start=1)]


@pytest.mark.parametrize(
    ("status", "score"),
    [
        (S.MET, Decimal(1)),
        (S.PARTIAL, Decimal("0.5")),
        (S.NOT_MET, Decimal(0)),
        (S.NOT_ASSESSED, Decimal(0)),
        (S.NOT_APPLICABLE, None),
    ],
)
def test_clause_score(status: ClauseStatus, score: Decimal | None) -> None:
    assert clause_score(status) == score


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        # (3 + 2 x 0.5) / (7 - 1) = 4 / 6 = 66.67 %
        ({"met": 3, "partial": 2, "not_met": 1, "not_applicable": 1}, 67),
        ({"met": 1, "partial": 1}, 75),  # 1.5 / 2
        ({"partial": 1, "not_met": 1}, 25),  # 0.5 / 2
        ({"met": 1, "not_met": 2}, 33),  # 33.33
        ({"met": 1, "not_met": 5}, 17),  # 16.67
        ({"met": 5, "not_met": 3}, 63),  # 62.5, half up (half-even would give 62)
        ({"partial": 1, "not_met": 3}, 13),  # 12.5, half up (half-even would give 12)
        ({"met": 66, "partial": 1, "not_met": 33}, 67),  # 66.5 exactly, half up
        ({"met": 2, "not_assessed": 2}, 50),  # not assessed counts as 0, stays in the denominator
        ({"met": 2, "not_applicable": 2}, 100),  # not applicable leaves the denominator
        ({"met": 4}, 100),
        ({"not_met": 4}, 0),
        ({"not_assessed": 5}, 0),  # nothing assessed yet: 0 %, not undefined
        ({"not_applicable": 3}, None),  # every requirement not applicable: undefined
        ({}, None),  # empty standard: undefined
    ],
)
def test_overall_readiness_hand_worked(counts: dict[str, int], expected: int | None) -> None:
    assert overall_readiness(clauses(**counts)).percent == expected


def test_readiness_keeps_the_counts_behind_the_percent() -> None:
    result = overall_readiness(clauses(met=3, partial=2, not_met=1, not_assessed=2, not_applicable=1))
    assert result == Readiness(met=3, partial=2, not_met=1, not_assessed=2, not_applicable=1)
    assert (result.total, result.applicable, result.points) == (9, 8, Decimal(4))
    assert result.percent == 50
    assert type(result.percent) is int


def test_overall_pools_requirements_rather_than_averaging_sections() -> None:
    # Section 4: 1 of 1 met (100 %); section 5: 0 of 3 met (0 %). Pooled: 1 / 4 = 25 %, not 50 %.
    result = overall_readiness(clauses("4", met=1) + clauses("5", not_met=3))
    assert result.percent == 25


def test_readiness_by_section_in_numeric_order() -> None:
    assessments = (
        clauses("10", met=1)
        + clauses("4", partial=1, not_met=1)
        + clauses("9", not_applicable=2)
        + [ClauseAssessment("4.4.2", S.MET)]
    )
    by_section = readiness_by_section(assessments)
    assert list(by_section) == ["4", "9", "10"]
    assert by_section["4"].percent == 50  # (0.5 + 1) / 3
    assert by_section["4"].total == 3
    assert by_section["9"].percent is None  # all not applicable
    assert by_section["10"].percent == 100


def test_readiness_by_section_of_nothing_is_empty() -> None:
    assert readiness_by_section([]) == {}


def test_open_counts_the_requirements_with_work_left() -> None:
    readiness = overall_readiness(clauses(met=2, partial=1, not_met=3, not_assessed=4, not_applicable=5))
    assert readiness.open == 8  # partly met, not met and not assessed; met and not applicable are done
    assert Readiness().open == 0


@pytest.mark.parametrize(
    ("sections", "shown"),
    [
        # The first section with an open requirement, in the order given (catalog order)...
        ({"4": {"met": 3}, "5": {"not_assessed": 1}, "6": {"not_met": 2}}, "5"),
        ({"4": {"met": 1, "not_met": 1}, "5": {"not_assessed": 1}}, "4"),
        ({"4": {"met": 2}, "5": {"not_applicable": 1}, "6": {"partial": 1}}, "6"),
        ({"8": {"met": 1}, "9": {"met": 1}, "10": {"not_met": 1}}, "10"),
        # ... else the first: everything met or not applicable.
        ({"4": {"met": 2}, "5": {"not_applicable": 1, "met": 1}}, "4"),
        ({"4": {"not_applicable": 1}}, "4"),
        ({}, None),
    ],
)
def test_the_section_to_show_is_the_first_with_work_left(
    sections: dict[str, dict[str, int]], shown: str | None
) -> None:
    by_section = {number: overall_readiness(clauses(number, **counts)) for number, counts in sections.items()}
    assert section_to_show(by_section) == shown


def test_percent_is_undefined_over_zero() -> None:
    assert percent(Decimal(0), Decimal(0)) is None
    assert percent(Decimal(1), Decimal(8)) == 13


def criteria(met: int, unmet: int) -> list[Criterion]:
    return [Criterion(f"training.c{i}", "c", i < met, "") for i in range(met + unmet)]


def tasks(done: int, in_progress: int = 0, open_: int = 0) -> list[TaskSnapshot]:
    statuses = [TaskStatus.DONE] * done + [TaskStatus.IN_PROGRESS] * in_progress + [TaskStatus.OPEN] * open_
    return [TaskSnapshot(i, f"t{i}", Stage.TRAINING, status) for i, status in enumerate(statuses)]


@pytest.mark.parametrize(
    ("met", "unmet", "done", "in_progress", "open_", "expected"),
    [
        (1, 1, 3, 0, 1, 63),  # (1/2 + 3/4) / 2 = 62.5
        (1, 3, 0, 0, 1, 13),  # (1/4 + 0) / 2 = 12.5
        (1, 2, 2, 1, 0, 50),  # (1/3 + 2/3) / 2 = 0.5 exactly
        (2, 0, 4, 0, 0, 100),
        (0, 2, 0, 3, 0, 0),  # in progress counts as not done
        (1, 2, 0, 0, 0, 33),  # no tasks: criteria alone
        (0, 0, 2, 0, 1, 67),  # no criteria: tasks alone
        (0, 0, 0, 0, 0, None),  # neither: undefined
    ],
)
def test_stage_progress(
    met: int, unmet: int, done: int, in_progress: int, open_: int, expected: int | None
) -> None:
    progress = stage_progress(criteria(met, unmet), tasks(done, in_progress, open_))
    assert progress.percent == expected
    assert (progress.criteria_met, progress.criteria_total) == (met, met + unmet)
    assert (progress.tasks_done, progress.tasks_total) == (done, done + in_progress + open_)


def test_stage_progress_accepts_plain_string_statuses() -> None:
    class Row:
        def __init__(self, status: str) -> None:
            self.status = status

    assert stage_progress([], [Row("done"), Row("open")]).percent == 50


@pytest.mark.parametrize(
    ("met", "unmet", "done", "open_", "expected"),
    [
        (1, 1, 0, 3, 0),  # an untouched stage: its criterion that holds before any work is no progress
        (2, 0, 0, 0, 0),  # criteria alone, all holding by default: still nothing done
        (1, 1, 2, 2, 25),  # (0/2 + 2/4) / 2: its done tasks count
        (0, 0, 1, 1, 50),
    ],
)
def test_a_stage_not_started_counts_no_criterion_as_met(
    met: int, unmet: int, done: int, open_: int, expected: int
) -> None:
    progress = stage_progress(criteria(met, unmet), tasks(done, 0, open_), started=False)
    assert progress.percent == expected
    assert progress.criteria_met == met  # the criteria themselves still say what holds


def test_the_same_stage_started_counts_its_criteria() -> None:
    assert stage_progress(criteria(1, 1), tasks(0, 0, 3), started=True).percent == 25
    assert stage_progress(criteria(1, 1), tasks(0, 0, 3), started=False).percent == 0


def test_met_percent_counts_only_requirements_fully_met() -> None:
    r = overall_readiness(
        [
            ClauseAssessment("4.1", ClauseStatus.MET),
            ClauseAssessment("4.2", ClauseStatus.PARTIAL),
            ClauseAssessment("4.3", ClauseStatus.NOT_APPLICABLE),
        ]
    )
    assert (r.percent, r.met_percent) == (75, 50)
    assert overall_readiness([]).met_percent is None
