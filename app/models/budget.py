"""Budget lines of a project, and daily readiness snapshots for the charts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TimestampMixin, utcnow

# Up to 15 digits before the point and 3 after: VND budgets run to billions, KWD has 3 decimals.
MONEY = Numeric(18, 3, asdecimal=True)


class BudgetLine(TimestampMixin, Base):
    __tablename__ = "budget_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(30))
    category: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(300))
    vendor: Mapped[str] = mapped_column(String(160), default="")
    planned: Mapped[Decimal] = mapped_column(MONEY)
    actual: Mapped[Decimal | None] = mapped_column(MONEY)
    spent_on: Mapped[date | None] = mapped_column(Date)
    # Where an estimated figure came from (the estimator's basis), kept for the reader.
    basis: Mapped[str] = mapped_column(Text, default="")


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
