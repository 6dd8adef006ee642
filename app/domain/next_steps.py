"""A project as one snapshot of plain values, its exit criteria, and the next steps it suggests.

``next_steps`` picks the few most useful actions right now, in this priority order:

0. the most urgent concern of a running register that holds records (``MAX_REGISTER_LEADS`` of them, in
   :data:`REGISTER_PRIORITY` order: earlier results not assessed after an instrument was found out of
   calibration, then overdue calibration, lead); the registers' other urgent concerns, and the empty
   registers to start, come after step 4;
1. findings of the nonconformity register whose deadline or action is overdue (at most ``MAX_OVERDUE``,
   most overdue first), then the open major findings; then overdue tasks, most overdue first (at most
   ``MAX_OVERDUE``; ties by task id), then review actions past their due date;
   then controlled documents past their review date, then revisions waiting for approval, then the
   people to retrain because a document they were trained on has a newer approved revision;
2. the requirements still to assess in the first section (numeric order) that has any;
3. the current stage's first unmet exit criterion, or, when every one holds, closing the stage
   (once every stage is done: preparing for the first surveillance audit). The gap analysis
   "every requirement assessed" criterion is skipped when step 2 already says the same;
4. unmet requirements that nobody owns;
5. the next open task of the current stage that is not overdue: earliest due date first, undated
   tasks last, ties by task id.

Each step has a ``target``: a view name and its parameters (``("task", {"task_id": 3})``), which
the web layer turns into a link. The order is fully determined by the data (never by the order of
the input tuples), so the same snapshot always gives the same list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from app.domain.audits import AuditFacts, applicable_sections, internal_audit_criteria, last_report
from app.domain.catalog import clause_sort_key
from app.domain.certification import KIND_LABELS, CycleAudit, next_audit
from app.domain.external_audit import ExternalAuditFacts, external_audit_criteria
from app.domain.pathway import (
    AUDIT_SECTIONS,
    Criterion,
    Stage,
    StageStatus,
    StandardFamily,
    TaskSnapshot,
    TaskStatus,
    current_stage,
    describe_list,
    documentation_criteria,
    gap_analysis_criteria,
    stage_info,
)
from app.domain.readiness import ClauseAssessment, ClauseStatus
from app.domain.registers import RegisterKey, RegisterState
from app.domain.reviews import ReviewFacts, management_review_criteria
from app.domain.text import _, ngettext
from app.domain.training import Matrix, needs_retraining, people_count, training_criteria

MAX_OVERDUE = 2
ALL_ASSESSED = "gap_analysis.all_assessed"
Target = tuple[str, Mapping[str, str | int]]


@dataclass(frozen=True)
class FindingAlert:
    """A finding of the register the next steps name: "NC-12 (major, 7.5.6)" and its due date, if any."""

    id: int
    label: str
    due: date | None = None


@dataclass(frozen=True)
class ProjectSnapshot:
    """Everything the exit criteria and next steps look at, as plain values.

    ``clauses`` holds the assessable requirements (leaf clauses); ``maintain_items`` the clause
    numbers of the mandatory "maintain" documents (``checklists.maintain_items``);
    ``approved_documents`` the clause numbers that have a controlled document in the register
    (``documents.controlled_numbers``); ``documents_in_review`` names the revisions waiting for
    approval ("QP-04 rev B") and ``documents_overdue`` the codes of documents past their review date;
    ``section_titles`` maps "7" to "Support" for friendlier wording. A stage missing from
    ``stage_statuses`` is not started. ``audits`` and ``reviews`` are the audit programme and the
    management reviews; ``external_audit`` the certification body's audits, its open majors and the
    certificates; ``overdue_findings`` and ``open_major_findings`` come from the nonconformity register,
    ``overdue_review_actions`` names review actions past their due date; ``registers`` holds the state of
    each running register (:mod:`app.domain.registers`). ``as_of`` is the day judged.
    """

    family: StandardFamily
    clauses: tuple[ClauseAssessment, ...] = ()
    maintain_items: tuple[str, ...] = ()
    approved_documents: frozenset[str] = frozenset()
    documents_in_review: tuple[str, ...] = ()
    documents_overdue: tuple[str, ...] = ()
    training: Matrix = field(default_factory=lambda: Matrix((), (), {}))
    tasks: tuple[TaskSnapshot, ...] = ()
    stage_statuses: Mapping[Stage, StageStatus] = field(default_factory=dict)
    audits: tuple[AuditFacts, ...] = ()
    open_internal_majors: int = 0
    reviews: tuple[ReviewFacts, ...] = ()
    external_audit: ExternalAuditFacts = field(default_factory=ExternalAuditFacts)
    overdue_findings: tuple[FindingAlert, ...] = ()
    open_major_findings: tuple[FindingAlert, ...] = ()
    overdue_review_actions: tuple[str, ...] = ()
    registers: tuple[RegisterState, ...] = ()
    section_titles: Mapping[str, str] = field(default_factory=dict)
    as_of: date = field(default_factory=date.today)

    @property
    def audit_sections(self) -> list[str]:
        """The programme's sections less those whose every requirement is not applicable."""
        return applicable_sections(
            AUDIT_SECTIONS[self.family],
            self.numbers_with(ClauseStatus.NOT_APPLICABLE),
            (c.number for c in self.clauses),
        )

    def tasks_of(self, stage: Stage) -> tuple[TaskSnapshot, ...]:
        return tuple(task for task in self.tasks if task.stage == stage)

    def numbers_with(self, status: ClauseStatus) -> list[str]:
        """Clause numbers with ``status``, in numeric order."""
        return sorted((c.number for c in self.clauses if c.status == status), key=clause_sort_key)


