"""The training API's bodies and answers as pydantic models (see :mod:`app.api.schemas` for the conventions:
answers are closed and list every property as required; a body is validated with its model, limits and
enums come from :mod:`app.domain.training` and :mod:`app.services.training_records`).

A body's model checks its shape (known fields, JSON types, at least one attendee); the values themselves (a
date not in the future nor before an attendee started, a known method, a duration in range) are checked by
the service, with the messages the pages show. The limits are still in the document.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr
from pydantic_core import PydanticCustomError

from app.api.schemas import NO_NUL, Closed, Count, PageNumber, PerPage, _iso_date, one_of
from app.domain import staff_list
from app.domain import training as rules
from app.domain.ids import MAX_ID
from app.services.training_records import DURATION_MINUTES, NOTES_MAX_LENGTH, TRAINER_MAX_LENGTH

STATE_DESCRIPTION = (
    "not_required: not asked of the person's job role; due: no training recorded yet (or the document has no "
    "approved revision); failed: the latest check failed; outdated: trained on a revision since replaced; "
    "expired: the refresher interval has passed; done: trained and current, check passed or pending."
)


def _text(limit: int) -> dict[str, Any]:
    return {"maxLength": limit, "pattern": NO_NUL}


# People


class Person(Closed):
    id: int
    name: str
    job_role: str = Field(description="A job role's name; empty if none.")
    department: str
    started_on: date | None
    left_on: date | None = Field(description="The day they left; null while they work here.")
    active: bool = Field(description="Still working at the site today.")
    account: str | None = Field(description="The name of the user account linked to the person, if any.")


class PersonList(Closed):
    items: list[Person]
    page: PageNumber
    per_page: PerPage
    total: Count


# The matrix


class MatrixPerson(Closed):
    id: int
    name: str
    department: str
    job_role: str
    done: Count = Field(description="Required trainings done.")
    required: Count


class MatrixRequirement(Closed):
    id: int
    name: str
    kind: one_of(("document", "topic")) = Field(
        description="document: a controlled document of the register, trained on its current approved "
        "revision; topic: a named training."
    )
    current_revision: str | None = Field(
        description="A document's approved revision (its label); null for a topic or none approved yet."
    )
    refresher_months: int | None
    everyone: bool = Field(description="Required of every person, whatever their job role.")
    qualifies_auditor: bool
    done: Count = Field(description="People who have it done.")
    required: Count = Field(description="People who need it.")


class MatrixCell(Closed):
    person_id: int
    requirement_id: int
    state: one_of(rules.CellState) = Field(description=STATE_DESCRIPTION)
    held_on: date | None = Field(description="The latest training's date; null if none.")
    revision: str | None = Field(description="The revision the latest training was on (documents).")
    result: one_of(rules.RESULTS) | None = Field(description="The latest training's effectiveness check.")


class StateCounts(Closed):
    done: Count
    due: Count
    outdated: Count
    expired: Count
    failed: Count
    not_required: Count


class TrainingMatrix(Closed):
    as_of: date
    people: list[MatrixPerson] = Field(description="The active people shown, by department, then name.")
    requirements: list[MatrixRequirement] = Field(description="Trainings for everyone first, then by name.")
    cells: list[MatrixCell] = Field(description="One per person and requirement, not_required included.")
    counts: StateCounts = Field(
        description="Cells per state, for the department and job role asked for (before the state filter)."
    )


# A training record


class Attendee(Closed):
    person_id: int
    name: str
    result: one_of(rules.RESULTS)
    check_method: str
    checked_on: date | None


class TrainingRecord(Closed):
    id: int
    requirement_id: int
    requirement: str
    revision_id: int | None = Field(description="The document revision trained on; null for a topic.")
    revision: str | None
    held_on: date
    trainer: str
    method: one_of(rules.METHODS)
    duration_minutes: int | None
    notes: str
    created_by: str | None
    attendees: list[Attendee] = Field(description="By name; each check starts pending.")


def _attendees(value: object) -> object:
    if isinstance(value, list) and not value:
        raise PydanticCustomError(
            "no_attendee", "Give at least one attendee: a person id of the site's staff."
        )
    return value


class TrainingRecordCreate(BaseModel):
    """A training given to one or more people of the project's site at once."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    requirement_id: StrictInt = Field(
        description="A training requirement of the project.",
        json_schema_extra={"minimum": 1, "maximum": MAX_ID},
    )
    held_on: Annotated[date, BeforeValidator(_iso_date)] = Field(
        description="Not in the future, nor before any attendee started at the site."
    )
    method: StrictStr = Field(json_schema_extra={"enum": list(rules.METHODS)})
    attendee_ids: Annotated[list[StrictInt], BeforeValidator(_attendees)] = Field(
        description="People of the site's active staff (ids from the people list).",
        # The most is the service's (with its message): a staff list's most people.
        json_schema_extra={"minItems": 1, "maxItems": staff_list.CSV_MAX_ROWS},
    )
    trainer: StrictStr = Field(default="", json_schema_extra=_text(TRAINER_MAX_LENGTH))
    duration_minutes: StrictInt | None = Field(
        default=None,
        json_schema_extra={
            "anyOf": [
                {"type": "integer", "minimum": DURATION_MINUTES.start, "maximum": DURATION_MINUTES.stop - 1},
                {"type": "null"},
            ]
        },
    )
    notes: StrictStr = Field(default="", json_schema_extra=_text(NOTES_MAX_LENGTH))
    revision_id: StrictInt | None = Field(
        default=None,
        description="For a document: the approved (or since superseded) revision trained on; the current "
        "one if left out. A topic has none.",
    )
