"""Budget lines of a project: planned and actual spend."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SoftDeleted, TimestampMixin, Versioned

# Up to 15 digits before the point and 3 after: VND budgets run to billions, KWD has 3 decimals.
MONEY = Numeric(18, 3, asdecimal=True)


class BudgetLine(Versioned, SoftDeleted, TimestampMixin, Base):
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
