"""The customer complaint register's API bodies and answers as pydantic models (see :mod:`app.api.schemas`
for the conventions: answers are closed and list every property as required; bodies are validated with
their model; limits and enums come from :mod:`app.domain.complaints`).

A body's model checks its shape (known fields, JSON types, ISO dates); the values themselves (dates not in
the future and in order, sentences, the report of a reportable complaint, a nonconformity of the project)
are checked by the service, with the messages the pages show.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from app.api.schemas import NO_NUL, Closed, Count, PageNumber, PerPage, _iso_date, one_of
from app.domain import complaints as rules
from app.domain import nonconformities as nc
from app.domain.ids import MAX_ID

IsoDate = Annotated[date | None, BeforeValidator(_iso_date)]
STATE_DESCRIPTION = (
    "received: nothing investigated yet; investigating: the investigation is written; closed: with its "
    "closing day and closure."
)
MEDICAL_ONLY = "ISO 13485 projects only (8.2.3); an ISO 9001 project keeps none."


def _text(limit: int, description: str = "", default: Any = "") -> Any:
    return Field(
        default=default,
        description=description or None,
        json_schema_extra={"maxLength": limit, "pattern": NO_NUL},
    )


# Answers


class ComplaintFinding(Closed):
    """The nonconformity of the findings register the complaint is linked to."""

    id: int
    label: str = Field(examples=["Finding 12 (minor)"])
    state: one_of(nc.FindingState)
    url: str = Field(description="The finding in this API.")


class ComplaintSummary(Closed):
    """A line of the register."""

    id: int
    label: str = Field(examples=["Complaint 12 (Vinamilk)"])
    received_on: date
    customer: str
    product: str
    state: one_of(rules.ComplaintState) = Field(description=STATE_DESCRIPTION)
    closed_on: date | None
    days_open: Count = Field(description="From receipt to closure, or to today while open.")
    late: bool = Field(description=f"Open for more than {rules.LATE_AFTER_DAYS} days.")
    reportability: one_of(rules.Reportability) | None = Field(
        description=f"The regulatory reportability decision; null for an ISO 9001 project. {MEDICAL_ONLY}"
    )
    finding_id: int | None
    url: str = Field(description="The complaint in this API.")


class ComplaintList(Closed):
    items: list[ComplaintSummary] = Field(
        description="The open complaints first, the oldest of them first; then the closed ones, the latest "
        "closed first."
    )
    page: PageNumber
    per_page: PerPage
    total: Count


class ComplaintDetail(ComplaintSummary):
    description: str
    investigation: str
    closure: str
    reportable: bool | None = Field(description=f"null: not decided. {MEDICAL_ONLY}")
    reportability_reason: str
    authority: str
    reported_on: date | None
    report_reference: str
    finding: ComplaintFinding | None
    version: int


# Bodies


class ComplaintCreate(BaseModel):
    """A complaint as received; it may be recorded already investigated, decided and closed (a register
    kept elsewhere until now): the same rules apply as on its page."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    received_on: IsoDate = Field(description="Not in the future.")
    customer: StrictStr = _text(rules.NAME_MAX_LENGTH, "Required.", default=...)
    product: StrictStr = _text(
        rules.NAME_MAX_LENGTH, "The product or service it is about; required.", default=...
    )
    description: StrictStr = _text(rules.TEXT_MAX_LENGTH, "What the customer reports; required.", default=...)
    investigation: StrictStr = _text(
        rules.TEXT_MAX_LENGTH, "A real sentence (at least four words), if given."
    )
    finding_id: StrictInt | None = Field(
        default=None,
        description="A nonconformity of this project's findings register to link it to.",
        json_schema_extra={"anyOf": [{"type": "integer", "minimum": 1, "maximum": MAX_ID}, {"type": "null"}]},
    )
    closed_on: IsoDate = Field(
        default=None, description="Not in the future nor before received_on; needs the investigation."
    )
    closure: StrictStr = _text(rules.TEXT_MAX_LENGTH, "With closed_on: a real sentence.")
    reportable: StrictBool | None = Field(
        default=None, description=f"Required before closing. {MEDICAL_ONLY}"
    )
    reportability_reason: StrictStr = _text(rules.TEXT_MAX_LENGTH, "With reportable: a real sentence.")
    authority: StrictStr = _text(rules.NAME_MAX_LENGTH, "Required when reportable is true.")
    reported_on: IsoDate = Field(
        default=None,
        description="Required when reportable is true; not in the future nor before received_on.",
    )
    report_reference: StrictStr = _text(rules.REFERENCE_MAX_LENGTH, "Required when reportable is true.")
