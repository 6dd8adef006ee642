"""The documented-information checklist of a project: every mandatory document and record, in five queries.

The statuses follow :mod:`app.domain.coverage`; this module only loads the catalog entries, the
verdicts and the live evidence, and hands them over as plain values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import Integer, and_, bindparam, select

from app.domain.coverage import (
    DOCUMENT_VALUES,
    ChecklistLine,
    ChecklistStatus,
    EvidenceFact,
    MandatoryClause,
    checklist_counts,
    documented_information_checklist,
    shown_state,
)
from app.domain.documents import statuses_by_clause
from app.domain.pathway import standard_family
from app.domain.readiness import ClauseStatus
from app.domain.registers import RegisterState
from app.extensions import db
from app.models import Assessment, CertificationProject, Clause, EvidenceItem
from app.services import document_register, register_states


class ShownItem(NamedTuple):
    """The columns of an evidence item a line shows: a row, not the whole item (a generated ISO 13485
    project lists ~170 items here, and building each as an ORM object was a tenth of the page)."""

    id: int
    title: str
    kind: str
    valid_until: date | None


class ShownLine(NamedTuple):
    """An item as :class:`app.services.evidence_on_pages.EvidenceLine` shows it (the same macro shows
    both): ``state`` is its review state, or ``expired``."""

    item: ShownItem
    state: str


@dataclass(frozen=True)
class ChecklistRow:
    line: ChecklistLine
    clause_id: int
    evidence: list[ShownLine]  # the clause's live evidence, oldest first
    registers: list[RegisterState] = field(default_factory=list)  # the running registers that evidence it


@dataclass(frozen=True)
class DocumentChecklist:
    rows: list[ChecklistRow]
    counts: dict[ChecklistStatus, int]

    @property
    def documents(self) -> int:
        return sum(1 for row in self.rows if row.line.document)

    @property
    def records(self) -> int:
        return sum(1 for row in self.rows if row.line.record)


# The statements are built once, with the project and its standard bound when they run (building one costs
# SQLAlchemy more than running it here).
_PROJECT_ID = bindparam("project_id", type_=Integer)
_STANDARD_ID = bindparam("standard_id", type_=Integer)
_MANDATORY = and_(
    Clause.standard_id == _STANDARD_ID,
    Clause.is_requirement.is_(True),
    Clause.documented_information != "none",
)
_CLAUSES = (
    select(
        Clause.id,
        Clause.number,
        Clause.title,
        Clause.documented_information,
        Clause.di_note,
        Assessment.status,
        Clause.title_is_label,
    )
    .outerjoin(Assessment, and_(Assessment.clause_id == Clause.id, Assessment.project_id == _PROJECT_ID))
    .where(_MANDATORY)
    .order_by(Clause.position)
)
# The live evidence of those requirements: the columns a line shows and the rules read.
_EVIDENCE = (
    select(
        Clause.number,
        EvidenceItem.id,
        EvidenceItem.title,
        EvidenceItem.kind,
        EvidenceItem.valid_until,
        EvidenceItem.review_state,
    )
    .join(Clause, Clause.id == EvidenceItem.clause_id)
    .where(EvidenceItem.project_id == _PROJECT_ID, EvidenceItem.deleted_at.is_(None), _MANDATORY)
    .order_by(EvidenceItem.id)
)


def _mandatory_clauses(params: dict[str, int]) -> list[tuple[int, MandatoryClause]]:
    return [
        (
            cid,
            MandatoryClause(number, title, di, note or "", ClauseStatus(status or "not_assessed"), labelled),
        )
        for cid, number, title, di, note, status, labelled in db.session.execute(_CLAUSES, params)
    ]


def documented_information(project: CertificationProject, today: date) -> DocumentChecklist:
    """Each mandatory document and record of the project's standard with its status and evidence."""
    params = {"project_id": project.id, "standard_id": project.standard_id}
    clauses = _mandatory_clauses(params)
    ids = {c.number: cid for cid, c in clauses}
    facts: dict[str, list[EvidenceFact]] = {}
    shown: dict[str, list[ShownLine]] = {}
    for number, item_id, title, kind, valid_until, review_state in db.session.execute(_EVIDENCE, params):
        found = EvidenceFact(number, review_state, valid_until)
        facts.setdefault(number, []).append(found)
        item = ShownItem(item_id, title, kind, valid_until)
        shown.setdefault(number, []).append(ShownLine(item, shown_state(found, today)))
    numbers = [c.number for _, c in clauses if c.documented_information in DOCUMENT_VALUES]
    documents = statuses_by_clause(numbers, document_register.facts(project.id), today)
    registers = _registers_by_clause(project, today)
    records = {number: sum(s.count for s in states) for number, states in registers.items()}
    lines = documented_information_checklist([c for _, c in clauses], facts, documents, today, records)
    rows = [
        ChecklistRow(
            ln, ids[ln.clause.number], shown.get(ln.clause.number, []), registers.get(ln.clause.number, [])
        )
        for ln in lines
    ]
    return DocumentChecklist(rows=rows, counts=checklist_counts(lines))


def _registers_by_clause(project: CertificationProject, today: date) -> dict[str, list[RegisterState]]:
    """Each clause number evidenced by one of the project's registers, with those registers' states."""
    family = standard_family(project.standard.code)
    found: dict[str, list[RegisterState]] = {}
    for state in register_states.states_of(project, today):
        for number in state.register.clauses_for(family):
            found.setdefault(number, []).append(state)
    return found
