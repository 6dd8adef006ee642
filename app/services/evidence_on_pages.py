"""Evidence where people work: on the gap analysis, a requirement's page and a stage's checklist.

Read-only; each function is one query whatever the number of items. Deleted items are never shown
here (they live on the evidence pages, where an owner can restore them). The rules that say whether
an item is current or expired are in :mod:`app.domain.coverage`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from app.domain.coverage import EvidenceFact, EvidenceTally, shown_state, tally_by_clause
from app.extensions import db
from app.models import CertificationProject, Clause, EvidenceItem


@dataclass(frozen=True)
class EvidenceLine:
    """An evidence item as a list shows it; ``state`` is its review state, or ``expired``."""

    item: EvidenceItem
    state: str


def fact(item: EvidenceItem, clause_number: str | None) -> EvidenceFact:
    return EvidenceFact(clause_number, item.review_state, item.valid_until, item.deleted_at is not None)


def line(item: EvidenceItem, today: date) -> EvidenceLine:
    return EvidenceLine(item, shown_state(fact(item, None), today))


def _live(project_id: int) -> Any:
    return select(EvidenceItem).where(
        EvidenceItem.project_id == project_id, EvidenceItem.deleted_at.is_(None)
    )


def clause_tallies(
    project: CertificationProject, today: date, section: str | None = None
) -> dict[str, EvidenceTally]:
    """Clause number -> its live evidence by state, for the gap analysis badges: of one section's clauses
    when ``section`` is given, else of every clause (one query)."""
    stmt = (
        select(Clause.number, EvidenceItem.review_state, EvidenceItem.valid_until)
        .join(EvidenceItem, EvidenceItem.clause_id == Clause.id)
        .where(EvidenceItem.project_id == project.id, EvidenceItem.deleted_at.is_(None))
    )
    if section is not None:
        stmt = stmt.where(Clause.section == section)
    rows = db.session.execute(stmt).all()
    return tally_by_clause((EvidenceFact(n, state, until) for n, state, until in rows), today)


def clause_evidence(project: CertificationProject, clause_id: int, today: date) -> list[EvidenceLine]:
    """The live evidence attached to one clause of a project, oldest first (one query)."""
    stmt = _live(project.id).where(EvidenceItem.clause_id == clause_id).order_by(EvidenceItem.id)
    return [line(item, today) for item in db.session.execute(stmt).scalars()]


def task_evidence(
    project: CertificationProject, task_ids: Iterable[int], today: date
) -> dict[int, list[EvidenceLine]]:
    """Task id -> its live evidence, oldest first; tasks without evidence are left out (one query)."""
    ids = list(task_ids)
    if not ids:
        return {}
    stmt = _live(project.id).where(EvidenceItem.task_id.in_(ids)).order_by(EvidenceItem.id)
    found: dict[int, list[EvidenceLine]] = {}
    for item in db.session.execute(stmt).scalars():
        if item.task_id is not None:
            found.setdefault(item.task_id, []).append(line(item, today))
    return found
