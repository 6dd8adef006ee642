"""Writing a demo factory's people and training (the data of :mod:`app.services.demo_staff`): the site's
staff list, the project's training requirements and job roles, and the sessions with their attendance.

The rows are written directly, by the rules of :mod:`app.domain.training`: a session is not in the future
and nobody attends before they started or after they left; a document session is on the revision that was
in force on its day (so a revision approved since makes it outdated); an effectiveness check is dated
between the session and today. A plan breaking a rule is a mistake in the demo: it raises ValueError.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain import staff_list
from app.domain import training as rules
from app.domain.documents import RevisionState
from app.extensions import db
from app.models import (
    Attendance,
    CertificationProject,
    Clause,
    ControlledDocument,
    DocumentRevision,
    EvidenceItem,
    JobRole,
    Person,
    TrainingRequirement,
    TrainingSession,
)
from app.services.demo_staff import Need, Session, Staff, Training
from app.services.scope import Scope


def add_training(scope: Scope, project: CertificationProject, today: date, plan: Training) -> None:
    """Put ``plan``'s people on the project's site and its requirements, roles and sessions in the
    project; the project's documents must already be in its register."""
    documents = _documents(project, {n.document for n in plan.needs if n.document})
    requirements = {n.key: _requirement(project, n, documents) for n in plan.needs}
    for role, keys in plan.roles.items():
        db.session.add(
            JobRole(project_id=project.id, name=role, requirements=[requirements[k] for k in keys.split()])
        )
    people = {s.key: _person(project, s, today) for s in plan.staff}
    db.session.add_all([*requirements.values(), *people.values()])
    db.session.flush()
    numbers = {r.clause_number for r in requirements.values()} | {plan.competence_clause}
    clause_ids = dict(
        db.session.execute(
            select(Clause.number, Clause.id).where(
                Clause.standard_id == project.standard_id, Clause.is_leaf, Clause.number.in_(numbers)
            )
        ).all()
    )
    for spec in plan.sessions:
        requirement = requirements[spec.need]
        session = _session(scope, project, spec, requirement, people, today)
        if spec.evidence:
            # Filed under the requirement's clause, else competence (as a recorded session's sheet is).
            clause_id = clause_ids.get(requirement.clause_number) or clause_ids[plan.competence_clause]
            session.evidence_id = _evidence(scope, project, clause_id, spec, session).id
    db.session.flush()


def _documents(project: CertificationProject, codes: set[str]) -> dict[str, ControlledDocument]:
    rows = db.session.execute(
        select(ControlledDocument)
        .options(selectinload(ControlledDocument.revisions), selectinload(ControlledDocument.clauses))
        .where(ControlledDocument.project_id == project.id, ControlledDocument.code.in_(codes))
    ).scalars()
    found = {d.code: d for d in rows}
    if missing := codes - found.keys():
        raise ValueError(f"The demo register has no document {', '.join(sorted(missing))}.")
    return found


def _requirement(
    project: CertificationProject, need: Need, documents: dict[str, ControlledDocument]
) -> TrainingRequirement:
    document = documents[need.document] if need.document else None
    return TrainingRequirement(
        project_id=project.id,
        name=need.name or (f"{document.code} {document.title}" if document else need.key),
        document=document,
        refresher_months=need.refresher_months,
        everyone=need.everyone,
        qualifies_auditor=need.auditor,
        clause_number=need.clause or (document.clauses[0].number if document else None),
    )


def _person(project: CertificationProject, staff: Staff, today: date) -> Person:
    left = None if staff.left_days_ago is None else today - timedelta(days=staff.left_days_ago)
    return Person(
        site_id=project.site_id,
        name=staff.name,
        name_key=staff_list.name_key(staff.name),
        job_role=staff.role,
        department=staff.department,
        started_on=today - timedelta(days=staff.started_days_ago),
        left_on=left,
    )


def revision_in_force(document: ControlledDocument, day: date) -> DocumentRevision | None:
    """The revision approved most recently on or before ``day`` (the one people were trained on then)."""
    approved = [
        r
        for r in document.revisions
        if r.state in (RevisionState.APPROVED, RevisionState.SUPERSEDED)
        and r.approved_on is not None
        and r.approved_on <= day
    ]
    return max(approved, key=lambda r: (r.approved_on, r.id), default=None)


def _session(
    scope: Scope,
    project: CertificationProject,
    spec: Session,
    requirement: TrainingRequirement,
    people: dict[str, Person],
    today: date,
) -> TrainingSession:
    held_on = today - timedelta(days=spec.days_ago)
    attendees = [people[key] for key in spec.attendees.split()]
    problem = rules.session_date_error(held_on, today)
    late = rules.attendee_errors(held_on, {p.name: p.started_on for p in attendees})
    gone = [p.name for p in attendees if p.left_on is not None and p.left_on < held_on]
    revision = revision_in_force(requirement.document, held_on) if requirement.document else None
    if problem or late or gone or (requirement.document and revision is None):
        raise ValueError(
            f"Demo session on {requirement.name} ({held_on}): {problem or late or gone or 'no revision'}"
        )
    session = TrainingSession(
        project_id=project.id,
        requirement=requirement,
        revision=revision,
        held_on=held_on,
        trainer=spec.trainer,
        method=spec.method,
        duration_minutes=spec.minutes,
        created_by_id=scope.user_id,
    )
    checked_on = min(today, held_on + timedelta(days=spec.checked_after_days))
    pending, failed = set(spec.pending.split()), set(spec.failed.split())
    for key, person in zip(spec.attendees.split(), attendees, strict=True):
        result = "pending" if not spec.check or key in pending else "fail" if key in failed else "pass"
        session.attendance.append(
            Attendance(
                person=person,
                result=result,
                check_method="" if result == "pending" else spec.check,
                checked_on=None if result == "pending" else checked_on,
            )
        )
    db.session.add(session)
    return session


def _evidence(
    scope: Scope, project: CertificationProject, clause_id: int, spec: Session, session: TrainingSession
) -> EvidenceItem:
    item = EvidenceItem(
        project_id=project.id,
        clause_id=clause_id,
        kind="note",
        title=spec.evidence,
        note=f"{session.held_on.isoformat()}, {len(session.attendance)} attendees, trainer {spec.trainer}; "
        "the signed original is kept in the HR file.",
        review_state="submitted",
        added_by_id=scope.user_id,
    )
    db.session.add(item)
    db.session.flush()
    return item
