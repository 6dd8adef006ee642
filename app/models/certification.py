"""Certification bodies and their quotes, external audits, certificates with the sites they cover, share links
for buyers, and the announced transitions to a new edition of a standard.

The rules (accreditation bodies on the IAF MLA list, the certification cycle, a certificate's status, the
stage 2 go / no-go) live in :mod:`app.domain.certification` and :mod:`app.domain.gates`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, Versioned
from app.models.standards import Standard
from app.models.tenancy import Client, Site

BODY_ID = "certification_bodies.id"

# The sites a certificate covers (a multi-site certificate covers several sites of one client).
certificate_sites = Table(
    "certificate_sites",
    Base.metadata,
    Column("certificate_id", ForeignKey("certificates.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class CertificationBody(Versioned, TimestampMixin, Base):
    """A certification body a workspace deals with, reused across its projects."""

    __tablename__ = "certification_bodies"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    # As chosen from the IAF MLA list (its acronym) or, for a name not on it, as typed (then warned about).
    accreditation_body: Mapped[str] = mapped_column(String(160), default="")
    accreditation_number: Mapped[str] = mapped_column(String(60), default="")
    sector_codes: Mapped[str] = mapped_column(String(200), default="")  # IAF codes, e.g. "14, 19"
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    website: Mapped[str] = mapped_column(String(300), default="")  # where its certificates can be checked
    major_deadline_days: Mapped[int] = mapped_column(Integer, default=90, server_default="90")
    notes: Mapped[str] = mapped_column(Text, default="")


class Quote(Versioned, TimestampMixin, Base):
    """A certification body's offer for a project's certification audit."""

    __tablename__ = "cb_quotes"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey(BODY_ID, ondelete="CASCADE"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    audit_days: Mapped[Decimal] = mapped_column(Numeric(6, 1))  # stage 1 and stage 2 together
    surveillance_days: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))  # per surveillance audit
    day_rate: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    fees: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal(0))  # application, certificate
    travel: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal(0))
    status: Mapped[str] = mapped_column(String(20), default="received")  # received | accepted | declined
    accepted_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")

    body: Mapped[CertificationBody] = relationship()


class ExternalAudit(Versioned, TimestampMixin, Base):
    """An audit by the certification body: stage 1, stage 2, a surveillance or a recertification audit."""

    __tablename__ = "external_audits"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int | None] = mapped_column(ForeignKey(BODY_ID, ondelete="SET NULL"), index=True)
    certificate_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    held: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())  # False: scheduled
    auditors: Mapped[str] = mapped_column(String(300), default="")
    report: Mapped[str] = mapped_column(Text, default="")  # the report's summary, stage 1's areas of concern
    concerns_resolved_on: Mapped[date | None] = mapped_column(Date)  # stage 1: concerns closed before stage 2
    decision_on: Mapped[date | None] = mapped_column(Date)  # the certification decision (stage 2, recert)
    # Scheduled although the go / no-go said no: the warning the user accepted.
    scheduled_on_no_go: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    notes: Mapped[str] = mapped_column(Text, default="")

    body: Mapped[CertificationBody | None] = relationship()


class Certificate(Versioned, TimestampMixin, Base):
    """A certificate issued to a client for one or more of its sites."""

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("body_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey(BODY_ID), index=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id"), index=True)
    number: Mapped[str] = mapped_column(String(60))
    scope: Mapped[str] = mapped_column(Text)
    sector_codes: Mapped[str] = mapped_column(String(200), default="")
    original_on: Mapped[date] = mapped_column(Date)  # first certified
    decision_on: Mapped[date] = mapped_column(Date)  # the decision this certificate's cycle runs from
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    # Set by the body: suspended or withdrawn (with the day); valid and expired are computed.
    suspension: Mapped[str] = mapped_column(String(20), default="")
    suspension_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")

    client: Mapped[Client] = relationship()
    body: Mapped[CertificationBody] = relationship()
    standard: Mapped[Standard] = relationship()
    sites: Mapped[list[Site]] = relationship(secondary=certificate_sites, order_by="Site.name")


class ShareLink(TimestampMixin, Base):
    """A link a buyer opens to check a certificate (or, if the exporter allows it, a project's progress
    towards one); only the token's SHA-256 is stored."""

    __tablename__ = "share_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    certificate_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(
        String(120), default=""
    )  # who it was made for, e.g. "Buyer: Acme GmbH"
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class EditionTransition(TimestampMixin, Base):
    """The announced new edition of a standard, as a workspace's owner recorded it: certificates to the old
    edition must move by ``deadline``."""

    __tablename__ = "edition_transitions"
    __table_args__ = (UniqueConstraint("workspace_id", "standard_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    standard_code: Mapped[str] = mapped_column(String(20))
    edition: Mapped[str] = mapped_column(String(40))  # e.g. "ISO 9001:2026"
    published_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
