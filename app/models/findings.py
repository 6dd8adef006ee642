"""The nonconformity and corrective action register of a project, for every source, with effectiveness checks.

The rules (states, transitions, deadlines, overdue) live in :mod:`app.domain.nonconformities`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, Versioned


class Finding(Versioned, TimestampMixin, Base):
    """A nonconformity or observation, from an internal or external audit, a complaint, a process, a product
    or a supplier, with its containment, root cause, corrective action and effectiveness checks."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(30))
    audit_id: Mapped[int | None] = mapped_column(
        ForeignKey("internal_audits.id", ondelete="SET NULL"), index=True
    )
    external_audit_id: Mapped[int | None] = mapped_column(
        ForeignKey("external_audits.id", ondelete="SET NULL"), index=True
    )
    audit_line_id: Mapped[int | None] = mapped_column(ForeignKey("audit_lines.id", ondelete="SET NULL"))
    clause_number: Mapped[str | None] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="open")
    description: Mapped[str] = mapped_column(Text)
    containment: Mapped[str] = mapped_column(Text, default="")  # the immediate correction
    root_cause_method: Mapped[str] = mapped_column(String(20), default="")
    root_cause: Mapped[str] = mapped_column(Text, default="")
    corrective_action: Mapped[str] = mapped_column(Text, default="")
    action_owner: Mapped[str] = mapped_column(String(120), default="")
    action_due: Mapped[date | None] = mapped_column(Date)
    implemented_on: Mapped[date | None] = mapped_column(Date)
    effectiveness_due: Mapped[date | None] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date)  # the certification body's, for its own findings
    raised_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)

    checks: Mapped[list[EffectivenessCheckRecord]] = relationship(
        back_populates="finding", cascade="all, delete-orphan", order_by="EffectivenessCheckRecord.id"
    )


class EffectivenessCheckRecord(TimestampMixin, Base):
    """One check that a corrective action worked; an ineffective one reopened the action."""

    __tablename__ = "effectiveness_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"), index=True)
    checked_on: Mapped[date] = mapped_column(Date)
    checked_by: Mapped[str] = mapped_column(String(120))
    result: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")

    finding: Mapped[Finding] = relationship(back_populates="checks")
