"""The QMS software list's API bodies and answers as pydantic models (see :mod:`app.api.schemas` for the
conventions: answers are closed and list every property as required; bodies are validated with their
model; limits and enums come from :mod:`app.domain.software`).

A body's model checks its shape (known fields, JSON types); the values themselves (a risk of the list, the
approach written for high risk, a name the list does not have yet) are checked by the service, with the
messages the pages show.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictStr

from app.api.schemas import NO_NUL, Closed, Count, PageNumber, PerPage, one_of
from app.domain import software as rules

STATE = (
    "not_validated: no validation recorded; changed: the version in use is not the one validated; "
    "revalidation_due: its revalidation date has passed; validated; retired: no longer used (not counted)."
)


def _text(limit: int, description: str = "") -> dict[str, Any]:
    return {"maxLength": limit, "pattern": NO_NUL} | ({"description": description} if description else {})


# Answers


class SoftwareSummary(Closed):
    id: int
    name: str
    version_label: str = Field(description="The version in use.")
    risk: one_of(rules.Risk)
    state: one_of(rules.SoftwareState) = Field(description=STATE)
    validated_on: date | None
    validated_version: str
    revalidate_by: date | None
    url: str = Field(description="The application in this API.")


class SoftwareList(Closed):
    items: list[SoftwareSummary] = Field(description="What needs validating first, then by name.")
    page: PageNumber
    per_page: PerPage
    total: Count


class SoftwareDetail(SoftwareSummary):
    intended_use: str
    approach: str = Field(description="How it is validated, proportionate to its risk.")
    result: str = Field(description="The latest validation's result.")
    retired: bool
    version: int


# Bodies


class SoftwareCreate(BaseModel):
    """An application used in the QMS, not validated yet (its validation is recorded on its page)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: StrictStr = Field(json_schema_extra=_text(rules.NAME_MAX_LENGTH, "One entry per name."))
    version_label: StrictStr = Field(
        default="", json_schema_extra=_text(rules.VERSION_MAX_LENGTH, "The version in use.")
    )
    intended_use: StrictStr = Field(
        json_schema_extra=_text(rules.TEXT_MAX_LENGTH, "What it does in the QMS: a real sentence.")
    )
    risk: StrictStr = Field(json_schema_extra={"enum": list(rules.Risk)})
    approach: StrictStr = Field(
        default="",
        json_schema_extra=_text(rules.TEXT_MAX_LENGTH, "The validation approach; required for high risk."),
    )
