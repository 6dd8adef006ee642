"""Reading a project's register: the master list (filtered, sorted, paginated), the documents of one
requirement, the facts the Documentation rule needs, and what waits for someone.

Each function runs a fixed number of queries, whatever the number of documents and revisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Date, Integer, Select, and_, bindparam, case, func, select
from sqlalchemy.orm import aliased

from app.domain import documents as rules
from app.domain.text import _l
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
    "approved": _l("Approved"),
    "overdue": _l("Review overdue"),
    "in_review": _l("Waiting for approval"),
    "draft": _l("Draft"),
    "obsolete": _l("Withdrawn"),
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


def _revision_summary() -> Any:
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
        .where(ControlledDocument.project_id == _PROJECT_ID)
        .group_by(DocumentRevision.document_id)
        .subquery()
    )


def row_status(status: str, approved: bool, in_review: bool, due: date | None, today: date) -> str:
    """The badge of a master-list line: withdrawn, review overdue, approved, waiting, draft."""
    if status == rules.DocumentStatus.OBSOLETE:
        return "obsolete"
    if approved:
        return "overdue" if rules.review_overdue(due, today) else "approved"
    return "in_review" if in_review else "draft"


# The master list's statements are built once per shape of filters (which ones are set, the sort) and
# reused, the values going in as bound parameters: building a SQLAlchemy statement costs more than it
# takes SQLite to run it on a register of a few hundred documents.
_PROJECT_ID = bindparam("project_id", type_=Integer)
_TODAY = bindparam("today", type_=Date)


def _page_summary() -> Any:
    """Per document of the project, in one pass over its revisions: the approved revision, whether one
    is in review, and the newest draft or revision in review."""
    state, revision_id = DocumentRevision.state, DocumentRevision.id
    waiting = (state == rules.RevisionState.DRAFT) | (state == rules.RevisionState.IN_REVIEW)
    return (
        select(
            ControlledDocument.id.label("document_id"),
            func.max(case((state == rules.RevisionState.APPROVED, revision_id))).label("current_id"),
            func.max(case((state == rules.RevisionState.IN_REVIEW, 1), else_=0)).label("in_review"),
            func.max(case((waiting, revision_id))).label("pending_id"),
        )
        .select_from(DocumentRevision)
        .join(ControlledDocument, ControlledDocument.id == DocumentRevision.document_id)
        .where(ControlledDocument.project_id == _PROJECT_ID)
        .group_by(ControlledDocument.id)
        .subquery("revision_summary")
    )


def _status_condition(summary: Any, status: str) -> Any:
    active = ControlledDocument.status == rules.DocumentStatus.ACTIVE
    approved = summary.c.current_id.is_not(None)
    in_review = func.coalesce(summary.c.in_review, 0) == 1
    due = ControlledDocument.review_due
    return {
        "approved": and_(active, approved, (due.is_(None)) | (due >= _TODAY)),
        "overdue": and_(active, approved, due < _TODAY),
        "in_review": and_(active, in_review),
        "draft": and_(active, ~approved, ~in_review),
        "obsolete": ControlledDocument.status == rules.DocumentStatus.OBSOLETE,
    }[status]


def _conditions(summary: Any, doc_type: bool, status: str | None, clause: bool) -> list[Any]:
    conditions = [ControlledDocument.project_id == _PROJECT_ID]
    if doc_type:
        conditions.append(ControlledDocument.doc_type == bindparam("doc_type"))
    if status:
        conditions.append(_status_condition(summary, status))
    if clause:
        linked = (
            select(document_clauses.c.document_id)
            .join(Clause, Clause.id == document_clauses.c.clause_id)
            .where(Clause.number == bindparam("clause"))
        )
        conditions.append(ControlledDocument.id.in_(linked))
    return conditions


@lru_cache(maxsize=256)
def _page_statements(
    doc_type: bool, status: str | None, clause: bool, sort: str, descending: bool
) -> tuple[Select[Any], Select[Any]]:
    """The count and the page of the master list, for one shape of filters."""
    summary = _page_summary()
    conditions = _conditions(summary, doc_type, status, clause)
    count = select(func.count()).select_from(ControlledDocument)
    if status:  # only a status filter needs the revisions to count
        count = count.outerjoin(summary, summary.c.document_id == ControlledDocument.id)
    current = aliased(DocumentRevision, name="current_revision")
    pending = aliased(DocumentRevision, name="pending_revision")
    order = [c.desc() if descending else c for c in SORTS[sort]]
    page = (
        select(
            ControlledDocument.id,
            ControlledDocument.code,
            ControlledDocument.title,
            ControlledDocument.doc_type,
            ControlledDocument.owner,
            ControlledDocument.status,
            ControlledDocument.review_due,
            summary.c.current_id,
            summary.c.in_review,
            current.label,
            pending.label,
            pending.state,
        )
        .outerjoin(summary, summary.c.document_id == ControlledDocument.id)
        .outerjoin(current, current.id == summary.c.current_id)
        .outerjoin(pending, pending.id == summary.c.pending_id)
        .where(*conditions)
        .order_by(*order, ControlledDocument.id)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )
    return count.where(*conditions), page


def register_page(
    project_id: int, filters: RegisterFilters, number: int, per_page: int, today: date
) -> tuple[list[RegisterRow], int]:
    """One page of the master list and the number of documents that pass the filters (3 queries)."""
    status = filters.status if filters.status in STATUS_FILTERS else None
    sort = filters.sort if filters.sort in SORTS else "code"
    count, page = _page_statements(
        bool(filters.doc_type), status, bool(filters.clause), sort, filters.descending
    )
    values = {
        "project_id": project_id,
        "today": today,
        "doc_type": filters.doc_type,
        "clause": filters.clause,
        "limit": per_page,
        "offset": (number - 1) * per_page,
    }
    total = int(db.session.execute(count, values).scalar_one())
    rows = db.session.execute(page, values).all()
    links = _clause_numbers([row[0] for row in rows])
    return [_register_row(row, links, today) for row in rows], total


def _register_row(row: Any, links: dict[int, list[str]], today: date) -> RegisterRow:
    document_id, code, title, doc_type, owner, status, due, current_id, in_review, *labels = row
    current_label, pending_label, pending_state = labels
    return RegisterRow(
        id=document_id,
        code=code,
        title=title,
        doc_type=doc_type,
        owner=owner,
        status=row_status(status, current_id is not None, bool(in_review), due, today),
        current_label=current_label,
        pending_label=pending_label,
        pending_state=pending_state,
        review_due=due,
        clauses=tuple(links.get(document_id, ())),
    )


_CLAUSE_NUMBERS = (
    select(document_clauses.c.document_id, Clause.number)
    .join(Clause, Clause.id == document_clauses.c.clause_id)
    .where(document_clauses.c.document_id.in_(bindparam("ids", expanding=True)))
    .order_by(Clause.position)
)


def _clause_numbers(document_ids: list[int]) -> dict[int, list[str]]:
    if not document_ids:
        return {}
    out: dict[int, list[str]] = {}
    for document_id, number in db.session.execute(_CLAUSE_NUMBERS, {"ids": document_ids}):
        out.setdefault(document_id, []).append(number)
    return out


_SUMMARY = _revision_summary()
_FACTS = (  # one row per document and requirement it is linked to (one with no number for none)
    select(
        ControlledDocument.id,
        ControlledDocument.status,
        ControlledDocument.review_due,
        _SUMMARY.c.approved,
        _SUMMARY.c.in_review,
        _SUMMARY.c.draft,
        Clause.number,
    )
    .outerjoin(_SUMMARY, _SUMMARY.c.document_id == ControlledDocument.id)
    .outerjoin(document_clauses, document_clauses.c.document_id == ControlledDocument.id)
    .outerjoin(Clause, Clause.id == document_clauses.c.clause_id)
    .where(ControlledDocument.project_id == _PROJECT_ID)
)


def facts(project_id: int) -> list[rules.DocumentFact]:
    """Every document of the project as the Documentation rule sees it (one query)."""
    rows: dict[int, tuple[str, date | None, bool, bool, bool]] = {}
    links: dict[int, set[str]] = {}
    for document_id, status, due, approved, in_review, draft, number in db.session.execute(
        _FACTS, {"project_id": project_id}
    ):
        rows[document_id] = (status, due, approved, in_review, draft)
        numbers = links.setdefault(document_id, set())
        if number is not None:
            numbers.add(number)
    out = []
    for document_id, (status, due, approved, in_review, draft) in rows.items():
        present = {
            rules.RevisionState.APPROVED: approved,
            rules.RevisionState.IN_REVIEW: in_review,
            rules.RevisionState.DRAFT: draft,
        }
        state = rules.best_revision_state(s.value for s, flag in present.items() if flag)
        out.append(rules.DocumentFact(frozenset(links[document_id]), status, state, due))
    return out


def of_requirement(project_id: int, number: str, today: date) -> list[RegisterRow]:
    """The documents linked to one requirement, for its page (3 queries)."""
    return register_page(project_id, RegisterFilters(clause=number), 1, 100, today)[0]


@dataclass(frozen=True)
class Waiting:
    """What the next steps name: revisions waiting for approval and documents past their review date."""

    in_review: tuple[str, ...]  # "QP-04 rev B"
    overdue: tuple[str, ...]  # codes


_IN_REVIEW = (
    select(ControlledDocument.code, DocumentRevision.label)
    .join(DocumentRevision, DocumentRevision.document_id == ControlledDocument.id)
    .where(
        ControlledDocument.project_id == _PROJECT_ID,
        ControlledDocument.status == rules.DocumentStatus.ACTIVE,
        DocumentRevision.state == rules.RevisionState.IN_REVIEW,
    )
    .order_by(DocumentRevision.submitted_at, DocumentRevision.id)
    .limit(bindparam("limit", type_=Integer))
)
_REVIEW_OVERDUE = (
    select(ControlledDocument.code)
    .where(
        ControlledDocument.project_id == _PROJECT_ID,
        ControlledDocument.status == rules.DocumentStatus.ACTIVE,
        ControlledDocument.review_due < _TODAY,
    )
    .order_by(ControlledDocument.review_due, ControlledDocument.code)
    .limit(bindparam("limit", type_=Integer))
)


def waiting(project_id: int, today: date, limit: int = 5) -> Waiting:
    """At most ``limit`` of each, oldest first (2 queries)."""
    params = {"project_id": project_id, "today": today, "limit": limit}
    review = db.session.execute(_IN_REVIEW, params).all()
    overdue = db.session.execute(_REVIEW_OVERDUE, params).scalars()
    return Waiting(tuple(f"{code} rev {label}" for code, label in review), tuple(overdue))
