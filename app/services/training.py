"""Loading a project's training matrix: the site's active people, the project's training requirements with
each document's current approved revision, what each job role requires, and every attendance record.

:func:`load_matrix` runs four queries whatever the number of people, requirements and records, and hands
plain values to :func:`app.domain.training.build_matrix`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import BindParameter, ColumnElement, Date, Integer, Select, and_, bindparam, or_, select

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


def active_people(
    site_id: int | BindParameter[int], today: date | BindParameter[date]
) -> ColumnElement[bool]:
    """The condition on ``Person`` for the people still working at the site on ``today`` (values, or bound
    parameters for a statement built once)."""
    return and_(Person.site_id == site_id, or_(Person.left_on.is_(None), Person.left_on > today))


# The matrix's statements are built once (the people's, once per shape of filters) and run with the
# project, its site and the day bound: building a statement costs SQLAlchemy more than running it.
_PROJECT_ID = bindparam("project_id", type_=Integer)
_SITE_ID = bindparam("site_id", type_=Integer)

_REQUIREMENTS = (
    select(
        TrainingRequirement.id,
        TrainingRequirement.name,
        TrainingRequirement.document_id,
        DocumentRevision.id,
        TrainingRequirement.refresher_months,
        TrainingRequirement.everyone,
        TrainingRequirement.qualifies_auditor,
    )
    .outerjoin(
        DocumentRevision,
        and_(
            DocumentRevision.document_id == TrainingRequirement.document_id,
            DocumentRevision.state == RevisionState.APPROVED,
        ),
    )
    .where(TrainingRequirement.project_id == _PROJECT_ID)
    .order_by(TrainingRequirement.everyone.desc(), TrainingRequirement.name, TrainingRequirement.id)
)

_ROLE_REQUIREMENTS = (
    select(JobRole.name, role_requirements.c.requirement_id)
    .join(role_requirements, role_requirements.c.role_id == JobRole.id)
    .where(JobRole.project_id == _PROJECT_ID)
)

_ATTENDANCE = (
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
    .where(TrainingSession.project_id == _PROJECT_ID, Person.site_id == _SITE_ID)
)


@lru_cache(maxsize=4)
def _people(by_department: bool, by_job_role: bool) -> Select[int, str, str, str]:
    stmt = select(Person.id, Person.name, Person.department, Person.job_role).where(
        active_people(_SITE_ID, bindparam("today", type_=Date))
    )
    if by_department:
        stmt = stmt.where(Person.department == bindparam("department"))
    if by_job_role:
        stmt = stmt.where(Person.job_role == bindparam("job_role"))
    return stmt.order_by(Person.department, Person.name, Person.id)


@dataclass(frozen=True)
class TrainingRecords:
    """What the matrix and the training history both read (three queries): the project's requirements with
    each document's current approved revision, what each job role requires (by the role's folded name), and
    every attendance of the site's people at the project's sessions, per person."""

    requirements: list[rules.Requirement]
    by_role: dict[str, set[int]]
    attendance: dict[int, list[rules.Record]]


def training_records(project: CertificationProject) -> TrainingRecords:
    by_role: dict[str, set[int]] = {}
    for role, requirement_id in db.session.execute(_ROLE_REQUIREMENTS, {"project_id": project.id}):
        by_role.setdefault(staff_list.name_key(role), set()).add(requirement_id)
    return TrainingRecords(
        _requirements(project.id), by_role, attendance_records(project.id, project.site_id)
    )


def load_matrix(
    project: CertificationProject,
    today: date,
    filters: MatrixFilters | None = None,
    records: TrainingRecords | None = None,
) -> rules.Matrix:
    """The project's matrix on ``today`` (4 queries; one when its ``records`` are read already),
    optionally for one department or job role."""
    filters = filters or MatrixFilters()
    records = records or training_records(project)
    people_rows = db.session.execute(
        _people(bool(filters.department), bool(filters.job_role)),
        {
            "site_id": project.site_id,
            "today": today,
            "department": filters.department,
            "job_role": filters.job_role,
        },
    ).all()
    people = [
        rules.PersonRow(
            pid, name, department, role, frozenset(records.by_role.get(staff_list.name_key(role), ()))
        )
        for pid, name, department, role in people_rows
    ]
    return rules.build_matrix(people, records.requirements, records.attendance, today)


def _requirements(project_id: int) -> list[rules.Requirement]:
    return [
        rules.Requirement(
            id=requirement_id,
            name=name,
            is_document=document_id is not None,
            current_revision_id=revision_id,
            refresher_months=refresher_months,
            everyone=everyone,
            qualifies_auditor=qualifies_auditor,
        )
        for requirement_id, name, document_id, revision_id, refresher_months, everyone, qualifies_auditor in (
            db.session.execute(_REQUIREMENTS, {"project_id": project_id})
        )
    ]


def attendance_records(project_id: int, site_id: int) -> dict[int, list[rules.Record]]:
    """Every attendance of the site's people at the project's sessions, per person (one query)."""
    rows = db.session.execute(_ATTENDANCE, {"project_id": project_id, "site_id": site_id})
    out: dict[int, list[rules.Record]] = {}
    for person_id, requirement_id, held_on, session_id, revision_id, result in rows:
        out.setdefault(person_id, []).append(
            rules.Record(requirement_id, held_on, session_id, revision_id, result)
        )
    return out
