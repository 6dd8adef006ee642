"""People of a site, what their job roles require, training sessions with attendance and effectiveness checks.

The rules (cell states of the matrix, the Training stage's criteria, the staff CSV) live in
:mod:`app.domain.training`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, Versioned
from app.models.documents import ControlledDocument, DocumentRevision

REQUIREMENTS_ID = "training_requirements.id"

# What each job role of a project requires.
role_requirements = Table(
    "role_requirements",
    Base.metadata,
    Column("role_id", ForeignKey("job_roles.id", ondelete="CASCADE"), primary_key=True),
    Column("requirement_id", ForeignKey(REQUIREMENTS_ID, ondelete="CASCADE"), primary_key=True, index=True),
)


class Person(Versioned, TimestampMixin, Base):
    """Someone who works at a site; most shop-floor staff have no user account."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("site_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # The name folded for comparison (case and spacing), so a second import adds nobody twice.
    name_key: Mapped[str] = mapped_column(String(120))
    job_role: Mapped[str] = mapped_column(String(120), default="")
    department: Mapped[str] = mapped_column(String(120), default="")
    started_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)  # None: still working here
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class JobRole(Versioned, TimestampMixin, Base):
    """A job role of a project's site, by name, with the trainings it requires."""

    __tablename__ = "job_roles"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))

    requirements: Mapped[list[TrainingRequirement]] = relationship(
        secondary=role_requirements, order_by="TrainingRequirement.name"
    )


class TrainingRequirement(Versioned, TimestampMixin, Base):
    """Something people must be trained on: a controlled document (its current approved revision) or a
    named topic, with an optional refresher interval."""

    __tablename__ = "training_requirements"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    refresher_months: Mapped[int | None] = mapped_column(Integer)
    # Required of every person whatever their role (awareness, ISO 9001 7.3).
    everyone: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # Passing it (with a passed effectiveness check) qualifies an internal auditor.
    qualifies_auditor: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    clause_number: Mapped[str | None] = mapped_column(String(20))

    document: Mapped[ControlledDocument | None] = relationship()


class TrainingSession(Versioned, TimestampMixin, Base):
    """One training given: what (a topic, or a document at a revision), when, by whom, how."""

    __tablename__ = "training_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    requirement_id: Mapped[int] = mapped_column(
        ForeignKey("training_requirements.id", ondelete="CASCADE"), index=True
    )
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("document_revisions.id", ondelete="SET NULL"))
    held_on: Mapped[date] = mapped_column(Date)
    trainer: Mapped[str] = mapped_column(String(120), default="")
    method: Mapped[str] = mapped_column(String(30))
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    # The attendance sheet or certificate, stored as evidence.
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_items.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    requirement: Mapped[TrainingRequirement] = relationship()
    revision: Mapped[DocumentRevision | None] = relationship()
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Attendance.id"
    )


class Attendance(Versioned, Base):
    """One person at a session, with the check that the training worked (ISO 9001 7.2 c)."""

    __tablename__ = "training_attendance"
    __table_args__ = (UniqueConstraint("session_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    result: Mapped[str] = mapped_column(String(20), default="pending")  # pending | pass | fail
    check_method: Mapped[str] = mapped_column(String(120), default="")
    checked_on: Mapped[date | None] = mapped_column(Date)

    session: Mapped[TrainingSession] = relationship(back_populates="attendance")
    person: Mapped[Person] = relationship()
