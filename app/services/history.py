"""Daily readiness snapshots: recorded when a verdict changes and by ``flask snapshot-readiness`` (cron).

A project has at most one snapshot per day (unique on project and day): recording again the same day
replaces that day's figures, so the row holds the day's latest readiness and evidence coverage. The
write is one INSERT ... ON CONFLICT DO UPDATE (SQLite and PostgreSQL both have it), so two requests
saving verdicts of one project at the same moment cannot collide on the unique constraint.

The figures are counted after taking the project's row lock (PostgreSQL ``SELECT … FOR UPDATE``; SQLite
writes one transaction at a time anyway): a second request recording the same project waits for the first
to commit, and then counts the committed verdicts of both, so the last snapshot written is never stale.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Integer, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite

from app.charts import HistoryPoint
from app.domain.readiness import Readiness
from app.extensions import db
from app.models import Assessment, CertificationProject, ReadinessSnapshot
from app.models.base import utcnow
from app.services.coverage import coverage_for_projects

BATCH = 500  # projects per statement in the nightly run, well under SQLite's bound-parameter limit
COUNTED = ("met", "partial", "not_met", "not_assessed", "not_applicable")


def readiness_counts(project_ids: list[int]) -> dict[int, Readiness]:
    """Requirements by verdict per project, as domain values (one query)."""
    rows = db.session.execute(
        select(Assessment.project_id, Assessment.status, func.count(Assessment.id))
        .where(Assessment.project_id.in_(project_ids))
        .group_by(Assessment.project_id, Assessment.status)
    ).all()
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for project_id, status, count in rows:
        if status in COUNTED:
            counts[project_id][status] = count
    return {project_id: Readiness(**counts.get(project_id, {})) for project_id in project_ids}


def _upsert(values: list[dict[str, Any]]) -> None:
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(ReadinessSnapshot).values(values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["project_id", "taken_on"],
        set_={name: stmt.excluded[name] for name in ("readiness", "coverage", *COUNTED, "recorded_at")},
    )
    db.session.execute(stmt)


def record_snapshots(project_ids: Iterable[int], today: date) -> int:
    """Record (or replace) today's snapshot of each project, three statements a batch. The caller commits."""
    ids = list(project_ids)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        _lock_projects(batch)
        counts = readiness_counts(batch)
        coverage = coverage_for_projects(batch, today)
        now = utcnow()
        _upsert(
            [
                {
                    "project_id": project_id,
                    "taken_on": today,
                    "readiness": counts[project_id].percent,
                    "coverage": coverage.get(project_id),
                    **{name: getattr(counts[project_id], name) for name in COUNTED},
                    "recorded_at": now,
                }
                for project_id in batch
            ]
        )
    return len(ids)


def _lock_projects(project_ids: list[int]) -> None:
    """Wait for any other transaction recording these projects; in id order, so two never deadlock."""
    stmt = (
        select(CertificationProject.id)
        .where(CertificationProject.id.in_(project_ids))
        .order_by(CertificationProject.id)
        .with_for_update()
    )
    db.session.execute(stmt).all()


def record_snapshot(project: CertificationProject, today: date) -> None:
    """Record the project's readiness and coverage as they stand now (pending changes are flushed first)."""
    db.session.flush()
    record_snapshots([project.id], today)


def record_all(today: date) -> int:
    """Today's snapshot of every live project of every workspace (the cron command); returns how many."""
    live = CertificationProject.deleted_at.is_(None)
    ids = db.session.execute(
        select(CertificationProject.id).where(live).order_by(CertificationProject.id)
    ).scalars()
    return record_snapshots(list(ids), today)


def snapshots(project: CertificationProject) -> list[ReadinessSnapshot]:
    """The project's snapshots, oldest first (one query)."""
    stmt = (
        select(ReadinessSnapshot)
        .where(ReadinessSnapshot.project_id == project.id)
        .order_by(ReadinessSnapshot.taken_on)
    )
    return list(db.session.execute(stmt).scalars())


def to_point(row: ReadinessSnapshot) -> HistoryPoint:
    counts = Readiness(**{name: getattr(row, name) for name in COUNTED})
    return HistoryPoint(row.taken_on, counts, row.readiness, row.coverage)


_POINTS = (  # the columns of the points, built once (the charts read a project's history on every request)
    select(
        ReadinessSnapshot.taken_on,
        ReadinessSnapshot.readiness,
        ReadinessSnapshot.coverage,
        *(getattr(ReadinessSnapshot, name) for name in COUNTED),
    )
    .where(ReadinessSnapshot.project_id == bindparam("project_id", type_=Integer))
    .order_by(ReadinessSnapshot.taken_on)
)


def history(project: CertificationProject) -> list[HistoryPoint]:
    """The project's recorded days as chart points, oldest first (one query)."""
    return [
        HistoryPoint(taken_on, Readiness(**dict(zip(COUNTED, counts, strict=True))), readiness, coverage)
        for taken_on, readiness, coverage, *counts in db.session.execute(_POINTS, {"project_id": project.id})
    ]
