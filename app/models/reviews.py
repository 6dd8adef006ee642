"""Management reviews with their inputs and outputs, and the quality objectives they look at.

The rules (required inputs and outputs, what is pre-filled, the stage's criteria) live in
:mod:`app.domain.reviews` and :mod:`app.domain.objectives`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, Versioned


class ManagementReview(Versioned, TimestampMixin, Base):
    """The minutes of one management review meeting."""

    __tablename__ = "management_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    attendees: Mapped[str] = mapped_column(Text, default="")  # one per line: "Name, role"
    notes: Mapped[str] = mapped_column(Text, default="")

    inputs: Mapped[list[ReviewInputEntry]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ReviewInputEntry.id"
    )
    outputs: Mapped[list[ReviewOutput]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ReviewOutput.id"
    )


class ReviewInputEntry(Versioned, Base):
    """What the review considered for one required input (by the domain's key, e.g. ``audit_results``)."""

    __tablename__ = "review_inputs"
    __table_args__ = (UniqueConstraint("review_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("management_reviews.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[ManagementReview] = relationship(back_populates="inputs")


class ReviewOutput(Versioned, TimestampMixin, Base):
    """A decision or an action of a review, under one of the standard's outputs; an action has an owner and
    a due date and is tracked to done."""

    __tablename__ = "review_outputs"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("management_reviews.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10), default="decision")  # decision | action
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120), default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)

    review: Mapped[ManagementReview] = relationship(back_populates="outputs")


class QualityObjective(Versioned, TimestampMixin, Base):
    """A measurable quality objective with its target."""

    __tablename__ = "quality_objectives"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    measure: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(20), default="")
    direction: Mapped[str] = mapped_column(String(10), default="at_least")
    target: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    owner: Mapped[str] = mapped_column(String(120))
    due_date: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")

    measurements: Mapped[list[ObjectiveMeasurement]] = relationship(
        back_populates="objective", cascade="all, delete-orphan", order_by="ObjectiveMeasurement.measured_on"
    )


class ObjectiveMeasurement(TimestampMixin, Base):
    __tablename__ = "objective_measurements"

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(
        ForeignKey("quality_objectives.id", ondelete="CASCADE"), index=True
    )
    measured_on: Mapped[date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    notes: Mapped[str] = mapped_column(Text, default="")

    objective: Mapped[QualityObjective] = relationship(back_populates="measurements")