class NextStepKind(StrEnum):
    OVERDUE_TASK = "overdue_task"
    ASSESS_CLAUSES = "assess_clauses"
    EXIT_CRITERION = "exit_criterion"
    CLOSE_STAGE = "close_stage"
    SURVEILLANCE = "surveillance"
    ASSIGN_OWNER = "assign_owner"
    NEXT_TASK = "next_task"
    REVIEW_DOCUMENTS = "review_documents"
    RETRAIN = "retrain"
    APPROVE_DOCUMENTS = "approve_documents"
    OVERDUE_FINDING = "overdue_finding"
    OPEN_MAJORS = "open_majors"
    REVIEW_ACTIONS = "review_actions"
    REGISTER = "register"


@dataclass(frozen=True)
class NextStep:
    kind: NextStepKind
    title: str
    detail: str
    target: Target


_CRITERIA: Mapping[Stage, Callable[[ProjectSnapshot], list[Criterion]]] = {
    Stage.GAP_ANALYSIS: lambda s: gap_analysis_criteria(s.clauses),
    Stage.DOCUMENTATION: lambda s: documentation_criteria(
        s.maintain_items, s.approved_documents, s.numbers_with(ClauseStatus.NOT_APPLICABLE)
    ),
    Stage.TRAINING: lambda s: training_criteria(s.training),
    Stage.INTERNAL_AUDIT: lambda s: internal_audit_criteria(
        s.audit_sections, s.audits, s.open_internal_majors, s.as_of
    ),
    Stage.MANAGEMENT_REVIEW: lambda s: management_review_criteria(s.family, s.reviews, last_report(s.audits)),
    Stage.EXTERNAL_AUDIT: lambda s: external_audit_criteria(s.external_audit, s.as_of),
}

# Criteria fixed on the gap analysis page rather than the stage page.
_CRITERION_TARGETS: Mapping[str, Target] = {
    ALL_ASSESSED: ("gap_analysis", {"status": ClauseStatus.NOT_ASSESSED.value}),
    "gap_analysis.not_applicable_justified": ("gap_analysis", {"status": ClauseStatus.NOT_APPLICABLE.value}),
}


def exit_criteria(stage: Stage, snapshot: ProjectSnapshot) -> list[Criterion]:
    return _CRITERIA[stage](snapshot)


