"""What is a user's, read from the database: the dated and waiting items of every project each of their
memberships may see (a client manager only their clients), as :class:`app.domain.agenda.AgendaItem`.

The digest (:mod:`app.services.reminders`) and the calendar feed (:mod:`app.services.calendar_feed`) both
read it. Each kind of item is one query per membership, whatever the number of projects (plus one for the
workspace's member count, for the four-eyes rule, and two for certificates' sites and cycle audits).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from app.domain import agenda as rules
from app.domain.agenda import AgendaItem, Kind
from app.domain.audits import DONE_STATUSES
from app.domain.certification import (
    KIND_LABELS,
    CertificateStatus,
    CycleAudit,
    certificate_status,
    next_audit,
)
from app.domain.documents import DocumentStatus, RevisionState
from app.domain.nonconformities import FindingFacts, FindingState, Severity, due_date, label
from app.domain.pathway import Stage, StageStatus, TaskStatus, stage_info
from app.domain.permissions import Action
from app.domain.readiness import ClauseStatus
from app.domain.text import _
from app.extensions import db
from app.models import (
    Assessment,
    Certificate,
    CertificationProject,
    Clause,
    Client,
    ControlledDocument,
    DocumentRevision,
    EvidenceItem,
    EvidenceVersion,
    ExternalAudit,
    Finding,
    InternalAudit,
    ManagementReview,
    Membership,
    ProjectStage,
    ReviewOutput,
    Site,
    Task,
    User,
    Workspace,
)
from app.services.evidence import workspace_members
from app.services.scope import Scope, scoped

STAGE_KEYS = frozenset(stage.value for stage in Stage)
GAPS = (ClauseStatus.NOT_MET, ClauseStatus.PARTIAL)


def person(user: User) -> rules.Person:
    return rules.Person(user_id=user.id, name=user.name, email=user.email)


def scopes_of(user_ids: Sequence[int]) -> dict[int, list[Scope]]:
    """Every membership of these users as a scope (two queries: memberships, a client manager's clients)."""
    stmt = (
        select(Membership)
        .join(Membership.workspace)
        .where(Membership.user_id.in_(user_ids))
        .options(contains_eager(Membership.workspace), selectinload(Membership.clients))
        .order_by(Workspace.name, Membership.id)
    )
    found: dict[int, list[Scope]] = {user_id: [] for user_id in user_ids}
    for membership in db.session.execute(stmt).scalars():
        found[membership.user_id].append(Scope.of(membership))
    return found


def items_for(scopes: Iterable[Scope], today: date) -> list[AgendaItem]:
    """Every item of every scope within the feed's window (overdue actions whatever their age)."""
    return [item for scope in scopes for item in _items(scope, today)]


def _items(scope: Scope, today: date) -> Iterator[AgendaItem]:
    first, last = rules.feed_window(today)
    yield from _stages(scope, first, last)
    yield from _internal_audits(scope, first, last)
    yield from _external_audits(scope, first, last)
    yield from _certificates(scope, today, first, last)
    yield from _tasks(scope, last)
    yield from _requirements(scope, last)
    yield from _findings(scope, last)
    yield from _review_actions(scope, last)
    yield from _documents(scope, last)
    if scope.can(Action.REVIEW):
        members = workspace_members(scope.workspace_id)
        yield from _evidence_to_review(scope, members)
        yield from _revisions_to_approve(scope, members)


def _placed(scope: Scope, stmt: Select[Any], model: Any) -> Select[Any]:
    """``stmt`` scoped to what the scope sees, with the project's client and site names joined (the scope
    joins the project for a model that has only a project id)."""
    if model is not CertificationProject and not hasattr(model, "project_id"):
        raise TypeError(f"{model.__name__} belongs to no project")
    stmt = scoped(scope, stmt, model)
    if hasattr(model, "workspace_id"):
        stmt = stmt.join(CertificationProject, CertificationProject.id == model.project_id)
    return (
        stmt.join(Client, Client.id == CertificationProject.client_id)
        .join(Site, Site.id == CertificationProject.site_id)
        .where(Client.deleted_at.is_(None), Site.deleted_at.is_(None))
    )


def _item(scope: Scope, row: Any, **values: Any) -> AgendaItem:
    return AgendaItem(client=row.client, site=row.site, role=scope.role, **values)


def _named_place() -> tuple[Any, Any]:
    return Client.name.label("client"), Site.name.label("site")


def _stages(scope: Scope, first: date, last: date) -> Iterator[AgendaItem]:
    stmt = _placed(
        scope,
        select(ProjectStage, *_named_place()).where(
            or_(ProjectStage.planned_start.is_not(None), ProjectStage.planned_end.is_not(None)),
            or_(ProjectStage.planned_start.is_(None), ProjectStage.planned_start <= last),
            or_(ProjectStage.planned_end.is_(None), ProjectStage.planned_end >= first),
        ),
        ProjectStage,
    )
    for row in db.session.execute(stmt):
        stage = row.ProjectStage
        day = stage.planned_start or stage.planned_end
        title = stage_info(Stage(stage.key)).title if stage.key in STAGE_KEYS else stage.key
        yield _item(
            scope, row, kind=Kind.STAGE, key=stage.id, day=day, ends=stage.planned_end,
            what=_("%(stage)s stage (planned)", stage=title), done=stage.status == StageStatus.DONE,
            target=("project.stages.show", {"project_id": stage.project_id, "stage": stage.key}),
        )  # fmt: skip


def _internal_audits(scope: Scope, first: date, last: date) -> Iterator[AgendaItem]:
    stmt = _placed(
        scope,
        select(InternalAudit.id, InternalAudit.project_id, InternalAudit.title, InternalAudit.status,
               InternalAudit.planned_start, InternalAudit.planned_end, *_named_place())
        .where(InternalAudit.planned_start <= last, InternalAudit.planned_end >= first),
        InternalAudit,
    )  # fmt: skip
    for row in db.session.execute(stmt):
        yield _item(
            scope, row, kind=Kind.INTERNAL_AUDIT, key=row.id, day=row.planned_start, ends=row.planned_end,
            what=_("Internal audit: %(title)s", title=row.title), done=row.status in DONE_STATUSES,
            target=("project.audits.show", {"project_id": row.project_id, "audit_id": row.id}),
        )  # fmt: skip


def _external_audits(scope: Scope, first: date, last: date) -> Iterator[AgendaItem]:
    stmt = _placed(
        scope,
        select(ExternalAudit.id, ExternalAudit.project_id, ExternalAudit.kind, ExternalAudit.held,
               ExternalAudit.starts_on, ExternalAudit.ends_on, *_named_place())
        .where(ExternalAudit.starts_on <= last, ExternalAudit.ends_on >= first),
        ExternalAudit,
    )  # fmt: skip
    for row in db.session.execute(stmt):
        what = KIND_LABELS.get(row.kind, row.kind)
        yield _item(
            scope, row, kind=Kind.EXTERNAL_AUDIT, key=row.id, day=row.starts_on, ends=row.ends_on,
            what=_("%(audit)s (certification body)", audit=what), done=row.held,
            target=("project.external_audits.show",
                    {"project_id": row.project_id, "external_audit_id": row.id}),
        )  # fmt: skip


def _certificates(scope: Scope, today: date, first: date, last: date) -> Iterator[AgendaItem]:
    """Each live certificate's expiry and its cycle's next surveillance (or recertification) audit."""
    stmt = scoped(
        scope,
        select(Certificate)
        .join(Client, Client.id == Certificate.client_id)
        .where(
            Client.deleted_at.is_(None),
            Certificate.suspension != CertificateStatus.WITHDRAWN,
            Certificate.expires_on >= first,
        )
        .options(contains_eager(Certificate.client), selectinload(Certificate.sites))
        .order_by(Certificate.id),
        Certificate,
    )
    certificates = list(db.session.execute(stmt).unique().scalars())
    cycle = _cycle_audits([c.id for c in certificates])
    for certificate in certificates:
        status = certificate_status(
            certificate.expires_on, certificate.suspension, certificate.suspension_on, today
        )
        place = {
            "client": certificate.client.name,
            "site": ", ".join(site.name for site in certificate.sites if site.deleted_at is None),
            "role": scope.role,
        }
        target = ("certificates.show", {"certificate_id": certificate.id})
        if certificate.expires_on <= last:
            yield AgendaItem(
                kind=Kind.CERTIFICATE_EXPIRY, key=certificate.id, day=certificate.expires_on,
                what=_("Certificate %(number)s expires", number=certificate.number), target=target, **place,
            )  # fmt: skip
        due = next_audit(certificate.decision_on, cycle.get(certificate.id, []), today)
        if due is not None and status is not CertificateStatus.EXPIRED:
            yield AgendaItem(
                kind=Kind.SURVEILLANCE_DUE, key=certificate.id, day=due.due_by,
                what=_(
                    "%(audit)s due at the latest (certificate %(number)s)",
                    audit=KIND_LABELS[due.kind],
                    number=certificate.number,
                ),
                target=target, **place,
            )  # fmt: skip


def _cycle_audits(certificate_ids: list[int]) -> dict[int, list[CycleAudit]]:
    if not certificate_ids:
        return {}
    rows = db.session.execute(
        select(ExternalAudit.certificate_id, ExternalAudit.kind, ExternalAudit.ends_on, ExternalAudit.held)
        .where(ExternalAudit.certificate_id.in_(certificate_ids))
        .order_by(ExternalAudit.ends_on, ExternalAudit.id)
    )
    found: dict[int, list[CycleAudit]] = {}
    for row in rows:
        found.setdefault(row.certificate_id, []).append(CycleAudit(row.kind, row.ends_on, row.held))
    return found


def _tasks(scope: Scope, last: date) -> Iterator[AgendaItem]:
    stmt = _placed(
        scope,
        select(Task.id, Task.project_id, Task.title, Task.owner, Task.due_date, *_named_place())
        .where(Task.status != TaskStatus.DONE, Task.due_date.is_not(None), Task.due_date <= last),
        Task,
    )  # fmt: skip
    for row in db.session.execute(stmt):
        yield _item(
            scope, row, kind=Kind.TASK, key=row.id, day=row.due_date, owner=row.owner,
            what=_("Task due: %(title)s", title=row.title),
            target=("project.stages.edit_task", {"project_id": row.project_id, "task_id": row.id}),
        )  # fmt: skip


def _requirements(scope: Scope, last: date) -> Iterator[AgendaItem]:
    """Unmet or partly met requirements whose action has a due date (the gap analysis's owner and date)."""
    stmt = _placed(
        scope,
        select(Assessment.id, Assessment.project_id, Assessment.owner, Assessment.due_date, Clause.number,
               Clause.title, *_named_place())
        .join(Clause, Clause.id == Assessment.clause_id)
        .where(Assessment.status.in_(GAPS), Assessment.due_date.is_not(None), Assessment.due_date <= last),
        Assessment,
    )  # fmt: skip
    for row in db.session.execute(stmt):
        yield _item(
            scope, row, kind=Kind.REQUIREMENT, key=row.id, day=row.due_date, owner=row.owner,
            what=_("Close the gap on %(number)s %(title)s", number=row.number, title=row.title),
            target=("project.gap.requirement", {"project_id": row.project_id, "clause": row.number}),
        )  # fmt: skip


def _findings(scope: Scope, last: date) -> Iterator[AgendaItem]:
    stmt = _placed(
        scope,
        select(Finding.id, Finding.project_id, Finding.severity, Finding.status, Finding.clause_number,
               Finding.raised_on, Finding.action_owner, Finding.action_due, Finding.effectiveness_due,
               Finding.deadline, *_named_place())
        .where(
            Finding.status != FindingState.CLOSED,
            or_(Finding.action_due <= last, Finding.effectiveness_due <= last, Finding.deadline <= last),
        ),
        Finding,
    )  # fmt: skip
    for row in db.session.execute(stmt):
        facts = FindingFacts(
            severity=Severity(row.severity), state=FindingState(row.status), raised_on=row.raised_on,
            action_due=row.action_due, effectiveness_due=row.effectiveness_due, deadline=row.deadline,
        )  # fmt: skip
        due = due_date(facts)
        if due is None or due > last:
            continue
        yield _item(
            scope, row, kind=Kind.FINDING, key=row.id, day=due, owner=row.action_owner,
            what=_(
                "Corrective action due: %(finding)s", finding=label(row.id, row.severity, row.clause_number)
            ),
            target=("project.findings.show", {"project_id": row.project_id, "finding_id": row.id}),
        )  # fmt: skip


def _review_actions(scope: Scope, last: date) -> Iterator[AgendaItem]:
    stmt = _placed(
        scope,
        select(ReviewOutput.id, ReviewOutput.review_id, ReviewOutput.text, ReviewOutput.owner,
               ReviewOutput.due_date, ManagementReview.project_id, *_named_place())
        .join(ManagementReview, ManagementReview.id == ReviewOutput.review_id)
        .where(ReviewOutput.kind == "action", ReviewOutput.done_on.is_(None),
               ReviewOutput.due_date.is_not(None), ReviewOutput.due_date <= last),
        ManagementReview,
    )  # fmt: skip
    for row in db.session.execute(stmt):
        yield _item(
            scope, row, kind=Kind.REVIEW_ACTION, key=row.id, day=row.due_date, owner=row.owner,
            what=_("Management review action due: %(action)s", action=_short(row.text)),
            target=("project.reviews.show", {"project_id": row.project_id, "review_id": row.review_id}),
        )  # fmt: skip


def _documents(scope: Scope, last: date) -> Iterator[AgendaItem]:
    stmt = _placed(
        scope,
        select(ControlledDocument.id, ControlledDocument.project_id, ControlledDocument.code,
               ControlledDocument.title, ControlledDocument.owner, ControlledDocument.review_due,
               *_named_place())
        .where(ControlledDocument.status == DocumentStatus.ACTIVE,
               ControlledDocument.review_due.is_not(None), ControlledDocument.review_due <= last),
        ControlledDocument,
    )  # fmt: skip
    for row in db.session.execute(stmt):
        yield _item(
            scope, row, kind=Kind.DOCUMENT_REVIEW, key=row.id, day=row.review_due, owner=row.owner,
            what=_("Document review due: %(code)s %(title)s", code=row.code, title=row.title),
            target=("project.documents.show", {"project_id": row.project_id, "document_id": row.id}),
        )  # fmt: skip


def _evidence_to_review(scope: Scope, members: int) -> Iterator[AgendaItem]:
    latest_uploader = (
        select(EvidenceVersion.uploaded_by_id)
        .where(EvidenceVersion.evidence_id == EvidenceItem.id)
        .order_by(EvidenceVersion.number.desc())
        .limit(1)
        .scalar_subquery()
    )
    stmt = _placed(
        scope,
        select(EvidenceItem.id, EvidenceItem.project_id, EvidenceItem.title, EvidenceItem.created_at,
               EvidenceItem.added_by_id, latest_uploader.label("uploaded_by_id"), *_named_place())
        .where(EvidenceItem.review_state == "submitted", EvidenceItem.deleted_at.is_(None)),
        EvidenceItem,
    )  # fmt: skip
    for row in db.session.execute(stmt):
        yield _item(
            scope, row, kind=Kind.EVIDENCE_TO_REVIEW, key=row.id, day=row.created_at.date(),
            what=_("Evidence to review: %(title)s", title=row.title),
            authors=(row.added_by_id, row.uploaded_by_id),
            workspace_members=members,
            target=("project.evidence.show", {"project_id": row.project_id, "evidence_id": row.id}),
        )  # fmt: skip


def _revisions_to_approve(scope: Scope, members: int) -> Iterator[AgendaItem]:
    stmt = _placed(
        scope,
        select(DocumentRevision.id, DocumentRevision.label, DocumentRevision.submitted_at,
               DocumentRevision.created_at, DocumentRevision.uploaded_by_id, DocumentRevision.submitted_by_id,
               ControlledDocument.id.label("document_id"), ControlledDocument.project_id,
               ControlledDocument.code, ControlledDocument.title, *_named_place())
        .join(ControlledDocument, ControlledDocument.id == DocumentRevision.document_id)
        .where(and_(DocumentRevision.state == RevisionState.IN_REVIEW,
                    ControlledDocument.status == DocumentStatus.ACTIVE)),
        ControlledDocument,
    )  # fmt: skip
    for row in db.session.execute(stmt):
        waiting_since = (row.submitted_at or row.created_at).date()
        yield _item(
            scope, row, kind=Kind.REVISION_TO_APPROVE, key=row.id, day=waiting_since,
            what=_(
                "Revision to approve: %(code)s %(title)s, revision %(label)s",
                code=row.code,
                title=row.title,
                label=row.label,
            ),
            authors=(row.uploaded_by_id, row.submitted_by_id), workspace_members=members,
            target=("project.documents.show", {"project_id": row.project_id, "document_id": row.document_id}),
        )  # fmt: skip


def _short(text: str, limit: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
