"""A certification project: one site working towards one standard."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, SoftDeleted, TimestampMixin, Versioned
from app.models.certification import CertificationBody
from app.models.standards import Standard
from app.models.tenancy import Client, Site

# What a user may set; "certified" is derived from a valid certificate (app.domain.gates.project_status).
PROJECT_STATUSES = ("planning", "in_progress", "on_hold", "closed")


class CertificationProject(Versioned, SoftDeleted, TimestampMixin, Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id"), index=True)
    target_date: Mapped[date | None] = mapped_column(Date)
    body_id: Mapped[int | None] = mapped_column(
        ForeignKey("certification_bodies.id", ondelete="SET NULL"), index=True
    )
    # Stage 2 go / no-go thresholds: readiness (percent of applicable requirements met) and months the system
    # has run since the documentation stage was done.
    readiness_threshold: Mapped[int] = mapped_column(Integer, default=100, server_default="100")
    operating_months: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    # The buyer page may show "working towards certification" for this project (off by default).
    show_progress_to_buyers: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # Likelihood and impact of risks and opportunities are scored 1..risk_scale (3 or 5).
    risk_scale: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), default="planning")

    client: Mapped[Client] = relationship()
    site: Mapped[Site] = relationship()
    standard: Mapped[Standard] = relationship()
    body: Mapped[CertificationBody | None] = relationship()