def all_exit_criteria(snapshot: ProjectSnapshot) -> dict[Stage, list[Criterion]]:
    return {stage: exit_criteria(stage, snapshot) for stage in Stage}


def _due_text(task: TaskSnapshot, today: date) -> str:
    if task.due_date is None:
        return _("No due date.")
    late = (today - task.due_date).days
    if late > 0:
        return ngettext(
            "Was due %(day)s, %(num)d day ago.",
            "Was due %(day)s, %(num)d days ago.",
            late,
            day=task.due_date.isoformat(),
        )
    return _("Due %(day)s.", day=task.due_date.isoformat())


def _overdue(snapshot: ProjectSnapshot, today: date) -> list[NextStep]:
    late = sorted(
        (t for t in snapshot.tasks if t.is_overdue(today)), key=lambda t: (t.due_date or today, t.id)
    )
    return [
        NextStep(
            NextStepKind.OVERDUE_TASK,
            _("Overdue: %(task)s", task=task.title),
            _due_text(task, today),
            ("task", {"task_id": task.id}),
        )
        for task in late[:MAX_OVERDUE]
    ]


def _findings(snapshot: ProjectSnapshot, today: date) -> list[NextStep]:
    """Overdue corrective actions first (most overdue first), then the open majors not named already."""
    late = sorted(snapshot.overdue_findings, key=lambda f: (f.due or today, f.id))[:MAX_OVERDUE]
    steps = [
        NextStep(
            NextStepKind.OVERDUE_FINDING,
            _("Overdue: %(finding)s", finding=finding.label),
            ngettext(
                "Was due %(day)s, %(num)d day ago: record the next step of its corrective action.",
                "Was due %(day)s, %(num)d days ago: record the next step of its corrective action.",
                (today - finding.due).days,
                day=finding.due.isoformat(),
            )
            if finding.due
            else _("Its corrective action is overdue."),
            ("finding", {"finding_id": finding.id}),
        )
        for finding in late
    ]
    named = {f.id for f in late}
    majors = [f for f in snapshot.open_major_findings if f.id not in named]
    if majors:
        steps.append(
            NextStep(
                NextStepKind.OPEN_MAJORS,
                ngettext(
                    "Close %(num)d open major finding", "Close %(num)d open major findings", len(majors)
                ),
                _(
                    "Root cause, action and a passed effectiveness check: %(findings)s.",
                    findings=describe_list([f.label for f in majors], 3),
                ),
                ("findings", {"severity": "major", "state": "open"}),
            )
        )
    return steps


def _review_actions(snapshot: ProjectSnapshot) -> list[NextStep]:
    actions = snapshot.overdue_review_actions
    if not actions:
        return []
    return [
        NextStep(
            NextStepKind.REVIEW_ACTIONS,
            ngettext(
                "Follow up %(num)d management review action past its due date",
                "Follow up %(num)d management review actions past their due date",
                len(actions),
            ),
            describe_list(list(actions), 3),
            ("reviews", {}),
        )
    ]


def _documents(snapshot: ProjectSnapshot) -> list[NextStep]:
    steps = []
    if snapshot.documents_overdue:
        codes = snapshot.documents_overdue
        steps.append(
            NextStep(
                NextStepKind.REVIEW_DOCUMENTS,
                ngettext(
                    "Review %(num)d document past the review date",
                    "Review %(num)d documents past the review date",
                    len(codes),
                ),
                _(
                    "Confirm or revise %(documents)s: until then they are not controlled.",
                    documents=describe_list(list(codes)),
                ),
                ("documents", {"status": "overdue"}),
            )
        )
    if snapshot.documents_in_review:
        waiting = snapshot.documents_in_review
        steps.append(
            NextStep(
                NextStepKind.APPROVE_DOCUMENTS,
                ngettext(
                    "Approve %(num)d revision waiting for approval",
                    "Approve %(num)d revisions waiting for approval",
                    len(waiting),
                ),
                _(
                    "Waiting: %(documents)s. Someone other than its author approves each.",
                    documents=describe_list(list(waiting)),
                ),
                ("documents", {"status": "in_review"}),
            )
        )
    return steps


