"""Reading a project's register: the master list (filtered, sorted, paginated), the documents of one
requirement, the facts the Documentation rule needs, and what waits for someone.

Each function runs a fixed number of queries, whatever the number of documents and revisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import aliased

from app.domain import documents as rules
from app.extensions import db
from app.models import Clause, ControlledDocument, DocumentRevision
from app.models.documents import document_clauses

SORTS = {
    "code": (ControlledDocument.code,),
    "title": (ControlledDocument.title, ControlledDocument.code),
    "type": (ControlledDocument.doc_type, ControlledDocument.code),
    "review": (
        ControlledDocument.review_due.is_(None),
        ControlledDocument.review_due,
        ControlledDocument.code,
    ),
}
STATUS_FILTERS = ("approved", "overdue", "in_review", "draft", "obsolete")
STATUS_LABELS = {
    "approved": "Approved",
    "overdue": "Review overdue",
    "in_review": "Waiting for approval",
    "draft": "Draft",
    "obsolete": "Withdrawn",
}


@dataclass(frozen=True)
class RegisterFilters:
    doc_type: str | None = None
    status: str | None = None  # one of STATUS_FILTERS
    clause: str | None = None  # a requirement number
    sort: str = "code"
    descending: bool = False

    def query_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for the pager's links)."""
        args = {"type": self.doc_type, "status": self.status, "clause": self.clause}
        out = {k: v for k, v in args.items() if v}
        if self.sort != "code":
            out["sort"] = self.sort
        if self.descending:
            out["order"] = "desc"
        return out


@dataclass(frozen=True)
class RegisterRow:
    """One line of the master list."""

    id: int
    code: str
    title: str
    doc_type: str
    owner: str
    status: str  # a STATUS_LABELS key: what the line's badge says
    current_label: str | None  # the approved revision
    pending_label: str | None  # the newest draft or revision in review
    pending_state: str | None
    review_due: date | None
    clauses: tuple[str, ...]


def _revision_summary(project_id: int) -> Any:
    """Per document of the project: whether a revision is approved, whether one is in review, whether one
    is a draft. Limited to the project, so its cost follows this register, not every register stored."""
    state = DocumentRevision.state
    return (
        select(
            DocumentRevision.document_id.label("document_id"),
            func.max(case((state == rules.RevisionState.APPROVED, 1), else_=0)).label("approved"),
            func.max(case((state == rules.RevisionState.IN_REVIEW, 1), else_=0)).label("in_review"),
            func.max(case((state == rules.RevisionState.DRAFT, 1), else_=0)).label("draft"),
        )
        .join(ControlledDocument, ControlledDocument.id == DocumentRevision.document_id)
        .where(ControlledDocument.project_id == project_id)
        .group_by(DocumentRevision.document_id)
        .subquery()
    )


def _status_condition(summary: Any, status: str, today: date) -> Any:
    active = ControlledDocument.status == rules.DocumentStatus.ACTIVE
    approved = func.coalesce(summary.c.approved, 0) == 1
    in_review = func.coalesce(summary.c.in_review, 0) == 1
    due = ControlledDocument.review_due
    return {
        "approved": and_(active, approved, (due.is_(None)) | (due >= today)),
        "overdue": and_(active, approved, due < today),
        "in_review": and_(active, in_review),
        "draft": and_(active, ~approved, ~in_review),
        "obsolete": ControlledDocument.status == rules.DocumentStatus.OBSOLETE,
    }[status]


def row_status(status: str, approved: bool, in_review: bool, due: date | None, today: date) -> str:
    """The badge of a master-list line: withdrawn, review overdue, approved, waiting, draft."""
    if status == rules.DocumentStatus.OBSOLETE:
        return "obsolete"
    if approved:
        return "overdue" if rules.review_overdue(due, today) else "approved"
    return "in_review" if in_review else "draft"


def _filtered(project_id: int, filters: RegisterFilters, summary: Any, today: date) -> Select[Any]:
    stmt = (
        select(ControlledDocument.id)
        .outerjoin(summary, summary.c.document_id == ControlledDocument.id)
        .where(ControlledDocument.project_id == project_id)
    )
    if filters.doc_type:
        stmt = stmt.where(ControlledDocument.doc_type == filters.doc_type)
    if filters.status:
        stmt = stmt.where(_status_condition(summary, filters.status, today))
    if filters.clause:
        linked = (
            select(document_clauses.c.document_id)
            .join(Clause, Clause.id == document_clauses.c.clause_id)
            .where(Clause.number == filters.clause)
        )
        stmt = stmt.where(ControlledDocument.id.in_(linked))
    return stmt


