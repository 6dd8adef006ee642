"""What the training charts need: every person of the project's site with their dates (those who have left
too: they counted while they worked there), the project's requirements and what each job role requires,
every attendance record, and when each revision of a training document was approved. Five queries whatever
the size of the staff list; :mod:`app.domain.training_progress` computes the rest."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.domain import training as rules
from app.domain.documents import RevisionState
from app.domain.staff_list import name_key
from app.domain.training_progress import Approval, CompletionHistory, Employment, completion_by_department
from app.extensions import db
from app.models import (
    CertificationProject,
    DocumentRevision,
    JobRole,
    Person,
    TrainingRequirement,
    role_requirements,
)
from app.services.training import attendance_records

APPROVED = (RevisionState.APPROVED, RevisionState.SUPERSEDED)  # approved once, current or since replaced


def _staff(project: CertificationProject) -> list[Employment]:
    role_rows = db.session.execute(
        select(JobRole.name, role_requirements.c.requirement_id)
        .join(role_requirements, role_requirements.c.role_id == JobRole.id)
        .where(JobRole.project_id == project.id)
    ).all()
    by_role: dict[str, set[int]] = {}
    for role, requirement_id in role_rows:
        by_role.setdefault(name_key(role), set()).add(requirement_id)
    people = db.session.execute(
        select(Person.id, Person.name, Person.department, Person.job_role, Person.started_on, Person.left_on)
        .where(Person.site_id == project.site_id)
        .order_by(Person.id)
    ).all()
    return [
        Employment(
            rules.PersonRow(pid, name, department, role, frozenset(by_role.get(name_key(role), ()))),
            started_on,
            left_on,
        )
        for pid, name, department, role, started_on, left_on in people
    ]


def _requirements(project_id: int) -> list[rules.Requirement]:
    rows = db.session.execute(
        select(TrainingRequirement).where(TrainingRequirement.project_id == project_id)
    ).scalars()
    return [
        rules.Requirement(
            id=r.id,
            name=r.name,
            is_document=r.document_id is not None,
            refresher_months=r.refresher_months,
            everyone=r.everyone,
            qualifies_auditor=r.qualifies_auditor,
        )
        for r in rows
    ]


def _approvals(project_id: int) -> dict[int, list[Approval]]:
    """Per document requirement, the approved revisions of its document and the day each was approved."""
    rows = db.session.execute(
        select(TrainingRequirement.id, DocumentRevision.id, DocumentRevision.approved_on)
        .join(DocumentRevision, DocumentRevision.document_id == TrainingRequirement.document_id)
        .where(
            TrainingRequirement.project_id == project_id,
            DocumentRevision.state.in_(APPROVED),
            DocumentRevision.approved_on.is_not(None),
        )
    ).all()
    out: dict[int, list[Approval]] = {}
    for requirement_id, revision_id, approved_on in rows:
        out.setdefault(requirement_id, []).append(Approval(revision_id, approved_on))
    return out


def completion_history(project: CertificationProject, today: date) -> CompletionHistory:
    """Training completion by department at each month end of the last twelve months."""
    return completion_by_department(
        _staff(project),
        _requirements(project.id),
        attendance_records(project.id, project.site_id),
        _approvals(project.id),
        today,
    )
