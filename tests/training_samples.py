"""People, job roles, training requirements and sessions for the training tests, committed (as a finished
request would)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.domain.staff_list import name_key
from app.extensions import db
from app.models import Attendance, JobRole, Person, TrainingRequirement, TrainingSession
from app.services import training_records as records
from tests.document_samples import add_document, add_revision, approve
from tests.evidence_samples import scope_for


def add_person(
    site: Any,
    name: str = "Nguyen Van An",
    job_role: str = "",
    department: str = "Production",
    started_on: date | None = date(2020, 1, 6),
    left_on: date | None = None,
) -> Person:
    person = Person(
        site_id=site.id,
        name=name,
        name_key=name_key(name),
        job_role=job_role,
        department=department,
        started_on=started_on,
        left_on=left_on,
    )
    db.session.add(person)
    db.session.commit()
    return person


def add_requirement(
    project: Any, name: str = "Quality policy awareness", **fields: Any
) -> TrainingRequirement:
    requirement = TrainingRequirement(project_id=project.id, name=name, **fields)
    db.session.add(requirement)
    db.session.commit()
    return requirement


def add_role(project: Any, name: str, requirements: list[TrainingRequirement] | None = None) -> JobRole:
    role = JobRole(project_id=project.id, name=name, requirements=requirements or [])
    db.session.add(role)
    db.session.commit()
    return role


def approved_document(project: Any, code: str = "QP-05", label: str = "A") -> Any:
    """A register document with an approved revision (approved by nobody in particular: no four eyes)."""
    document = add_document(project, None, code)
    revision = add_revision(project, None, document, label, submit=True)
    approve(project, None, document, revision)
    return document


def new_revision(project: Any, document: Any, label: str) -> Any:
    revision = add_revision(project, None, document, label, submit=True, name=f"{label}.pdf")
    approve(project, None, document, revision)
    return revision


def record(
    project: Any,
    requirement: TrainingRequirement,
    people: list[Person],
    held_on: date | None = None,
    user_id: int | None = None,
    **fields: Any,
) -> TrainingSession:
    values = {"trainer": "QA manager", "method": "classroom", "duration_minutes": 60} | fields
    session = records.record_session(
        scope_for(user_id, project),
        project,
        records.NewSession(
            requirement_id=requirement.id,
            held_on=held_on or date.today() - timedelta(days=30),
            attendee_ids=[p.id for p in people],
            **values,
        ),
    )
    db.session.commit()
    return session


def check(project: Any, attendance: Attendance, result: str = "pass", checked_on: date | None = None) -> None:
    records.set_effectiveness(
        scope_for(None, project),
        attendance,
        result,
        "Observed at work",
        checked_on or attendance.session.held_on,
        attendance.version,
    )
    db.session.commit()


def training_ids(project: Any, site: Any) -> dict[str, int]:
    """A job role, a training requirement, a session and its attendance of ``project`` (made the first
    time), for the URL walks."""
    session = db.session.execute(
        select(TrainingSession).where(TrainingSession.project_id == project.id).limit(1)
    ).scalar_one_or_none()
    if session is None:
        requirement = add_requirement(project, "Walk awareness", everyone=True)
        add_role(project, "Walk operator", [requirement])
        person = add_person(site, f"Walker {project.id}")
        session = record(project, requirement, [person])
    role = db.session.execute(select(JobRole).where(JobRole.project_id == project.id).limit(1)).scalar_one()
    return {
        "role_id": role.id,
        "requirement_id": session.requirement_id,
        "session_id": session.id,
        "attendance_id": session.attendance[0].id,
    }