def register_page(
    project_id: int, filters: RegisterFilters, number: int, per_page: int, today: date
) -> tuple[list[RegisterRow], int]:
    """One page of the master list and the number of documents that pass the filters (3 queries)."""
    summary = _revision_summary(project_id)
    ids = _filtered(project_id, filters, summary, today)
    total = int(db.session.execute(select(func.count()).select_from(ids.subquery())).scalar_one())
    current = aliased(DocumentRevision)
    pending = (
        select(DocumentRevision.label, DocumentRevision.state)
        .where(
            DocumentRevision.document_id == ControlledDocument.id,
            DocumentRevision.state.in_((rules.RevisionState.DRAFT, rules.RevisionState.IN_REVIEW)),
        )
        .order_by(DocumentRevision.id.desc())
        .limit(1)
    )
    order = [c.desc() if filters.descending else c for c in SORTS.get(filters.sort, SORTS["code"])]
    rows = db.session.execute(
        select(
            ControlledDocument,
            func.coalesce(summary.c.approved, 0),
            func.coalesce(summary.c.in_review, 0),
            current.label,
            pending.with_only_columns(DocumentRevision.label).scalar_subquery(),
            pending.with_only_columns(DocumentRevision.state).scalar_subquery(),
        )
        .outerjoin(summary, summary.c.document_id == ControlledDocument.id)
        .outerjoin(
            current,
            and_(current.document_id == ControlledDocument.id, current.state == rules.RevisionState.APPROVED),
        )
        .where(ControlledDocument.id.in_(ids))
        .order_by(*order, ControlledDocument.id)
        .limit(per_page)
        .offset((number - 1) * per_page)
    ).all()
    links = _clause_numbers([row[0].id for row in rows])
    return [
        RegisterRow(
            id=doc.id,
            code=doc.code,
            title=doc.title,
            doc_type=doc.doc_type,
            owner=doc.owner,
            status=row_status(doc.status, bool(approved), bool(in_review), doc.review_due, today),
            current_label=current_label,
            pending_label=pending_label,
            pending_state=pending_state,
            review_due=doc.review_due,
            clauses=tuple(links.get(doc.id, ())),
        )
        for doc, approved, in_review, current_label, pending_label, pending_state in rows
    ], total


def _clause_numbers(document_ids: list[int]) -> dict[int, list[str]]:
    if not document_ids:
        return {}
    rows = db.session.execute(
        select(document_clauses.c.document_id, Clause.number)
        .join(Clause, Clause.id == document_clauses.c.clause_id)
        .where(document_clauses.c.document_id.in_(document_ids))
        .order_by(Clause.position)
    ).all()
    out: dict[int, list[str]] = {}
    for document_id, number in rows:
        out.setdefault(document_id, []).append(number)
    return out


def facts(project_id: int) -> list[rules.DocumentFact]:
    """Every document of the project as the Documentation rule sees it (2 queries)."""
    summary = _revision_summary(project_id)
    rows = db.session.execute(
        select(
            ControlledDocument.id,
            ControlledDocument.status,
            ControlledDocument.review_due,
            summary.c.approved,
            summary.c.in_review,
            summary.c.draft,
        )
        .outerjoin(summary, summary.c.document_id == ControlledDocument.id)
        .where(ControlledDocument.project_id == project_id)
    ).all()
    links = _links_of_project(project_id)
    out = []
    for document_id, status, due, approved, in_review, draft in rows:
        present = {
            rules.RevisionState.APPROVED: approved,
            rules.RevisionState.IN_REVIEW: in_review,
            rules.RevisionState.DRAFT: draft,
        }
        state = rules.best_revision_state(s.value for s, flag in present.items() if flag)
        out.append(rules.DocumentFact(frozenset(links.get(document_id, ())), status, state, due))
    return out


def _links_of_project(project_id: int) -> dict[int, list[str]]:
    rows = db.session.execute(
        select(document_clauses.c.document_id, Clause.number)
        .join(Clause, Clause.id == document_clauses.c.clause_id)
        .join(ControlledDocument, ControlledDocument.id == document_clauses.c.document_id)
        .where(ControlledDocument.project_id == project_id)
    ).all()
    out: dict[int, list[str]] = {}
    for document_id, number in rows:
        out.setdefault(document_id, []).append(number)
    return out


def of_requirement(project_id: int, number: str, today: date) -> list[RegisterRow]:
    """The documents linked to one requirement, for its page (3 queries)."""
    return register_page(project_id, RegisterFilters(clause=number), 1, 100, today)[0]


@dataclass(frozen=True)
class Waiting:
    """What the next steps name: revisions waiting for approval and documents past their review date."""

    in_review: tuple[str, ...]  # "QP-04 rev B"
    overdue: tuple[str, ...]  # codes


def waiting(project_id: int, today: date, limit: int = 5) -> Waiting:
    """At most ``limit`` of each, oldest first (2 queries)."""
    review = db.session.execute(
        select(ControlledDocument.code, DocumentRevision.label)
        .join(DocumentRevision, DocumentRevision.document_id == ControlledDocument.id)
        .where(
            ControlledDocument.project_id == project_id,
            ControlledDocument.status == rules.DocumentStatus.ACTIVE,
            DocumentRevision.state == rules.RevisionState.IN_REVIEW,
        )
        .order_by(DocumentRevision.submitted_at, DocumentRevision.id)
        .limit(limit)
    ).all()
    overdue = db.session.execute(
        select(ControlledDocument.code)
        .where(
            ControlledDocument.project_id == project_id,
            ControlledDocument.status == rules.DocumentStatus.ACTIVE,
            ControlledDocument.review_due < today,
        )
        .order_by(ControlledDocument.review_due, ControlledDocument.code)
        .limit(limit)
    ).scalars()
    return Waiting(tuple(f"{code} rev {label}" for code, label in review), tuple(overdue))
