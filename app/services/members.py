"""Members of a workspace: who has which role, and which clients a client manager may see.

Nobody is added to a workspace: they join by accepting an invitation (:mod:`app.services.invitations`).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.domain.permissions import ROLE_LABELS
from app.extensions import db
from app.models import Client, Membership, User, Workspace
from app.services import data_events
from app.services.errors import Invalid
from app.services.scope import Scope


class MemberError(Invalid):
    """A change that would leave the workspace in a bad state; names the form field it concerns."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, fields={field: message})
        self.field = field


def members(scope: Scope) -> list[Membership]:
    stmt = (
        select(Membership)
        .join(User)
        .where(Membership.workspace_id == scope.workspace_id)
        .options(selectinload(Membership.user), selectinload(Membership.clients))
        .order_by(User.name, User.email)
    )
    return list(db.session.execute(stmt).scalars())


def workspace_language(scope: Scope) -> str:
    """The language new members start in ("": none set, the inviter's)."""
    return db.session.execute(
        select(Workspace.default_locale).where(Workspace.id == scope.workspace_id)
    ).scalar_one()


def workspace_clients(scope: Scope) -> list[Client]:
    stmt = (
        select(Client)
        .where(Client.workspace_id == scope.workspace_id, Client.deleted_at.is_(None))
        .order_by(Client.name)
    )
    return list(db.session.execute(stmt).scalars())


def _owner_count(workspace_id: int) -> int:
    stmt = select(func.count(Membership.id)).where(
        Membership.workspace_id == workspace_id, Membership.role == "owner"
    )
    return db.session.execute(stmt).scalar_one()


def clients_for_role(role: str, clients: list[Client]) -> list[Client]:
    """The clients a membership of ``role`` keeps: a client manager's (at least one), nobody else's."""
    if role == "client_manager" and not clients:
        raise MemberError("clients", "Choose at least one client for a client manager.")
    return clients if role == "client_manager" else []


def change_member(membership: Membership, role: str, clients: list[Client]) -> None:
    if membership.role == "owner" and role != "owner" and _owner_count(membership.workspace_id) == 1:
        raise MemberError("role", "The workspace needs at least one owner: make someone else owner first.")
    membership.clients = clients_for_role(role, clients)
    membership.role = role


def remove_member(membership: Membership, actor_id: int | None = None) -> None:
    """Remove the membership outright (its API tokens go with it); the removal is recorded."""
    if membership.role == "owner" and _owner_count(membership.workspace_id) == 1:
        raise MemberError("role", "The last owner cannot be removed.")
    detail = f"{membership.user.email} ({ROLE_LABELS.get(membership.role, membership.role)})"
    data_events.record(
        "removed_member", "membership", membership.id, membership.workspace_id, actor_id, detail
    )
    db.session.delete(membership)
