"""Training records of a project: recording a session with its attendance list (and the attendance sheet
or certificate, stored as evidence), and each attendee's effectiveness check (ISO 9001 7.2 c).

Shared by the pages and the API. The rules are :mod:`app.domain.training`; this module loads what they
need and changes the session, raising :class:`~app.services.errors.Invalid` (per field, 422),
:class:`~app.services.errors.NotFound` (404: a requirement of another project, a person of another site or
workspace, someone who has left) or :class:`~app.services.errors.StaleVersion` (409) without having
changed anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.domain import staff_list
from app.domain import training as rules
from app.domain.documents import RevisionState
from app.domain.ids import is_id_in_range
from app.domain.pathway import StandardFamily, describe_list, standard_family
from app.domain.permissions import Action
from app.domain.text import _, grouped
from app.extensions import db
from app.i18n import format_day
from app.models import (
    Attendance,
    CertificationProject,
    Clause,
    DocumentRevision,
    EvidenceItem,
    Person,
    TrainingRequirement,
    TrainingSession,
)
from app.services.errors import Invalid, NotFound, StaleVersion
from app.services.evidence import EvidenceRefused, NewEvidence, Upload, create_item
from app.services.scope import Scope
from app.services.training import active_people

TRAINER_MAX_LENGTH = 120
NOTES_MAX_LENGTH = 2000
CHECK_METHOD_MAX_LENGTH = 120
DURATION_MINUTES = range(1, 10_001)  # up to a course of several weeks
TRAINED_ON = (RevisionState.APPROVED, RevisionState.SUPERSEDED)  # revisions someone can be trained on
# Where a training record's file goes when its requirement names no requirement of the standard.
COMPETENCE_CLAUSE = {StandardFamily.ISO_9001: "7.2", StandardFamily.ISO_13485: "6.2"}


@dataclass
class NewSession:
    """What a user gives for a session; ``revision_id`` None means the document's current revision."""

    requirement_id: int | None
    held_on: date | None
    trainer: str
    method: str
    duration_minutes: int | None = None
    notes: str = ""
    attendee_ids: list[int] = field(default_factory=list)
    revision_id: int | None = None
    upload: Upload | None = field(default=None, repr=False)


class SessionUploadRefused(Invalid):
    """The file store refused the attendance sheet; ``status`` says how, as for evidence (413 too large,
    415 a type not accepted, 422 empty or over the quota)."""

    def __init__(self, refused: EvidenceRefused) -> None:
        super().__init__(_("The training was not recorded."), {"file": " ".join(refused.errors.values())})
        self.status = refused.status


# Lookups


def requirement_in(project: CertificationProject, requirement_id: int | None) -> TrainingRequirement:
    """A training requirement of this project, or 404 (the project was already scoped to the caller)."""
    if requirement_id is None or not is_id_in_range(requirement_id):
        raise NotFound()
    requirement = db.session.get(TrainingRequirement, requirement_id)
    if requirement is None or requirement.project_id != project.id:
        raise NotFound()
    return requirement


def session_in(project: CertificationProject, session_id: int) -> TrainingSession:
    """A session of this project with its requirement, revision and attendance (and each person), or 404."""
    if not is_id_in_range(session_id):
        raise NotFound()
    session = db.session.execute(
        select(TrainingSession)
        .where(TrainingSession.id == session_id, TrainingSession.project_id == project.id)
        .options(
            selectinload(TrainingSession.requirement).selectinload(TrainingRequirement.document),
            selectinload(TrainingSession.revision),
            selectinload(TrainingSession.attendance).selectinload(Attendance.person),
        )
    ).scalar_one_or_none()
    if session is None:
        raise NotFound()
    return session


def attendance_in(session: TrainingSession, attendance_id: int) -> Attendance:
    found = next((a for a in session.attendance if a.id == attendance_id), None)
    if found is None:
        raise NotFound()
    return found


def sessions_page(
    project: CertificationProject, number: int, per_page: int
) -> tuple[list[TrainingSession], int]:
    """One page of the project's sessions, newest first, with their requirement and attendance count."""
    total = db.session.execute(
        select(func.count(TrainingSession.id)).where(TrainingSession.project_id == project.id)
    ).scalar_one()
    rows = db.session.execute(
        select(TrainingSession)
        .where(TrainingSession.project_id == project.id)
        .options(selectinload(TrainingSession.requirement), selectinload(TrainingSession.attendance))
        .order_by(TrainingSession.held_on.desc(), TrainingSession.id.desc())
        .limit(per_page)
        .offset((number - 1) * per_page)
    ).scalars()
    return list(rows), total


