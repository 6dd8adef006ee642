"""The API's bodies as pydantic models: the PATCH of a requirement is validated with its model, and the
OpenAPI document (:mod:`app.api.openapi`) is generated from all of them, so what is documented is what is
checked. Limits and enums come from the domain.

Answers are still built as plain dicts (:mod:`app.api.responses` and the area modules); the response models
describe them, and the request tests validate every answer against the generated document. Every response
model is closed (``additionalProperties: false``) and lists every property as required, so those tests pin
both ways: the API answers what the document says, and nothing more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictStr, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from app.domain import budget, evidence_rules, gates, pathway
from app.domain.assessment import (
    DUE_DATE_YEARS_AHEAD,
    EARLIEST_DUE_DATE,
    OWNER_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    verdict_limit_errors,
)
from app.domain.file_types import ALLOWED
from app.domain.ids import MAX_ID
from app.domain.readiness import ClauseStatus
from app.models.evidence import EVIDENCE_KINDS

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 100_000
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Text sent to the API may not hold a NUL character (app.web.screening refuses it before any view).
NO_NUL = r"^[^\x00]*$"


def one_of(values: Iterable[str]) -> Any:
    """A string that is one of ``values`` (documented as an enum), e.g. the members of a StrEnum."""
    return Literal[tuple(str(value) for value in values)]


Percent = Annotated[int, Field(ge=0, le=100)] | None
Count = Annotated[int, Field(ge=0)]
PageNumber = Annotated[int, Field(ge=1)]
PerPage = Annotated[int, Field(ge=1, le=MAX_PER_PAGE)]
BY_SECTION = 'Keyed by section number ("4" ... "10"); null when nothing is applicable.'


class Closed(BaseModel):
    """An answer's object: exactly these properties."""

    model_config = ConfigDict(extra="forbid")


# Projects


class ClientRef(Closed):
    id: int
    name: str


class SiteRef(Closed):
    id: int
    name: str
    country: str = Field(description="ISO 3166 alpha-2")


class StandardRef(Closed):
    code: str
    name: str
    version: str


class ProjectSummary(Closed):
    id: int
    client: ClientRef
    site: SiteRef
    standard: StandardRef
    current_stage: one_of(pathway.Stage) | None = Field(
        description="The first stage not done; null once every stage is done."
    )
    readiness_percent: Percent
    coverage_percent: Percent = Field(description="Evidence coverage (see Coverage).")
    status: one_of(gates.STATUS_LABELS) = Field(
        description="certified while a valid certificate covers the project (never set), else as set."
    )


class ProjectList(Closed):
    items: list[ProjectSummary]
    page: PageNumber
    per_page: PerPage
    total: Count


class ExitCriterion(Closed):
    """A condition the app checks before the stage may be marked done; reason says what is missing."""

    key: str
    label: str
    met: bool
    reason: str


class Stage(Closed):
    key: one_of(pathway.Stage)
    title: str
    status: one_of(pathway.StageStatus)
    progress_percent: Percent
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    exit_criteria: list[ExitCriterion]


class Readiness(Closed):
    overall: Percent
    by_section: dict[str, Percent] = Field(description=BY_SECTION)


class Coverage(Closed):
    """Evidence coverage: applicable requirements with at least one accepted evidence item that is not
    deleted and not past its valid-until date, as a whole percent rounded half up; covered and applicable
    are the overall counts."""

    overall: Percent
    covered: Count
    applicable: Count
    by_section: dict[str, Percent] = Field(description=BY_SECTION)


class ProjectDetail(ProjectSummary):
    stages: list[Stage]
    readiness: Readiness
    coverage: Coverage


# Requirements


class Requirement(Closed):
    number: str = Field(examples=["7.1.5.1"])
    title: str
    section: str = Field(examples=["7"])
    status: one_of(ClauseStatus)
    notes: str
    owner: str
    due_date: date | None
    justification: str
    may_be_not_applicable: bool


class RequirementList(Closed):
    items: list[Requirement]
    total: Count


def _iso_date(value: object) -> object:
    """Only ``YYYY-MM-DD`` or null: pydantic alone would also take other spellings and timestamps."""
    if value is None:
        return None
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise PydanticCustomError("iso_date", "Use an ISO date (YYYY-MM-DD) or null.")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("iso_date", "{value} is not a date.", {"value": value}) from None


DUE_DATE_WINDOW = (
    f"From {EARLIEST_DUE_DATE.isoformat()} to 31 December of the year {DUE_DATE_YEARS_AHEAD} years after "
    "this one; null for none."
)


