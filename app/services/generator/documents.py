"""A generated document register (the portfolio generator's, and the register benchmarks'): documents of
every type linked to one to three requirements, most approved (half of them in a later revision, the
earlier ones superseded), some with a change waiting for approval or in draft, some only in review or draft,
one in ten withdrawn, and review dates spread over two years so that some reviews are overdue.

The rows are written directly (300 documents and 600 revisions take about a second). No file is stored:
the pages that list a register only read rows; a revision's download finds no file.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from app.domain import documents as rules
from app.extensions import db
from app.models import Clause, ControlledDocument, DocumentRevision

# The revisions of each document, by its number modulo 10: 20 revisions for every 10 documents.
A, S, R, D = (
    rules.RevisionState.APPROVED,
    rules.RevisionState.SUPERSEDED,
    rules.RevisionState.IN_REVIEW,
    rules.RevisionState.DRAFT,
)
HISTORIES: tuple[tuple[str, ...], ...] = (
    (A,),  # withdrawn since (see WITHDRAWN)
    (S, A),
    (S, S, A),
    (S, A, R),
    (A, D),
    (D,),
    (R,),
    (S, A),
    (S, A, D),
    (A, R),
)
WITHDRAWN = 0
TYPES = list(rules.DocumentType)


def add_register(
    project_id: int, standard_id: int, user_id: int, count: int, today: date | None = None
) -> tuple[list[int], int]:
    """``count`` documents with their revisions, as described above; (document ids, revisions)."""
    clauses = list(
        db.session.execute(
            select(Clause).where(Clause.standard_id == standard_id, Clause.is_leaf).order_by(Clause.position)
        ).scalars()
    )
    today = today or date.today()
    made, revisions = [], 0
    for n in range(count):
        doc_type = TYPES[n % len(TYPES)]
        approved_on = today - timedelta(days=(n * 37) % 720 + 1)
        history = HISTORIES[n % len(HISTORIES)]
        document = ControlledDocument(
            project_id=project_id,
            code=f"{rules.CODE_PREFIXES[doc_type]}-{n + 1:03d}",
            title=f"{rules.TYPE_LABELS[doc_type]} {n + 1}: {clauses[n % len(clauses)].title or 'general'}",
            doc_type=doc_type,
            owner=("Quality lead", "Production manager", "Regulatory affairs")[n % 3],
            review_months=(12, 24, 6)[n % 3],
            status=rules.DocumentStatus.OBSOLETE if n % 10 == WITHDRAWN else rules.DocumentStatus.ACTIVE,
            withdrawn_reason="Merged into another procedure." if n % 10 == WITHDRAWN else "",
            created_by_id=user_id,
            clauses=[clauses[(n * 7 + k * 13) % len(clauses)] for k in range(n % 3 + 1)],
        )
        for position, state in enumerate(history):
            document.revisions.append(_revision(document.code, position, state, approved_on, user_id))
        if A in history and document.status == rules.DocumentStatus.ACTIVE:
            document.review_due = rules.review_due(approved_on, document.review_months)
        db.session.add(document)
        made.append(document)
        revisions += len(history)
    db.session.flush()
    return [document.id for document in made], revisions


def _revision(code: str, position: int, state: str, approved_on: date, user_id: int) -> DocumentRevision:
    label = chr(ord("A") + position)
    approved = state in (A, S)
    day = approved_on - timedelta(days=200 * (2 - position)) if state == S else approved_on
    moment = datetime.combine(day, time(9), tzinfo=UTC)
    return DocumentRevision(
        label=label,
        change_note="First issue." if position == 0 else f"Revision {label}: changes after the review.",
        state=state,
        storage_name=secrets.token_hex(32),
        filename=f"{code} rev {label}.pdf",
        content_type="application/pdf",
        size=20_000 + 1_000 * position,
        sha256=secrets.token_hex(32),
        uploaded_by_id=user_id,
        submitted_by_id=user_id if state != D else None,
        submitted_at=moment if state != D else None,
        approved_by_id=user_id if approved else None,
        approved_at=moment if approved else None,
        approved_on=day if approved else None,
        effective_on=day if approved else None,
        self_approved=approved,
        superseded_at=datetime.combine(approved_on, time(9), tzinfo=UTC) if state == S else None,
    )
