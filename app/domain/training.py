"""Competence and training: the state of each cell of the training matrix, the Training stage's criteria,
and reading the factory's staff list.

The matrix
----------
Rows are the active people of the project's site; columns are the project's training requirements, each a
controlled document of the register (people are trained on its *current approved revision*) or a named topic
with an optional refresher interval. A requirement applies to a person when it is for everyone (awareness,
ISO 9001 7.3) or their job role requires it. Each cell is, from the first rule that applies:

1. ``not_required``: the requirement does not apply to the person;
2. ``due``: they have no training record for it (or, for a document, it has no approved revision yet);
3. ``failed``: their latest record's effectiveness check failed (ISO 9001 7.2 c);
4. ``outdated``: a document requirement, and their latest record is on a revision that is no longer current
   (a new revision was approved since: everyone trained on the old one is outdated at once);
5. ``expired``: a topic with a refresher interval, and the latest record is older than the interval (trained
   on 1 March with a 12-month refresher: still done on 1 March next year, expired on 2 March);
6. ``done``: trained (on the current revision, within the refresher interval), effectiveness passed or still
   pending.

"Latest" is the record with the latest session date (ties: the later session). A person who has left is not
a row of the matrix.

The Training stage
------------------
- every active person's required trainings are done (none due, failed, outdated or expired);
- every active person has every awareness topic (requirements for everyone) done;
- at least one active person is a qualified internal auditor: a requirement that qualifies auditors done, with
  a passed effectiveness check.
With no people yet, or no awareness topic defined, the criteria are not met: there is nothing to show.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from app.domain.pathway import Criterion, describe_list
from app.domain.pathway import check_criterion as check
from app.domain.staff_list import EARLIEST
from app.domain.text import _, _l, ngettext

REFRESHER_MONTHS = range(1, 121)
METHODS = ("classroom", "on_the_job", "e_learning", "external_course", "reading", "toolbox_talk")
METHOD_LABELS = {
    "classroom": _l("Classroom"),
    "on_the_job": _l("On the job"),
    "e_learning": _l("E-learning"),
    "external_course": _l("External course"),
    "reading": _l("Read and signed"),
    "toolbox_talk": _l("Toolbox talk"),
}
RESULTS = ("pending", "pass", "fail")


class CellState(StrEnum):
    NOT_REQUIRED = "not_required"
    DUE = "due"
    FAILED = "failed"
    OUTDATED = "outdated"
    EXPIRED = "expired"
    DONE = "done"


CELL_LABELS = {
    CellState.NOT_REQUIRED: _l("Not required"),
    CellState.DUE: _l("Due"),
    CellState.FAILED: _l("Failed check"),
    CellState.OUTDATED: _l("Outdated"),
    CellState.EXPIRED: _l("Expired"),
    CellState.DONE: _l("Done"),
}


@dataclass(frozen=True)
class Requirement:
    """A column of the matrix. ``current_revision_id`` is the document's approved revision (None for a topic,
    or for a document with none approved yet)."""

    id: int
    name: str
    is_document: bool = False
    current_revision_id: int | None = None
    refresher_months: int | None = None
    everyone: bool = False
    qualifies_auditor: bool = False


@dataclass(frozen=True)
class Record:
    """One person's attendance at a session."""

    requirement_id: int
    held_on: date
    session_id: int = 0
    revision_id: int | None = None
    result: str = "pending"


@dataclass(frozen=True)
class Cell:
    state: CellState
    record: Record | None = None  # the latest record, when there is one


def latest(records: Iterable[Record]) -> Record | None:
    return max(records, key=lambda r: (r.held_on, r.session_id), default=None)


def refresher_expired(held_on: date, months: int | None, today: date) -> bool:
    return months is not None and refresher_due(held_on, months) < today


@functools.lru_cache(maxsize=4096)
def refresher_due(held_on: date, months: int) -> date:
    """The last day training held on ``held_on`` still counts (remembered: a matrix of thousands of cells
    asks for the same few session dates again and again)."""
    return held_on + relativedelta(months=months)


def cell(requirement: Requirement, required: bool, records: Iterable[Record], today: date) -> Cell:
    """The state of one cell (module docstring)."""
    if not required:
        return Cell(CellState.NOT_REQUIRED)
    last = latest(r for r in records if r.requirement_id == requirement.id)
    if last is None or (requirement.is_document and requirement.current_revision_id is None):
        return Cell(CellState.DUE, last)
    if last.result == "fail":
        return Cell(CellState.FAILED, last)
    if requirement.is_document and last.revision_id != requirement.current_revision_id:
        return Cell(CellState.OUTDATED, last)
    if not requirement.is_document and refresher_expired(last.held_on, requirement.refresher_months, today):
        return Cell(CellState.EXPIRED, last)
    return Cell(CellState.DONE, last)


