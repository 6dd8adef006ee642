"""A generated training programme (the portfolio generator's, and the training benchmarks'): people of a
site in six departments and ten job roles (and 5 who have left), training requirements (2 for everyone, an
internal auditor course, a document requirement every third column while the register's approved documents
last, topics with and without a refresher), each job role requiring about a third of them, and sessions of
up to 20 people holding the attendance records asked for: the latest round of training leaves one required
cell in nine due and trains one group in four on a superseded revision (outdated), older rounds make the
refreshers expire and give people several records; results are mostly passed, some pending, a few failed.

The rows are written directly (150 people and 3000 records take about a second).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain import training as rules
from app.domain.documents import RevisionState
from app.domain.staff_list import name_key
from app.extensions import db
from app.models import (
    Attendance,
    ControlledDocument,
    JobRole,
    Person,
    TrainingRequirement,
    TrainingSession,
)

DEPARTMENTS = ("Production", "Clean room", "Quality", "Warehouse", "Engineering", "Administration")
ROLES = 10
EVERYONE = 2  # the first columns: awareness for everyone
AUDITOR = 2  # the column of the internal auditor course
GROUP = 20  # people per session
LEFT = 5  # people who have left, besides the active ones
GIVEN = ("Aisyah", "Wei Ming", "Rajesh", "Siti", "Kah Hui", "Priya", "Hafiz", "Mei Ling", "Faizal", "Nadia",
         "Chee Keong", "Kavitha", "Zulkifli", "Li Ying", "Suresh", "Farah")  # fmt: skip
FAMILY = ("Tan", "Lim", "Ong", "Goh", "Lee", "Wong", "Teoh", "Chong", "Yap", "Ahmad", "Ismail", "Hassan",
          "Osman", "Rahman", "Abdullah", "Krishnan")  # fmt: skip


@dataclass(frozen=True)
class Made:
    people: int  # active
    requirements: int
    documents: int  # requirements on a document of the register
    roles: int
    sessions: int
    records: int


def person_name(n: int) -> str:
    return f"{GIVEN[n % len(GIVEN)]} {FAMILY[(n // len(GIVEN)) % len(FAMILY)]} {n // 256 or ''}".strip()


def _revisions(project_id: int) -> list[tuple[int, int, int | None]]:
    """(document id, current revision id, a superseded revision id or None) of the documents with an
    approved revision, in the order made."""
    documents = db.session.execute(
        select(ControlledDocument)
        .where(ControlledDocument.project_id == project_id)
        .order_by(ControlledDocument.id)
        .options(selectinload(ControlledDocument.revisions))
    ).scalars()
    out = []
    for document in documents:
        current = next((r for r in document.revisions if r.state == RevisionState.APPROVED), None)
        old = next((r for r in document.revisions if r.state == RevisionState.SUPERSEDED), None)
        if current is not None:
            out.append((document.id, current.id, old.id if old else None))
    return out


def _requirements(
    project_id: int, count: int
) -> tuple[list[TrainingRequirement], dict[int, tuple[int, int | None]]]:
    """The requirements, and for those on a document (by column): its current and an older revision."""
    documents = _revisions(project_id)
    made: list[TrainingRequirement] = []
    revisions: dict[int, tuple[int, int | None]] = {}
    for k in range(count):
        requirement = TrainingRequirement(
            project_id=project_id,
            name=f"Training {k + 1:02d}",
            everyone=k < EVERYONE,
            qualifies_auditor=k == AUDITOR,
            refresher_months=(None, 12, 24)[k % 3] if k > AUDITOR else None,
        )
        if k > AUDITOR and k % 3 == 0 and documents:
            document_id, current, old = documents.pop(0)
            requirement.document_id, requirement.refresher_months = document_id, None
            requirement.name = f"Procedure {k + 1:02d}"
            revisions[k] = (current, old)
        made.append(requirement)
    db.session.add_all(made)
    return made, revisions


def add_training(
    project_id: int,
    site_id: int,
    user_id: int,
    people: int,
    requirements: int,
    records: int,
    today: date | None = None,
) -> Made:
    """The people of ``site_id`` and the training of ``project_id`` described above; the project's
    register must hold its documents already."""
    today = today or date.today()
    columns, revisions = _requirements(project_id, requirements)
    roles = [
        JobRole(
            project_id=project_id,
            name=f"Role {r + 1:02d}",
            requirements=[c for k, c in enumerate(columns) if k >= EVERYONE and (k + r) % 3 == 0],
        )
        for r in range(ROLES)
    ]
    staff = [
        Person(
            site_id=site_id,
            name=person_name(n),
            name_key=name_key(person_name(n)),
            job_role=f"Role {n % ROLES + 1:02d}",
            department=DEPARTMENTS[n % ROLES % len(DEPARTMENTS)],
            started_on=today - timedelta(days=200 + (n * 53) % 3000),
            left_on=today - timedelta(days=30) if n >= people else None,
        )
        for n in range(people + LEFT)
    ]
    db.session.add_all([*roles, *staff])
    db.session.flush()
    sessions, written = 0, 0
    for round_ in range(4):
        for k, column in enumerate(columns):
            held_on = today - timedelta(days=10 + 380 * round_ + 3 * k)
            attendees = [
                p
                for n, p in enumerate(staff)
                if (k < EVERYONE or (k + n % ROLES) % 3 == 0)
                and p.started_on is not None
                and p.started_on <= held_on
                and (p.left_on is None or held_on <= p.left_on)
                and not (round_ == 0 and (n + k) % 9 == 0)
            ]
            for group, start in enumerate(range(0, len(attendees), GROUP)):
                if written >= records:
                    return Made(people, requirements, len(revisions), ROLES, sessions, written)
                current, old = revisions.get(k, (None, None))
                outdated = round_ > 0 or group % 4 == 3
                session = TrainingSession(
                    project_id=project_id,
                    requirement=column,
                    revision_id=(old or current) if outdated else current,
                    held_on=held_on,
                    trainer="QA engineer",
                    method=rules.METHODS[(k + group) % len(rules.METHODS)],
                    duration_minutes=60,
                    created_by_id=user_id,
                )
                for person in attendees[start : start + GROUP][: records - written]:
                    written += 1
                    result = "fail" if written % 97 == 0 else "pending" if written % 11 == 0 else "pass"
                    session.attendance.append(
                        Attendance(
                            person_id=person.id,
                            result=result,
                            check_method="" if result == "pending" else "Quiz",
                            checked_on=None if result == "pending" else min(today, held_on + timedelta(3)),
                        )
                    )
                db.session.add(session)
                sessions += 1
    return Made(people, requirements, len(revisions), ROLES, sessions, written)
