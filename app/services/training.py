"""Loading a project's training matrix: the site's active people, the project's training requirements with
each document's current approved revision, what each job role requires, and every attendance record.

:func:`load_matrix` runs four queries whatever the number of people, requirements and records, and hands
plain values to :func:`app.domain.training.build_matrix`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select

from app.domain import staff_list
from app.domain import training as rules
from app.domain.documents import RevisionState
from app.extensions import db
from app.models import (
    Attendance,
    CertificationProject,
    DocumentRevision,
    JobRole,
    Person,
    TrainingRequirement,
    TrainingSession,
    role_requirements,
)


@dataclass(frozen=True)
class MatrixFilters:
    department: str | None = None
    job_role: str | None = None


def active_people(site_id: int, today: date) -> object:
    """The condition on ``Person`` for the people still working at the site on ``today``."""
    return and_(Person.site_id == site_id, or_(Person.left_on.is_(None), Person.left_on > today))


def load_matrix(
    project: CertificationProject, today: date, filters: MatrixFilters | None = None
) -> rules.Matrix:
    """The project's matrix on ``today`` (4 queries), optionally for one department or job role."""
    filters = filters or MatrixFilters()
    stmt = select(Person.id, Person.name, Person.department, Person.job_role).where(
        active_people(project.site_id, today)
    )
    if filters.department:
        stmt = stmt.where(Person.department == filters.department)
    if filters.job_role:
        stmt = stmt.where(Person.job_role == filters.job_role)
    people_rows = db.session.execute(stmt.order_by(Person.department, Person.name, Person.id)).all()
    requirements = _requirements(project.id)
    role_rows = db.session.execute(
        select(JobRole.name, role_requirements.c.requirement_id)
        .join(role_requirements, role_requirements.c.role_id == JobRole.id)
        .where(JobRole.project_id == project.id)
    ).all()
    by_role: dict[str, set[int]] = {}
    for role, requirement_id in role_rows:
        by_role.setdefault(staff_list.name_key(role), set()).add(requirement_id)
    people = [
        rules.PersonRow(pid, name, department, role, frozenset(by_role.get(staff_list.name_key(role), ())))
        for pid, name, department, role in people_rows
    ]
    records = attendance_records(project.id, project.site_id)
    return rules.build_matrix(people, requirements, records, today)


def _requirements(project_id: int) -> list[rules.Requirement]:
    rows = db.session.execute(
        select(TrainingRequirement, DocumentRevision.id)
        .outerjoin(
            DocumentRevision,
            and_(
                DocumentRevision.document_id == TrainingRequirement.document_id,
                DocumentRevision.state == RevisionState.APPROVED,
            ),
        )
        .where(TrainingRequirement.project_id == project_id)
        .order_by(TrainingRequirement.everyone.desc(), TrainingRequirement.name, TrainingRequirement.id)
    ).all()
    return [
        rules.Requirement(
            id=r.id,
            name=r.name,
            is_document=r.document_id is not None,
            current_revision_id=revision_id,
            refresher_months=r.refresher_months,
            everyone=r.everyone,
            qualifies_auditor=r.qualifies_auditor,
        )
        for r, revision_id in rows
    ]


def attendance_records(project_id: int, site_id: int) -> dict[int, list[rules.Record]]:
    """Every attendance of the site's people at the project's sessions, per person (one query)."""
    rows = db.session.execute(
        select(
            Attendance.person_id,
            TrainingSession.requirement_id,
            TrainingSession.held_on,
            TrainingSession.id,
            TrainingSession.revision_id,
            Attendance.result,
        )
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .join(Person, Person.id == Attendance.person_id)
        .where(TrainingSession.project_id == project_id, Person.site_id == site_id)
    ).all()
    out: dict[int, list[rules.Record]] = {}
    for person_id, requirement_id, held_on, session_id, revision_id, result in rows:
        out.setdefault(person_id, []).append(
            rules.Record(requirement_id, held_on, session_id, revision_id, result)
        )
    return out
