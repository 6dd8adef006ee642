"""The people of a project's site: adding and editing a person, marking them as left (and back), and
importing the factory's staff list from CSV (the list itself, and its export: :mod:`app.services.staff_list`).

People belong to the *site* (``Person.site_id``), so the projects of one site share them; a person id of
another site is not found. Job roles are the project's (``JobRole`` names): a person's role is a name, which
must be one of them (or the role they already have, given by another project of the site). The rules (names,
dates, the CSV) are :mod:`app.domain.training`'s; this module loads plain values for them and changes the
session, raising :class:`~app.services.errors.Invalid` per field (422) or
:class:`~app.services.errors.StaleVersion` (409) without having changed anything.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.domain import staff_list
from app.domain.ids import is_id_in_range
from app.domain.permissions import Action
from app.domain.text import _
from app.extensions import db
from app.models import CertificationProject, JobRole, Membership, Person, User
from app.services.changes import check_version, refused_if_taken
from app.services.errors import Invalid, NotFound
from app.services.scope import Scope


@dataclass
class PersonFields:
    """What a user types for a person; ``user_id`` links a user account of the workspace (None: none)."""

    name: str
    job_role: str = ""
    department: str = ""
    started_on: date | None = None
    user_id: int | None = None


# Lookups


def person_in(project: CertificationProject, person_id: int) -> Person:
    """A person of the project's site, or 404 (the project itself is already the caller's)."""
    person = (
        db.session.execute(
            select(Person).where(Person.id == person_id, Person.site_id == project.site_id)
        ).scalar_one_or_none()
        if is_id_in_range(person_id)
        else None
    )
    if person is None:
        raise NotFound()
    return person


def role_names(project: CertificationProject) -> list[str]:
    """The project's job role names, alphabetically."""
    return list(
        db.session.execute(
            select(JobRole.name).where(JobRole.project_id == project.id).order_by(JobRole.name)
        ).scalars()
    )


def account_choices(scope: Scope) -> list[tuple[int, str]]:
    """(user id, "name <email>") of every member of the workspace, the accounts a person may be linked to."""
    rows = db.session.execute(
        select(User.id, User.name, User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == scope.workspace_id)
        .order_by(User.name, User.email)
    ).all()
    return [(user_id, f"{name} <{email}>") for user_id, name, email in rows]


# Adding and editing


