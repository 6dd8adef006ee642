"""A project's pathway: set-up from the templates, an overview of its stages, and stage changes.

``project_overview`` reads what the project page, the charts and the stage pages show (the facts are
loaded by :mod:`app.services.snapshot`, a fixed number of queries whatever the data) and hands plain
values to the domain rules.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from app.domain import checklists, gates, next_steps, pathway, readiness
from app.domain.coverage import CoverageResult, coverage_of
from app.domain.next_steps import NextStep, ProjectSnapshot
from app.domain.pathway import Criterion, Stage, StageInfo
from app.extensions import db
from app.models import Assessment, CertificationProject, Clause, ProjectStage, Task
from app.services import stages as stage_service
from app.services.changes import check_version
from app.services.errors import Invalid
from app.services.snapshot import ALL_STAGES, ClauseView, load, load_snapshot
from app.services.training import TrainingRecords

__all__ = ["ClauseView", "ProjectOverview", "StageView", "load_snapshot", "project_overview"]


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
                title=str(template.title),  # in the language of whoever creates the project
                hint=str(template.hint or ""),
                clause_number=template.clause,
            )
        )


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
    """A project's stages and what its pages show of them.

    ``judged`` names the stages whose exit criteria were judged: every stage for the project page and the
    charts; a stage page judges its own only (the others' views hold no criteria then, and their progress
    counts their tasks alone). The readiness and coverage are counted from the verdicts, which are read
    when a judged stage needs them (the gap analysis, documentation and internal audit); the next steps are
    listed when asked for. What was not read is empty.
    """

    project: CertificationProject
    snapshot: ProjectSnapshot  # the facts the stages were judged on
    judged: frozenset[Stage]
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


def project_overview(
    project: CertificationProject,
    today: date,
    judged: Collection[Stage] = ALL_STAGES,
    with_next_steps: bool = True,
    training_records: TrainingRecords | None = None,
) -> ProjectOverview:
    """The overview with the exit criteria of the ``judged`` stages (all of them ``with_next_steps``);
    ``training_records``: the matrix's, when the caller has read them for its own use."""
    snapshot, tasks, stages, covered = load(project, today, judged, with_next_steps, training_records)
    judged = ALL_STAGES if with_next_steps else frozenset(judged)
    criteria = {stage: next_steps.exit_criteria(stage, snapshot) for stage in judged}
    views = []
    for row in stages:
        stage = Stage(row.key)
        stage_tasks = [t for t in tasks if t.stage == row.key]
        views.append(
            StageView(
                info=pathway.stage_info(stage),
                row=row,
                criteria=criteria.get(stage, []),
                progress=readiness.stage_progress(
                    criteria.get(stage, []),
                    stage_tasks,
                    started=row.status != pathway.StageStatus.NOT_STARTED,
                ),
                tasks=stage_tasks,
                overdue=pathway.is_overdue(row.status == pathway.StageStatus.DONE, row.planned_end, today),
            )
        )
    overdue = [t for t in tasks if pathway.is_overdue(t.status == pathway.TaskStatus.DONE, t.due_date, today)]
    return ProjectOverview(
        project=project,
        snapshot=snapshot,
        judged=judged,
        current_stage=pathway.current_stage(snapshot.stage_statuses),
        overall=readiness.overall_readiness(snapshot.clauses),
        by_section=readiness.readiness_by_section(snapshot.clauses),
        section_titles=dict(snapshot.section_titles),
        stages=views,
        overdue_tasks=sorted(overdue, key=lambda t: (t.due_date, t.id)),
        next_steps=next_steps.next_steps(snapshot, today=today) if with_next_steps else [],
        coverage=coverage_of(snapshot.clauses, covered),
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
