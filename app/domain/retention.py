"""How long deleted data can be restored, and when it is purged for good. Pure rules, no database.

A client, site, project or budget line that is deleted stays restorable by an owner for
:data:`RESTORE_DAYS` days; ``flask purge-deleted`` (cron) then removes it with its evidence files. A row
deleted together with its parent (a client's sites and projects) carries the parent's exact timestamp,
which is what makes them one group to restore.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

RESTORE_DAYS = 30


def aware(moment: datetime) -> datetime:
    """SQLite gives stored UTC times back without their zone; PostgreSQL with it."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def purge_cutoff(now: datetime, days: int = RESTORE_DAYS) -> datetime:
    """Rows deleted before this moment are purged."""
    if days < 0:
        raise ValueError("The number of days cannot be negative.")
    return aware(now) - timedelta(days=days)


def is_restorable(deleted_at: datetime, now: datetime, days: int = RESTORE_DAYS) -> bool:
    return aware(deleted_at) >= purge_cutoff(now, days)


def days_left(deleted_at: datetime, now: datetime, days: int = RESTORE_DAYS) -> int:
    """Whole days until a deleted row may be purged (0 on its last day)."""
    remaining = aware(deleted_at) + timedelta(days=days) - aware(now)
    return max(0, remaining.days)
