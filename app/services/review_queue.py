"""The review queue: what waits on someone across every client the caller may see, oldest first.

* evidence submitted for review (waiting since it was added),
* document revisions in review (waiting since they were submitted),
* actions due this week (Monday to Sunday; those due before today are marked overdue): checklist tasks
  not done, findings' actions not yet implemented, and management reviews' actions not done. Older overdue
  items are counted on the portfolio (its overdue column), not queued here: a queue of every action
  overdue for months would bury this week's work (13,000 rows on the generated 200 clients).

One UNION ALL of the three, scoped to the caller's workspace and clients, ordered by its day and paged in
SQL (the names of the page's clients, sites and standards joined to its rows only): two queries (the count
and the page) whatever the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, func, literal, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from app.domain.documents import RevisionState
from app.domain.nonconformities import FindingState
from app.domain.pathway import TaskStatus
from app.domain.reviews import OutputKind
from app.domain.text import _l
from app.extensions import db
from app.models import (
    CertificationProject,
    Client,
    ControlledDocument,
    DocumentRevision,
    EvidenceItem,
    Finding,
    ManagementReview,
    ReviewOutput,
    Site,
    Standard,
    Task,
)
from app.services.scope import Scope, scoped

EVIDENCE, REVISION, TASK, FINDING_ACTION, REVIEW_ACTION = (
    "evidence", "revision", "task", "finding_action", "review_action",
)  # fmt: skip
KIND_LABELS = {
    EVIDENCE: _l("Evidence to review"),
    REVISION: _l("Revision to approve"),
    TASK: _l("Task"),
    FINDING_ACTION: _l("Finding action"),
    REVIEW_ACTION: _l("Management review action"),
}
SUBMITTED = "submitted"  # app.models.evidence.REVIEW_STATES
TITLE_LENGTH = 200


class day_of(FunctionElement[date]):
    """The day of a timestamp (UTC, as stored)."""

    type = Date()
    inherit_cache = True


@compiles(day_of, "sqlite")
def _day_of_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(next(iter(element.clauses)), **kw)})"


@compiles(day_of, "postgresql")
def _day_of_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f"CAST({compiler.process(next(iter(element.clauses)), **kw)} AS DATE)"


@dataclass(frozen=True)
class Item:
    kind: str
    object_id: int  # the evidence item, document, task, finding or review it is acted on at
    project_id: int
    title: str
    owner: str
    day: date  # waiting since (evidence, revisions) or due (actions)
    client: str
    project: str  # standard and site
    overdue: bool

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def start_of_week(today: date) -> date:
    """The Monday of today's ISO week."""
    return today - timedelta(days=today.weekday())


def end_of_week(today: date) -> date:
    """The Sunday of today's ISO week."""
    return today + timedelta(days=6 - today.weekday())


def _parts(scope: Scope, today: date) -> list[Any]:
    """The queue's five kinds of item, each a SELECT of (kind, object_id, project_id, title, owner, day)."""
    since, by = start_of_week(today), end_of_week(today)
    evidence = scoped(
        scope,
        select(
            literal(EVIDENCE).label("kind"),
            EvidenceItem.id.label("object_id"),
            EvidenceItem.project_id,
            EvidenceItem.title,
            literal("").label("owner"),
            day_of(EvidenceItem.created_at).label("day"),
        ).where(
            # the state written into the SQL, so the database sees the partial index it may read
            EvidenceItem.review_state == literal(SUBMITTED, literal_execute=True),
            EvidenceItem.deleted_at.is_(None),
        ),
        EvidenceItem,
    )
    revisions = scoped(
        scope,
        select(
            literal(REVISION),
            ControlledDocument.id,
            ControlledDocument.project_id,
            ControlledDocument.code + " " + ControlledDocument.title + " (" + DocumentRevision.label + ")",
            ControlledDocument.owner,
            day_of(func.coalesce(DocumentRevision.submitted_at, DocumentRevision.created_at)),
        )
        .select_from(DocumentRevision)
        .join(ControlledDocument, ControlledDocument.id == DocumentRevision.document_id)
        .where(DocumentRevision.state == RevisionState.IN_REVIEW.value),
        ControlledDocument,
    )
    tasks = scoped(
        scope,
        select(literal(TASK), Task.id, Task.project_id, Task.title, Task.owner, Task.due_date).where(
            Task.status != TaskStatus.DONE.value, Task.due_date.between(since, by)
        ),
        Task,
    )
    findings = scoped(
        scope,
        select(
            literal(FINDING_ACTION),
            Finding.id,
            Finding.project_id,
            func.substr(Finding.corrective_action, 1, TITLE_LENGTH),
            Finding.action_owner,
            Finding.action_due,
        ).where(
            Finding.status.in_([FindingState.OPEN.value, FindingState.ACTION_PLANNED.value]),
            Finding.action_due.between(since, by),
        ),
        Finding,
    )
    actions = scoped(
        scope,
        select(
            literal(REVIEW_ACTION),
            ManagementReview.id,
            ManagementReview.project_id,
            func.substr(ReviewOutput.text, 1, TITLE_LENGTH),
            ReviewOutput.owner,
            ReviewOutput.due_date,
        )
        .select_from(ReviewOutput)
        .join(ManagementReview, ManagementReview.id == ReviewOutput.review_id)
        .where(
            ReviewOutput.kind == OutputKind.ACTION.value,
            ReviewOutput.done_on.is_(None),
            ReviewOutput.due_date.between(since, by),
        ),
        ManagementReview,
    )
    return [evidence, revisions, tasks, findings, actions]


def review_queue(scope: Scope, page: int, per_page: int, today: date) -> tuple[list[Item], int]:
    """One page of the queue, oldest first, and how many items it holds (two queries)."""
    parts = _parts(scope, today)
    # each kind counted on its own, so the count reads only the columns its conditions name (an index)
    counts = union_all(*(select(func.count().label("n")).select_from(part.subquery()) for part in parts))
    total = int(db.session.execute(select(func.sum(counts.subquery().c.n))).scalar_one() or 0)  # PG: numeric
    queue = union_all(*parts).subquery("queue")
    page_rows = (
        select(queue)
        .order_by(queue.c.day, queue.c.kind, queue.c.object_id)
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery("page")
    )
    p = CertificationProject
    rows = db.session.execute(
        select(
            page_rows, Client.name.label("client"), Standard.name.label("standard"), Site.name.label("site")
        )
        .join(p, p.id == page_rows.c.project_id)
        .join(Client, Client.id == p.client_id)
        .join(Site, Site.id == p.site_id)
        .join(Standard, Standard.id == p.standard_id)
        .order_by(page_rows.c.day, page_rows.c.kind, page_rows.c.object_id)
    ).all()
    return [
        Item(
            kind=row.kind,
            object_id=row.object_id,
            project_id=row.project_id,
            title=row.title or KIND_LABELS[row.kind],
            owner=row.owner or "",
            day=row.day,
            client=row.client,
            project=f"{row.standard} · {row.site}",
            overdue=row.kind not in (EVIDENCE, REVISION) and row.day < today,
        )
        for row in rows
    ], total
