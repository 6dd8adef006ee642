"""Data for the digest and calendar feed tests: one project with one item of every kind the agenda reads,
dated around ``today`` (each factory commits, like a finished request)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import (
    Assessment,
    Certificate,
    CertificationBody,
    CertificationProject,
    ControlledDocument,
    DocumentRevision,
    EvidenceItem,
    ExternalAudit,
    Finding,
    InternalAudit,
    ManagementReview,
    ProjectStage,
    ReviewOutput,
    Task,
    User,
)

_serial = iter(range(1, 10**6))


@dataclass
class Items:
    """The ids of what :func:`populate` made."""

    stage: int
    task: int
    internal_audit: int
    external_audit: int
    certificate: int
    finding: int
    review_action: int
    document: int
    revision: int
    evidence: int
    requirement: int


def member(make: Any, workspace: Any, role: str = "owner", **values: Any) -> User:
    """A member with a name of their own (the factory names everyone "Test User", and owners are names)."""
    user = make.user(workspace, role=role, **values)
    user.name = f"Trần Văn {next(_serial)}"
    db.session.commit()
    return user


def populate(project: CertificationProject, owner: User, today: date, author: User | None = None) -> Items:
    """One of each: an overdue task, unmet requirement's action, finding action and review action owned by
    ``owner`` (by name), a planned stage, an internal and an external audit within the month, a certificate
    expiring within it, a document past its review date, and evidence and a revision waiting for review (by
    ``author``)."""
    n = next(_serial)
    day = timedelta(days=1)
    stage = db.session.execute(
        select(ProjectStage).where(ProjectStage.project_id == project.id, ProjectStage.key == "training")
    ).scalar_one()
    stage.planned_start, stage.planned_end = today + 3 * day, today + 20 * day
    gap = db.session.execute(
        select(Assessment).where(Assessment.project_id == project.id).order_by(Assessment.id).limit(1)
    ).scalar_one()
    gap.status, gap.owner, gap.due_date = "not_met", owner.name, today - 10 * day
    task = Task(project_id=project.id, stage="training", title=f"Train the line leaders {n}",
                owner=owner.name.upper(), due_date=today - 5 * day)  # fmt: skip
    internal = InternalAudit(project_id=project.id, title=f"Production and purchasing {n}",
                             planned_start=today + 7 * day, planned_end=today + 8 * day)  # fmt: skip
    body = CertificationBody(workspace_id=project.workspace_id, name=f"Body {n}")
    db.session.add_all([task, internal, body])
    db.session.flush()
    external = ExternalAudit(project_id=project.id, body_id=body.id, kind="stage1",
                             starts_on=today + 10 * day, ends_on=today + 11 * day)  # fmt: skip
    decision = today - timedelta(days=3 * 365 - 20)
    certificate = Certificate(
        workspace_id=project.workspace_id, client_id=project.client_id, project_id=project.id,
        body_id=body.id, standard_id=project.standard_id, number=f"QMS-{n}", scope="Garments",
        original_on=decision, decision_on=decision, issued_on=decision, expires_on=today + 19 * day,
    )  # fmt: skip
    finding = Finding(project_id=project.id, source="internal_audit", severity="minor",
                      description="Records of the cutting room are not kept", raised_on=today - 40 * day,
                      action_owner=owner.email, action_due=today - 2 * day)  # fmt: skip
    review = ManagementReview(project_id=project.id, held_on=today - 60 * day,
                              period_start=today - 400 * day, period_end=today - 60 * day)  # fmt: skip
    document = ControlledDocument(project_id=project.id, code=f"QP-{n}", title="Control of records",
                                  doc_type="procedure", owner=owner.name, review_due=today - day)  # fmt: skip
    evidence = EvidenceItem(project_id=project.id, kind="note", title=f"Training attendance {n}",
                            note="Signed sheet", review_state="submitted",
                            added_by_id=(author or owner).id)  # fmt: skip
    db.session.add_all([external, certificate, finding, review, document, evidence])
    db.session.flush()
    action = ReviewOutput(review_id=review.id, category="improvement", kind="action", owner=owner.name,
                          text="Buy a second cutting table", due_date=today - 3 * day)  # fmt: skip
    revision = DocumentRevision(
        document_id=document.id, label="B", state="in_review", storage_name=f"rev-{n}-{project.id}",
        filename="qp.pdf", content_type="application/pdf", size=10, sha256="0" * 64,
        uploaded_by_id=(author or owner).id, submitted_by_id=(author or owner).id,
        submitted_at=datetime.combine(today - 4 * day, datetime.min.time(), UTC),
    )  # fmt: skip
    db.session.add_all([action, revision])
    db.session.commit()
    return Items(stage.id, task.id, internal.id, external.id, certificate.id, finding.id, action.id,
                 document.id, revision.id, evidence.id, gap.id)  # fmt: skip


def uids(items: Items) -> dict[str, Any]:
    """The calendar UIDs of what :func:`populate` made."""
    return {
        "stage": f"stage-{items.stage}@readiness",
        "task": f"task-{items.task}@readiness",
        "requirement": f"requirement-{items.requirement}@readiness",
        "internal_audit": f"internal-audit-{items.internal_audit}@readiness",
        "external_audit": f"external-audit-{items.external_audit}@readiness",
        "expiry": f"certificate-expiry-{items.certificate}@readiness",
        "surveillance": f"surveillance-due-{items.certificate}@readiness",
        "finding": f"finding-{items.finding}@readiness",
        "review_action": f"review-action-{items.review_action}@readiness",
        "document": f"document-review-{items.document}@readiness",
    }