def attendee_choices(project: CertificationProject, today: date) -> list[tuple[str, list[Person]]]:
    """The site's active people by department (then name), for a session's attendee checkboxes."""
    people = db.session.execute(
        select(Person)
        .where(active_people(project.site_id, today))
        .order_by(Person.department, Person.name, Person.id)
    ).scalars()
    groups: dict[str, list[Person]] = {}
    for person in people:
        groups.setdefault(person.department, []).append(person)
    return list(groups.items())


def current_revision_id(requirement: TrainingRequirement) -> int | None:
    """The approved revision of a document requirement (None for a topic or a document with none)."""
    if requirement.document_id is None:
        return None
    return db.session.execute(
        select(DocumentRevision.id).where(
            DocumentRevision.document_id == requirement.document_id,
            DocumentRevision.state == RevisionState.APPROVED,
        )
    ).scalar_one_or_none()


# Recording a session


def _field_errors(new: NewSession, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if problem := rules.session_date_error(new.held_on, today):
        errors["held_on"] = problem
    if len(new.trainer) > TRAINER_MAX_LENGTH:
        errors["trainer"] = _("Use at most %(limit)d characters.", limit=TRAINER_MAX_LENGTH)
    if new.method not in rules.METHODS:
        errors["method"] = _("Choose how the training was given.")
    if new.duration_minutes is not None and new.duration_minutes not in DURATION_MINUTES:
        errors["duration_minutes"] = _(
            "Give the duration in minutes, from %(least)d to %(most)s.",
            least=DURATION_MINUTES.start,
            most=grouped(DURATION_MINUTES.stop - 1),
        )
    if len(new.notes) > NOTES_MAX_LENGTH:
        errors["notes"] = _("Use at most %(limit)s characters.", limit=grouped(NOTES_MAX_LENGTH))
    if not new.attendee_ids:
        errors["attendee_ids"] = _("Tick at least one person who attended.")
    elif len(new.attendee_ids) > staff_list.CSV_MAX_ROWS:
        errors["attendee_ids"] = _(
            "Record at most %(limit)s people at once.", limit=grouped(staff_list.CSV_MAX_ROWS)
        )
    return errors


def _attendees(project: CertificationProject, ids: list[int], today: date) -> list[Person]:
    """The active people of the project's site with these ids; any other id is a 404 (never named)."""
    wanted = list(dict.fromkeys(ids))
    if not wanted or len(wanted) > staff_list.CSV_MAX_ROWS:
        return []  # refused by the field checks
    if not all(is_id_in_range(i) for i in wanted):
        raise NotFound()
    people = list(
        db.session.execute(
            select(Person).where(Person.id.in_(wanted), active_people(project.site_id, today))
        ).scalars()
    )
    if len(people) != len(wanted):
        raise NotFound()
    return sorted(people, key=lambda p: (p.name, p.id))


def _revision(requirement: TrainingRequirement, revision_id: int | None) -> tuple[int | None, dict[str, str]]:
    """The revision trained on: the one given (approved or superseded, of the requirement's document),
    or the document's current one; a topic has none."""
    if requirement.document_id is None:
        if revision_id is not None:
            return None, {"revision_id": _("A topic has no revisions: leave the revision empty.")}
        return None, {}
    if revision_id is None:
        current = current_revision_id(requirement)
        if current is None:
            return None, {
                "requirement_id": _(
                    "%(name)s has no approved revision yet: approve one in the document register before "
                    "recording training on it.",
                    name=requirement.name,
                )
            }
        return current, {}
    revision = db.session.get(DocumentRevision, revision_id) if is_id_in_range(revision_id) else None
    if revision is None or revision.document_id != requirement.document_id:
        raise NotFound()
    if revision.state not in TRAINED_ON:
        return None, {"revision_id": _("People are trained on an approved revision, not on a draft.")}
    return revision.id, {}


def _started_errors(held_on: date, people: list[Person]) -> dict[str, str]:
    late = rules.attendee_errors(held_on, {p.name: p.started_on for p in people})
    if not late:
        return {}
    return {
        "held_on": _(
            "%(names)s had not started at this site on that date: check the date, or untick them.",
            names=describe_list(late, 5),
        )
    }


def evidence_clause(project: CertificationProject, requirement: TrainingRequirement) -> str:
    """The requirement of the standard a session's file is attached to: the training requirement's own
    clause when it names a requirement of the standard, else competence (7.2, or 6.2 in ISO 13485)."""
    if requirement.clause_number:
        leaf = db.session.execute(
            select(Clause.id).where(
                Clause.standard_id == project.standard_id,
                Clause.number == requirement.clause_number,
                Clause.is_leaf,
            )
        ).scalar_one_or_none()
        if leaf is not None:
            return requirement.clause_number
    return COMPETENCE_CLAUSE[standard_family(project.standard.code)]


def _evidence(
    scope: Scope, project: CertificationProject, requirement: TrainingRequirement, new: NewSession
) -> EvidenceItem | None:
    if new.upload is None:
        return None
    title = _("Training record: %(name)s, %(day)s", name=requirement.name, day=format_day(new.held_on))[:200]
    try:
        return create_item(
            scope,
            project,
            NewEvidence(
                kind="file", title=title, clause=evidence_clause(project, requirement), upload=new.upload
            ),
        )
    except EvidenceRefused as refused:
        raise SessionUploadRefused(refused) from refused


def record_session(
    scope: Scope, project: CertificationProject, new: NewSession, today: date | None = None
) -> TrainingSession:
    """Record a training given to several people at once, each with a pending effectiveness check."""
    scope.require(Action.EDIT_CONTENT)
    today = today or date.today()
    if new.requirement_id is None:
        errors = {"requirement_id": _("Choose what the training was on.")}
        requirement = None
    else:
        requirement = requirement_in(project, new.requirement_id)
        errors = {}
    errors |= _field_errors(new, today)
    people = _attendees(project, new.attendee_ids, today)
    revision_id = None
    if requirement is not None:
        revision_id, revision_errors = _revision(requirement, new.revision_id)
        errors |= revision_errors
    if new.held_on is not None and "held_on" not in errors:
        errors |= _started_errors(new.held_on, people)
    if errors or requirement is None or new.held_on is None:
        raise Invalid(_("The training was not recorded."), errors)
    evidence = _evidence(scope, project, requirement, new)
    session = TrainingSession(
        project_id=project.id,
        requirement_id=requirement.id,
        revision_id=revision_id,
        held_on=new.held_on,
        trainer=new.trainer,
        method=new.method,
        duration_minutes=new.duration_minutes,
        notes=new.notes,
        evidence_id=evidence.id if evidence else None,
        created_by_id=scope.user_id,
        attendance=[Attendance(person_id=person.id, result="pending") for person in people],
    )
    db.session.add(session)
    db.session.flush()
    return session


# The effectiveness check


def effectiveness_errors(
    session: TrainingSession, result: str, check_method: str, checked_on: date | None, today: date
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if result not in rules.RESULTS:
        errors["result"] = _("Choose pending, passed or failed.")
    if len(check_method) > CHECK_METHOD_MAX_LENGTH:
        errors["check_method"] = _("Use at most %(limit)d characters.", limit=CHECK_METHOD_MAX_LENGTH)
    elif result in ("pass", "fail") and not check_method:
        errors["check_method"] = _("Say how the training was checked, e.g. observation at work, a quiz.")
    if checked_on is None:
        if result in ("pass", "fail"):
            errors["checked_on"] = _("Give the date of the check.")
    elif checked_on > today:
        errors["checked_on"] = _("The check cannot be dated in the future.")
    elif checked_on < session.held_on:
        errors["checked_on"] = _(
            "The check cannot be before the training (%(day)s).", day=format_day(session.held_on)
        )
    return errors


def set_effectiveness(
    scope: Scope,
    attendance: Attendance,
    result: str,
    check_method: str,
    checked_on: date | None,
    version: int | None,
    today: date | None = None,
) -> Attendance:
    """Record whether the training worked for one attendee; ``version`` is the attendance's as read."""
    scope.require(Action.EDIT_CONTENT)
    today = today or date.today()
    if version is not None and version != attendance.version:
        raise StaleVersion(attendance, "effectiveness check")
    errors = effectiveness_errors(attendance.session, result, check_method, checked_on, today)
    if errors:
        raise Invalid(_("The effectiveness check was not saved."), errors)
    attendance.result = result
    attendance.check_method = check_method
    attendance.checked_on = checked_on
    db.session.flush()
    return attendance