@dataclass(frozen=True)
class PersonRow:
    """A row of the matrix: a person and the ids of the requirements their job role brings."""

    id: int
    name: str
    department: str = ""
    job_role: str = ""
    role_requirements: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Matrix:
    people: tuple[PersonRow, ...]
    requirements: tuple[Requirement, ...]
    cells: Mapping[tuple[int, int], Cell]  # (person id, requirement id)

    def at(self, person_id: int, requirement_id: int) -> Cell:
        return self.cells[(person_id, requirement_id)]

    def row_counts(self, person_id: int) -> Counter[CellState]:
        return Counter(self.at(person_id, r.id).state for r in self.requirements)

    def column_counts(self, requirement_id: int) -> Counter[CellState]:
        return Counter(self.at(p.id, requirement_id).state for p in self.people)

    def counts(self) -> Counter[CellState]:
        return Counter(c.state for c in self.cells.values())


def is_required(person: PersonRow, requirement: Requirement) -> bool:
    return requirement.everyone or requirement.id in person.role_requirements


def build_matrix(
    people: Sequence[PersonRow],
    requirements: Sequence[Requirement],
    records: Mapping[int, Sequence[Record]],
    today: date,
) -> Matrix:
    """Every cell of people x requirements; ``records`` maps a person id to their attendance records."""
    cells = {
        (person.id, requirement.id): cell(
            requirement, is_required(person, requirement), records.get(person.id, ()), today
        )
        for person in people
        for requirement in requirements
    }
    return Matrix(tuple(people), tuple(requirements), cells)


def qualified_auditors(matrix: Matrix) -> list[PersonRow]:
    """People with an auditor-qualifying requirement done and its effectiveness check passed."""
    auditor_columns = [r for r in matrix.requirements if r.qualifies_auditor]
    out = []
    for person in matrix.people:
        for requirement in auditor_columns:
            found = matrix.cells.get((person.id, requirement.id))
            if found and found.state is CellState.DONE and found.record and found.record.result == "pass":
                out.append(person)
                break
    return out


def needs_retraining(matrix: Matrix) -> dict[int, list[PersonRow]]:
    """Per requirement id, the people whose training on it is outdated by a newer revision."""
    out: dict[int, list[PersonRow]] = {}
    for requirement in matrix.requirements:
        people = [p for p in matrix.people if matrix.at(p.id, requirement.id).state is CellState.OUTDATED]
        if people:
            out[requirement.id] = people
    return out


def people_count(count: int) -> str:
    return ngettext("%(num)d person", "%(num)d people", count)


def training_criteria(matrix: Matrix) -> list[Criterion]:
    """The Training stage's exit criteria from the matrix (module docstring)."""
    people = matrix.people
    settled = (CellState.DONE, CellState.NOT_REQUIRED)
    open_people = [
        p.name for p in people if any(matrix.at(p.id, r.id).state not in settled for r in matrix.requirements)
    ]
    if not people:
        required = _("No active people on the staff list of this site yet.")
    elif not any(is_required(p, r) for p in people for r in matrix.requirements):
        required = _("No training is required of anyone yet: give the job roles their trainings.")
    elif open_people:
        required = ngettext(
            "%(num)d person with trainings due, outdated, expired or failed: %(names)s.",
            "%(num)d people with trainings due, outdated, expired or failed: %(names)s.",
            len(open_people),
            names=describe_list(open_people, 3),
        )
    else:
        required = None
    awareness = [r for r in matrix.requirements if r.everyone]
    unaware = [
        p.name for p in people if any(matrix.at(p.id, r.id).state is not CellState.DONE for r in awareness)
    ]
    if not awareness:
        aware = _("No awareness training for everyone is defined yet (quality policy and objectives, 7.3).")
    elif not people:
        aware = _("No active people on the staff list of this site yet.")
    elif unaware:
        aware = ngettext(
            "%(num)d person without the awareness training: %(names)s.",
            "%(num)d people without the awareness training: %(names)s.",
            len(unaware),
            names=describe_list(unaware, 3),
        )
    else:
        aware = None
    auditors = qualified_auditors(matrix)
    auditor_names = describe_list([p.name for p in auditors], 3)
    auditor = (
        None if auditors else _("Nobody is a qualified internal auditor yet (course done and check passed).")
    )
    return [
        check("training.required_done", _("Every required training done and current"), required,
              ngettext("The required trainings of all %(num)d person are done and current.",
                       "The required trainings of all %(num)d people are done and current.", len(people))),
        check("training.awareness", _("Everyone has the awareness training"), aware,
              _("Everyone has the awareness training.")),
        check("training.auditor_qualified", _("At least one qualified internal auditor"), auditor,
              _("Qualified internal auditors: %(names)s.", names=auditor_names)),
    ]  # fmt: skip


def session_date_error(held_on: date | None, today: date) -> str | None:
    if held_on is None:
        return _("Give the date of the training.")
    if held_on > today:
        return _("A training cannot be recorded before it happens: the date is in the future.")
    if held_on < EARLIEST:
        return _("The date is too far in the past.")
    return None


def attendee_errors(held_on: date, started: Mapping[str, date | None]) -> list[str]:
    """Names of attendees who had not started at the site on the training day."""
    return [name for name, day in started.items() if day is not None and held_on < day]
