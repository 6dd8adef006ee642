"""What a project's training matrix is made of: job roles (by name, with the trainings each requires) and
training requirements (a controlled document of the register, or a named topic with an optional refresher
interval), and the starter roles and topics of the project's standard.

Shared by the pages and the API. Raises :class:`~app.services.errors.Invalid` (per field, 422),
:class:`~app.services.errors.NotFound` (404: a requirement or document of another project) or
:class:`~app.services.errors.StaleVersion` (409) without having changed anything.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.domain import staff_list
from app.domain import training as rules
from app.domain import training_starters as starters
from app.domain.documents import DocumentStatus
from app.domain.ids import is_id_in_range
from app.domain.pathway import standard_family
from app.domain.permissions import Action
from app.domain.text import _
from app.extensions import db
from app.models import (
    CertificationProject,
    Clause,
    ControlledDocument,
    JobRole,
    Person,
    TrainingRequirement,
    TrainingSession,
)
from app.services.changes import check_version, refused_if_taken
from app.services.errors import Invalid, NotFound
from app.services.scope import Scope
from app.services.training import active_people

REQUIREMENT_NAME_MAX_LENGTH = 200
MAX_ROLE_REQUIREMENTS = 500  # far more than any role needs; keeps the query within the engines' limits


@dataclass
class RoleFields:
    name: str
    requirement_ids: list[int] = field(default_factory=list)


@dataclass
class RequirementFields:
    """A requirement as typed: a topic (``document_id`` None) or a document of the register, whose name
    defaults to "CODE title"."""

    name: str
    document_id: int | None = None
    refresher_months: int | None = None
    everyone: bool = False
    qualifies_auditor: bool = False
    clause_number: str = ""


@dataclass(frozen=True)
class StarterResult:
    topics: list[str]
    roles: list[str]


# Lookups


def roles(project: CertificationProject) -> list[JobRole]:
    """The project's job roles by name, with their requirements (2 queries)."""
    return list(
        db.session.execute(
            select(JobRole)
            .where(JobRole.project_id == project.id)
            .options(selectinload(JobRole.requirements))
            .order_by(JobRole.name, JobRole.id)
        ).scalars()
    )


def requirements(project: CertificationProject) -> list[TrainingRequirement]:
    """The project's training requirements: those for everyone first, then by name (2 queries)."""
    return list(
        db.session.execute(
            select(TrainingRequirement)
            .where(TrainingRequirement.project_id == project.id)
            .options(selectinload(TrainingRequirement.document))
            .order_by(TrainingRequirement.everyone.desc(), TrainingRequirement.name, TrainingRequirement.id)
        ).scalars()
    )


def role_in(project: CertificationProject, role_id: int) -> JobRole:
    if not is_id_in_range(role_id):
        raise NotFound()
    role = db.session.execute(
        select(JobRole)
        .where(JobRole.id == role_id, JobRole.project_id == project.id)
        .options(selectinload(JobRole.requirements))
    ).scalar_one_or_none()
    if role is None:
        raise NotFound()
    return role


def requirement_in(project: CertificationProject, requirement_id: int) -> TrainingRequirement:
    if not is_id_in_range(requirement_id):
        raise NotFound()
    requirement = db.session.get(TrainingRequirement, requirement_id)
    if requirement is None or requirement.project_id != project.id:
        raise NotFound()
    return requirement


def document_choices(project: CertificationProject, keep: int | None = None) -> list[ControlledDocument]:
    """The project's active register documents by code, for a requirement's document select (and
    ``keep``, the document a requirement already names, even withdrawn)."""
    shown = ControlledDocument.status == DocumentStatus.ACTIVE
    if keep is not None:
        shown = or_(shown, ControlledDocument.id == keep)
    return list(
        db.session.execute(
            select(ControlledDocument)
            .where(ControlledDocument.project_id == project.id, shown)
            .order_by(ControlledDocument.code)
        ).scalars()
    )


def people_per_role(project: CertificationProject, today: date) -> dict[str, int]:
    """How many active people of the site have each job role (by folded name), for the roles page."""
    rows = db.session.execute(
        select(Person.job_role, func.count(Person.id))
        .where(active_people(project.site_id, today))
        .group_by(Person.job_role)
    ).all()
    out: dict[str, int] = {}
    for role, count in rows:
        out[staff_list.name_key(role)] = out.get(staff_list.name_key(role), 0) + count
    return out


def sessions_per_requirement(project: CertificationProject) -> dict[int, int]:
    rows = db.session.execute(
        select(TrainingSession.requirement_id, func.count(TrainingSession.id))
        .where(TrainingSession.project_id == project.id)
        .group_by(TrainingSession.requirement_id)
    ).all()
    return {row[0]: row[1] for row in rows}


def _unique(field_name: str, message: str, not_saved: str) -> AbstractContextManager[None]:
    return refused_if_taken(not_saved, field_name, message)


def _role_not_saved() -> str:
    return _("The job role was not saved.")


