"""Stages, statuses and every exit criterion, met and unmet, with the reason the user reads."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain import catalog
from app.domain.certification import AuditKind
from app.domain.external_audit import (
    AuditRecord,
    CertificateFacts,
    ExternalAuditFacts,
    OpenMajor,
    external_audit_criteria,
)
from app.domain.pathway import (
    STAGES,
    Criterion,
    Stage,
    StageStatus,
    StandardFamily,
    TaskSnapshot,
    TaskStatus,
    can_mark_done,
    current_stage,
    describe_list,
    documentation_criteria,
    gap_analysis_criteria,
    is_overdue,
    stage_info,
    standard_family,
)
from app.domain.readiness import ClauseAssessment, ClauseStatus

S = ClauseStatus


def by_key(criteria: list[Criterion]) -> dict[str, Criterion]:
    return {criterion.key: criterion for criterion in criteria}


def test_stages_in_the_order_of_the_issue_and_of_the_catalog() -> None:
    keys = [
        "gap_analysis",
        "documentation",
        "training",
        "internal_audit",
        "management_review",
        "external_audit",
    ]
    assert [stage.value for stage in Stage] == keys
    assert tuple(keys) == catalog.STAGE_KEYS
    assert [info.key for info in STAGES] == list(Stage)
    assert all(info.title and info.description.endswith(".") for info in STAGES)
    assert stage_info(Stage.INTERNAL_AUDIT).title == "Internal audit"


def test_statuses() -> None:
    assert [s.value for s in StageStatus] == ["not_started", "in_progress", "done"]
    assert [s.value for s in TaskStatus] == ["open", "in_progress", "done"]


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ({}, Stage.GAP_ANALYSIS),
        ({Stage.GAP_ANALYSIS: StageStatus.IN_PROGRESS}, Stage.GAP_ANALYSIS),
        ({Stage.GAP_ANALYSIS: StageStatus.DONE, Stage.DOCUMENTATION: StageStatus.DONE}, Stage.TRAINING),
        # The first stage not done, even when a later one is already done.
        ({Stage.GAP_ANALYSIS: StageStatus.DONE, Stage.TRAINING: StageStatus.DONE}, Stage.DOCUMENTATION),
        (dict.fromkeys(Stage, StageStatus.DONE), None),
        ({"gap_analysis": "done"}, Stage.DOCUMENTATION),  # plain strings from the database work too
    ],
)
def test_current_stage(statuses: dict[Stage, StageStatus], expected: Stage | None) -> None:
    assert current_stage(statuses) == expected


@pytest.mark.parametrize(
    ("code", "family"),
    [
        ("iso9001", StandardFamily.ISO_9001),
        ("ISO 9001:2015", StandardFamily.ISO_9001),
        ("iso13485", StandardFamily.ISO_13485),
        ("ISO 13485:2016", StandardFamily.ISO_13485),
    ],
)
def test_standard_family(code: str, family: StandardFamily) -> None:
    assert standard_family(code) is family


def test_standard_family_refuses_an_unknown_standard() -> None:
    with pytest.raises(ValueError, match="iso14001"):
        standard_family("iso14001")


def test_describe_list_truncates_past_the_limit() -> None:
    assert describe_list(["4.1", "4.2", "4.3", "5.1", "5.2"]) == "4.1, 4.2, 4.3, 5.1, 5.2"
    assert describe_list(["4.1", "4.2", "4.3", "5.1", "5.2", "6.1"]) == "4.1, 4.2, 4.3, 5.1, 5.2 and 1 more"


# ---------------------------------------------------------------- gap analysis


def test_gap_analysis_met() -> None:
    result = by_key(
        gap_analysis_criteria(
            [
                ClauseAssessment("4.1", S.MET),
                ClauseAssessment("4.2", S.NOT_MET),
                ClauseAssessment("8.3.1", S.NOT_APPLICABLE, justification="We build to customer drawings."),
            ]
        )
    )
    assert result["gap_analysis.all_assessed"].met
    assert result["gap_analysis.all_assessed"].reason == "All 3 requirements assessed."
    assert result["gap_analysis.not_applicable_justified"].met


def test_gap_analysis_lists_unassessed_clauses_in_numeric_order_and_truncates() -> None:
    numbers = ["10.1", "9.1.1", "4.1", "4.2", "4.3", "4.4.1", "4.4.2", "5.1.1", "5.1.2", "5.3", "6.3", "7.2"]
    result = by_key(gap_analysis_criteria([ClauseAssessment(n) for n in numbers]))
    criterion = result["gap_analysis.all_assessed"]
    assert not criterion.met
    assert criterion.reason == "12 requirements not yet assessed: 4.1, 4.2, 4.3, 4.4.1, 4.4.2 and 7 more."


def test_gap_analysis_one_unassessed_clause_reads_in_the_singular() -> None:
    result = by_key(gap_analysis_criteria([ClauseAssessment("7.2"), ClauseAssessment("7.3", S.MET)]))
    assert result["gap_analysis.all_assessed"].reason == "1 requirement not yet assessed: 7.2."


def test_gap_analysis_not_applicable_needs_a_justification() -> None:
    result = by_key(
        gap_analysis_criteria(
            [
                ClauseAssessment("8.3.2", S.NOT_APPLICABLE, justification="   "),
                ClauseAssessment("8.3.1", S.NOT_APPLICABLE),
                ClauseAssessment("8.5.3", S.NOT_APPLICABLE, justification="No customer property."),
            ]
        )
    )
    criterion = result["gap_analysis.not_applicable_justified"]
    assert not criterion.met
    assert criterion.reason == "2 requirements marked not applicable without a justification: 8.3.1, 8.3.2."
    assert result["gap_analysis.all_assessed"].met


def test_gap_analysis_of_an_empty_standard_is_not_met() -> None:
    criterion = by_key(gap_analysis_criteria([]))["gap_analysis.all_assessed"]
    assert not criterion.met
    assert criterion.reason == "No requirements are loaded for this standard yet."


# ---------------------------------------------------------------- documentation

MAINTAIN = ("4.3", "5.2.2", "6.2.1", "8.5.1")


def test_documentation_met_when_every_maintain_item_has_an_approved_document() -> None:
    [criterion] = documentation_criteria(MAINTAIN, {"4.3", "5.2.2", "6.2.1", "8.5.1", "7.2"})
    assert criterion.met
    assert criterion.reason == "All 4 mandatory documents approved."


def test_documentation_names_the_missing_documents() -> None:
    [criterion] = documentation_criteria(MAINTAIN, {"4.3", "6.2.1", "7.2"})
    assert not criterion.met
    assert criterion.reason == (
        "2 mandatory documents without an approved, reviewed document in the register: 5.2.2, 8.5.1."
    )


def test_documentation_skips_requirements_marked_not_applicable() -> None:
    [criterion] = documentation_criteria(MAINTAIN, {"4.3", "5.2.2", "6.2.1"}, not_applicable={"8.5.1"})
    assert criterion.met
    assert criterion.reason == "All 3 mandatory documents approved."


def test_documentation_with_nothing_required_is_met() -> None:
    [criterion] = documentation_criteria((), set())
    assert criterion.met
    assert criterion.reason == "No mandatory document required."


# Training is judged by the matrix: tests/unit/test_training.py.


# The internal audit and management review criteria: tests/unit/test_audits_domain.py and
# tests/unit/test_reviews_domain.py (their rules live in app/domain/audits.py and reviews.py).


# ---------------------------------------------------------------- the gate
# (The External audit stage's own criteria are tested in tests/unit/test_certification_domain.py; here
# they serve as one stage's list.)

TODAY = date(2027, 6, 1)


def certified(open_majors: int = 0) -> ExternalAuditFacts:
    """Stage 1 and 2 held, the decision recorded, a valid certificate; ``open_majors`` of the body open."""
    return ExternalAuditFacts(
        audits=(
            AuditRecord(1, AuditKind.STAGE1, date(2027, 1, 10), date(2027, 1, 11), True),
            AuditRecord(
                2, AuditKind.STAGE2, date(2027, 3, 1), date(2027, 3, 3), True, decision_on=date(2027, 4, 1)
            ),
        ),
        open_majors=tuple(OpenMajor(f"Finding {n}", date(2027, 3, 3), 2) for n in range(open_majors)),
        certificates=(CertificateFacts("QMS-1", date(2030, 3, 31)),),
    )


def test_can_mark_done_when_every_criterion_holds() -> None:
    assert can_mark_done(Stage.EXTERNAL_AUDIT, external_audit_criteria(certified(), TODAY)) == (True, [])


def test_cannot_mark_done_and_says_which_criteria_fail() -> None:
    criteria = external_audit_criteria(certified(open_majors=1), TODAY)
    allowed, unmet = can_mark_done(Stage.EXTERNAL_AUDIT, criteria)
    assert not allowed
    assert [criterion.key for criterion in unmet] == ["external_audit.no_open_major"]


def test_can_mark_done_refuses_another_stages_criteria_or_none() -> None:
    with pytest.raises(ValueError, match="do not belong"):
        can_mark_done(Stage.TRAINING, external_audit_criteria(certified(), TODAY))
    with pytest.raises(ValueError, match="No exit criteria"):
        can_mark_done(Stage.TRAINING, [])


@pytest.mark.parametrize(
    ("status", "due", "overdue"),
    [
        (TaskStatus.OPEN, date(2025, 3, 9), True),
        (TaskStatus.IN_PROGRESS, date(2025, 3, 9), True),
        (TaskStatus.OPEN, date(2025, 3, 10), False),  # due today is not late yet
        (TaskStatus.DONE, date(2025, 3, 1), False),
        (TaskStatus.OPEN, None, False),
    ],
)
def test_task_overdue(status: TaskStatus, due: date | None, overdue: bool) -> None:
    snapshot = TaskSnapshot(1, "t", Stage.TRAINING, status, due_date=due)
    assert snapshot.is_overdue(date(2025, 3, 10)) is overdue


@pytest.mark.parametrize(
    ("done", "due", "overdue"),
    [
        (False, date(2025, 3, 9), True),
        (False, date(2025, 3, 10), False),  # the due day itself is not late yet
        (False, date(2025, 3, 11), False),
        (True, date(2025, 3, 1), False),
        (False, None, False),
        (True, None, False),
    ],
)
def test_overdue_is_not_done_and_past_the_due_date(done: bool, due: date | None, overdue: bool) -> None:
    assert is_overdue(done, due, date(2025, 3, 10)) is overdue


@pytest.mark.parametrize("status", list(TaskStatus))
@pytest.mark.parametrize("due", [None, date(2025, 3, 9), date(2025, 3, 10)])
def test_a_task_snapshot_is_overdue_by_the_one_rule(status: TaskStatus, due: date | None) -> None:
    today = date(2025, 3, 10)
    snapshot = TaskSnapshot(1, "t", Stage.TRAINING, status, due_date=due)
    assert snapshot.is_overdue(today) is is_overdue(status == TaskStatus.DONE, due, today)
