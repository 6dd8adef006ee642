"""Daily readiness snapshots of a project, for the history chart, and the record of what was deleted,
restored and purged (data safety)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
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


class AuditEntry(Base):
    """One change to a record, for the audit trail: who, when, what, and each field's old and new value.

    Append-only: written in the transaction of the change it records (app.services.trail) and never
    updated or deleted by the app. Client, project and actor are plain numbers with the names beside
    them, so an entry still reads right after the record, the project or the user is gone.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_workspace_time", "workspace_id", "occurred_at"),
        Index("ix_audit_entries_object", "kind", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(Integer)  # None: a command or the system
    actor_name: Mapped[str] = mapped_column(String(254), default="")
    client_id: Mapped[int | None] = mapped_column(Integer, index=True)
    project_id: Mapped[int | None] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(40))  # verdict, task, stage, evidence, document, finding, ...
    object_id: Mapped[int] = mapped_column(Integer)
    object_label: Mapped[str] = mapped_column(String(300), default="")
    action: Mapped[str] = mapped_column(String(20))  # created, changed, deleted
    changes: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [[field, old, new], ...] as text
