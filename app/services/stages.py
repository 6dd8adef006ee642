"""Stage checklists and audit findings of a project: scoped lookups and the operations that change them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.domain.permissions import action_to_change_finding
from app.extensions import db
from app.models import CertificationProject, Clause, Finding, ProjectStage, Task
from app.services.changes import apply_changes
from app.services.errors import NotFound, Refused
from app.services.scope import Scope, get_or_404_in

TASK_FIELDS = ("title", "owner", "due_date", "status", "notes")
FINDING_FIELDS = (
    "clause_number",
    "severity",
    "status",
    "description",
    "corrective_action",
    "raised_on",
    "closed_on",
)


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


def finding_in(scope: Scope, project: CertificationProject, finding_id: int) -> Finding:
    finding = get_or_404_in(scope, Finding, finding_id)
    if finding.project_id != project.id:
        raise NotFound()
    return finding


def add_task(project: CertificationProject, stage: str, **fields: Any) -> Task:
    last = db.session.execute(
        select(func.max(Task.position)).where(Task.project_id == project.id)
    ).scalar_one_or_none()
    task = Task(project_id=project.id, stage=stage, position=(last or 0) + 1, **fields)
    db.session.add(task)
    db.session.flush()  # its id, for the link back to it
    return task


def findings_of(project: CertificationProject, stage: str) -> list[Finding]:
    stmt = (
        select(Finding)
        .where(Finding.project_id == project.id, Finding.stage == stage)
        .order_by(Finding.status.desc(), Finding.raised_on.desc(), Finding.id.desc())
    )
    return list(db.session.execute(stmt).scalars())


def clause_exists(project: CertificationProject, number: str) -> bool:
    stmt = select(Clause.id).where(Clause.standard_id == project.standard_id, Clause.number == number)
    return db.session.execute(stmt).first() is not None


CLOSING_A_MAJOR = (
    "Closing a major finding, or lowering its severity, is for an owner, consultant or client manager: "
    "record the corrective action and ask one of them to close it."
)


def check_finding_change(scope: Scope, finding: Finding | None, fields: dict[str, Any]) -> None:
    """Refuse a change of a finding (``None``: a new one) that the scope's role may only propose."""
    before = (finding.severity, finding.status) if finding is not None else None
    after = (
        fields.get("severity", finding.severity if finding else ""),
        fields.get("status", finding.status if finding else "open"),
    )
    if not scope.can(action_to_change_finding(before, after)):
        raise Refused(CLOSING_A_MAJOR, {"status": CLOSING_A_MAJOR})


def add_finding(project: CertificationProject, stage: str, **fields: Any) -> Finding:
    finding = Finding(project_id=project.id, stage=stage, **fields)
    db.session.add(finding)
    db.session.flush()  # its id, for the link back to it
    return finding


def update_task(task: Task, *, version: int | None = None, **fields: Any) -> None:
    apply_changes(task, TASK_FIELDS, fields, version)


def update_finding(finding: Finding, *, version: int | None = None, **fields: Any) -> None:
    apply_changes(finding, FINDING_FIELDS, fields, version)
