"""The training matrix as its page and the API show it: the matrix of :mod:`app.services.training` for the
department, job role and state asked for, the choices of those filters, and the label of every revision
people were trained on. Six queries whatever the size of the matrix (five without the filters' choices).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.domain import training as rules
from app.domain.training_progress import REQUIRED_STATES, rows_with_state
from app.extensions import db
from app.models import CertificationProject, DocumentRevision, Person, TrainingRequirement
from app.services.training import MatrixFilters, active_people, load_matrix

# The states a page or the API may filter on: not_required is a state of every matrix, not a finding.
STATE_FILTERS = REQUIRED_STATES


@dataclass(frozen=True)
class MatrixRequest:
    department: str | None = None
    job_role: str | None = None
    state: rules.CellState | None = None

    @property
    def filters(self) -> MatrixFilters:
        return MatrixFilters(self.department, self.job_role)

    def query_args(self) -> dict[str, str]:
        values = {"department": self.department, "job_role": self.job_role, "state": self.state}
        return {name: str(value) for name, value in values.items() if value}


@dataclass(frozen=True)
class FilterChoices:
    """The departments and job roles of the site's active people, for the filter bar."""

    departments: list[str] = field(default_factory=list)
    job_roles: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MatrixPage:
    request: MatrixRequest
    matrix: rules.Matrix  # the people shown: with a cell in the state asked for, if one was
    counts: Counter[rules.CellState]  # per state, of the department and role asked for, before the state
    revision_labels: Mapping[int, str]  # revision id -> label, for the revisions trained on and current

    @property
    def filtered(self) -> bool:
        return bool(self.request.query_args())


def filter_choices(project: CertificationProject, today: date) -> FilterChoices:
    rows = db.session.execute(
        select(Person.department, Person.job_role).distinct().where(active_people(project.site_id, today))
    ).all()
    departments = sorted({d for d, _ in rows if d}, key=str.casefold)
    return FilterChoices(departments, sorted({r for _, r in rows if r}, key=str.casefold))


def clean_request(
    choices: FilterChoices, department: str | None, job_role: str | None, state: str | None
) -> MatrixRequest:
    """Keep a filter only if it names something that exists; anything else means no filter."""
    return MatrixRequest(
        department=department if department in choices.departments else None,
        job_role=job_role if job_role in choices.job_roles else None,
        state=rules.CellState(state) if state in STATE_FILTERS else None,
    )


def revision_labels(project_id: int) -> dict[int, str]:
    """The label of every revision of the documents the project trains people on (one query)."""
    rows = db.session.execute(
        select(DocumentRevision.id, DocumentRevision.label)
        .join(TrainingRequirement, TrainingRequirement.document_id == DocumentRevision.document_id)
        .where(TrainingRequirement.project_id == project_id)
    ).all()
    return dict(rows)


def matrix_page(project: CertificationProject, today: date, asked: MatrixRequest) -> MatrixPage:
    """The matrix for ``asked`` (five queries)."""
    matrix = load_matrix(project, today, asked.filters)
    counts = matrix.counts()
    shown = rows_with_state(matrix, asked.state) if asked.state else matrix
    return MatrixPage(asked, shown, counts, revision_labels(project.id))
