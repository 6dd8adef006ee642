"""Exit criteria of a whole project snapshot, and the order of the next steps."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from app.domain.audits import AuditFacts, Auditor, AuditStatus
from app.domain.certification import AuditKind
from app.domain.external_audit import AuditRecord, ExternalAuditFacts, OpenMajor
from app.domain.next_steps import (
    FindingAlert,
    NextStepKind,
    ProjectSnapshot,
    all_exit_criteria,
    exit_criteria,
    next_steps,
)
from app.domain.pathway import Stage, StageStatus, StandardFamily, TaskSnapshot, TaskStatus
from app.domain.readiness import ClauseAssessment, ClauseStatus
from app.domain.reviews import ReviewFacts, review_inputs
from app.domain.training import PersonRow, Record, Requirement, build_matrix

S = ClauseStatus
TODAY = date(2025, 3, 10)
DONE = StageStatus.DONE
K = NextStepKind


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def done_up_to(stage: Stage) -> dict[Stage, StageStatus]:
    """Every stage before ``stage`` done."""
    return dict.fromkeys(list(Stage)[: list(Stage).index(stage)], DONE)


def assessed(*numbers: str, status: ClauseStatus = S.MET) -> tuple[ClauseAssessment, ...]:
    return tuple(ClauseAssessment(number, status) for number in numbers)


# ---------------------------------------------------------------- exit criteria of a snapshot


def test_exit_criteria_cover_every_stage_in_order() -> None:
    criteria = all_exit_criteria(ProjectSnapshot(StandardFamily.ISO_9001))
    assert list(criteria) == list(Stage)
    for stage, stage_criteria in criteria.items():
        assert stage_criteria and all(c.key.startswith(f"{stage}.") for c in stage_criteria)


def test_documentation_skips_documents_of_not_applicable_requirements() -> None:
    snapshot = ProjectSnapshot(
        StandardFamily.ISO_9001,
        clauses=(ClauseAssessment("8.5.1", S.NOT_APPLICABLE, "Trading only."),),
        maintain_items=("4.3", "8.5.1"),
        approved_documents=frozenset({"4.3"}),
    )
    [criterion] = exit_criteria(Stage.DOCUMENTATION, snapshot)
    assert criterion.met
    [criterion] = exit_criteria(Stage.DOCUMENTATION, replace(snapshot, clauses=()))
    assert criterion.reason == (
        "1 mandatory document without an approved, reviewed document in the register: 8.5.1."
    )


def test_training_is_judged_by_the_matrix_not_by_tasks() -> None:
    tasks = (TaskSnapshot(1, "Awareness", Stage.TRAINING, TaskStatus.DONE),)
    criteria = exit_criteria(Stage.TRAINING, ProjectSnapshot(StandardFamily.ISO_9001, tasks=tasks))
    assert [c.key for c in criteria] == [
        "training.required_done",
        "training.awareness",
        "training.auditor_qualified",
    ]
    assert not any(c.met for c in criteria)  # a ticked task proves nothing: nobody is on the matrix


def test_a_new_revision_asks_for_retraining() -> None:
    everyone = Requirement(1, "QP-04 Control of documents", is_document=True, current_revision_id=20)
    people = (PersonRow(1, "An"), PersonRow(2, "Binh"))
    records = {1: [Record(1, date(2025, 1, 1), 1, revision_id=10)], 2: [Record(1, date(2025, 6, 1), 2, 20)]}
    matrix = build_matrix(people, [replace(everyone, everyone=True)], records, TODAY)
    [step] = [s for s in next_steps(ProjectSnapshot(StandardFamily.ISO_9001, training=matrix), today=TODAY)
              if s.kind == K.RETRAIN]  # fmt: skip
    assert step.title == "Retrain 1 person on QP-04 Control of documents"
    assert "An" in step.detail and "Binh" not in step.detail
    assert step.target == ("training_matrix", {"state": "outdated"})


REPORTED = days(-10)


def audit(scope: tuple[str, ...], *, reported: date | None = REPORTED, qualified: bool = True) -> AuditFacts:
    status = AuditStatus.REPORTED if reported else AuditStatus.PLANNED
    lead = Auditor(1, "Lan", "Quality", qualified)
    return AuditFacts(1, "Audit 1", status, days(-20), scope, (lead,), ("Production",), "", reported)


def test_internal_audit_sections_depend_on_the_standard() -> None:
    audits = (audit(("4", "5", "6", "7", "8")),)
    iso13485 = ProjectSnapshot(StandardFamily.ISO_13485, audits=audits, as_of=TODAY)
    iso9001 = ProjectSnapshot(StandardFamily.ISO_9001, audits=audits, as_of=TODAY)
    assert exit_criteria(Stage.INTERNAL_AUDIT, iso13485)[0].met
    assert exit_criteria(Stage.INTERNAL_AUDIT, iso9001)[0].reason == (
        "2 sections not yet audited in a reported audit of the last 12 months: 9, 10."
    )


def test_internal_audit_is_judged_on_reported_audits_only() -> None:
    audits = (audit(("4", "5", "6", "7", "8"), reported=None),)
    planned = ProjectSnapshot(StandardFamily.ISO_13485, audits=audits, as_of=TODAY)
    assert [c.met for c in exit_criteria(Stage.INTERNAL_AUDIT, planned)] == [False, False, True]


def test_a_section_whose_every_requirement_is_not_applicable_need_not_be_audited() -> None:
    clauses = (ClauseAssessment("7.3", S.NOT_APPLICABLE, "No design."), ClauseAssessment("8.2.1", S.MET))
    audits = (audit(("4", "5", "6", "8")),)
    snapshot = ProjectSnapshot(StandardFamily.ISO_13485, clauses=clauses, audits=audits, as_of=TODAY)
    assert snapshot.audit_sections == ["4", "5", "6", "8"]
    assert exit_criteria(Stage.INTERNAL_AUDIT, snapshot)[0].met


def test_management_review_inputs_depend_on_the_standard() -> None:
    text = "Recorded in full at the review meeting with the owner."
    inputs_9001 = {item.key: text for item in review_inputs(StandardFamily.ISO_9001)}
    review = ReviewFacts(1, days(-1), inputs_9001, {})
    snapshot = ProjectSnapshot(
        StandardFamily.ISO_13485, audits=(audit(("4",)),), reviews=(review,), as_of=TODAY
    )
    criteria = {c.key: c for c in exit_criteria(Stage.MANAGEMENT_REVIEW, snapshot)}
    assert criteria["management_review.held_after_audit"].met
    inputs = criteria["management_review.inputs_covered"]
    assert not inputs.met
    assert inputs.reason.startswith("11 inputs not yet recorded: (a) feedback; (b) complaint handling;")
    as_9001 = exit_criteria(Stage.MANAGEMENT_REVIEW, replace(snapshot, family=StandardFamily.ISO_9001))
    assert [c.met for c in as_9001] == [True, True, False]


def test_external_audit_reads_the_snapshot() -> None:
    stage2 = AuditRecord(1, AuditKind.STAGE2, days(-30), days(-29), True)
    facts = ExternalAuditFacts(audits=(stage2,), open_majors=(OpenMajor("Finding 4", days(-29), 1),))
    snapshot = ProjectSnapshot(StandardFamily.ISO_9001, external_audit=facts, as_of=TODAY)
    met = {c.key: c.met for c in exit_criteria(Stage.EXTERNAL_AUDIT, snapshot)}
    assert met == {
        "external_audit.stage1": False,
        "external_audit.stage2": True,
        "external_audit.no_open_major": False,
        "external_audit.decision": False,
        "external_audit.certificate": False,
    }


# ---------------------------------------------------------------- next steps


def busy_project() -> ProjectSnapshot:
    """In documentation; overdue tasks, unassessed clauses in sections 5 and 10, an unowned gap."""
    return ProjectSnapshot(
        StandardFamily.ISO_9001,
        clauses=(
            *assessed("4.1", "4.2"),
            ClauseAssessment("10.1"),
            ClauseAssessment("5.3"),
            ClauseAssessment("5.1.2"),
            ClauseAssessment("7.2", S.NOT_MET),
            ClauseAssessment("7.1.5.1", S.NOT_MET),
            ClauseAssessment("8.4.1", S.NOT_MET, owner="Linh"),
        ),
        maintain_items=("4.3", "5.2.2"),
        approved_documents=frozenset({"4.3"}),
        tasks=(
            TaskSnapshot(7, "Write the quality policy", Stage.DOCUMENTATION, due_date=days(-2)),
            TaskSnapshot(10, "Set quality objectives", Stage.DOCUMENTATION, due_date=days(-9)),
            TaskSnapshot(4, "Document control", Stage.DOCUMENTATION, due_date=days(-2)),
            TaskSnapshot(5, "Work instructions", Stage.DOCUMENTATION, due_date=days(20)),
            TaskSnapshot(6, "Records list", Stage.DOCUMENTATION, due_date=days(5)),
            TaskSnapshot(8, "Undated", Stage.DOCUMENTATION),
            TaskSnapshot(9, "Done already", Stage.DOCUMENTATION, TaskStatus.DONE, due_date=days(1)),
            TaskSnapshot(2, "Awareness training", Stage.TRAINING, due_date=days(1)),
        ),
        stage_statuses={Stage.GAP_ANALYSIS: DONE, Stage.DOCUMENTATION: StageStatus.IN_PROGRESS},
        section_titles={"5": "Leadership", "10": "Improvement"},
    )


def test_next_steps_in_priority_order() -> None:
    steps = next_steps(busy_project(), today=TODAY, limit=10)
    assert [(step.kind, step.target) for step in steps] == [
        (K.OVERDUE_TASK, ("task", {"task_id": 10})),  # 9 days late, though its id is highest
        (K.OVERDUE_TASK, ("task", {"task_id": 4})),  # 2 days late, lower id than task 7
        (K.ASSESS_CLAUSES, ("gap_analysis", {"section": "5", "status": "not_assessed"})),
        (K.EXIT_CRITERION, ("stage", {"stage": "documentation"})),
        (K.ASSIGN_OWNER, ("gap_analysis", {"status": "not_met"})),
        (K.NEXT_TASK, ("task", {"task_id": 6})),  # earliest due of the current stage, not overdue
    ]


def test_next_steps_say_what_to_do_in_plain_words() -> None:
    steps = next_steps(busy_project(), today=TODAY, limit=10)
    assert steps[0].title == "Overdue: Set quality objectives"
    assert steps[0].detail == "Was due 2025-03-01, 9 days ago."
    assert steps[2].title == "Assess section 5 (Leadership)"
    assert steps[2].detail == "2 requirements not yet assessed: 5.1.2, 5.3."
    assert steps[3].title == "Documentation: every mandatory document approved"
    assert steps[3].detail == (
        "1 mandatory document without an approved, reviewed document in the register: 5.2.2."
    )
    assert steps[4].title == "Name an owner for 2 unmet requirements"
    assert steps[4].detail == "Nobody is closing 7.1.5.1, 7.2."
    assert steps[5].title == "Next: Records list"
    assert steps[5].detail == "Due 2025-03-15."


def test_next_steps_respect_the_limit() -> None:
    steps = next_steps(busy_project(), today=TODAY)
    assert len(steps) == 5
    assert next_steps(busy_project(), today=TODAY, limit=2) == steps[:2]


def test_next_steps_do_not_depend_on_input_order() -> None:
    project = busy_project()
    shuffled_tasks, shuffled_clauses = list(project.tasks), list(project.clauses)
    random.Random(4).shuffle(shuffled_tasks)
    random.Random(4).shuffle(shuffled_clauses)
    shuffled = replace(project, tasks=tuple(shuffled_tasks), clauses=tuple(shuffled_clauses))
    assert next_steps(shuffled, today=TODAY, limit=10) == next_steps(project, today=TODAY, limit=10)


def test_gap_analysis_does_not_repeat_the_assessment_as_a_criterion() -> None:
    snapshot = ProjectSnapshot(StandardFamily.ISO_9001, clauses=(ClauseAssessment("4.1"), *assessed("4.2")))
    assert [step.kind for step in next_steps(snapshot, today=TODAY)] == [K.ASSESS_CLAUSES]


def test_gap_analysis_points_to_unjustified_not_applicable_clauses() -> None:
    snapshot = ProjectSnapshot(
        StandardFamily.ISO_9001,
        clauses=(ClauseAssessment("4.1"), ClauseAssessment("8.3.1", S.NOT_APPLICABLE)),
    )
    steps = next_steps(snapshot, today=TODAY)
    assert [step.kind for step in steps] == [K.ASSESS_CLAUSES, K.EXIT_CRITERION]
    assert steps[1].target == ("gap_analysis", {"status": "not_applicable"})
    assert steps[1].detail == "1 requirement marked not applicable without a justification: 8.3.1."


def test_unassessed_clauses_are_suggested_whatever_the_stage() -> None:
    snapshot = ProjectSnapshot(
        StandardFamily.ISO_9001,
        clauses=(ClauseAssessment("10.1"), ClauseAssessment("9.1.1")),
        stage_statuses=done_up_to(Stage.TRAINING),
        tasks=(TaskSnapshot(1, "Awareness", Stage.TRAINING),),
    )
    steps = next_steps(snapshot, today=TODAY)
    assert steps[0].target == ("gap_analysis", {"section": "9", "status": "not_assessed"})
    assert steps[0].title == "Assess section 9"  # no title known for the section
    assert steps[1].title == "Training: every required training done and current"


def test_a_stage_whose_criteria_hold_is_to_be_marked_done() -> None:
    snapshot = ProjectSnapshot(
        StandardFamily.ISO_9001,
        maintain_items=("4.3",),
        approved_documents=frozenset({"4.3"}),
        stage_statuses=done_up_to(Stage.DOCUMENTATION),
    )
    [step] = next_steps(snapshot, today=TODAY)
    assert (step.kind, step.title) == (K.CLOSE_STAGE, "Mark Documentation done")
    assert step.target == ("stage", {"stage": "documentation"})


def test_once_every_stage_is_done_prepare_for_surveillance() -> None:
    snapshot = ProjectSnapshot(StandardFamily.ISO_13485, stage_statuses=dict.fromkeys(Stage, DONE))
    [step] = next_steps(snapshot, today=TODAY)
    assert step.kind is K.SURVEILLANCE
    assert step.title == "Prepare for the first surveillance audit"
    assert step.target == ("external_audits", {})


def test_once_certified_the_next_audit_of_the_cycle_is_named_with_its_date() -> None:
    """Decided on 2024-02-29; the first surveillance held in 2025: the second falls in 2026."""
    decided = AuditRecord(1, AuditKind.STAGE2, date(2024, 2, 20), date(2024, 2, 22), True,
                          decision_on=date(2024, 2, 29))  # fmt: skip
    first = AuditRecord(2, AuditKind.SURVEILLANCE1, date(2025, 1, 14), date(2025, 1, 15), True)
    facts = ExternalAuditFacts(audits=(decided, first))
    snapshot = ProjectSnapshot(StandardFamily.ISO_9001, stage_statuses=dict.fromkeys(Stage, DONE),
                               external_audit=facts, as_of=TODAY)  # fmt: skip
    [step] = next_steps(snapshot, today=TODAY)
    assert step.title == "Prepare for the second surveillance audit"
    assert step.detail.startswith("The second surveillance audit is due by 2026-12-31")
    without_first = replace(snapshot, external_audit=ExternalAuditFacts(audits=(decided,)))
    [late] = next_steps(without_first, today=TODAY)
    assert late.title == "Prepare for the first surveillance audit"
    assert late.detail.startswith("The first surveillance audit was due by 2025-02-28")


def test_next_task_prefers_dated_tasks_then_the_lowest_id() -> None:
    tasks = (
        TaskSnapshot(5, "Undated", Stage.TRAINING),
        TaskSnapshot(4, "Also undated", Stage.TRAINING),
        TaskSnapshot(9, "In progress", Stage.TRAINING, TaskStatus.IN_PROGRESS, due_date=days(30)),
    )
    snapshot = ProjectSnapshot(
        StandardFamily.ISO_9001, tasks=tasks, stage_statuses=done_up_to(Stage.TRAINING)
    )
    assert next_steps(snapshot, today=TODAY)[-1].target == ("task", {"task_id": 9})
    undated = replace(snapshot, tasks=tasks[:2])
    last = next_steps(undated, today=TODAY)[-1]
    assert last.target == ("task", {"task_id": 4})
    assert last.detail == "No due date."


def test_overdue_corrective_actions_and_open_majors_lead_the_next_steps() -> None:
    late = (
        FindingAlert(7, "Finding 7 (minor, 8.5.1)", days(-3)),
        FindingAlert(9, "Finding 9 (major)", days(-9)),
    )
    majors = (FindingAlert(9, "Finding 9 (major)", days(-9)), FindingAlert(11, "Finding 11 (major, 7.5.6)"))
    snapshot = replace(busy_project(), overdue_findings=late, open_major_findings=majors)
    steps = next_steps(snapshot, today=TODAY)
    assert [s.kind for s in steps[:3]] == [K.OVERDUE_FINDING, K.OVERDUE_FINDING, K.OPEN_MAJORS]
    assert steps[0].target == ("finding", {"finding_id": 9})
    assert steps[0].detail.startswith("Was due 2025-03-01, 9 days ago")
    assert steps[2].title == "Close 1 open major finding"
    assert "Finding 11 (major, 7.5.6)" in steps[2].detail and "Finding 9" not in steps[2].detail
    assert steps[2].target == ("findings", {"severity": "major", "state": "open"})


def test_overdue_review_actions_are_followed_up() -> None:
    snapshot = ProjectSnapshot(
        StandardFamily.ISO_9001, overdue_review_actions=("Buy a second torque tester",)
    )
    [step] = [s for s in next_steps(snapshot, today=TODAY) if s.kind == K.REVIEW_ACTIONS]
    assert step.title == "Follow up 1 management review action past its due date"
    assert step.detail == "Buy a second torque tester"
    assert step.target == ("reviews", {})
