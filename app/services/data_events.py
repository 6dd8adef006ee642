"""The record of what happened to data: deletions, restores, purges, member removals, backup restores.

An event keeps names and counts in ``detail`` as text, so it still says what was there once the rows
themselves are purged.
"""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import DataEvent, User
from app.services.scope import Scope

ACTIONS = ("deleted", "restored", "purged", "removed_member", "restored_backup")
SUBJECTS = ("client", "site", "project", "budget_line", "evidence", "membership", "instance")


def record(
    action: str,
    subject: str,
    subject_id: int | None,
    workspace_id: int | None,
    actor_id: int | None = None,
    detail: str = "",
) -> DataEvent:
    if action not in ACTIONS or subject not in SUBJECTS:
        raise ValueError(f"Not a data event: {action} {subject}")
    event = DataEvent(
        action=action,
        subject=subject,
        subject_id=subject_id,
        workspace_id=workspace_id,
        actor_id=actor_id,
        detail=detail[:2000],
    )
    db.session.add(event)
    return event


def recent(scope: Scope, limit: int = 50) -> list[tuple[DataEvent, str | None]]:
    """The workspace's latest events with the name of who acted (None: a command), newest first."""
    stmt = (
        select(DataEvent, User.name)
        .outerjoin(User, User.id == DataEvent.actor_id)
        .where(DataEvent.workspace_id == scope.workspace_id)
        .order_by(DataEvent.occurred_at.desc(), DataEvent.id.desc())
        .limit(limit)
    )
    return [(event, name) for event, name in db.session.execute(stmt).all()]