def _field_errors(
    scope: Scope,
    project: CertificationProject,
    fields: PersonFields,
    today: date,
    person: Person | None = None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if problem := staff_list.name_error(fields.name):
        errors["name"] = problem
    elif _name_taken(project, fields.name, person):
        errors["name"] = _name_message(fields.name)
    kept = person.job_role if person is not None else None
    if fields.job_role and fields.job_role != kept and fields.job_role not in role_names(project):
        errors["job_role"] = _("Choose one of the project's job roles (or none).")
    if len(fields.department) > staff_list.TEXT_MAX_LENGTH:
        errors["department"] = _("Use at most %(limit)d characters.", limit=staff_list.TEXT_MAX_LENGTH)
    if problem := staff_list.start_date_error(fields.started_on, today):
        errors["started_on"] = problem
    elif person is not None and person.left_on and fields.started_on and fields.started_on > person.left_on:
        errors["started_on"] = _(
            "They left on %(day)s: they cannot start after it.", day=person.left_on.isoformat()
        )
    if problem := _account_error(scope, project, fields.user_id, person):
        errors["user_id"] = problem
    return errors


def _name_taken(project: CertificationProject, name: str, person: Person | None) -> bool:
    stmt = select(Person.id).where(
        Person.site_id == project.site_id, Person.name_key == staff_list.name_key(name)
    )
    if person is not None:
        stmt = stmt.where(Person.id != person.id)
    return db.session.execute(stmt.limit(1)).first() is not None


def _name_message(name: str) -> str:
    return _(
        "%(name)s is already on the staff list of this site. Two people with the same name: add what "
        "tells them apart (a middle name, an employee number).",
        name=name,
    )


def _account_error(
    scope: Scope, project: CertificationProject, user_id: int | None, person: Person | None
) -> str | None:
    """Only a member of this workspace may be linked, and to one person of the site at most."""
    if user_id is None:
        return None
    member = (
        is_id_in_range(user_id)
        and db.session.execute(
            select(Membership.id).where(
                Membership.workspace_id == scope.workspace_id, Membership.user_id == user_id
            )
        ).first()
    )
    if not member:
        return _("Choose a member of this workspace (or no account).")
    stmt = select(Person.name).where(Person.site_id == project.site_id, Person.user_id == user_id)
    if person is not None:
        stmt = stmt.where(Person.id != person.id)
    other = db.session.execute(stmt.limit(1)).scalar_one_or_none()
    return _("This account is already linked to %(name)s.", name=other) if other else None


def _unique_name(name: str) -> AbstractContextManager[None]:
    return refused_if_taken(_("The person was not saved."), "name", _name_message(name))


def create_person(scope: Scope, project: CertificationProject, fields: PersonFields, today: date) -> Person:
    scope.require(Action.EDIT_CONTENT)
    errors = _field_errors(scope, project, fields, today)
    if errors:
        raise Invalid(_("The person was not saved."), errors)
    person = Person(site_id=project.site_id, **_values(fields))
    with _unique_name(fields.name):
        db.session.add(person)
    return person


def update_person(
    scope: Scope,
    project: CertificationProject,
    person: Person,
    fields: PersonFields,
    today: date,
    version: int | None = None,
) -> None:
    scope.require(Action.EDIT_CONTENT)
    check_version(person, version)
    errors = _field_errors(scope, project, fields, today, person)
    if errors:
        raise Invalid(_("The person was not saved."), errors)
    with _unique_name(fields.name):
        for name, value in _values(fields).items():
            setattr(person, name, value)


def _values(fields: PersonFields) -> dict[str, Any]:
    return {
        "name": fields.name,
        "name_key": staff_list.name_key(fields.name),
        "job_role": fields.job_role,
        "department": fields.department,
        "started_on": fields.started_on,
        "user_id": fields.user_id,
    }


def fields_of(person: Person) -> dict[str, Any]:
    """A saved person as the edit form shows it."""
    return {
        "name": person.name,
        "job_role": person.job_role,
        "department": person.department,
        "started_on": person.started_on,
        "user_id": str(person.user_id) if person.user_id else "",
    }


def mark_left(
    scope: Scope, person: Person, left_on: date | None, today: date, version: int | None = None
) -> None:
    """Record the day they leave (or left); they drop off the matrix from that day."""
    scope.require(Action.EDIT_CONTENT)
    check_version(person, version)
    if problem := staff_list.left_date_error(left_on, person.started_on, today):
        raise Invalid(_("The leaving day was not saved."), {"left_on": problem})
    person.left_on = left_on
    db.session.flush()


def mark_back(scope: Scope, person: Person, version: int | None = None) -> None:
    """They work here again (or the leaving day was a mistake)."""
    scope.require(Action.EDIT_CONTENT)
    check_version(person, version)
    person.left_on = None
    db.session.flush()


# Importing the staff list


def read_import(project: CertificationProject, data: bytes, today: date) -> staff_list.StaffList:
    """The file read against the project's job roles and the site's staff list; nothing is saved."""
    existing = db.session.execute(select(Person.name).where(Person.site_id == project.site_id)).scalars()
    return staff_list.read_staff_csv(data, role_names(project), existing, today)


def import_people(
    scope: Scope, project: CertificationProject, data: bytes, today: date
) -> tuple[staff_list.StaffList, list[Person]]:
    """Read the file again and add its clean rows (problems and duplicates are left out): what it read
    and who was added. Importing the same file twice adds nobody the second time."""
    scope.require(Action.EDIT_CONTENT)
    staff = read_import(project, data, today)
    if staff.error:
        raise Invalid(str(staff.error), {"csv_text": str(staff.error)})
    people = [
        Person(
            site_id=project.site_id,
            name=row.name,
            name_key=staff_list.name_key(row.name),
            job_role=row.job_role,
            department=row.department,
            started_on=row.started_on,
        )
        for row in staff.clean_rows
    ]
    try:
        with db.session.begin_nested():
            db.session.add_all(people)
            db.session.flush()
    except IntegrityError as exc:
        message = _("Someone added people to the staff list meanwhile: upload the file again to see who.")
        raise Invalid(message, {"csv_text": message}) from exc
    return staff, people