class RequirementPatch(BaseModel):
    """Any of these fields; the ones left out keep their values."""

    # None marks a field left out (model_fields_set says which were sent); a null sent for a text field is
    # refused as not a string. The document shows no defaults.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: StrictStr = Field(
        default=None,
        description="not_applicable needs a justification.",
        json_schema_extra={"enum": list(ClauseStatus)},  # refused by the domain, with its message
    )
    notes: StrictStr = Field(
        default=None, json_schema_extra={"maxLength": TEXT_MAX_LENGTH, "pattern": NO_NUL}
    )
    owner: StrictStr = Field(
        default=None, json_schema_extra={"maxLength": OWNER_MAX_LENGTH, "pattern": NO_NUL}
    )
    due_date: Annotated[date | None, BeforeValidator(_iso_date)] = Field(
        default=None, description=DUE_DATE_WINDOW
    )
    justification: StrictStr = Field(
        default=None, json_schema_extra={"maxLength": TEXT_MAX_LENGTH, "pattern": NO_NUL}
    )

    @field_validator("notes", "owner", "due_date", "justification")
    @classmethod
    def within_limits(cls, value: object, info: ValidationInfo) -> object:
        """The domain's limits, the ones the page form applies (the document shows them as maxLength)."""
        name = info.field_name or ""
        errors = verdict_limit_errors({name: value}, date.today())
        if name in errors:
            raise PydanticCustomError("verdict_limit", errors[name])
        return value


# Budget

Money = Annotated[str, Field(description="Decimal string in the currency's minor unit: 1200.50")]


class BudgetTotals(Closed):
    """variance = actual - planned."""

    planned: Money
    actual: Money
    variance: Money
    percent_spent: str | None = Field(description="actual/planned x 100; null: 0 planned")


class BudgetGrandTotal(BudgetTotals):
    forecast: Money = Field(description="Actual so far + planned remaining.")


class BudgetLine(Closed):
    id: int
    stage: one_of(budget.STAGES)
    category: one_of(budget.CATEGORIES)
    description: str
    vendor: str
    planned: Money
    actual: Money | None
    date: date | None
    basis: str = Field(description="Where an estimated figure came from; empty if typed in.")
    overspent: bool = Field(description="Actual more than 10% above planned.")


class Budget(Closed):
    currency: str = Field(description="ISO 4217")
    lines: list[BudgetLine] = Field(description="By stage; in a stage, undated lines first, then by date.")
    by_stage: dict[str, BudgetTotals] = Field(description="Keyed by stage; only stages that have lines.")
    by_category: dict[str, BudgetTotals] = Field(
        description="Keyed by category; only categories that have lines."
    )
    total: BudgetGrandTotal


# Readiness history


class Snapshot(Closed):
    """A project's readiness and evidence coverage on one day (the day's latest figures), with the
    requirement counts by verdict that readiness was computed from."""

    date: date
    readiness_percent: Percent
    coverage_percent: Percent
    met: Count
    partial: Count
    not_met: Count
    not_assessed: Count
    not_applicable: Count


class History(Closed):
    items: list[Snapshot]
    total: Count


# Evidence

NullableString = str | None


class EvidenceItem(Closed):
    id: int
    project_id: int
    kind: one_of(EVIDENCE_KINDS)
    title: str
    clause: str | None = Field(description="The requirement, e.g. 7.1.5.1.")
    task_id: int | None
    url: str = Field(description="For a link; empty otherwise.")
    note: str = Field(description="For a note; empty otherwise.")
    valid_until: date | None
    review_state: one_of(evidence_rules.ReviewState)
    reviewer_comment: str
    added_by: str | None
    created_at: datetime
    version: int | None = Field(description="The latest file version; null for links and notes.")
    filename: str | None = Field(description="The sanitised name the file is downloaded under.")
    content_type: str | None = Field(description="Decided from the content, not the name.")
    size: int | None = Field(description="Bytes.")
    sha256: str | None = Field(description="SHA-256 of the stored bytes, hex.")
    download_url: str | None


class EvidenceList(Closed):
    items: list[EvidenceItem]
    page: PageNumber
    per_page: PerPage
    total: Count


class EvidenceUpload(Closed):
    """Exactly one of file, url or note; a clause, a task or both."""

    # A form body: app.api.evidence.evidence_request reads it; this model documents it.

    title: str = Field(max_length=evidence_rules.TITLE_MAX_LENGTH, pattern=NO_NUL)
    file: str = Field(
        default=None,
        description=f"Accepted: .{', .'.join(ALLOWED)}, checked on content; not empty.",
        json_schema_extra={"contentMediaType": "application/octet-stream"},
    )
    url: str = Field(
        default=None,
        max_length=evidence_rules.URL_MAX_LENGTH,
        pattern=NO_NUL,
        description="http or https only.",
    )
    note: str = Field(default=None, max_length=evidence_rules.NOTE_MAX_LENGTH, pattern=NO_NUL)
    clause: str = Field(
        default=None, pattern=NO_NUL, description="A requirement of the project's standard, e.g. 7.1.5.1."
    )
    task: int = Field(default=None, ge=1, le=MAX_ID, description="A task id of the project.")
    valid_until: date = Field(default=None)


# Errors


class ErrorBody(Closed):
    status: int
    message: str
    fields: dict[str, str] = Field(
        default=None, description="A message per request field, when fields are at fault."
    )


class Error(Closed):
    error: ErrorBody
