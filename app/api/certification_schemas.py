"""The external audit and certificate API's bodies and answers as pydantic models (see :mod:`app.api.schemas`
for the conventions: answers are closed and list every property as required; bodies are validated with
their model; enums come from :mod:`app.domain.certification`).

A body's model checks its shape (known fields, JSON types, ISO dates, ids in range); the values themselves
(days in order, a body of the workspace, the client's own sites, a number the body has not used, the
expiry within three years of the decision) are checked by the services, with the messages the pages show.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from app.api.schemas import NO_NUL, ClientRef, Closed, Count, _iso_date, one_of
from app.domain import certification as rules
from app.domain.ids import MAX_ID
from app.services.certificates import LIMITS, SUSPENSIONS
from app.services.external_audits import TEXT_LIMITS

IsoDate = Annotated[date | None, BeforeValidator(_iso_date)]
Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
MAX_SITES = 500  # more sites than any certificate covers: a longer list is a mistake


def _text(limit: int) -> dict[str, Any]:
    """A text's documented limits (checked by the service, with its own message)."""
    return {"maxLength": limit, "pattern": NO_NUL}


# Answers


class AuditBody(Closed):
    id: int
    name: str


class ExternalAuditItem(Closed):
    id: int
    kind: one_of(rules.AuditKind)
    kind_label: str = Field(examples=["Stage 2 audit"])
    body: AuditBody | None = Field(description="The certification body; null if none is recorded.")
    starts_on: date
    ends_on: date
    held: bool = Field(description="False: scheduled.")
    auditors: str
    report: str = Field(description="The report's summary; for stage 1, its areas of concern.")
    concerns_resolved_on: date | None = Field(description="Stage 1: the day its concerns were resolved.")
    decision_on: date | None = Field(description="Stage 2 or recertification: the certification decision.")
    scheduled_on_no_go: bool = Field(description="Stage 1 or 2 scheduled while the go / no-go said NO-GO.")
    certificate_id: int | None = Field(description="The certificate whose cycle a surveillance audit is of.")
    notes: str
    findings: Count = Field(description="Findings of the nonconformity register raised at this audit.")
    warnings: list[str] = Field(
        description="What is saved but should be known: scheduled on NO-GO (with what is missing), a "
        "surveillance or recertification audit outside its window (with the rule)."
    )
    url: str = Field(description="The audit in this API.")


class ExternalAuditList(Closed):
    items: list[ExternalAuditItem] = Field(description="Earliest first.")
    total: Count


class CoveredSite(Closed):
    id: int
    name: str
    address: str
    country: str


class CertificateStandard(Closed):
    code: str
    name: str
    edition: str = Field(description="The catalog's version, e.g. 2015+A1:2024.")


class CertificateBody(Closed):
    id: int
    name: str
    accreditation_body: str
    accreditation_warning: str | None = Field(
        description="Set when the accreditation body is not on the IAF MLA list."
    )


class CertificateSummary(Closed):
    id: int
    number: str
    client: ClientRef
    project_id: int | None
    body: CertificateBody
    standard: CertificateStandard
    sites: list[CoveredSite]
    scope: str
    sector_codes: str = Field(examples=["6, 23"])
    original_on: date
    decision_on: date
    issued_on: date
    expires_on: date
    suspension: one_of(SUSPENSIONS) = Field(description="Set by the body: suspended, withdrawn or empty.")
    suspension_on: date | None
    status: one_of(rules.CertificateStatus) = Field(
        description="Computed from the expiry and the suspension."
    )
    transition: str | None = Field(
        description="When a new edition of the standard is announced: the date by which this certificate "
        "must move."
    )
    notes: str
    url: str


class CertificateList(Closed):
    items: list[CertificateSummary] = Field(description="By client, then number.")
    total: Count


class CycleWindow(Closed):
    kind: one_of(rules.AuditKind)
    earliest: date
    latest: date
    rule: str
    held_on: date | None = Field(description="The last day of the audit of this kind held, if any.")


class CycleAudit(Closed):
    id: int
    project_id: int
    kind: one_of(rules.AuditKind)
    starts_on: date
    ends_on: date
    held: bool
    warning: str | None = Field(description="Outside its window, with the rule.")


