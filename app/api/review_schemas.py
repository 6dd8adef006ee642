"""The management review and quality objective API's bodies and answers as pydantic models (see
:mod:`app.api.schemas` for the conventions: answers are closed and list every property as required; bodies
are validated with their model; limits and enums come from :mod:`app.domain.reviews` and
:mod:`app.domain.objectives`).

A body's model checks its shape (known fields, JSON types, ISO dates); the values themselves (dates in
order, an input written as a sentence, an action's owner and due date, a target as a number) are checked by
the services, with the messages the pages show.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictFloat, StrictStr

from app.api.schemas import NO_NUL, Closed, Count, _iso_date, one_of
from app.domain import objectives as goals
from app.domain import reviews as rules

IsoDate = Annotated[date | None, BeforeValidator(_iso_date)]
# More attendees than any meeting has: a longer list is a mistake.
MAX_ATTENDEES = 100
OBJECTIVE_STATUSES = ("met", "not_met", "no_data")


def _text(limit: int) -> dict[str, Any]:
    """A text's documented limits (checked by the service, with its own message)."""
    return {"maxLength": limit, "pattern": NO_NUL}


# Answers


class RequiredInput(Closed):
    """One input the standard requires the review to consider (ISO 9001 9.3.2, ISO 13485 5.6.2)."""

    key: str = Field(examples=["audit_results"])
    ref: str = Field(description="The item's letter in the standard, e.g. c6.")
    title: str
    recorded: bool = Field(description="Written as a real sentence (at least four words).")


class ReviewOutputItem(Closed):
    id: int
    category: str = Field(description="The standard's output it answers (see required_outputs).")
    kind: one_of(rules.OutputKind)
    text: str
    owner: str
    due_date: date | None = Field(description="An action's; null for a decision.")
    done_on: date | None
    state: one_of(rules.ActionState) | None = Field(description="An action's state; null for a decision.")


class RequiredOutput(Closed):
    key: str = Field(examples=["improvement"])
    ref: str
    title: str
    recorded: bool = Field(description="At least one decision or action is recorded for it.")


class ReviewSummary(Closed):
    id: int
    held_on: date
    period_start: date
    period_end: date
    inputs_recorded: Count
    inputs_required: Count
    outputs: Count = Field(description="Decisions and actions.")
    open_actions: Count
    overdue_actions: Count
    url: str = Field(description="The review in this API.")


class ReviewList(Closed):
    items: list[ReviewSummary] = Field(description="Newest first.")
    total: Count


class ReviewDetail(Closed):
    id: int
    held_on: date
    period_start: date
    period_end: date
    attendees: list[str]
    notes: str
    inputs: dict[str, str] = Field(description="The text of each required input, by key.")
    required_inputs: list[RequiredInput]
    required_outputs: list[RequiredOutput]
    outputs: list[ReviewOutputItem]
    url: str


class Measurement(Closed):
    id: int
    measured_on: date
    value: str = Field(description="A decimal string.")
    notes: str


class ObjectiveSummary(Closed):
    id: int
    title: str
    measure: str
    unit: str
    direction: one_of(goals.Direction)
    target: str = Field(description="A decimal string.")
    target_text: str = Field(examples=["at least 95 %"])
    owner: str
    due_date: date
    notes: str
    latest_value: str | None = Field(description="The latest measured value; null if none yet.")
    latest_on: date | None
    status: one_of(OBJECTIVE_STATUSES) = Field(description="The latest value against the target.")
    url: str


class ObjectiveList(Closed):
    items: list[ObjectiveSummary] = Field(description="The soonest due first.")
    total: Count


class ObjectiveDetail(ObjectiveSummary):
    measurements: list[Measurement] = Field(description="Oldest first.")


# Bodies


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


Attendee = Annotated[StrictStr, Field(json_schema_extra=_text(rules.OWNER_MAX_LENGTH))]


class ReviewCreate(_Body):
    """A review as held; its inputs are written in from the app's records, then edited with PATCH."""

    held_on: IsoDate = Field(description="Not in the future.")
    period_start: IsoDate = Field(
        default=None, description="The day after the previous review's period (or a year back) if left out."
    )
    period_end: IsoDate = Field(default=None, description="The review's day if left out; not after it.")
    attendees: list[Attendee] = Field(
        max_length=MAX_ATTENDEES, description="Name and role of each, e.g. Mr Minh, director; at least one."
    )
    notes: StrictStr = Field(default="", json_schema_extra=_text(rules.TEXT_MAX_LENGTH))


class ReviewPatch(_Body):
    """Any of these fields; the ones left out keep their values, as do the inputs not sent."""

    held_on: IsoDate = None
    period_start: IsoDate = None
    period_end: IsoDate = None
    attendees: list[Attendee] = Field(default=None, max_length=MAX_ATTENDEES)
    notes: StrictStr = Field(default=None, json_schema_extra=_text(rules.TEXT_MAX_LENGTH))
    inputs: dict[str, Annotated[StrictStr, Field(json_schema_extra=_text(rules.INPUT_MAX_LENGTH))]] = Field(
        default=None,
        description="Input key -> text. A text is a real sentence (at least four words) or empty.",
    )


class OutputCreate(_Body):
    category: StrictStr = Field(description="One of the review's required_outputs keys.")
    kind: StrictStr = Field(json_schema_extra={"enum": list(rules.OutputKind)})
    text: StrictStr = Field(
        description="A real sentence (at least four words).", json_schema_extra=_text(rules.TEXT_MAX_LENGTH)
    )
    owner: StrictStr = Field(
        default="", description="Required for an action.", json_schema_extra=_text(rules.OWNER_MAX_LENGTH)
    )
    due_date: IsoDate = Field(default=None, description="Required for an action; not before the review.")


Number = StrictFloat  # a JSON number, whole or not


class ObjectiveCreate(_Body):
    title: StrictStr = Field(json_schema_extra=_text(goals.TITLE_MAX_LENGTH))
    measure: StrictStr = Field(
        description="How it is measured.", json_schema_extra=_text(goals.TEXT_MAX_LENGTH)
    )
    direction: StrictStr = Field(
        default=goals.Direction.AT_LEAST, json_schema_extra={"enum": list(goals.Direction)}
    )
    target: Number = Field(description=f"Less than {goals.MAX_VALUE:,} either way.")
    unit: StrictStr = Field(default="", json_schema_extra=_text(goals.UNIT_MAX_LENGTH))
    owner: StrictStr = Field(json_schema_extra=_text(goals.OWNER_MAX_LENGTH))
    due_date: IsoDate
    notes: StrictStr = Field(default="", json_schema_extra=_text(goals.TEXT_MAX_LENGTH))


class MeasurementCreate(_Body):
    measured_on: IsoDate = Field(description="Not in the future.")
    value: Number = Field(description=f"Less than {goals.MAX_VALUE:,} either way.")
    notes: StrictStr = Field(default="", json_schema_extra=_text(goals.TEXT_MAX_LENGTH))