def _retrain(snapshot: ProjectSnapshot) -> list[NextStep]:
    """Who needs retraining because a document they were trained on has a newer approved revision."""
    names = {r.id: r.name for r in snapshot.training.requirements}
    steps = []
    for requirement_id, people in needs_retraining(snapshot.training).items():
        steps.append(
            NextStep(
                NextStepKind.RETRAIN,
                _(
                    "Retrain %(people)s on %(training)s",
                    people=people_count(len(people)),
                    training=names[requirement_id],
                ),
                _(
                    "Trained on a revision that is no longer current: %(people)s.",
                    people=describe_list([p.name for p in people], 3),
                ),
                ("training_matrix", {"state": "outdated"}),
            )
        )
    return steps[:MAX_OVERDUE]


def _assess(snapshot: ProjectSnapshot) -> list[NextStep]:
    todo = snapshot.numbers_with(ClauseStatus.NOT_ASSESSED)
    if not todo:
        return []
    section = todo[0].split(".", 1)[0]
    in_section = [number for number in todo if number.split(".", 1)[0] == section]
    title = (
        _("Assess section %(section)s (%(title)s)", section=section, title=snapshot.section_titles[section])
        if section in snapshot.section_titles
        else _("Assess section %(section)s", section=section)
    )
    detail = ngettext(
        "%(num)d requirement not yet assessed: %(list)s.",
        "%(num)d requirements not yet assessed: %(list)s.",
        len(in_section),
        list=describe_list(in_section),
    )
    target: Target = ("gap_analysis", {"section": section, "status": ClauseStatus.NOT_ASSESSED.value})
    return [NextStep(NextStepKind.ASSESS_CLAUSES, title, detail, target)]


def _cycle_step(snapshot: ProjectSnapshot) -> NextStep:
    """Once every stage is done: the next audit of the certification cycle, by the date it is due."""
    facts, today = snapshot.external_audit, snapshot.as_of
    decisions = [a for a in facts.audits if a.held and a.decision_on is not None]
    target: Target = ("external_audits", {})
    if decisions:
        decision = max(decisions, key=lambda a: (a.decision_on or a.ends_on, a.id)).decision_on
        assert decision is not None
        cycle = [CycleAudit(a.kind, a.ends_on, a.held) for a in facts.audits if a.ends_on > decision]
        due = next_audit(decision, cycle, today)
        if due is not None:
            name = str(KIND_LABELS[due.kind]).lower()
            day = due.due_by.isoformat()
            detail = (
                _(
                    "The %(audit)s was due by %(day)s: keep auditing and reviewing meanwhile.",
                    audit=name,
                    day=day,
                )
                if due.overdue
                else _(
                    "The %(audit)s is due by %(day)s: keep auditing and reviewing meanwhile.",
                    audit=name,
                    day=day,
                )
            )
            return NextStep(
                NextStepKind.SURVEILLANCE, _("Prepare for the %(audit)s", audit=name), detail, target
            )
    detail = _("The certification body returns within 12 months: keep auditing and reviewing meanwhile.")
    return NextStep(NextStepKind.SURVEILLANCE, _("Prepare for the first surveillance audit"), detail, target)


def _stage_step(snapshot: ProjectSnapshot, skip_assessed: bool) -> list[NextStep]:
    stage = current_stage(snapshot.stage_statuses)
    if stage is None:
        return [_cycle_step(snapshot)]
    name, target = stage_info(stage).title, ("stage", {"stage": stage.value})
    unmet = [c for c in exit_criteria(stage, snapshot) if not c.met]
    if not unmet:
        return [
            NextStep(
                NextStepKind.CLOSE_STAGE,
                _("Mark %(stage)s done", stage=name),
                _("Every exit criterion holds."),
                target,
            )
        ]
    # Step 2 already asks for the missing assessments; do not say it twice.
    shown = [c for c in unmet if not (skip_assessed and c.key == ALL_ASSESSED)]
    if not shown:
        return []
    first = shown[0]
    title = _("%(stage)s: %(criterion)s", stage=name, criterion=str(first.label).lower())
    return [
        NextStep(NextStepKind.EXIT_CRITERION, title, first.reason, _CRITERION_TARGETS.get(first.key, target))
    ]


