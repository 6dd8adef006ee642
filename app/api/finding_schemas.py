"""The nonconformity register's API bodies and answers as pydantic models (see :mod:`app.api.schemas` for the
conventions: answers are closed and list every property as required; bodies are validated with their
model, limits and enums come from :mod:`app.domain.nonconformities`).

A body's model checks its shape (known fields, JSON types, ISO dates); the values themselves (a clause of
the project's standard, a real sentence, dates in order, a step the finding's state allows) are checked by
the service, with the messages the pages show. The limits are still in the document.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr

from app.api.schemas import NO_NUL, Closed, Count, PageNumber, PerPage, _iso_date, one_of
from app.domain import nonconformities as rules

Day = Annotated[date | None, BeforeValidator(_iso_date)]
STATE_DESCRIPTION = (
    "open: raised, nothing planned yet; action_planned: root cause and corrective action recorded (again "
    "after an ineffective check); implemented: the action carried out; verified: a check found it "
    "effective; closed."
)
DUE_DESCRIPTION = (
    "When the next step is due: the earliest of the deadline and, until implemented, the action's due date "
    "or, once implemented, the planned effectiveness check; null once closed or when none is set."
)


def _text(limit: int, description: str = "") -> Any:
    extra: dict[str, Any] = {"maxLength": limit, "pattern": NO_NUL}
    return Field(default=None, description=description or None, json_schema_extra=extra)


def _enum(values: Any) -> dict[str, Any]:
    return {"enum": [str(value) for value in values]}


# Answers


class FindingSummary(Closed):
    """A line of the register."""

    id: int
    label: str = Field(examples=["Finding 12 (major, 7.5.6)"])
    source: one_of(rules.Source)
    severity: one_of(rules.Severity)
    state: one_of(rules.FindingState) = Field(description=STATE_DESCRIPTION)
    clause_number: str | None
    action_owner: str
    raised_on: date
    due: date | None = Field(description=DUE_DESCRIPTION)
    overdue: bool = Field(description="Not closed, and the due date has passed (the due day is not late).")
    url: str = Field(description="The finding, with its checks, in this API.")


class FindingList(Closed):
    items: list[FindingSummary] = Field(description="Overdue first, then by due date (none last).")
    page: PageNumber
    per_page: PerPage
    total: Count


class EffectivenessCheck(Closed):
    checked_on: date
    checked_by: str
    result: one_of(rules.CheckResult)
    notes: str


class FindingDetail(FindingSummary):
    description: str
    containment: str
    root_cause_method: one_of(("", *rules.RootCauseMethod)) = Field(description="Empty until planned.")
    root_cause: str
    corrective_action: str = Field(description="For an observation closed from open: its response.")
    action_due: date | None
    implemented_on: date | None = Field(description="Cleared by an ineffective check.")
    effectiveness_due: date | None
    deadline: date | None = Field(description="The certification body's (or the customer's).")
    closed_on: date | None
    audit_id: int | None = Field(description="The internal audit it was raised in, if any.")
    version: int = Field(description="Send it back (or the ETag in If-Match) with a change.")
    allowed_transitions: list[one_of(rules.Transition)] = Field(
        description="The steps its state allows now, in the order of the workflow."
    )
    checks: list[EffectivenessCheck] = Field(description="Oldest first; an ineffective one stays.")


# Bodies


class FindingCreate(BaseModel):
    """A new finding, open."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    source: StrictStr = Field(json_schema_extra=_enum(rules.Source))
    severity: StrictStr = Field(json_schema_extra=_enum(rules.Severity))
    description: StrictStr = Field(
        description="What was found, and where; required.",
        json_schema_extra={"maxLength": rules.TEXT_MAX_LENGTH, "pattern": NO_NUL},
    )
    raised_on: Day = Field(description="Not in the future.")
    clause_number: StrictStr | None = Field(
        default=None,
        description="A clause of the project's standard, e.g. 7.1.5.1; null or left out for none.",
        json_schema_extra={
            "anyOf": [
                {"type": "string", "maxLength": rules.CLAUSE_MAX_LENGTH, "pattern": NO_NUL},
                {"type": "null"},
            ]
        },
    )
    containment: StrictStr = Field(
        default="", json_schema_extra={"maxLength": rules.TEXT_MAX_LENGTH, "pattern": NO_NUL}
    )
    deadline: Day = Field(
        default=None,
        description="Left out or null for a certification body's major finding: the project's certification "
        f"body's major_deadline_days ({rules.DEFAULT_MAJOR_DEADLINE_DAYS} without one) after it was raised.",
    )
    action_owner: StrictStr = Field(
        default="", json_schema_extra={"maxLength": rules.OWNER_MAX_LENGTH, "pattern": NO_NUL}
    )
    action_due: Day = Field(default=None)


class FindingPatch(BaseModel):
    """Any of these fields; the ones left out keep their values. A closed finding changes only its
    description, containment and clause."""

    # None marks a field left out (model_fields_set says which were sent); a null sent for a text field is
    # refused as not a string. The document shows no defaults.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    severity: StrictStr = Field(default=None, json_schema_extra=_enum(rules.Severity))
    clause_number: StrictStr | None = Field(
        default=None,
        description="null for none.",
        json_schema_extra={
            "anyOf": [
                {"type": "string", "maxLength": rules.CLAUSE_MAX_LENGTH, "pattern": NO_NUL},
                {"type": "null"},
            ]
        },
    )
    description: StrictStr = _text(rules.TEXT_MAX_LENGTH)
    containment: StrictStr = _text(rules.TEXT_MAX_LENGTH)
    deadline: Day = Field(default=None)
    action_owner: StrictStr = _text(rules.OWNER_MAX_LENGTH)
    action_due: Day = Field(default=None)
    effectiveness_due: Day = Field(default=None)


class FindingTransition(BaseModel):
    """One step of the workflow, with the fields it reads (other fields are refused):

    - plan: root_cause_method, root_cause, corrective_action, action_owner, action_due (required),
      effectiveness_due (optional); allowed while open, and to revise the plan until implemented;
    - implement: implemented_on;
    - check: checked_on, checked_by, result, notes; an ineffective result reopens the action;
    - close: nothing, after a passed check; an open observation closes with corrective_action (its
      response).
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    transition: StrictStr = Field(json_schema_extra=_enum(rules.Transition))
    version: StrictInt | None = Field(
        default=None, description="The version the change is based on; a stale one is answered 409."
    )
    root_cause_method: StrictStr = Field(default=None, json_schema_extra=_enum(rules.RootCauseMethod))
    root_cause: StrictStr = _text(rules.TEXT_MAX_LENGTH, "A real sentence (at least four words).")
    corrective_action: StrictStr = _text(rules.TEXT_MAX_LENGTH, "A real sentence (at least four words).")
    action_owner: StrictStr = _text(rules.OWNER_MAX_LENGTH)
    action_due: Day = Field(default=None)
    effectiveness_due: Day = Field(default=None)
    implemented_on: Day = Field(default=None, description="Not in the future.")
    checked_on: Day = Field(default=None, description="Not in the future, nor before the implementation.")
    checked_by: StrictStr = _text(rules.OWNER_MAX_LENGTH)
    result: StrictStr = Field(default=None, json_schema_extra=_enum(rules.CheckResult))
    notes: StrictStr = _text(rules.TEXT_MAX_LENGTH, "What was checked and what it showed: a real sentence.")
