"""The certification body and quote API's bodies and answers as pydantic models (see :mod:`app.api.schemas`
for the conventions: answers are closed and list every property as required; bodies are validated with
their model; limits and enums come from :mod:`app.domain.certification_bodies`).

A body's model checks its shape (known fields, JSON types, ISO dates); the values themselves (a name not
taken, sector codes from 1 to 39, an email, a website, days and amounts in range and in the currency's
decimals) are checked by the services, with the messages the pages show.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictFloat, StrictInt, StrictStr

from app.api.schemas import NO_NUL, Closed, Count, _iso_date, one_of
from app.domain import certification_bodies as rules

Day = Annotated[date | None, BeforeValidator(_iso_date)]
# Days and amounts: a JSON number, or a decimal string (exact: 1200.50, 1,200.50).
Figure = StrictStr | StrictFloat
SectorCode = Annotated[StrictInt, Field(ge=1, le=39)]


def _text(limit: int) -> dict[str, Any]:
    """A text's documented limits (checked by the service, with its own message)."""
    return {"maxLength": limit, "pattern": NO_NUL}


# Answers


class CertificationBodyItem(Closed):
    id: int
    name: str
    accreditation_body: str = Field(description="As recorded: an IAF MLA signatory's acronym, or as typed.")
    accreditation_body_name: str | None = Field(
        description="The signatory's acronym and name; null when it is not on the IAF MLA list."
    )
    on_iaf_mla: bool = Field(description="The accreditation body is on the IAF MLA list the app knows.")
    accreditation_warning: str | None = Field(
        description="Shown wherever the body appears when its accreditation body is missing or not on the "
        "list: check it on IAF CertSearch. Null when it is on the list."
    )
    accreditation_number: str
    sector_codes: list[int] = Field(description="The IAF sector codes it is accredited for.")
    contact_name: str
    contact_email: str
    website: str
    major_deadline_days: int = Field(
        description="The days it gives to close a major nonconformity: the register's default deadline for "
        "its major findings on the projects that chose it."
    )
    notes: str
    version: int = Field(description="Send the ETag back in If-Match with a change.")
    url: str = Field(description="The body in this API.")


class CertificationBodyList(Closed):
    items: list[CertificationBodyItem] = Field(description="By name.")
    total: Count


class BodyRef(Closed):
    id: int
    name: str
    accreditation_warning: str | None


class QuoteItem(Closed):
    id: int
    body: BodyRef
    received_on: date
    audit_days: str = Field(description="Stage 1 and 2 together, a decimal string.")
    surveillance_days: str | None = Field(description="Each surveillance audit's; null when not given.")
    day_rate: str = Field(description="A decimal string in the project's currency.")
    fees: str
    travel: str
    currency: str = Field(description="The project's currency (ISO 4217).")
    total: str = Field(description="The initial audit: audit days \u00d7 day rate + fees + travel.")
    surveillance_total: str | None = Field(description="Each surveillance audit: its days \u00d7 day rate.")
    expected_audit_days: str | None = Field(
        description="The IAF MD 5 (ISO 9001) or MD 9 (ISO 13485) figure for the site's employees; null "
        "when there is no table for the standard."
    )
    expected_basis: str = Field(description="Where the expected figure comes from.")
    warning: str | None = Field(
        description="The audit days are well below the expected figure (below 80 %): an offer too cheap to "
        "be a real audit is a warning sign."
    )
    status: one_of(rules.QuoteStatus)
    accepted_on: date | None
    notes: str
    version: int
    url: str = Field(description="The quote's page.")


class QuoteList(Closed):
    items: list[QuoteItem] = Field(description="The latest received first.")
    total: Count


class AddedLine(Closed):
    id: int
    stage: str
    category: str
    description: str
    planned: str = Field(description="A decimal string in the project's currency.")
    spent_on: date | None


class QuoteAcceptance(Closed):
    quote: QuoteItem
    budget_lines_added: list[AddedLine] = Field(
        description="The budget lines accepting it added; empty when it was already accepted."
    )


# Bodies


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


ACCREDITATION_DESCRIPTION = (
    "An IAF MLA signatory's acronym or name (e.g. UKAS); any other name is kept and answered with "
    "accreditation_warning."
)


class BodyCreate(_Body):
    name: StrictStr = Field(description="Unique in the workspace.", json_schema_extra=_text(rules.NAME_MAX))
    accreditation_body: StrictStr = Field(
        default="", description=ACCREDITATION_DESCRIPTION, json_schema_extra=_text(rules.ACCREDITATION_MAX)
    )
    accreditation_number: StrictStr = Field(default="", json_schema_extra=_text(rules.NUMBER_MAX))
    sector_codes: list[SectorCode] = Field(default_factory=list, max_length=39)
    contact_name: StrictStr = Field(default="", json_schema_extra=_text(rules.CONTACT_MAX))
    contact_email: StrictStr = Field(default="", json_schema_extra=_text(rules.EMAIL_MAX))
    website: StrictStr = Field(
        default="", description="An http(s) address.", json_schema_extra=_text(rules.WEBSITE_MAX)
    )
    major_deadline_days: StrictInt = Field(default=90, ge=rules.DEADLINE_DAYS_MIN, le=rules.DEADLINE_DAYS_MAX)
    notes: StrictStr = Field(default="", json_schema_extra=_text(rules.NOTES_MAX))


class BodyPatch(_Body):
    """Any of these fields; the ones left out keep their values."""

    name: StrictStr = Field(default=None, json_schema_extra=_text(rules.NAME_MAX))
    accreditation_body: StrictStr = Field(
        default=None, description=ACCREDITATION_DESCRIPTION, json_schema_extra=_text(rules.ACCREDITATION_MAX)
    )
    accreditation_number: StrictStr = Field(default=None, json_schema_extra=_text(rules.NUMBER_MAX))
    sector_codes: list[SectorCode] = Field(default=None, max_length=39)
    contact_name: StrictStr = Field(default=None, json_schema_extra=_text(rules.CONTACT_MAX))
    contact_email: StrictStr = Field(default=None, json_schema_extra=_text(rules.EMAIL_MAX))
    website: StrictStr = Field(default=None, json_schema_extra=_text(rules.WEBSITE_MAX))
    major_deadline_days: StrictInt = Field(
        default=None, ge=rules.DEADLINE_DAYS_MIN, le=rules.DEADLINE_DAYS_MAX
    )
    notes: StrictStr = Field(default=None, json_schema_extra=_text(rules.NOTES_MAX))


class QuoteCreate(_Body):
    """A quote as received; it starts as received, then is accepted or declined."""

    body_id: StrictInt = Field(description="One of the workspace's certification bodies.")
    received_on: Day = Field(description="Not in the future.")
    audit_days: Figure = Field(description="Stage 1 and 2 together: from 0.5 to 999, to the tenth of a day.")
    surveillance_days: Figure | None = Field(
        default=None, description="Each surveillance audit's days, if the quote gives them."
    )
    day_rate: Figure = Field(description="In the project's currency, with at most its decimals.")
    fees: Figure = Field(default="0", description="Application, certificate and other fees.")
    travel: Figure = Field(default="0")
    notes: StrictStr = Field(default="", json_schema_extra=_text(rules.NOTES_MAX))
