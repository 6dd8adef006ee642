"""Finding a project's evidence: scoped lookups by id, the list page, and the choices the forms offer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.domain.coverage import is_expired
from app.extensions import db
from app.models import CertificationProject, Clause, EvidenceItem, EvidenceVersion, Task
from app.services.errors import NotFound
from app.services.scope import Scope, get_or_404_in


def leaf_clauses(project: CertificationProject) -> list[Clause]:
    stmt = select(Clause).where(Clause.standard_id == project.standard_id, Clause.is_leaf)
    return list(db.session.execute(stmt.order_by(Clause.position)).scalars())


def project_tasks(project: CertificationProject) -> list[Task]:
    stmt = select(Task).where(Task.project_id == project.id).order_by(Task.position, Task.id)
    return list(db.session.execute(stmt).scalars())


def item_in(
    scope: Scope, project: CertificationProject, evidence_id: int, include_deleted: bool = False
) -> EvidenceItem:
    """An item of this project the scope may see (a deleted one only when asked), or 404."""
    item = get_or_404_in(scope, EvidenceItem, evidence_id, *_item_options())
    if item.project_id != project.id or (item.deleted_at is not None and not include_deleted):
        raise NotFound()
    return item


def live_item(scope: Scope, evidence_id: int) -> EvidenceItem:
    """An item that is not deleted, found by id alone (the API's download URL has no project)."""
    item = get_or_404_in(scope, EvidenceItem, evidence_id, *_item_options())
    if item.deleted_at is not None:
        raise NotFound()
    return item


def _item_options() -> list[Any]:
    return [
        joinedload(EvidenceItem.clause),
        joinedload(EvidenceItem.added_by),
        joinedload(EvidenceItem.reviewed_by),
        selectinload(EvidenceItem.versions).joinedload(EvidenceVersion.uploaded_by),
    ]


def task_of(item: EvidenceItem) -> Task | None:
    return db.session.get(Task, item.task_id) if item.task_id else None


def version_of(item: EvidenceItem, number: int) -> EvidenceVersion:
    found = next((v for v in item.versions if v.number == number), None)
    if found is None:
        raise NotFound()
    return found


def expired_ids(items: Iterable[EvidenceItem], today: date) -> frozenset[int]:
    """Ids of the items past their valid-until date, for the "expired" badge of the list."""
    return frozenset(item.id for item in items if is_expired(item.valid_until, today))


def latest_version(item: EvidenceItem) -> EvidenceVersion | None:
    return item.versions[-1] if item.versions else None


@dataclass(frozen=True)
class Filters:
    clause: str | None = None
    task_id: int | None = None
    state: str | None = None
    deleted: bool = False


def evidence_page(
    project: CertificationProject, filters: Filters, page: int, per_page: int
) -> tuple[list[EvidenceItem], int]:
    """One page of the project's evidence, newest first, and the total (three queries, any page size)."""
    stmt = select(EvidenceItem).where(EvidenceItem.project_id == project.id)
    deleted = EvidenceItem.deleted_at.is_not(None)
    stmt = stmt.where(deleted if filters.deleted else ~deleted)
    if filters.clause:
        stmt = stmt.join(Clause, Clause.id == EvidenceItem.clause_id).where(Clause.number == filters.clause)
    if filters.task_id:
        stmt = stmt.where(EvidenceItem.task_id == filters.task_id)
    if filters.state:
        stmt = stmt.where(EvidenceItem.review_state == filters.state)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(
        stmt.options(*_item_options())
        .order_by(EvidenceItem.created_at.desc(), EvidenceItem.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows.scalars().unique()), total
