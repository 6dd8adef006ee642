"""The context register's API bodies and answers as pydantic models (see :mod:`app.api.schemas` for the
conventions: answers are closed and list every property as required; bodies are validated with their model;
limits and enums come from :mod:`app.domain.context`).

A body's model checks its shape (known fields, JSON types, ISO dates); the values themselves (a real
sentence, a known kind and category, a review date not in the future, a decision not dated before the
standing one) are checked by the service, with the messages the pages show.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictStr

from app.api.schemas import NO_NUL, Closed, Count, PageNumber, PerPage, _iso_date, one_of
from app.domain import context as rules

Day = Annotated[date | None, BeforeValidator(_iso_date)]
SENTENCE = "A real sentence (at least four words), not a placeholder."
REVIEWED = "The day it was last reviewed; not in the future; null or left out if never."
REVIEW_DUE = f"Not reviewed in the last {rules.REVIEW_MONTHS} months (or never)."
STARTER = "The key of the suggestion it was added from; null if typed."


def _text(limit: int, description: str | None = None, default: Any = ...) -> Any:
    extra: dict[str, Any] = {"maxLength": limit, "pattern": NO_NUL}
    return Field(default, description=description, json_schema_extra=extra)


def _enum(values: Any, description: str | None = None) -> Any:
    return Field(description=description, json_schema_extra={"enum": [str(value) for value in values]})


# Answers


class EvidenceRef(Closed):
    id: int
    title: str


class HistoryEvent(Closed):
    occurred_at: datetime
    by: str | None = Field(description="Who made the change; null if they are no longer known.")
    summary: str


class ContextIssueItem(Closed):
    id: int
    kind: one_of(rules.Kind)
    category: one_of(rules.Category)
    description: str
    effect: str = Field(description="How it bears on the quality system; may be empty.")
    owner: str
    reviewed_on: date | None
    review_due: bool = Field(description=REVIEW_DUE)
    starter_key: str | None = Field(description=STARTER)
    version: int
    url: str = Field(description="The issue, with its history and evidence, in this API.")


class ContextIssueList(Closed):
    items: list[ContextIssueItem] = Field(description="External first, then by category.")
    page: PageNumber
    per_page: PerPage
    total: Count


class ContextIssueDetail(ContextIssueItem):
    evidence: list[EvidenceRef] = Field(description="The project's evidence linked to it, by title.")
    history: list[HistoryEvent] = Field(description="Its changes, newest first.")


class InterestedPartyItem(Closed):
    id: int
    name: str
    kind: one_of(rules.Kind)
    requirements: str = Field(description="Their requirements relevant to the quality system.")
    monitoring: str = Field(description="How the factory follows them; may be empty.")
    reviewed_on: date | None
    review_due: bool = Field(description=REVIEW_DUE)
    starter_key: str | None = Field(description=STARTER)
    version: int
    url: str = Field(description="The party, with its history and evidence, in this API.")


class InterestedPartyList(Closed):
    items: list[InterestedPartyItem] = Field(description="External first, then by name.")
    page: PageNumber
    per_page: PerPage
    total: Count


class InterestedPartyDetail(InterestedPartyItem):
    evidence: list[EvidenceRef] = Field(description="The project's evidence linked to it, by title.")
    history: list[HistoryEvent] = Field(description="Its changes, newest first.")


class ClimateDecisionItem(Closed):
    id: int
    decided_on: date
    relevant: bool = Field(description="Whether climate change was found a relevant issue.")
    reasoning: str
    decided_by: str
    standing: bool = Field(description="The latest decision, the one that stands; the others are history.")


class ClimateDecisionList(Closed):
    items: list[ClimateDecisionItem] = Field(description="The standing decision first, then the earlier.")
    page: PageNumber
    per_page: PerPage
    total: Count


# Bodies


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ContextIssueCreate(_Body):
    """A new internal or external issue (ISO 9001 4.1)."""

    kind: StrictStr = _enum(rules.Kind)
    category: StrictStr = _enum(rules.Category)
    description: StrictStr = _text(rules.TEXT_MAX_LENGTH, SENTENCE)
    effect: StrictStr = _text(rules.TEXT_MAX_LENGTH, "How it bears on the quality system; a sentence.", "")
    owner: StrictStr = _text(rules.OWNER_MAX_LENGTH, default="")
    reviewed_on: Day = Field(default=None, description=REVIEWED)


class InterestedPartyCreate(_Body):
    """A new interested party and its relevant requirements (ISO 9001 4.2)."""

    name: StrictStr = _text(rules.NAME_MAX_LENGTH)
    kind: StrictStr = _enum(rules.Kind)
    requirements: StrictStr = _text(rules.TEXT_MAX_LENGTH, SENTENCE)
    monitoring: StrictStr = _text(rules.TEXT_MAX_LENGTH, "How the factory follows them.", "")
    reviewed_on: Day = Field(default=None, description=REVIEWED)


class ClimateDecisionCreate(_Body):
    """A new climate decision: it becomes the standing one, the earlier ones are kept."""

    decided_on: Day = Field(description="Not in the future, nor before the standing decision.")
    relevant: StrictBool
    reasoning: StrictStr = _text(rules.TEXT_MAX_LENGTH, SENTENCE)
    decided_by: StrictStr = _text(rules.OWNER_MAX_LENGTH, "A name and role, or the meeting that decided.")
