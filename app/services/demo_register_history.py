"""What the demo registers share: who records their rows (the workspace's owner, the demo consultant) and the
day each history line is dated to (the services write them as of now; the demo's records happened earlier)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import select

from app.extensions import db
from app.models import CertificationProject, Membership, RegisterEvent
from app.services.scope import Scope

RECORDED_AT = time(10, 0)  # mid-morning UTC: the same day in every zone the demo factories are in


def owner_scope(project: CertificationProject) -> Scope:
    """The workspace's first owner (else its first member), who is recorded as making each change."""
    membership = db.session.execute(
        select(Membership)
        .where(Membership.workspace_id == project.workspace_id)
        .order_by((Membership.role == "owner").desc(), Membership.id)
        .limit(1)
    ).scalar_one_or_none()
    if membership is None:
        raise ValueError("The demo project's workspace has no member to record its registers.")
    return Scope.of(membership)


def dated(day: date) -> None:
    """Date the history lines just written (not yet flushed) to ``day``: mid-morning, or now if that is still
    to come today (history never happens in the future)."""
    moment = min(datetime.combine(day, RECORDED_AT, tzinfo=UTC), datetime.now(UTC))
    for row in db.session.new:
        if isinstance(row, RegisterEvent) and row.occurred_at is None:
            row.occurred_at = moment
