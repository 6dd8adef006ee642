"""The record of what happened to data: deletions, restores, purges, member removals, backup restores.

An event keeps names and counts in ``detail`` as text, so it still says what was there once the rows
themselves are purged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import DataEvent, User
from app.services.scope import Scope

ACTIONS = ("deleted", "restored", "purged", "removed_member", "restored_backup")
SUBJECTS = ("client", "site", "project", "budget_line", "evidence", "membership", "instance")
LABELS = {
    "removed_member": "Removed a member",
    "restored_backup": "Restored the whole instance from a backup",
}
SUBJECT_WORDS = {"budget_line": "budget line", "membership": "member", "instance": "instance"}


@dataclass(frozen=True)
class EventLine:
    """An event as the record shows it: when, what happened, to what, and who did it (None: a command)."""

    occurred_at: datetime
    label: str
    detail: str
    actor: str | None


def label(event: DataEvent) -> str:
    return (
        LABELS.get(event.action)
        or f"{event.action.capitalize()} {SUBJECT_WORDS.get(event.subject, event.subject)}"
    )


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


def recent(scope: Scope, limit: int = 50) -> list[EventLine]:
    """The workspace's latest events, newest first."""
    stmt = (
        select(DataEvent, User.name)
        .outerjoin(User, User.id == DataEvent.actor_id)
        .where(DataEvent.workspace_id == scope.workspace_id)
        .order_by(DataEvent.occurred_at.desc(), DataEvent.id.desc())
        .limit(limit)
    )
    rows = db.session.execute(stmt).all()
    return [EventLine(event.occurred_at, label(event), event.detail, name) for event, name in rows]