def _unowned(snapshot: ProjectSnapshot) -> list[NextStep]:
    unowned = (
        c for c in snapshot.clauses if c.status == ClauseStatus.NOT_MET and not (c.owner or "").strip()
    )
    numbers = sorted((c.number for c in unowned), key=clause_sort_key)
    if not numbers:
        return []
    title = ngettext(
        "Name an owner for %(num)d unmet requirement",
        "Name an owner for %(num)d unmet requirements",
        len(numbers),
    )
    target: Target = ("gap_analysis", {"status": ClauseStatus.NOT_MET.value})
    return [
        NextStep(
            NextStepKind.ASSIGN_OWNER,
            title,
            _("Nobody is closing %(list)s.", list=describe_list(numbers)),
            target,
        )
    ]


def _next_task(snapshot: ProjectSnapshot, today: date) -> list[NextStep]:
    stage = current_stage(snapshot.stage_statuses)
    if stage is None:
        return []
    todo = [t for t in snapshot.tasks_of(stage) if t.status != TaskStatus.DONE and not t.is_overdue(today)]
    if not todo:
        return []
    task = min(todo, key=lambda t: (t.due_date is None, t.due_date or today, t.id))
    target: Target = ("task", {"task_id": task.id})
    return [
        NextStep(NextStepKind.NEXT_TASK, _("Next: %(task)s", task=task.title), _due_text(task, today), target)
    ]


# The registers whose concerns matter most first: measurements that may have passed bad product, then the
# complaints and suppliers that reach the customer, then the rest.
REGISTER_PRIORITY: tuple[RegisterKey, ...] = (
    RegisterKey.EQUIPMENT,
    RegisterKey.COMPLAINTS,
    RegisterKey.SUPPLIERS,
    RegisterKey.RISK_FILES,
    RegisterKey.SOFTWARE,
    RegisterKey.RISKS,
    RegisterKey.CONTEXT,
    RegisterKey.SATISFACTION,
)
MAX_REGISTER_LEADS = 1


def _registers(snapshot: ProjectSnapshot) -> tuple[list[NextStep], list[NextStep]]:
    """One step per urgent concern of a register that says what to do, in :data:`REGISTER_PRIORITY` order
    and, within a register, in the order the register lists its concerns: the first ``MAX_REGISTER_LEADS``
    of a register that holds records (something going wrong in it), and all the others (an empty register
    is work to start, which waits for the stage's own steps)."""
    by_key = {state.key: state for state in snapshot.registers}
    steps = [
        (
            NextStep(
                NextStepKind.REGISTER,
                concern.action,
                _("%(register)s: %(state)s.", register=state.register.title, state=state.text),
                ("register", {"key": str(key), **dict(concern.query)}),
            ),
            not state.empty,
        )
        for key in REGISTER_PRIORITY
        if (state := by_key.get(key)) is not None
        for concern in state.concerns
        if concern.urgent and concern.count and concern.action
    ]
    leads = [step for step, kept in steps if kept][:MAX_REGISTER_LEADS]
    return leads, [step for step, _kept in steps if step not in leads]


def next_steps(snapshot: ProjectSnapshot, *, today: date, limit: int = 5) -> list[NextStep]:
    """The ``limit`` most useful actions now, in the priority order of the module docstring."""
    assess = _assess(snapshot)
    leads, others = _registers(snapshot)
    candidates = [
        *leads,
        *_findings(snapshot, today),
        *_overdue(snapshot, today),
        *_review_actions(snapshot),
        *_documents(snapshot),
        *_retrain(snapshot),
        *assess,
        *_stage_step(snapshot, skip_assessed=bool(assess)),
        *_unowned(snapshot),
        *others,
        *_next_task(snapshot, today),
    ]
    return candidates[:limit]
