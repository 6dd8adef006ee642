"""The internal audit programme: audits with their scope, team and checklist lines.

The rules (statuses, independence, coverage, the Internal audit stage) live in :mod:`app.domain.audits`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, Versioned
from app.models.standards import Clause
from app.models.training import Person

# The clauses (or whole sections) an audit covers.
audit_scope = Table(
    "audit_scope",
    Base.metadata,
    Column("audit_id", ForeignKey("internal_audits.id", ondelete="CASCADE"), primary_key=True),
    Column("clause_id", ForeignKey("clauses.id"), primary_key=True, index=True),
)

# The auditors of an audit besides its lead.
audit_team = Table(
    "audit_team",
    Base.metadata,
    Column("audit_id", ForeignKey("internal_audits.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# The evidence a checklist line was checked against.
audit_line_evidence = Table(
    "audit_line_evidence",
    Base.metadata,
    Column("line_id", ForeignKey("audit_lines.id", ondelete="CASCADE"), primary_key=True),
    Column("evidence_id", ForeignKey("evidence_items.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class InternalAudit(Versioned, TimestampMixin, Base):
    """One planned internal audit of a project's programme."""

    __tablename__ = "internal_audits"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    planned_start: Mapped[date] = mapped_column(Date)
    planned_end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    # The departments (or processes) visited, one per line: what the independence rule compares with.
    departments: Mapped[str] = mapped_column(Text, default="")
    lead_auditor_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    # Why an auditor audits their own department (allowed only at a small site).
    independence_reason: Mapped[str] = mapped_column(Text, default="")
    started_on: Mapped[date | None] = mapped_column(Date)
    reported_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")  # the report's conclusion
    notes: Mapped[str] = mapped_column(Text, default="")

    lead_auditor: Mapped[Person | None] = relationship()
    team: Mapped[list[Person]] = relationship(secondary=audit_team, order_by="Person.name")
    scope: Mapped[list[Clause]] = relationship(secondary=audit_scope, order_by="Clause.position")
    lines: Mapped[list[AuditLine]] = relationship(
        back_populates="audit", cascade="all, delete-orphan", order_by="AuditLine.position"
    )


class AuditLine(Versioned, Base):
    """One line of an audit's checklist: a requirement in scope, the prompt, and what the auditor found."""

    __tablename__ = "audit_lines"
    __table_args__ = (UniqueConstraint("audit_id", "clause_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("internal_audits.id", ondelete="CASCADE"), index=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    prompt: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(String(20), default="not_checked")
    notes: Mapped[str] = mapped_column(Text, default="")

    audit: Mapped[InternalAudit] = relationship(back_populates="lines")
    clause: Mapped[Clause] = relationship()