def _requirement_not_saved() -> str:
    return _("The training requirement was not saved.")


# Job roles


def _name_taken(
    model: type[JobRole] | type[TrainingRequirement], project_id: int, name: str, other_than: int | None
) -> bool:
    names = db.session.execute(select(model.id, model.name).where(model.project_id == project_id)).all()
    return any(staff_list.name_key(n) == staff_list.name_key(name) and i != other_than for i, n in names)


def _role_requirements(project: CertificationProject, ids: list[int]) -> list[TrainingRequirement]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    if len(wanted) > MAX_ROLE_REQUIREMENTS:
        raise Invalid(
            _role_not_saved(),
            {
                "requirement_ids": _(
                    "Tick at most %(limit)d trainings for one role.", limit=MAX_ROLE_REQUIREMENTS
                )
            },
        )
    if not all(is_id_in_range(i) for i in wanted):
        raise NotFound()
    found = list(
        db.session.execute(
            select(TrainingRequirement).where(
                TrainingRequirement.id.in_(wanted), TrainingRequirement.project_id == project.id
            )
        ).scalars()
    )
    if len(found) != len(wanted):
        raise NotFound()
    return found


def _checked_role(
    project: CertificationProject, fields: RoleFields, other_than: int | None = None
) -> list[TrainingRequirement]:
    fields.name = " ".join(fields.name.split())
    needed = _role_requirements(project, fields.requirement_ids)
    if not fields.name:
        raise Invalid(_role_not_saved(), {"name": _("Give the job role a name.")})
    if len(fields.name) > staff_list.NAME_MAX_LENGTH:
        raise Invalid(
            _role_not_saved(),
            {"name": _("Use at most %(limit)d characters.", limit=staff_list.NAME_MAX_LENGTH)},
        )
    if _name_taken(JobRole, project.id, fields.name, other_than):
        raise Invalid(_role_not_saved(), {"name": _role_taken(fields.name)})
    return needed


def _role_taken(name: str) -> str:
    return _("This project already has a job role “%(name)s”.", name=name)


def create_role(scope: Scope, project: CertificationProject, fields: RoleFields) -> JobRole:
    scope.require(Action.EDIT_CONTENT)
    needed = _checked_role(project, fields)
    role = JobRole(project_id=project.id, name=fields.name, requirements=needed)
    with _unique("name", _role_taken(fields.name), _role_not_saved()):
        db.session.add(role)
    return role


def update_role(
    scope: Scope, project: CertificationProject, role: JobRole, fields: RoleFields, version: int | None
) -> JobRole:
    """Save a role; renamed, the people of the site who had its old name get the new one (people are
    matched to roles by name)."""
    scope.require(Action.EDIT_CONTENT)
    check_version(role, version, "job role")
    needed = _checked_role(project, fields, role.id)
    old = staff_list.name_key(role.name)
    if old != staff_list.name_key(fields.name):
        for person in db.session.execute(select(Person).where(Person.site_id == project.site_id)).scalars():
            if staff_list.name_key(person.job_role) == old:
                person.job_role = fields.name
    with _unique("name", _role_taken(fields.name), _role_not_saved()):
        role.name = fields.name
        role.requirements = needed
    return role


# Training requirements


def _document(project: CertificationProject, document_id: int) -> ControlledDocument:
    document = db.session.get(ControlledDocument, document_id) if is_id_in_range(document_id) else None
    if document is None or document.project_id != project.id:
        raise NotFound()
    return document


def _clause_error(project: CertificationProject, number: str) -> str | None:
    if not number:
        return None
    found = db.session.execute(
        select(Clause.id).where(Clause.standard_id == project.standard_id, Clause.number == number)
    ).scalar_one_or_none()
    if found is not None:
        return None
    return _("%(standard)s has no clause %(number)s.", standard=project.standard.name, number=number[:20])


