"""Stage checklists of a project: scoped lookups and the operations that change them, and the stage order
(a stage starts once the one before it is done, or early with an owner's written reason)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from app.domain import gates
from app.domain.pathway import Stage, StageStatus, stage_info
from app.domain.text import _
from app.extensions import db
from app.models import CertificationProject, Clause, ProjectStage, Task, User
from app.services.changes import apply_changes
from app.services.errors import Invalid, NotFound
from app.services.scope import Scope, get_or_404_in

TASK_FIELDS = ("title", "owner", "due_date", "status", "notes")


def stage_row(project: CertificationProject, key: str) -> ProjectStage:
    row = db.session.execute(
        select(ProjectStage).where(ProjectStage.project_id == project.id, ProjectStage.key == key)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound()
    return row


def task_in(scope: Scope, project: CertificationProject, task_id: int) -> Task:
    """A task of this project, or 404 (also for a task of another project the user can see)."""
    task = get_or_404_in(scope, Task, task_id)
    if task.project_id != project.id:
        raise NotFound()
    return task


def add_task(project: CertificationProject, stage: str, **fields: Any) -> Task:
    last = db.session.execute(
        select(func.max(Task.position)).where(Task.project_id == project.id)
    ).scalar_one_or_none()
    task = Task(project_id=project.id, stage=stage, position=(last or 0) + 1, **fields)
    db.session.add(task)
    db.session.flush()  # its id, for the link back to it
    return task


def clause_exists(project: CertificationProject, number: str) -> bool:
    stmt = select(Clause.id).where(Clause.standard_id == project.standard_id, Clause.number == number)
    return db.session.execute(stmt).first() is not None


def update_task(task: Task, *, version: int | None = None, **fields: Any) -> None:
    apply_changes(task, TASK_FIELDS, fields, version)


# The stage order


@dataclass(frozen=True)
class Starter:
    """Who starts a stage: their user id, whether their role may start it out of order, and their reason."""

    user_id: int
    may_override: bool
    reason: str = ""


@dataclass(frozen=True)
class OverrideNote:
    """A stage an owner started before the one before it was done, as its page shows it."""

    before: str  # the title of the stage that was not done
    reason: str
    by: str
    on: date | None


def stage_statuses(project_id: int) -> dict[Stage, StageStatus]:
    rows = db.session.execute(
        select(ProjectStage.key, ProjectStage.status).where(ProjectStage.project_id == project_id)
    ).all()
    return {Stage(key): StageStatus(status) for key, status in rows}


def start(row: ProjectStage, starter: Starter, statuses: Mapping[Stage, StageStatus], today: date) -> None:
    """Start ``row`` (not started) if the order allows it; an owner's early start records their reason.
    Refused whole (Invalid, by field) otherwise."""
    stage = Stage(row.key)
    refusal = gates.start_refusal(stage, statuses, reason=starter.reason, may_override=starter.may_override)
    if refusal:
        raise Invalid(" ".join(refusal.values()), refusal)
    if gates.start_error(stage, statuses) is not None:  # started early: an owner's reason, kept and shown
        row.override_reason = starter.reason.strip()
        row.override_by_id = starter.user_id
        row.override_on = today
    row.status = StageStatus.IN_PROGRESS.value


def forget_override(row: ProjectStage) -> None:
    """A stage set back to not started was never started early."""
    row.override_reason, row.override_by_id, row.override_on = "", None, None


def override_note(row: ProjectStage) -> OverrideNote | None:
    """What the stage page says of an early start (one query, only for a stage started early)."""
    if not row.override_reason:
        return None
    before = gates.previous_stage(Stage(row.key))
    by = db.session.get(User, row.override_by_id) if row.override_by_id else None
    return OverrideNote(
        before=stage_info(before).title if before else "",
        reason=row.override_reason,
        by=by.name if by else _("a former member"),
        on=row.override_on,
    )
