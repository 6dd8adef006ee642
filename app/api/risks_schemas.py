"""The risk register's API bodies and answers as pydantic models (see :mod:`app.api.schemas` for the
conventions: answers are closed and list every property as required; bodies are validated with their model;
limits and enums come from :mod:`app.domain.risks`).

A body's model checks its shape (known fields, JSON types, ISO dates); the values themselves (a real
sentence, scores on the project's scale, a source of this project, an action with its owner and due date)
are checked by the service, with the messages the pages show. The limits are still in the document.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr

from app.api.schemas import NO_NUL, Closed, Count, PageNumber, PerPage, _iso_date, one_of
from app.domain import risks as rules
from app.domain.ids import MAX_ID

Day = Annotated[date | None, BeforeValidator(_iso_date)]
STATE_DESCRIPTION = (
    "The first that holds: effective / not_effective: its action's effectiveness was reviewed; overdue: "
    "an action past its due date; awaiting_review: an action not reviewed yet; no_action: scored medium "
    "or high without an action; accepted: scored low without an action."
)
LEVEL_DESCRIPTION = (
    f"The band of the score: on 5 points {rules.bands_text(5)}; on 3 points {rules.bands_text(3)}."
)
POINT = "On the project's scale: from 1 to its risk_scale (3 or 5)."


def _text(limit: int, description: str = "") -> Any:
    extra: dict[str, Any] = {"maxLength": limit, "pattern": NO_NUL}
    return Field(default="", description=description or None, json_schema_extra=extra)


def _id(description: str) -> Any:
    schema: dict[str, Any] = {
        "anyOf": [{"type": "integer", "minimum": 1, "maximum": MAX_ID}, {"type": "null"}]
    }
    return Field(default=None, description=description, json_schema_extra=schema)


# Answers


class Source(Closed):
    """What a risk or opportunity arises from: a context issue (4.1) or an interested party (4.2)."""

    kind: one_of(("issue", "party"))
    id: int
    label: str = Field(description="The issue's description or the party's name, shortened.")


class RiskSummary(Closed):
    """A line of the register."""

    id: int
    kind: one_of(rules.RiskKind)
    source: Source | None
    description: str
    likelihood: int = Field(description=POINT)
    impact: int = Field(description=POINT)
    score: int = Field(description="likelihood x impact.")
    level: one_of(rules.Level) = Field(description=LEVEL_DESCRIPTION)
    action: str = Field(description="Empty when none is planned.")
    owner: str
    due_date: date | None = Field(description="The action's.")
    state: one_of(rules.RiskState) = Field(description=STATE_DESCRIPTION)
    url: str = Field(description="The risk or opportunity, with its review, in this API.")


class RiskList(Closed):
    items: list[RiskSummary] = Field(
        description="Overdue and unacted ones first, then by score, highest first."
    )
    page: PageNumber
    per_page: PerPage
    total: Count
    scale: int = Field(description="The project's scale: 3 or 5 points.", json_schema_extra={"enum": [3, 5]})


class RiskDetail(RiskSummary):
    reviewed_on: date | None = Field(description="The effectiveness review of the action; null until held.")
    effective: bool | None
    review_notes: str
    residual_likelihood: int | None = Field(description="Scored by the review; null if not.")
    residual_impact: int | None
    residual_score: int | None
    residual_level: one_of(rules.Level) | None
    starter_key: str | None = Field(description="The suggestion it was added from, if any.")
    scale: int = Field(description="The project's scale: 3 or 5 points.", json_schema_extra={"enum": [3, 5]})
    version: int = Field(description="Its version; the ETag says the same.")


# Bodies


class RiskCreate(BaseModel):
    """A new risk or opportunity. Its action's effectiveness is reviewed on its page."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: StrictStr = Field(json_schema_extra={"enum": [str(kind) for kind in rules.RiskKind]})
    description: StrictStr = Field(
        description="What could happen and what it would do: a real sentence (at least four words).",
        json_schema_extra={"maxLength": rules.TEXT_MAX_LENGTH, "pattern": NO_NUL},
    )
    likelihood: StrictInt = Field(description=POINT, json_schema_extra={"minimum": 1, "maximum": 5})
    impact: StrictInt = Field(description=POINT, json_schema_extra={"minimum": 1, "maximum": 5})
    issue_id: StrictInt | None = _id("A context issue of the project it arises from; not with party_id.")
    party_id: StrictInt | None = _id("An interested party of the project it arises from; not with issue_id.")
    action: StrictStr = _text(
        rules.TEXT_MAX_LENGTH, "What addresses it, a real sentence; with an owner and a due date."
    )
    owner: StrictStr = _text(rules.OWNER_MAX_LENGTH, "Who answers for it; required with an action.")
    due_date: Day = Field(
        default=None,
        description=f"The action's; required with one, from {rules.EARLIEST_DAY.year} to the end of the "
        f"{rules.DUE_YEARS_AHEAD}th year from now.",
    )
