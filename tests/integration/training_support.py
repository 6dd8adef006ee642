"""People, job roles, training requirements and sessions stored as rows (committed, as a finished request
would), for the tests of the matrix, its charts and the training API; and a matrix of any size."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from app.domain.staff_list import name_key
from app.extensions import db
from app.models import (
    Attendance,
    CertificationProject,
    ControlledDocument,
    DocumentRevision,
    JobRole,
    Person,
    Site,
    TrainingRequirement,
    TrainingSession,
)

_counter = itertools.count(1)


def add_person(
    site: Site,
    name: str | None = None,
    department: str = "Production",
    job_role: str = "",
    started_on: date | None = None,
    left_on: date | None = None,
) -> Person:
    name = name or f"Person {next(_counter)}"
    person = Person(
        site_id=site.id,
        name=name,
        name_key=name_key(name),
        department=department,
        job_role=job_role,
        started_on=started_on,
        left_on=left_on,
    )
    db.session.add(person)
    db.session.commit()
    return person


def add_requirement(
    project: CertificationProject,
    name: str | None = None,
    document: ControlledDocument | None = None,
    **fields: Any,
) -> TrainingRequirement:
    requirement = TrainingRequirement(
        project_id=project.id,
        name=name or f"Training {next(_counter)}",
        document_id=document.id if document else None,
        **fields,
    )
    db.session.add(requirement)
    db.session.commit()
    return requirement


def add_role(
    project: CertificationProject, name: str, requirements: Sequence[TrainingRequirement]
) -> JobRole:
    role = JobRole(project_id=project.id, name=name, requirements=list(requirements))
    db.session.add(role)
    db.session.commit()
    return role


def add_session(
    project: CertificationProject,
    requirement: TrainingRequirement,
    held_on: date,
    people: Sequence[Person],
    revision: DocumentRevision | None = None,
    result: str = "pending",
) -> TrainingSession:
    session = TrainingSession(
        project_id=project.id,
        requirement_id=requirement.id,
        revision_id=revision.id if revision else None,
        held_on=held_on,
        trainer="Lan",
        method="classroom",
        attendance=[Attendance(person_id=p.id, result=result) for p in people],
    )
    db.session.add(session)
    db.session.commit()
    return session


def approve(revision: DocumentRevision, on: date) -> DocumentRevision:
    """Mark a revision approved (and the document's approved one before it superseded), as rows."""
    for other in revision.document.revisions:
        if other.state == "approved" and other.id != revision.id:
            other.state = "superseded"
    revision.state = "approved"
    revision.approved_on = on
    db.session.commit()
    return revision


def fill_matrix(
    project: CertificationProject, site: Site, people: int, requirements: int, held_on: date
) -> tuple[list[Person], list[TrainingRequirement]]:
    """``people`` in two departments and two roles, ``requirements`` topics (the first for everyone, the
    rest split between the roles), and every other person trained on every requirement."""
    topics = [
        add_requirement(project, f"Topic {index:02d}", everyone=index == 0, refresher_months=12)
        for index in range(requirements)
    ]
    add_role(project, "Operator", topics[1::2])
    add_role(project, "Inspector", topics[2::2])
    staff = [
        add_person(
            site,
            f"Staff {index:03d}",
            department=("Production", "Quality")[index % 2],
            job_role=("Operator", "Inspector")[index % 2],
        )
        for index in range(people)
    ]
    for topic in topics:
        add_session(project, topic, held_on, staff[::2], result="pass")
    return staff, topics


def training_walk_values(project: CertificationProject) -> dict[str, int]:
    """For the walks of every API route: a requirement and an active person to record a training for."""
    requirement = add_requirement(project, f"Walk training {next(_counter)}")
    person = add_person(project.site, started_on=date(2020, 1, 1))
    return {"training_requirement_id": requirement.id, "training_person_id": person.id}


def training_call(method: str, path: str, values: dict[str, Any]) -> dict[str, Any]:
    """The request keyword arguments of a call of a training API route that succeeds with ``values`` (from
    :func:`training_walk_values`); none for the other routes."""
    if method != "POST" or not path.endswith("/training-records"):
        return {}
    body = {
        "requirement_id": values["training_requirement_id"],
        "held_on": (date.today() - timedelta(days=30)).isoformat(),
        "method": "classroom",
        "attendee_ids": [values["training_person_id"]],
    }
    return {"json": body}
