"""Evidence: files, links and notes that show an auditor a requirement or task is met."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, Versioned, utcnow
from app.models.standards import Clause
from app.models.tenancy import User

EVIDENCE_KINDS = ("file", "link", "note")
REVIEW_STATES = ("draft", "submitted", "accepted", "rejected")
# The rows the current-evidence index holds: the fixed part of ``app.services.coverage.current_evidence``
# (whose SQL must repeat it word for word, with the state as a literal, for a database to use the index).
CURRENT_EVIDENCE_ROWS = "review_state = 'accepted' AND deleted_at IS NULL"
# The rows the review queue's index holds: items waiting for a reviewer (app.services.review_queue, whose
# SQL repeats it with the state as a literal).
AWAITING_REVIEW_ROWS = "review_state = 'submitted' AND deleted_at IS NULL"


class EvidenceItem(Versioned, TimestampMixin, Base):
    __tablename__ = "evidence_items"
    __table_args__ = (
        # Coverage (the project list, the API, the project page) asks which requirements of some projects
        # have a current item: answered from this index alone, without reading the items of other states.
        Index(
            "ix_evidence_items_current",
            "project_id",
            "clause_id",
            "valid_until",
            sqlite_where=text(CURRENT_EVIDENCE_ROWS),
            postgresql_where=text(CURRENT_EVIDENCE_ROWS),
        ),
        # The review queue counts and pages the items waiting for review across a consultant's projects
        # (a quarter of the generated portfolio's 50,000): from this index, not by reading every item.
        Index(
            "ix_evidence_items_awaiting_review",
            "project_id",
            "created_at",
            sqlite_where=text(AWAITING_REVIEW_ROWS),
            postgresql_where=text(AWAITING_REVIEW_ROWS),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    clause_id: Mapped[int | None] = mapped_column(ForeignKey("clauses.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    valid_until: Mapped[date | None] = mapped_column(Date)
    review_state: Mapped[str] = mapped_column(String(20), default="draft")
    reviewer_comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Accepted by the person who added it: allowed only while the workspace has a single member.
    self_reviewed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Soft delete: an owner can restore it.
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    clause: Mapped[Clause | None] = relationship()
    added_by: Mapped[User | None] = relationship(foreign_keys=[added_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    versions: Mapped[list[EvidenceVersion]] = relationship(
        back_populates="item", order_by="EvidenceVersion.number", cascade="all, delete-orphan"
    )


class EvidenceVersion(Base):
    """One stored file of an evidence item; replacing a file adds a version and keeps the old ones."""

    __tablename__ = "evidence_versions"
    __table_args__ = (UniqueConstraint("evidence_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    storage_name: Mapped[str] = mapped_column(String(80), unique=True)  # random; never the user's name
    filename: Mapped[str] = mapped_column(String(255))  # sanitised display name
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    item: Mapped[EvidenceItem] = relationship(back_populates="versions")
    uploaded_by: Mapped[User | None] = relationship()
