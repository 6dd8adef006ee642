"""The document register of a project: controlled documents, their revisions and the requirements they meet.

The rules (states, who may approve, when a document is controlled) live in :mod:`app.domain.documents`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, Versioned
from app.models.standards import Clause
from app.models.tenancy import User

# Which requirements (catalog leaf clauses) a document meets.
document_clauses = Table(
    "document_clauses",
    Base.metadata,
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("clause_id", ForeignKey("clauses.id"), primary_key=True, index=True),
)


class ControlledDocument(Versioned, TimestampMixin, Base):
    """One entry of the master list: a document under control, whatever its revisions."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("project_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    doc_type: Mapped[str] = mapped_column(String(30))
    owner: Mapped[str] = mapped_column(String(120), default="")
    review_months: Mapped[int] = mapped_column(Integer, default=12)
    retention_months: Mapped[int | None] = mapped_column(Integer)
    used_where: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # "active" or "obsolete" (withdrawn, with a reason; kept in the history).
    status: Mapped[str] = mapped_column(String(20), default="active")
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="")
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The last periodic review that confirmed the current revision without changing it.
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    # The approved (current) revision's approval day, or the last review if later, plus the review
    # interval; None until a revision is approved.
    review_due: Mapped[date | None] = mapped_column(Date, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    clauses: Mapped[list[Clause]] = relationship(secondary=document_clauses, order_by=Clause.position)
    revisions: Mapped[list[DocumentRevision]] = relationship(
        back_populates="document", order_by="DocumentRevision.id", cascade="all, delete-orphan"
    )


class DocumentRevision(Versioned, TimestampMixin, Base):
    """One revision of a document with its file. An approved revision's file never changes."""

    __tablename__ = "document_revisions"
    __table_args__ = (UniqueConstraint("document_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(20))
    change_note: Mapped[str] = mapped_column(Text, default="")
    # draft -> in_review -> approved -> superseded (app.domain.documents)
    state: Mapped[str] = mapped_column(String(20), default="draft")
    storage_name: Mapped[str] = mapped_column(String(80), unique=True)  # random; never the user's name
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_on: Mapped[date | None] = mapped_column(Date)
    effective_on: Mapped[date | None] = mapped_column(Date)
    # Approved by the person who submitted it, allowed only while the workspace has a single member.
    self_approved: Mapped[bool] = mapped_column(Boolean, default=False)
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    document: Mapped[ControlledDocument] = relationship(back_populates="revisions")
    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
