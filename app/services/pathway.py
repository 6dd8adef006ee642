"""A project's pathway: set-up from the templates, a snapshot of its state, and stage changes.

``project_overview`` reads everything the project page shows in a fixed number of queries, whatever the
number of clauses, tasks, findings or evidence items, and hands plain values to the domain rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from app.domain import checklists, documents, gates, next_steps, pathway, readiness
from app.domain.coverage import CoverageResult, coverage_of
from app.domain.next_steps import NextStep, ProjectSnapshot
from app.domain.pathway import Criterion, Stage, StageInfo, TaskSnapshot
from app.domain.training import qualified_auditors
from app.extensions import db
from app.models import Assessment, CertificationProject, Clause, ProjectStage, Task
from app.services import audits as audit_service
from app.services import document_register, register_states, training
from app.services import external_audits as external_audit_service
from app.services import findings as finding_service
from app.services import reviews as review_service
from app.services import stages as stage_service
from app.services.changes import check_version
from app.services.coverage import covered_clauses
from app.services.errors import Invalid


@dataclass(frozen=True)
class ClauseView:
    """A catalog clause as the checklist templates see it."""

    number: str
    title: str | None
    label: str | None
    documented_information: str
    requirement: bool


def setup_project(project: CertificationProject) -> None:
    """Give a new project its six stages, a not-assessed verdict per requirement, and default tasks."""
    db.session.flush()
    clauses = list(
        db.session.execute(
            select(Clause).where(Clause.standard_id == project.standard_id).order_by(Clause.position)
        ).scalars()
    )
    for position, stage in enumerate(Stage):
        db.session.add(ProjectStage(project_id=project.id, key=stage.value, position=position))
    db.session.add_all(Assessment(project_id=project.id, clause_id=c.id) for c in clauses if c.is_leaf)
    views = [ClauseView(c.number, c.title, None, c.documented_information, c.is_requirement) for c in clauses]
    family = pathway.standard_family(project.standard.code)
    for position, template in enumerate(checklists.default_checklist(family, views)):
        db.session.add(
            Task(
                project_id=project.id,
                stage=template.stage.value,
                key=template.key,
                position=position,
                title=template.title,
                hint=template.hint or "",
                clause_number=template.clause,
            )
        )


def load_snapshot(
    project: CertificationProject, today: date | None = None
) -> tuple[ProjectSnapshot, list[Task], list[ProjectStage]]:
    """Everything the exit criteria and next steps need, in a fixed number of queries whatever the data."""
    today = today or date.today()
    assessments = db.session.execute(
        select(Clause.number, Assessment)
        .join(Clause, Clause.id == Assessment.clause_id)
        .where(Assessment.project_id == project.id)
    ).all()
    clauses = db.session.execute(
        select(
            Clause.number, Clause.title, Clause.level, Clause.documented_information, Clause.is_requirement
        )
        .where(Clause.standard_id == project.standard_id)
        .order_by(Clause.position)
    ).all()
    tasks = list(
        db.session.execute(
            select(Task).where(Task.project_id == project.id).order_by(Task.position, Task.id)
        ).scalars()
    )
    stages = list(
        db.session.execute(
            select(ProjectStage).where(ProjectStage.project_id == project.id).order_by(ProjectStage.position)
        ).scalars()
    )
    findings = finding_service.alerts(project, today)
    matrix = training.load_matrix(project, today)
    qualified = [person.id for person in qualified_auditors(matrix)]
    views = [ClauseView(c.number, c.title, None, c.documented_information, c.is_requirement) for c in clauses]
    maintain = checklists.maintain_items(views)
    waiting = document_register.waiting(project.id, today)
    snapshot = ProjectSnapshot(
        family=pathway.standard_family(project.standard.code),
        clauses=tuple(
            readiness.ClauseAssessment(
                number, readiness.ClauseStatus(a.status), a.justification, a.owner or None, a.due_date
            )
            for number, a in assessments
        ),
        maintain_items=maintain,
        approved_documents=documents.controlled_numbers(maintain, document_register.facts(project.id), today),
        documents_in_review=waiting.in_review,
        documents_overdue=waiting.overdue,
        training=matrix,
        tasks=tuple(
            TaskSnapshot(
                t.id, t.title, Stage(t.stage), pathway.TaskStatus(t.status), t.due_date, t.owner or None
            )
            for t in tasks
        ),
        stage_statuses={Stage(s.key): pathway.StageStatus(s.status) for s in stages},
        audits=tuple(audit_service.programme_facts(project, qualified)),
        open_internal_majors=findings.open_majors_by_source.get("internal_audit", 0),
        reviews=tuple(review_service.review_facts(project)),
        external_audit=external_audit_service.stage_facts(project),
        overdue_findings=findings.overdue,
        open_major_findings=findings.open_majors,
        overdue_review_actions=tuple(review_service.overdue_actions(project, today)),
        registers=tuple(register_states.states_of(project, today)),
        section_titles={c.number: c.title for c in clauses if c.level == 1},
        as_of=today,
    )
    return snapshot, tasks, stages


@dataclass(frozen=True)
class StageView:
    info: StageInfo
    row: ProjectStage
    criteria: list[Criterion]
    progress: readiness.StageProgress
    tasks: list[Task]
    overdue: bool

    @property
    def unmet(self) -> list[Criterion]:
        return [c for c in self.criteria if not c.met]


@dataclass(frozen=True)
class ProjectOverview:
    project: CertificationProject
    current_stage: Stage | None
    overall: readiness.Readiness
    by_section: dict[str, readiness.Readiness]
    section_titles: dict[str, str]
    stages: list[StageView]
    overdue_tasks: list[Task]
    next_steps: list[NextStep]
    coverage: CoverageResult  # evidence coverage (app.domain.coverage)

    def stage(self, key: str) -> StageView:
        return next(view for view in self.stages if view.info.key == key)

    @property
    def overdue_task_ids(self) -> frozenset[int]:
        """The ids of ``overdue_tasks``, so a page can mark each one without deciding it again."""
        return frozenset(task.id for task in self.overdue_tasks)


def project_overview(project: CertificationProject, today: date) -> ProjectOverview:
    snapshot, tasks, stages = load_snapshot(project, today)
    criteria = next_steps.all_exit_criteria(snapshot)
    views = []
    for row in stages:
        stage = Stage(row.key)
        stage_tasks = [t for t in tasks if t.stage == row.key]
        views.append(
            StageView(
                info=pathway.stage_info(stage),
                row=row,
                criteria=criteria[stage],
                progress=readiness.stage_progress(
                    criteria[stage], stage_tasks, started=row.status != pathway.StageStatus.NOT_STARTED
                ),
                tasks=stage_tasks,
                overdue=pathway.is_overdue(row.status == pathway.StageStatus.DONE, row.planned_end, today),
            )
        )
    overdue = [t for t in tasks if pathway.is_overdue(t.status == pathway.TaskStatus.DONE, t.due_date, today)]
    return ProjectOverview(
        project=project,
        current_stage=pathway.current_stage(snapshot.stage_statuses),
        overall=readiness.overall_readiness(snapshot.clauses),
        by_section=readiness.readiness_by_section(snapshot.clauses),
        section_titles=dict(snapshot.section_titles),
        stages=views,
        overdue_tasks=sorted(overdue, key=lambda t: (t.due_date, t.id)),
        next_steps=next_steps.next_steps(snapshot, today=today),
        coverage=coverage_of(snapshot.clauses, covered_clauses(project.id, today)),
    )


def complete_stage(overview: ProjectOverview, key: str, today: date) -> list[Criterion]:
    """Mark a stage done if the stage before it is done (or an owner started this one early) and its exit
    criteria hold; otherwise change nothing. Invalid for the stage order; the unmet criteria are returned."""
    view = overview.stage(key)
    statuses = {Stage(v.row.key): pathway.StageStatus(v.row.status) for v in overview.stages}
    blocked = gates.done_error(Stage(key), statuses, overridden=bool(view.row.override_reason))
    if blocked:
        raise Invalid(blocked, {"status": blocked})
    ok, unmet = pathway.can_mark_done(Stage(key), view.criteria)
    if ok:
        view.row.status = "done"
        view.row.actual_end = view.row.actual_end or today
        view.row.actual_start = view.row.actual_start or today
    return unmet


def update_stage(
    row: ProjectStage,
    *,
    version: int | None = None,
    starter: stage_service.Starter | None = None,
    today: date | None = None,
    **fields: Any,
) -> None:
    """Dates and status other than done (done goes through ``complete_stage``), on the stage as read at
    ``version``. Starting a stage not started follows the stage order (``stages.start``: ``starter`` says
    who starts it); a done stage may be reopened; a stage set back to not started forgets an early start."""
    check_version(row, version)
    status = fields.pop("status", row.status)
    if status == pathway.StageStatus.IN_PROGRESS and row.status == pathway.StageStatus.NOT_STARTED:
        if starter is None:
            raise ValueError("Starting a stage needs to know who starts it.")
        stage_service.start(row, starter, stage_service.stage_statuses(row.project_id), today or date.today())
    else:
        if status == pathway.StageStatus.NOT_STARTED:
            stage_service.forget_override(row)
        row.status = status
    for name, value in fields.items():
        setattr(row, name, value)