def _requirement_errors(
    project: CertificationProject,
    fields: RequirementFields,
    document: ControlledDocument | None,
    current: TrainingRequirement | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if document is not None:
        if document.status != DocumentStatus.ACTIVE and (
            current is None or current.document_id != document.id
        ):
            errors["document_id"] = _("%(code)s is withdrawn: choose a document in use.", code=document.code)
        elif _document_taken(project, document.id, current.id if current else None):
            errors["document_id"] = _("%(code)s is already a training requirement.", code=document.code)
        if fields.refresher_months is not None:
            errors["refresher_months"] = _(
                "People are retrained on a document when a new revision is approved: leave this empty."
            )
    if not fields.name:
        errors["name"] = _("Give the training a name, e.g. “Forklift licence”.")
    elif len(fields.name) > REQUIREMENT_NAME_MAX_LENGTH:
        errors["name"] = _("Use at most %(limit)d characters.", limit=REQUIREMENT_NAME_MAX_LENGTH)
    elif _name_taken(TrainingRequirement, project.id, fields.name, current.id if current else None):
        errors["name"] = _requirement_taken(fields.name)
    if fields.refresher_months is not None and fields.refresher_months not in rules.REFRESHER_MONTHS:
        errors["refresher_months"] = _(
            "Give the refresher interval in months, from %(least)d to %(most)d, or leave it empty.",
            least=rules.REFRESHER_MONTHS.start,
            most=rules.REFRESHER_MONTHS.stop - 1,
        )
    if problem := _clause_error(project, fields.clause_number):
        errors["clause_number"] = problem
    return errors


def _requirement_taken(name: str) -> str:
    return _("This project already has a training requirement “%(name)s”.", name=name)


def _document_taken(project: CertificationProject, document_id: int, other_than: int | None) -> bool:
    stmt = select(TrainingRequirement.id).where(
        TrainingRequirement.project_id == project.id, TrainingRequirement.document_id == document_id
    )
    if other_than is not None:
        stmt = stmt.where(TrainingRequirement.id != other_than)
    return db.session.execute(stmt.limit(1)).first() is not None


def _checked_requirement(
    project: CertificationProject, fields: RequirementFields, current: TrainingRequirement | None = None
) -> ControlledDocument | None:
    document = _document(project, fields.document_id) if fields.document_id is not None else None
    fields.name = " ".join(fields.name.split())
    fields.clause_number = fields.clause_number.strip()
    if document is not None and not fields.name:
        fields.name = f"{document.code} {document.title}"[:REQUIREMENT_NAME_MAX_LENGTH]
    errors = _requirement_errors(project, fields, document, current)
    if errors:
        raise Invalid(_requirement_not_saved(), errors)
    return document


def _apply(
    requirement: TrainingRequirement, fields: RequirementFields, document: ControlledDocument | None
) -> None:
    requirement.name = fields.name
    requirement.document_id = document.id if document else None
    requirement.refresher_months = fields.refresher_months
    requirement.everyone = fields.everyone
    requirement.qualifies_auditor = fields.qualifies_auditor
    requirement.clause_number = fields.clause_number or None


def create_requirement(
    scope: Scope, project: CertificationProject, fields: RequirementFields
) -> TrainingRequirement:
    scope.require(Action.EDIT_CONTENT)
    document = _checked_requirement(project, fields)
    requirement = TrainingRequirement(project_id=project.id)
    _apply(requirement, fields, document)
    with _unique("name", _requirement_taken(fields.name), _requirement_not_saved()):
        db.session.add(requirement)
    return requirement


def update_requirement(
    scope: Scope,
    project: CertificationProject,
    requirement: TrainingRequirement,
    fields: RequirementFields,
    version: int | None,
) -> TrainingRequirement:
    scope.require(Action.EDIT_CONTENT)
    check_version(requirement, version, "training requirement")
    document = _checked_requirement(project, fields, requirement)
    with _unique("name", _requirement_taken(fields.name), _requirement_not_saved()):
        _apply(requirement, fields, document)
    return requirement


def requirement_form_data(requirement: TrainingRequirement) -> dict[str, object]:
    return {
        "name": requirement.name,
        "document_id": str(requirement.document_id) if requirement.document_id else "",
        "refresher_months": requirement.refresher_months,
        "everyone": requirement.everyone,
        "qualifies_auditor": requirement.qualifies_auditor,
        "clause_number": requirement.clause_number or "",
        "version": requirement.version,
    }


# The starter


def starter_to_add(project: CertificationProject) -> starters.Starter:
    """What the standard's starter would still add to this project."""
    starter = starters.starter_for(standard_family(project.standard.code))
    return starters.to_add(starter, [r.name for r in requirements(project)], [r.name for r in roles(project)])


def add_starter(scope: Scope, project: CertificationProject) -> StarterResult:
    """Add the starter's topics and roles the project does not have yet (by name); a new role requires
    its topics, the project's own requirement of that name when it already had one. The names are saved in
    the language of the person who adds them (English, or their translation)."""
    scope.require(Action.EDIT_CONTENT)
    missing = starter_to_add(project)
    by_name = {staff_list.name_key(r.name): r for r in requirements(project)}
    for topic in missing.topics:
        requirement = TrainingRequirement(
            project_id=project.id,
            name=str(topic.name),
            clause_number=topic.clause_number,
            refresher_months=topic.refresher_months,
            everyone=topic.everyone,
            qualifies_auditor=topic.qualifies_auditor,
        )
        db.session.add(requirement)
        by_name[staff_list.name_key(topic.name)] = requirement
    for starter_role in missing.roles:
        needed = [_named(by_name, n) for n in starter_role.topics if starters.is_named(n, by_name)]
        db.session.add(JobRole(project_id=project.id, name=str(starter_role.name), requirements=needed))
    db.session.flush()
    return StarterResult([str(t.name) for t in missing.topics], [str(r.name) for r in missing.roles])


def _named(by_name: dict[str, TrainingRequirement], name: str) -> TrainingRequirement:
    """The requirement of a starter topic's name, in English or in the reader's language."""
    return by_name.get(staff_list.name_key(name)) or by_name[staff_list.name_key(str(name))]
