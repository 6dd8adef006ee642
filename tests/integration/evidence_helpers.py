"""Evidence rows built directly (links and notes need no stored file) and verdicts set in bulk."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select, update

from app.extensions import db
from app.models import Assessment, Clause, EvidenceItem


def clause_id(project: Any, number: str) -> int:
    return db.session.execute(
        select(Clause.id).where(Clause.standard_id == project.standard_id, Clause.number == number)
    ).scalar_one()


def add_evidence(
    project: Any,
    number: str | None,
    state: str = "accepted",
    *,
    until: date | None = None,
    deleted: bool = False,
    task_id: int | None = None,
    title: str | None = None,
    kind: str = "note",
) -> EvidenceItem:
    item = EvidenceItem(
        project_id=project.id,
        clause_id=clause_id(project, number) if number else None,
        task_id=task_id,
        kind=kind,
        title=title or f"{state} evidence for {number or 'a task'}",
        note="Seen on site." if kind == "note" else "",
        url="https://example.com/doc.pdf" if kind == "link" else "",
        review_state=state,
        valid_until=until,
        deleted_at=datetime.now(UTC) if deleted else None,
    )
    db.session.add(item)
    db.session.commit()
    return item


def set_status(project: Any, numbers: list[str] | None, status: str) -> None:
    """Give ``numbers`` (every requirement when None) the status ``status``."""
    stmt = update(Assessment).where(Assessment.project_id == project.id)
    if numbers is not None:
        ids = select(Clause.id).where(Clause.number.in_(numbers), Clause.standard_id == project.standard_id)
        stmt = stmt.where(Assessment.clause_id.in_(ids))
    db.session.execute(stmt.values(status=status))
    db.session.commit()
