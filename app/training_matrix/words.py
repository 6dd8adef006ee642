"""How the matrix is shown: each cell's state in words (never colour alone) with its date and revision, the
rows and columns with their totals, and the links of the state counts. The page displays these; it decides
nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.documents.forms import FilterSelect
from app.domain.text import _, ngettext
from app.domain.training import CELL_LABELS, Cell, CellState, Matrix, PersonRow, Requirement
from app.domain.training_progress import Completion, completion
from app.services.training_matrix import STATE_FILTERS, FilterChoices, MatrixRequest
from app.templating import format_date

NOT_REQUIRED_MARK = "—"


@dataclass(frozen=True)
class CellView:
    state: str  # the CSS class cell-<state> and data-state
    label: str
    detail: str = ""  # the date, and the revision for a document


@dataclass(frozen=True)
class ColumnView:
    requirement: Requirement
    meta: str  # under the name: the current revision or refresher interval, everyone, auditor
    totals: Completion


@dataclass(frozen=True)
class RowView:
    person: PersonRow
    cells: list[CellView]
    totals: Completion


def _revision(labels: Mapping[int, str], revision_id: int | None) -> str:
    label = labels.get(revision_id) if revision_id is not None else None
    if not label:
        return _("no revision")
    return _("rev %(label)s", label=label).replace(" ", "\u00a0")  # kept on one line


def column_meta(requirement: Requirement, labels: Mapping[int, str]) -> str:
    parts = []
    if requirement.is_document:
        current = requirement.current_revision_id
        parts.append(_revision(labels, current) if current is not None else _("no approved revision"))
    if requirement.refresher_months:
        months = requirement.refresher_months
        parts.append(ngettext("every %(num)d month", "every %(num)d months", months))
    if requirement.everyone:
        parts.append(_("everyone"))
    if requirement.qualifies_auditor:
        parts.append(_("qualifies auditors"))
    return " · ".join(parts)


def cell_view(found: Cell, requirement: Requirement, labels: Mapping[int, str]) -> CellView:
    state, record = found.state, found.record
    label = CELL_LABELS[state]
    if record is None or state is CellState.NOT_REQUIRED:
        return CellView(state.value, label)
    day = format_date(record.held_on)
    if state is CellState.OUTDATED:
        revision = _revision(labels, record.revision_id)
        return CellView(state.value, label, _("trained on %(revision)s, %(day)s", revision=revision, day=day))
    if state is CellState.DUE:  # a document with no approved revision to be trained on yet
        return CellView(state.value, label, _("no approved revision yet"))
    if state is CellState.EXPIRED:
        return CellView(state.value, label, _("last %(day)s", day=day))
    revision = f" · {_revision(labels, record.revision_id)}" if requirement.is_document else ""
    return CellView(state.value, label, f"{day}{revision}")


def columns(matrix: Matrix, labels: Mapping[int, str]) -> list[ColumnView]:
    return [
        ColumnView(r, column_meta(r, labels), completion(matrix.column_counts(r.id)))
        for r in matrix.requirements
    ]


def rows(matrix: Matrix, labels: Mapping[int, str]) -> list[RowView]:
    out = []
    for person in matrix.people:
        cells = [matrix.at(person.id, r.id) for r in matrix.requirements]
        views = [cell_view(c, r, labels) for c, r in zip(cells, matrix.requirements, strict=True)]
        done = sum(c.state is CellState.DONE for c in cells)
        required = sum(c.state is not CellState.NOT_REQUIRED for c in cells)
        out.append(RowView(person, views, Completion(done, required)))
    return out


def filter_bar(choices: FilterChoices, asked: MatrixRequest) -> dict[str, FilterSelect]:
    """The filter bar's selects by name, each showing the filter in force."""
    departments = [("", _("All departments")), *((d, d) for d in choices.departments)]
    roles = [("", _("All job roles")), *((r, r) for r in choices.job_roles)]
    states = [("", _("Any state")), *((s.value, CELL_LABELS[s]) for s in STATE_FILTERS)]
    return {
        "department": FilterSelect("department", _("Department"), departments, asked.department or ""),
        "job_role": FilterSelect("job_role", _("Job role"), roles, asked.job_role or ""),
        "state": FilterSelect("state", _("People with a cell"), states, asked.state or ""),
    }
