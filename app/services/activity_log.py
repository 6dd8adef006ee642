"""Reading the audit trail: the workspace's activity log and each record's "History", in the caller's scope.

A client manager sees only the entries of their clients; entries of no client (members, invitations) only
those who manage the workspace. Every read is one statement (a page of the log two: its count and its rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, false, func, or_, select

from app.domain.permissions import Action
from app.domain.trail import (
    WORKSPACE_KINDS,
    ActivityFilters,
    ChangeLine,
    action_label,
    kind_label,
    readable_changes,
)
from app.extensions import db
from app.models import AuditEntry, Client, Membership, User
from app.pagination import Page
from app.services.scope import Scope

PER_PAGE = 50
HISTORY_ROWS = 10


@dataclass(frozen=True)
class EntryView:
    id: int
    occurred_at: datetime
    actor_id: int | None
    actor_name: str
    kind: str
    kind_label: str
    object_id: int
    object_label: str
    action: str
    client_id: int | None
    project_id: int | None
    changes: list[ChangeLine]

    @property
    def kind_word(self) -> str:
        """The kind within a sentence, in the reader's language ("changed budget line ...")."""
        return str(self.kind_label).lower()

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    @classmethod
    def of(cls, entry: AuditEntry) -> EntryView:
        return cls(
            id=entry.id,
            occurred_at=entry.occurred_at,
            actor_id=entry.actor_id,
            actor_name=entry.actor_name,
            kind=entry.kind,
            kind_label=kind_label(entry.kind),
            object_id=entry.object_id,
            object_label=entry.object_label,
            action=entry.action,
            client_id=entry.client_id,
            project_id=entry.project_id,
            changes=readable_changes(entry.changes or []),
        )


@dataclass(frozen=True)
class History:
    """The newest entries of one record (or of a kind within a project), and whether there are more."""

    entries: list[EntryView]
    more: bool
    filters: dict[str, str]  # the activity log's URL arguments for the full list


def visible(scope: Scope, stmt: Select[Any]) -> Select[Any]:
    """``stmt`` over AuditEntry limited to what ``scope`` may read."""
    stmt = stmt.where(AuditEntry.workspace_id == scope.workspace_id)
    if scope.client_ids is not None:
        if not scope.client_ids:
            return stmt.where(false())
        return stmt.where(AuditEntry.client_id.in_(scope.client_ids))
    if not scope.can(Action.MANAGE_WORKSPACE):
        stmt = stmt.where(or_(AuditEntry.client_id.is_not(None), AuditEntry.kind.not_in(WORKSPACE_KINDS)))
    return stmt


def _filtered(scope: Scope, filters: ActivityFilters, stmt: Select[Any]) -> Select[Any]:
    stmt = visible(scope, stmt)
    if filters.user_id is not None:
        stmt = stmt.where(AuditEntry.actor_id == filters.user_id)
    if filters.client_id is not None:
        stmt = stmt.where(AuditEntry.client_id == filters.client_id)
    if filters.project_id is not None:
        stmt = stmt.where(AuditEntry.project_id == filters.project_id)
    if filters.kind is not None:
        stmt = stmt.where(AuditEntry.kind == filters.kind)
        if filters.object_id is not None:
            stmt = stmt.where(AuditEntry.object_id == filters.object_id)
    if filters.since is not None:
        stmt = stmt.where(AuditEntry.occurred_at >= _start_of(filters.since))
    if filters.until is not None:
        stmt = stmt.where(AuditEntry.occurred_at < _start_of(filters.until + timedelta(days=1)))
    return stmt


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _newest_first(stmt: Select[Any]) -> Select[Any]:
    return stmt.order_by(AuditEntry.occurred_at.desc(), AuditEntry.id.desc())


def activity_page(
    scope: Scope, filters: ActivityFilters, page_number: int = 1, per_page: int = PER_PAGE
) -> tuple[list[EntryView], Page]:
    """One page of the log, newest first: two statements whatever the data."""
    total = db.session.execute(_filtered(scope, filters, select(func.count(AuditEntry.id)))).scalar_one()
    last = Page(number=1, per_page=per_page, total=total).pages
    page = Page(number=min(page_number, last), per_page=per_page, total=total)
    stmt = _newest_first(_filtered(scope, filters, select(AuditEntry)))
    rows = db.session.execute(stmt.limit(per_page).offset((page.number - 1) * per_page)).scalars()
    return [EntryView.of(row) for row in rows], page


def history(
    scope: Scope,
    kinds: tuple[str, ...],
    *,
    object_id: int | None = None,
    project_id: int | None = None,
    limit: int = HISTORY_ROWS,
) -> History:
    """The newest ``limit`` entries of a record (``kinds`` with ``object_id``) or of a project's records of
    ``kinds``: one statement."""
    stmt = visible(scope, select(AuditEntry)).where(AuditEntry.kind.in_(kinds))
    if object_id is not None:
        stmt = stmt.where(AuditEntry.object_id == object_id)
    if project_id is not None:
        stmt = stmt.where(AuditEntry.project_id == project_id)
    rows = list(db.session.execute(_newest_first(stmt).limit(limit + 1)).scalars())
    filters = ActivityFilters(
        project_id=project_id, kind=kinds[0] if len(kinds) == 1 else None, object_id=object_id
    )
    return History([EntryView.of(row) for row in rows[:limit]], len(rows) > limit, filters.query_args())


@dataclass(frozen=True)
class Choices:
    """The log's filter choices: the workspace's members and the clients the caller sees."""

    users: list[tuple[int, str]]
    clients: list[tuple[int, str]]


def choices(scope: Scope) -> Choices:
    """Two statements."""
    users = db.session.execute(
        select(User.id, User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == scope.workspace_id)
        .order_by(User.name, User.id)
    ).all()
    clients_stmt = select(Client.id, Client.name).where(Client.workspace_id == scope.workspace_id)
    if scope.client_ids is not None:
        clients_stmt = clients_stmt.where(Client.id.in_(scope.client_ids or [0]))
    clients = db.session.execute(clients_stmt.order_by(Client.name)).all()
    return Choices([(u[0], u[1]) for u in users], [(c[0], c[1]) for c in clients])


def activity_rows(
    scope: Scope, filters: ActivityFilters, page_number: int, per_page: int
) -> tuple[list[EntryView], int]:
    """One page of the log for the API (a page past the end is empty) and the total: two statements."""
    total = db.session.execute(_filtered(scope, filters, select(func.count(AuditEntry.id)))).scalar_one()
    stmt = _newest_first(_filtered(scope, filters, select(AuditEntry)))
    rows = db.session.execute(stmt.limit(per_page).offset((page_number - 1) * per_page)).scalars()
    return [EntryView.of(row) for row in rows], total