class NextAudit(Closed):
    kind: one_of(rules.AuditKind)
    due_by: date
    overdue: bool


class Cycle(Closed):
    windows: list[CycleWindow]
    audits: list[CycleAudit] = Field(description="Surveillance and recertification audits, earliest first.")
    next_audit: NextAudit | None = Field(
        description="The next audit of the cycle not held; null once all are."
    )
    last_surveillance_on: date | None


class CertificateDetail(CertificateSummary):
    cycle: Cycle


# Bodies


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _limited(limit: int, default: Any = "", description: str | None = None) -> Any:
    return Field(default=default, description=description, json_schema_extra=_text(limit))


class ExternalAuditCreate(_Body):
    kind: StrictStr = Field(json_schema_extra={"enum": list(rules.AuditKind)})
    starts_on: IsoDate
    ends_on: IsoDate = Field(description="Not before starts_on; not after today for an audit held.")
    held: StrictBool = Field(default=False, description="False: scheduled.")
    body_id: Id | None = Field(
        default=None, description="A body of the workspace; the project's if left out."
    )
    auditors: StrictStr = _limited(TEXT_LIMITS["auditors"])
    report: StrictStr = _limited(TEXT_LIMITS["report"])
    concerns_resolved_on: IsoDate = Field(default=None, description="Stage 1 only.")
    decision_on: IsoDate = Field(
        default=None, description="Stage 2 or recertification, held; not before it ended."
    )
    notes: StrictStr = _limited(TEXT_LIMITS["notes"])


class ExternalAuditPatch(_Body):
    """Any of these fields; the ones left out keep their values."""

    kind: StrictStr = Field(default=None, json_schema_extra={"enum": list(rules.AuditKind)})
    starts_on: IsoDate = None
    ends_on: IsoDate = None
    held: StrictBool = None
    body_id: Id | None = None
    auditors: StrictStr = _limited(TEXT_LIMITS["auditors"], None)
    report: StrictStr = _limited(TEXT_LIMITS["report"], None)
    concerns_resolved_on: IsoDate = None
    decision_on: IsoDate = None
    notes: StrictStr = _limited(TEXT_LIMITS["notes"], None)


class CertificateCreate(_Body):
    client_id: Id
    site_ids: list[Id] = Field(
        max_length=MAX_SITES, description="The client's sites it covers; at least one."
    )
    body_id: Id = Field(description="A certification body of the workspace.")
    standard_id: Id
    number: StrictStr = _limited(LIMITS["number"], description="Unique per certification body.")
    scope: StrictStr = _limited(LIMITS["scope"])
    sector_codes: StrictStr = _limited(LIMITS["sector_codes"], description='IAF codes 1 to 39, e.g. "6, 23".')
    original_on: IsoDate
    decision_on: IsoDate
    issued_on: IsoDate = Field(description="On or after the decision.")
    expires_on: IsoDate = Field(
        default=None, description="The day before the decision's third anniversary if left out."
    )
    project_id: Id | None = Field(default=None, description="One of the client's projects, or null.")
    suspension: StrictStr = Field(default="", json_schema_extra={"enum": list(SUSPENSIONS)})
    suspension_on: IsoDate = None
    notes: StrictStr = _limited(LIMITS["notes"])


class CertificatePatch(_Body):
    """Any of these fields (its client stays); the ones left out keep their values."""

    site_ids: list[Id] = Field(default=None, max_length=MAX_SITES)
    body_id: Id = None
    standard_id: Id = None
    number: StrictStr = _limited(LIMITS["number"], None)
    scope: StrictStr = _limited(LIMITS["scope"], None)
    sector_codes: StrictStr = _limited(LIMITS["sector_codes"], None)
    original_on: IsoDate = None
    decision_on: IsoDate = None
    issued_on: IsoDate = None
    expires_on: IsoDate = None
    project_id: Id | None = None
    suspension: StrictStr = Field(default=None, json_schema_extra={"enum": list(SUSPENSIONS)})
    suspension_on: IsoDate = None
    notes: StrictStr = _limited(LIMITS["notes"], None)
