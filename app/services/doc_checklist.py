"""The documented-information checklist of a project: every mandatory document and record, in four queries.

The statuses follow :mod:`app.domain.coverage`; this module only loads the catalog entries, the
verdicts and the live evidence, and hands them over as plain values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, select

from app.domain.coverage import (
    DOCUMENT_VALUES,
    ChecklistLine,
    ChecklistStatus,
    EvidenceFact,
    MandatoryClause,
    checklist_counts,
    documented_information_checklist,
)
from app.domain.documents import statuses_by_clause
from app.domain.pathway import standard_family
from app.domain.readiness import ClauseStatus
from app.domain.registers import RegisterState
from app.extensions import db
from app.models import Assessment, CertificationProject, Clause, EvidenceItem
from app.services import document_register, register_states
from app.services.evidence_on_pages import EvidenceLine, fact, line


@dataclass(frozen=True)
class ChecklistRow:
    line: ChecklistLine
    clause_id: int
    evidence: list[EvidenceLine]  # the clause's live evidence, oldest first
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


def _mandatory_clauses(project: CertificationProject) -> list[tuple[int, MandatoryClause]]:
    rows = db.session.execute(
        select(
            Clause.id,
            Clause.number,
            Clause.title,
            Clause.documented_information,
            Clause.di_note,
            Assessment.status,
            Clause.title_is_label,
        )
        .outerjoin(Assessment, and_(Assessment.clause_id == Clause.id, Assessment.project_id == project.id))
        .where(
            Clause.standard_id == project.standard_id,
            Clause.is_requirement.is_(True),
            Clause.documented_information != "none",
        )
        .order_by(Clause.position)
    ).all()
    return [
        (
            cid,
            MandatoryClause(number, title, di, note or "", ClauseStatus(status or "not_assessed"), labelled),
        )
        for cid, number, title, di, note, status, labelled in rows
    ]


def documented_information(project: CertificationProject, today: date) -> DocumentChecklist:
    """Each mandatory document and record of the project's standard with its status and evidence."""
    clauses = _mandatory_clauses(project)
    ids = {c.number: cid for cid, c in clauses}
    items = db.session.execute(
        select(EvidenceItem, Clause.number)
        .join(Clause, Clause.id == EvidenceItem.clause_id)
        .where(
            EvidenceItem.project_id == project.id,
            EvidenceItem.deleted_at.is_(None),
            EvidenceItem.clause_id.in_(list(ids.values())),
        )
        .order_by(EvidenceItem.id)
    ).all()
    facts: dict[str, list[EvidenceFact]] = {}
    shown: dict[str, list[EvidenceLine]] = {}
    for item, number in items:
        facts.setdefault(number, []).append(fact(item, number))
        shown.setdefault(number, []).append(line(item, today))
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
