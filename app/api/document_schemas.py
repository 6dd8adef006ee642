"""The document register's API bodies and answers as pydantic models (see :mod:`app.api.schemas` for the
conventions: answers are closed and list every property as required; bodies are validated with their
model, limits and enums come from :mod:`app.domain.documents`).

A body's model checks its shape (known fields, JSON types); the values themselves (a free code, a known
requirement, a review interval of 1 to 60 months) are checked by the service, with the messages the pages
show. The limits are still in the document, as ``maxLength``, ``enum`` and ranges.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr, field_validator
from pydantic_core import PydanticCustomError

from app.api.schemas import NO_NUL, Closed, Count, PageNumber, PerPage, _iso_date, one_of
from app.domain import documents as rules
from app.domain.file_types import ALLOWED
from app.services.document_register import STATUS_FILTERS

# More than either standard has requirements: a longer list is a mistake, not a document.
MAX_CLAUSES = 100
STATUS_DESCRIPTION = (
    "approved: its current revision is approved and its review is not past due; overdue: approved, but "
    "past its review date; in_review: a revision waits for approval; draft: nothing approved or in review "
    "yet; obsolete: withdrawn."
)


def _text(limit: int) -> dict[str, Any]:
    """A text's documented limits (checked by the service, with its own message)."""
    return {"maxLength": limit, "pattern": NO_NUL}


# Answers


class PendingRevision(Closed):
    label: str
    state: one_of((rules.RevisionState.DRAFT, rules.RevisionState.IN_REVIEW))


class DocumentSummary(Closed):
    """A line of the master list."""

    id: int
    code: str = Field(examples=["QP-04"])
    title: str
    type: one_of(rules.DocumentType)
    owner: str
    status: one_of(STATUS_FILTERS) = Field(description=STATUS_DESCRIPTION)
    current_revision: str | None = Field(description="The label of the approved revision; null if none.")
    pending_revision: PendingRevision | None = Field(
        description="The newest revision in draft or in review; null if none."
    )
    review_due: date | None = Field(description="The current revision's next review; null until approved.")
    clauses: list[str] = Field(description="The requirements the document meets, in catalog order.")
    url: str = Field(description="The document, with its revisions, in this API.")


class DocumentList(Closed):
    items: list[DocumentSummary]
    page: PageNumber
    per_page: PerPage
    total: Count


class Revision(Closed):
    id: int
    document_id: int
    label: str
    change_note: str
    state: one_of(rules.RevisionState)
    filename: str = Field(description="The sanitised name the file is downloaded under.")
    content_type: str = Field(description="Decided from the content, not the name.")
    size: int = Field(description="Bytes.")
    sha256: str = Field(description="SHA-256 of the stored bytes, hex.")
    uploaded_by: str | None
    uploaded_at: datetime
    submitted_by: str | None
    submitted_at: datetime | None
    approved_by: str | None
    approved_at: datetime | None
    effective_on: date | None
    self_approved: bool = Field(
        description="Approved by the person who uploaded or submitted it: only while the workspace has a "
        "single member."
    )
    superseded_at: datetime | None
    download_url: str


class DocumentDetail(DocumentSummary):
    review_months: int
    retention_months: int | None
    used_where: str
    notes: str
    withdrawn_reason: str = Field(description="Why the document was withdrawn; empty unless obsolete.")
    revisions: list[Revision] = Field(description="Oldest first.")


# Bodies


class DocumentCreate(BaseModel):
    """A new entry of the register; its revisions (with their files) are posted to its revisions."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: StrictStr = Field(
        description="Unique in the project, e.g. QP-04; stored in capitals.",
        json_schema_extra=_text(rules.CODE_MAX_LENGTH),
    )
    title: StrictStr = Field(json_schema_extra=_text(rules.TITLE_MAX_LENGTH))
    type: StrictStr = Field(json_schema_extra={"enum": list(rules.DocumentType)})
    clauses: list[Annotated[StrictStr, Field(json_schema_extra={"pattern": NO_NUL})]] = Field(
        max_length=MAX_CLAUSES,
        description="One or more requirements of the project's standard, e.g. 7.5.1.",
        json_schema_extra={"minItems": 1},
    )
    owner: StrictStr = Field(
        default="", description="A name.", json_schema_extra=_text(rules.OWNER_MAX_LENGTH)
    )
    review_months: StrictInt = Field(
        default=rules.DEFAULT_REVIEW_MONTHS,
        description=f"How often it is reviewed; {rules.DEFAULT_REVIEW_MONTHS} if left out.",
        json_schema_extra={"minimum": rules.REVIEW_MONTHS.start, "maximum": rules.REVIEW_MONTHS.stop - 1},
    )
    retention_months: StrictInt | None = Field(
        default=None,
        description="How long records are kept; null for none.",
        json_schema_extra={
            "anyOf": [
                {
                    "type": "integer",
                    "minimum": rules.RETENTION_MONTHS.start,
                    "maximum": rules.RETENTION_MONTHS.stop - 1,
                },
                {"type": "null"},
            ]
        },
    )
    used_where: StrictStr = Field(default="", json_schema_extra=_text(rules.USED_WHERE_MAX_LENGTH))
    notes: StrictStr = Field(default="", json_schema_extra=_text(rules.TEXT_MAX_LENGTH))


class RevisionUpload(Closed):
    """A new revision with its file, as multipart/form-data; it starts as a draft unless ``submit``."""

    # A form body: app.api.documents.revision_request reads it; this model documents it.

    label: str = Field(
        max_length=rules.LABEL_MAX_LENGTH,
        pattern=NO_NUL,
        description="As you number them: A, B... or 1, 2...",
    )
    change_note: str = Field(
        max_length=rules.TEXT_MAX_LENGTH, pattern=NO_NUL, description="What it changes, e.g. First issue."
    )
    submit: bool = Field(default=False, description="Send it for approval at once.")
    file: str = Field(
        description=f"Accepted: .{', .'.join(ALLOWED)}, checked on content; not empty.",
        json_schema_extra={"contentMediaType": "application/octet-stream"},
    )


class RevisionApproval(BaseModel):
    """Both optional; an empty object (or no body) approves with the effective date today."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    effective_on: Annotated[date | None, BeforeValidator(_iso_date)] = Field(
        default=None, description="When the revision takes effect; today if left out or null."
    )
    comment: StrictStr = Field(
        default="", description="Kept with the change note.", json_schema_extra=_text(rules.TEXT_MAX_LENGTH)
    )

    @field_validator("comment")
    @classmethod
    def within_limit(cls, value: str) -> str:
        if len(value) > rules.TEXT_MAX_LENGTH:
            raise PydanticCustomError("text_limit", f"Use at most {rules.TEXT_MAX_LENGTH} characters.")
        return value
