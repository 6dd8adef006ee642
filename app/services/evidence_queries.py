"""Finding a project's evidence: scoped lookups by id, the list page, and the choices the forms offer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Integer, bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from app.domain.coverage import is_expired
from app.extensions import db
from app.models import CertificationProject, Clause, EvidenceItem, EvidenceVersion, Task, User
from app.services.errors import NotFound
from app.services.scope import Scope, get_or_404_in


class ClauseOption(NamedTuple):
    """A requirement evidence may be attached to, as the forms and filters offer it."""

    number: str
    title: str


class TaskOption(NamedTuple):
    """A task of the project, as the forms, the filters and the list show it."""

    id: int
    stage: str
    title: str


def leaf_clauses(project: CertificationProject) -> tuple[ClauseOption, ...]:
    """The leaf requirements of the project's standard, in the catalog's order. Read once per process and
    standard: a catalog version never changes once loaded (:func:`app.services.standards.add_catalog`); the
    code and version are in the key with the id, so a database that gives the id to another catalog (a
    test's) is never answered from another's."""
    standard = project.standard
    return _leaf_clauses(standard.id, standard.code, standard.version)


@lru_cache(maxsize=16)
def _leaf_clauses(standard_id: int, code: str, version: str) -> tuple[ClauseOption, ...]:
    rows = db.session.execute(
        select(Clause.number, Clause.title)
        .where(Clause.standard_id == standard_id, Clause.is_leaf)
        .order_by(Clause.position)
    )
    return tuple(ClauseOption(number, title) for number, title in rows)


_TASKS = (
    select(Task.id, Task.stage, Task.title)
    .where(Task.project_id == bindparam("project_id", type_=Integer))
    .order_by(Task.position, Task.id)
)


def project_tasks(project: CertificationProject) -> list[TaskOption]:
    """The project's tasks in their order (one query)."""
    return [TaskOption(*row) for row in db.session.execute(_TASKS, {"project_id": project.id})]


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


def _list_options() -> list[Any]:
    """What a line of the list (the page's and the API's) shows: the requirement's number and title, who
    added the item, and its file versions; not the whole requirement, nor the reviewer and the uploaders."""
    return [
        joinedload(EvidenceItem.clause).load_only(Clause.number, Clause.title),
        joinedload(EvidenceItem.added_by).load_only(User.name),
        selectinload(EvidenceItem.versions),
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
    deleted = EvidenceItem.deleted_at.is_not(None)
    conditions = [EvidenceItem.project_id == project.id, deleted if filters.deleted else ~deleted]
    if filters.clause:
        # The requirement by its id in the project's standard: no join, so the page's own join loads it.
        numbered = select(Clause.id).where(
            Clause.standard_id == project.standard_id, Clause.number == filters.clause
        )
        conditions.append(EvidenceItem.clause_id.in_(numbered.scalar_subquery()))
    if filters.task_id:
        conditions.append(EvidenceItem.task_id == filters.task_id)
    if filters.state:
        conditions.append(EvidenceItem.review_state == filters.state)
    total = db.session.execute(select(func.count()).select_from(EvidenceItem).where(*conditions)).scalar_one()
    rows = db.session.execute(
        select(EvidenceItem)
        .where(*conditions)
        .options(*_list_options())
        .order_by(EvidenceItem.created_at.desc(), EvidenceItem.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows.scalars().unique()), total
