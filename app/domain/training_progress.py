"""How far the training matrix is filled: the share of cells in each state now, the people with a cell in a
given state, and training completion by department over the past months.

Completion over time
--------------------
For each month end of the last twelve months (the current month ends today), per department: of the cells
that were *required* on that day, the share that was *done* on that day, by the same cell rule as today's
matrix (:func:`app.domain.training.cell`), seen from that day:

- the people are those employed on that day (started on or before it, or with no start date; not yet left:
  someone leaving on the day no longer counts, as in today's matrix);
- what each needs is what their job role and the requirements for everyone say today (roles and
  requirements keep no history): the line shows progress towards today's requirements;
- a document's current revision is the one approved last on or before that day (none approved yet: due);
- only records held on or before that day count, and a refresher interval runs to that day.

A department with nothing required on a day has no share (``None``), not 0%; one with nothing required on
any day has no line. "All departments" adds up every department's cells, so it is weighted by cells, not an
average of the departments' shares.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from app.domain.readiness import percent
from app.domain.text import _l
from app.domain.training import CellState, Matrix, PersonRow, Record, Requirement, cell, is_required

MONTHS_SHOWN = 12
NO_DEPARTMENT = _l("No department")
ALL_DEPARTMENTS = _l("All departments")
# The states a required cell can be in, in the order the charts and the matrix page list them.
REQUIRED_STATES = (CellState.DONE, CellState.DUE, CellState.OUTDATED, CellState.EXPIRED, CellState.FAILED)


# Now


def rows_with_state(matrix: Matrix, state: CellState) -> Matrix:
    """The matrix with only the people who have at least one cell in ``state`` (the page's state filter)."""
    people = tuple(
        p for p in matrix.people if any(matrix.at(p.id, r.id).state is state for r in matrix.requirements)
    )
    kept = {p.id for p in people}
    cells = {key: found for key, found in matrix.cells.items() if key[0] in kept}
    return replace(matrix, people=people, cells=cells)


@dataclass(frozen=True)
class Completion:
    """Required cells and how many of them are done."""

    done: int = 0
    required: int = 0

    @property
    def percent(self) -> int | None:
        return percent(Decimal(self.done), Decimal(self.required))

    def __add__(self, other: Completion) -> Completion:
        return Completion(self.done + other.done, self.required + other.required)


def completion(counts: Mapping[CellState, int]) -> Completion:
    """Done of required, from a count of cells by state (``Matrix.counts()``, a row's or a column's)."""
    required = sum(n for state, n in counts.items() if state is not CellState.NOT_REQUIRED)
    return Completion(counts.get(CellState.DONE, 0), required)


@dataclass(frozen=True)
class StateShare:
    state: CellState
    cells: int
    percent: int | None  # of the required cells


def state_shares(counts: Mapping[CellState, int]) -> list[StateShare]:
    """Each state a required cell can be in, with its count and its share of the required cells."""
    required = Decimal(completion(counts).required)
    return [
        StateShare(s, counts.get(s, 0), percent(Decimal(counts.get(s, 0)), required)) for s in REQUIRED_STATES
    ]


# Over time


@dataclass(frozen=True)
class Employment:
    """A person of the site with the dates they worked there (``left_on`` None: still working)."""

    person: PersonRow
    started_on: date | None = None
    left_on: date | None = None

    def employed_on(self, day: date) -> bool:
        started = self.started_on is None or self.started_on <= day
        return started and (self.left_on is None or self.left_on > day)


@dataclass(frozen=True)
class Approval:
    """A revision of a requirement's document, approved on a day (superseded later or not)."""

    revision_id: int
    approved_on: date


def month_ends(today: date, months: int = MONTHS_SHOWN) -> list[date]:
    """The last day of each of the ``months - 1`` months before this one, then today."""
    # Each month's last day is the day before the next month's first (relativedelta took 0.16 ms for this).
    ends, first = [], today.replace(day=1)
    for _ in range(months - 1):
        last = first - timedelta(days=1)
        ends.append(last)
        first = last.replace(day=1)
    return [*reversed(ends), today]


def revision_on(approvals: Iterable[Approval], day: date) -> int | None:
    """The revision in force on ``day``: the last approved on or before it (ties: the later revision)."""
    valid = [(a.approved_on, a.revision_id) for a in approvals if a.approved_on <= day]
    return max(valid)[1] if valid else None


def department_of(person: PersonRow) -> str:
    return person.department or NO_DEPARTMENT


class RecordHistory:
    """One person's records per requirement, in the order "latest" reads them, to find the latest on a day
    without going through them all for every month."""

    def __init__(self, records: Iterable[Record]) -> None:
        by_requirement: dict[int, list[Record]] = {}
        for record in records:
            by_requirement.setdefault(record.requirement_id, []).append(record)
        self.records = {
            key: sorted(rows, key=lambda r: (r.held_on, r.session_id)) for key, rows in by_requirement.items()
        }
        self.days = {key: [r.held_on for r in rows] for key, rows in self.records.items()}

    def up_to(self, requirement_id: int, day: date) -> Record | None:
        """The latest record held on or before ``day``, if any."""
        days = self.days.get(requirement_id)
        index = bisect_right(days, day) if days else 0
        return self.records[requirement_id][index - 1] if index else None


@dataclass(frozen=True)
class _Staffed:
    """A member of staff with what every month end reads of them: decided once, not once a month."""

    member: Employment
    department: str
    history: RecordHistory
    required: tuple[int, ...]  # the positions, in the requirements, of those required of them


def completion_on(
    staff: Sequence[_Staffed],
    requirements: Sequence[Requirement],
    approvals: Mapping[int, Sequence[Approval]],
    day: date,
) -> dict[str, Completion]:
    """Per department, the required cells on ``day`` and how many were done (module docstring)."""
    as_then = [
        replace(r, current_revision_id=revision_on(approvals.get(r.id, ()), day)) if r.is_document else r
        for r in requirements
    ]
    # Everyone at a session shares its record (same date, revision and, mostly, result): decide each once.
    decided: dict[tuple[int, Record | None], bool] = {}
    out: dict[str, Counter[str]] = {}
    for staffed in staff:
        if not staffed.member.employed_on(day):
            continue
        counts = out.setdefault(staffed.department, Counter())
        done = 0
        for position in staffed.required:
            requirement = as_then[position]
            record = staffed.history.up_to(requirement.id, day)
            key = (requirement.id, record)
            if key not in decided:
                found = cell(requirement, True, [record] if record else [], day)
                decided[key] = found.state is CellState.DONE
            done += decided[key]
        counts["required"] += len(staffed.required)
        counts["done"] += done
    return {department: Completion(c["done"], c["required"]) for department, c in out.items()}


@dataclass(frozen=True)
class CompletionHistory:
    days: tuple[date, ...]
    # Per department (sorted, "No department" last, then "All departments"), one completion per day.
    lines: Mapping[str, tuple[Completion, ...]]


def _department_order(name: str) -> tuple[int, str]:
    return (1 if name == NO_DEPARTMENT else 0, name.casefold())


def completion_by_department(
    staff: Sequence[Employment],
    requirements: Sequence[Requirement],
    records: Mapping[int, Sequence[Record]],
    approvals: Mapping[int, Sequence[Approval]],
    today: date,
    months: int = MONTHS_SHOWN,
) -> CompletionHistory:
    """Completion per department at each month end (module docstring); ``records`` maps a person id to their
    attendance records, ``approvals`` a document requirement's id to its document's approved revisions."""
    days = month_ends(today, months)
    staffed = [
        _Staffed(
            member,
            department_of(member.person),
            RecordHistory(records.get(member.person.id, ())),
            tuple(i for i, r in enumerate(requirements) if is_required(member.person, r)),
        )
        for member in staff
    ]
    per_day = [completion_on(staffed, requirements, approvals, day) for day in days]
    # A department that never had anything required has no line (a staff list without trainings yet).
    departments = sorted(
        {name for found in per_day for name, c in found.items() if c.required}, key=_department_order
    )
    lines = {name: tuple(found.get(name, Completion()) for found in per_day) for name in departments}
    if lines:
        lines[ALL_DEPARTMENTS] = tuple(sum(found.values(), Completion()) for found in per_day)
    return CompletionHistory(tuple(days), lines)
