"""Daily readiness snapshots of a project, for the history chart, and the record of what was deleted,
restored and purged (data safety)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class ReadinessSnapshot(Base):
    """One project's readiness and evidence coverage on one day (the latest figure of that day)."""

    __tablename__ = "readiness_snapshots"
    __table_args__ = (UniqueConstraint("project_id", "taken_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    taken_on: Mapped[date] = mapped_column(Date)
    readiness: Mapped[int | None] = mapped_column(Integer)
    coverage: Mapped[int | None] = mapped_column(Integer)
    met: Mapped[int] = mapped_column(Integer, default=0)
    partial: Mapped[int] = mapped_column(Integer, default=0)
    not_met: Mapped[int] = mapped_column(Integer, default=0)
    not_assessed: Mapped[int] = mapped_column(Integer, default=0)
    not_applicable: Mapped[int] = mapped_column(Integer, default=0)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class DataEvent(Base):
    """One deletion, restore, purge, backup restore or member removal, kept after the data itself is gone."""

    __tablename__ = "data_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("workspaces.id", ondelete="SET NULL"), index=True
    )
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(
        String(40)
    )  # deleted, restored, purged, removed_member, restored_backup
    subject: Mapped[str] = mapped_column(
        String(40)
    )  # client, site, project, budget_line, membership, instance
    subject_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, default="")
