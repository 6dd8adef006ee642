"""The running registers a stage 2 auditor samples: context and interested parties, risks and opportunities,
measuring equipment and its calibrations, suppliers and their evaluations, complaints, customer satisfaction,
and for ISO 13485 the risk-management files and the QMS software validation list.

Each register's rules (derived states, what is refused) live in its own domain module; which clauses each
register evidences is :mod:`app.domain.registers`. Every change to a register record is written to
:class:`RegisterEvent` (the record's history), and a record links the project's evidence through
:class:`RegisterEvidence`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, Versioned, utcnow
from app.models.evidence import EvidenceItem
from app.models.tenancy import User


class ContextIssue(Versioned, TimestampMixin, Base):
    """An internal or external issue relevant to the QMS (ISO 9001 4.1)."""

    __tablename__ = "context_issues"
    __table_args__ = (UniqueConstraint("project_id", "starter_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # internal, external
    category: Mapped[str] = mapped_column(String(30))  # market, regulatory, technology, people, climate…
    description: Mapped[str] = mapped_column(Text)
    effect: Mapped[str] = mapped_column(Text, default="")  # how it bears on the QMS's intended results
    owner: Mapped[str] = mapped_column(String(120), default="")
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    starter_key: Mapped[str | None] = mapped_column(String(60))  # the suggestion it was added from


class InterestedParty(Versioned, TimestampMixin, Base):
    """An interested party and its requirements relevant to the QMS (ISO 9001 4.2)."""

    __tablename__ = "interested_parties"
    __table_args__ = (UniqueConstraint("project_id", "starter_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(10))  # internal, external
    requirements: Mapped[str] = mapped_column(Text)
    monitoring: Mapped[str] = mapped_column(Text, default="")  # how the factory follows them
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    starter_key: Mapped[str | None] = mapped_column(String(60))


class ClimateDecision(TimestampMixin, Base):
    """The organisation's decision whether climate change is a relevant issue (ISO 9001:2015/Amd 1:2024 to
    4.1 and 4.2). Append-only: the latest row is the standing decision, the earlier ones its history."""

    __tablename__ = "climate_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    decided_on: Mapped[date] = mapped_column(Date)
    relevant: Mapped[bool] = mapped_column(Boolean)
    reasoning: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(120))


class Risk(Versioned, TimestampMixin, Base):
    """A risk or an opportunity (ISO 9001 6.1), scored on the project's scale, with its action and the review
    of that action's effectiveness."""

    __tablename__ = "risks"
    __table_args__ = (UniqueConstraint("project_id", "starter_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # risk, opportunity
    issue_id: Mapped[int | None] = mapped_column(
        ForeignKey("context_issues.id", ondelete="SET NULL"), index=True
    )
    party_id: Mapped[int | None] = mapped_column(
        ForeignKey("interested_parties.id", ondelete="SET NULL"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    likelihood: Mapped[int] = mapped_column(Integer)
    impact: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(120), default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    # The effectiveness review of the action (ISO 9001 6.1.2 b, 9.1.3 e).
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    effective: Mapped[bool | None] = mapped_column(Boolean)
    review_notes: Mapped[str] = mapped_column(Text, default="")
    residual_likelihood: Mapped[int | None] = mapped_column(Integer)
    residual_impact: Mapped[int | None] = mapped_column(Integer)
    starter_key: Mapped[str | None] = mapped_column(String(60))

    issue: Mapped[ContextIssue | None] = relationship()
    party: Mapped[InterestedParty | None] = relationship()


class Instrument(Versioned, TimestampMixin, Base):
    """A measuring instrument whose results the factory relies on (ISO 9001 7.1.5, ISO 13485 7.6)."""

    __tablename__ = "instruments"
    __table_args__ = (UniqueConstraint("project_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))  # the equipment id marked on it
    description: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(120), default="")
    measuring_range: Mapped[str] = mapped_column(String(80), default="")
    accuracy: Mapped[str] = mapped_column(String(80), default="")
    interval_months: Mapped[int] = mapped_column(Integer)
    traceability: Mapped[str] = mapped_column(Text, default="")  # to national / international standards
    out_of_service: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # The latest calibration's dates, kept by the service so lists filter and count in SQL.
    last_calibrated_on: Mapped[date | None] = mapped_column(Date)
    next_due: Mapped[date | None] = mapped_column(Date, index=True)

    calibrations: Mapped[list[Calibration]] = relationship(
        back_populates="instrument",
        cascade="all, delete-orphan",
        order_by="(Calibration.calibrated_on, Calibration.id)",
    )


class Calibration(Versioned, TimestampMixin, Base):
    """One calibration or verification of an instrument; found out of tolerance, it needs the assessment of
    the results measured with it since the last good calibration (ISO 9001 7.1.5.2)."""

    __tablename__ = "calibrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id", ondelete="CASCADE"), index=True)
    calibrated_on: Mapped[date] = mapped_column(Date)
    next_due: Mapped[date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(20))  # pass, adjusted, out_of_tolerance
    performed_by: Mapped[str] = mapped_column(String(160))
    certificate_ref: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    assessed_on: Mapped[date | None] = mapped_column(Date)
    assessment: Mapped[str] = mapped_column(Text, default="")  # what the earlier results were worth
    assessment_action: Mapped[str] = mapped_column(Text, default="")  # what was done about them

    instrument: Mapped[Instrument] = relationship(back_populates="calibrations")


class Supplier(Versioned, TimestampMixin, Base):
    """An external provider on the approved-supplier list (ISO 9001 8.4, ISO 13485 7.4)."""

    __tablename__ = "suppliers"
    __table_args__ = (UniqueConstraint("project_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    name_key: Mapped[str] = mapped_column(String(160))  # folded name: one supplier per name
    supplies: Mapped[str] = mapped_column(Text)
    criteria: Mapped[str] = mapped_column(Text, default="")  # how it is selected and evaluated
    risk_class: Mapped[str] = mapped_column(String(10), default="medium")  # low, medium, high
    controls: Mapped[str] = mapped_column(Text, default="")  # proportionate to risk (ISO 13485 7.4.1)
    reevaluate_months: Mapped[int] = mapped_column(Integer, default=12, server_default="12")
    contact: Mapped[str] = mapped_column(String(160), default="")
    # The latest evaluation's outcome and date, kept by the service so lists filter and count in SQL.
    status: Mapped[str] = mapped_column(String(20), default="not_evaluated", server_default="not_evaluated")
    last_evaluated_on: Mapped[date | None] = mapped_column(Date)

    evaluations: Mapped[list[SupplierEvaluation]] = relationship(
        back_populates="supplier",
        cascade="all, delete-orphan",
        order_by="(SupplierEvaluation.evaluated_on, SupplierEvaluation.id)",
    )


class SupplierEvaluation(TimestampMixin, Base):
    """One evaluation or re-evaluation of a supplier against its criteria."""

    __tablename__ = "supplier_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    evaluated_on: Mapped[date] = mapped_column(Date)
    evaluated_by: Mapped[str] = mapped_column(String(120))
    outcome: Mapped[str] = mapped_column(String(20))  # approved, conditional, blocked
    score: Mapped[int | None] = mapped_column(Integer)  # percent, when the criteria are scored
    notes: Mapped[str] = mapped_column(Text)

    supplier: Mapped[Supplier] = relationship(back_populates="evaluations")


class Complaint(Versioned, TimestampMixin, Base):
    """A customer complaint from receipt to closure (ISO 9001 9.1.2, 10.2; ISO 13485 8.2.2), with, for
    ISO 13485, the decision whether it must be reported to a regulatory authority and the report (8.2.3)."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    customer: Mapped[str] = mapped_column(String(160))
    product: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text)
    investigation: Mapped[str] = mapped_column(Text, default="")
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id", ondelete="SET NULL"), index=True)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closure: Mapped[str] = mapped_column(Text, default="")
    reportable: Mapped[bool | None] = mapped_column(Boolean)  # None: not decided yet
    reportability_reason: Mapped[str] = mapped_column(Text, default="")
    authority: Mapped[str] = mapped_column(String(160), default="")
    reported_on: Mapped[date | None] = mapped_column(Date)
    report_reference: Mapped[str] = mapped_column(String(120), default="")


class SatisfactionMeasure(Versioned, TimestampMixin, Base):
    """A way the factory measures customer satisfaction (survey score, returns, on-time delivery), with its
    values over time for the management review (ISO 9001 9.1.2, ISO 13485 8.2.1)."""

    __tablename__ = "satisfaction_measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(20))  # survey, returns, on_time_delivery, other
    unit: Mapped[str] = mapped_column(String(20), default="")
    higher_is_better: Mapped[bool] = mapped_column(Boolean, default=True)
    target: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))

    values: Mapped[list[SatisfactionValue]] = relationship(
        back_populates="measure",
        cascade="all, delete-orphan",
        order_by="(SatisfactionValue.period_end, SatisfactionValue.id)",
    )


class SatisfactionValue(TimestampMixin, Base):
    __tablename__ = "satisfaction_values"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("satisfaction_measures.id", ondelete="CASCADE"), index=True
    )
    period_end: Mapped[date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    notes: Mapped[str] = mapped_column(Text, default="")

    measure: Mapped[SatisfactionMeasure] = relationship(back_populates="values")


class RiskFile(Versioned, TimestampMixin, Base):
    """The risk-management file of one device family (ISO 13485 7.1, by ISO 14971)."""

    __tablename__ = "risk_files"
    __table_args__ = (UniqueConstraint("project_id", "family_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    device_family: Mapped[str] = mapped_column(String(160))
    family_key: Mapped[str] = mapped_column(String(160))
    intended_use: Mapped[str] = mapped_column(Text)
    acceptability_policy: Mapped[str] = mapped_column(Text, default="")
    reviewed_on: Mapped[date | None] = mapped_column(Date)

    hazards: Mapped[list[Hazard]] = relationship(
        back_populates="risk_file", cascade="all, delete-orphan", order_by="Hazard.id"
    )


class Hazard(Versioned, TimestampMixin, Base):
    """A hazard of a device family, the harm it can lead to, its risk before and after control."""

    __tablename__ = "hazards"

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_file_id: Mapped[int] = mapped_column(ForeignKey("risk_files.id", ondelete="CASCADE"), index=True)
    hazard: Mapped[str] = mapped_column(String(200))
    situation: Mapped[str] = mapped_column(Text)  # the hazardous situation
    harm: Mapped[str] = mapped_column(Text)
    severity: Mapped[int] = mapped_column(Integer)
    probability: Mapped[int] = mapped_column(Integer)
    controls: Mapped[str] = mapped_column(Text, default="")
    residual_severity: Mapped[int | None] = mapped_column(Integer)
    residual_probability: Mapped[int | None] = mapped_column(Integer)
    verification: Mapped[str] = mapped_column(Text, default="")  # how the controls were verified

    risk_file: Mapped[RiskFile] = relationship(back_populates="hazards")


class SoftwareValidation(Versioned, TimestampMixin, Base):
    """A piece of software used in the QMS and its validation (ISO 13485 4.1.6, 7.5.6, 7.6)."""

    __tablename__ = "software_validations"
    __table_args__ = (UniqueConstraint("project_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    name_key: Mapped[str] = mapped_column(String(160))
    version_label: Mapped[str] = mapped_column(String(60), default="")
    intended_use: Mapped[str] = mapped_column(Text)
    risk: Mapped[str] = mapped_column(String(10))  # low, medium, high
    approach: Mapped[str] = mapped_column(Text, default="")  # how it is validated, proportionate to risk
    validated_on: Mapped[date | None] = mapped_column(Date)
    validated_version: Mapped[str] = mapped_column(String(60), default="")
    result: Mapped[str] = mapped_column(Text, default="")
    revalidate_by: Mapped[date | None] = mapped_column(Date)
    retired: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())


class RegisterEvent(Base):
    """One change to a register record, in words: the record page's history."""

    __tablename__ = "register_events"
    __table_args__ = (Index("ix_register_events_record", "register", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    register: Mapped[str] = mapped_column(String(30))  # a key of app.domain.registers.REGISTERS
    record_id: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    summary: Mapped[str] = mapped_column(Text)

    actor: Mapped[User | None] = relationship()


class RegisterEvidence(Base):
    """A piece of the project's evidence linked to a register record (a calibration certificate, an
    evaluation report, a validation record)."""

    __tablename__ = "register_evidence"
    __table_args__ = (
        UniqueConstraint("register", "record_id", "evidence_id"),
        Index("ix_register_evidence_record", "register", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    register: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[int] = mapped_column(Integer)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id", ondelete="CASCADE"), index=True)

    evidence: Mapped[EvidenceItem] = relationship()
