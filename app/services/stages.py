"""Stage checklists of a project: scoped lookups and the operations that change them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import CertificationProject, Clause, ProjectStage, Task
from app.services.changes import apply_changes
from app.services.errors import NotFound
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
