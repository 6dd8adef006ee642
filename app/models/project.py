"""A certification project: one site working towards one standard."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, SoftDeleted, TimestampMixin, Versioned
from app.models.standards import Standard
from app.models.tenancy import Client, Site

PROJECT_STATUSES = ("planning", "in_progress", "certified", "on_hold", "closed")


class CertificationProject(Versioned, SoftDeleted, TimestampMixin, Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id"), index=True)
    target_date: Mapped[date | None] = mapped_column(Date)
    cb_name: Mapped[str] = mapped_column(String(160), default="")
    cb_accreditation_body: Mapped[str] = mapped_column(String(160), default="")
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), default="planning")

    client: Mapped[Client] = relationship()
    site: Mapped[Site] = relationship()
    standard: Mapped[Standard] = relationship()
