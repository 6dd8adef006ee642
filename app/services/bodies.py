"""A workspace's certification bodies, reused across its projects: listed, read, added and edited on the
version read. Shared by the pages and the API; the rules are :mod:`app.domain.certification_bodies`.

Every member of the workspace reads its bodies. A client manager, who sees only some clients, reads the
bodies chosen or quoted for their clients' projects and those no project uses yet; a body used only by the
other clients' projects is theirs, and not found. Changing a body needs MANAGE_PROJECTS and, for a client
manager, that no project of another client uses it.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, not_, or_, select
from sqlalchemy.orm import joinedload

from app.domain import certification_bodies as rules
from app.domain.certification import accreditation_warning
from app.domain.evidence_rules import link_error
from app.domain.ids import is_id_in_range
from app.domain.permissions import Action
from app.domain.text import _
from app.extensions import db
from app.models import CertificationBody, CertificationProject, Quote
from app.services.changes import refused_if_taken
from app.services.errors import Invalid, NotFound, Refused, StaleVersion
from app.services.scope import Scope, scoped

NOT_SAVED = "The certification body was not saved."
NAME_TAKEN = "Another certification body of this workspace already has this name."
USED_BY_OTHERS = (
    "This certification body is also chosen or quoted for projects of clients you do not manage: ask an "
    "owner or a consultant to change it."
)


@dataclass
class BodyFields:
    """What a user types for a certification body (text trimmed; the accreditation body as chosen or
    typed, the sector codes as typed)."""

    name: str
    accreditation_body: str = ""
    accreditation_number: str = ""
    sector_codes: str = ""
    contact_name: str = ""
    contact_email: str = ""
    website: str = ""
    major_deadline_days: int | None = 90
    notes: str = ""


BODY_FIELDS = tuple(BodyFields.__dataclass_fields__)


def fields_of(body: CertificationBody) -> BodyFields:
    return BodyFields(**{name: getattr(body, name) for name in BODY_FIELDS})


# Who reads which bodies


def _project_clients(body_column: Any) -> Select[Any]:
    return select(CertificationProject.client_id).where(
        body_column, CertificationProject.deleted_at.is_(None)
    )


def _users(client_ids: frozenset[int] | None = None, mine: bool = True) -> ColumnElement[bool]:
    """Some live project chooses or is quoted the body (of ``client_ids``, or of other clients when
    ``mine`` is False; of any client when ``client_ids`` is None)."""
    chosen = _project_clients(CertificationProject.body_id == CertificationBody.id)
    quoted = _project_clients(Quote.body_id == CertificationBody.id).join(
        Quote, Quote.project_id == CertificationProject.id
    )
    if client_ids is not None:
        among = CertificationProject.client_id.in_(client_ids)
        chosen, quoted = (stmt.where(among if mine else not_(among)) for stmt in (chosen, quoted))
    return or_(exists(chosen), exists(quoted))


def visible(scope: Scope, stmt: Select[Any]) -> Select[Any]:
    """``stmt`` (over CertificationBody) limited to the bodies ``scope`` reads."""
    if scope.client_ids is None:
        return scoped(scope, stmt, CertificationBody)
    return stmt.where(
        CertificationBody.workspace_id == scope.workspace_id,
        or_(not_(_users()), _users(scope.client_ids)),
    )


def body_in(scope: Scope, body_id: int) -> CertificationBody:
    """A body the scope reads, or NotFound (another workspace's, or only other clients')."""
    if not is_id_in_range(body_id):
        raise NotFound()
    stmt = visible(scope, select(CertificationBody).where(CertificationBody.id == body_id))
    body: CertificationBody | None = db.session.execute(stmt).scalar_one_or_none()
    if body is None:
        raise NotFound(_("No such certification body."))
    return body


def bodies_of(scope: Scope) -> list[CertificationBody]:
    """The bodies the scope reads, by name."""
    stmt = visible(scope, select(CertificationBody)).order_by(CertificationBody.name, CertificationBody.id)
    return list(db.session.execute(stmt).scalars())


def may_change(scope: Scope, body: CertificationBody | None = None) -> bool:
    """Whether the scope may add a body (``body`` None) or change ``body``."""
    if not scope.can(Action.MANAGE_PROJECTS):
        return False
    if body is None or scope.client_ids is None:
        return True
    stmt = select(CertificationBody.id).where(
        CertificationBody.id == body.id, _users(scope.client_ids, mine=False)
    )
    return db.session.execute(stmt).first() is None


def _require_change(scope: Scope, body: CertificationBody | None) -> None:
    scope.require(Action.MANAGE_PROJECTS)
    if not may_change(scope, body):
        raise Refused(USED_BY_OTHERS)


# What pages show


@dataclass(frozen=True)
class BodyView:
    body: CertificationBody
    accreditation: str  # the signatory's label, or the name as typed
    warning: str | None  # accreditation_warning
    sector_codes: str
    website_link: str | None  # the website when it is an http(s) address, to link to
    projects: int  # live projects that chose it (those the scope sees)


def warning_of(body: CertificationBody | None) -> str | None:
    """The accreditation warning every page showing ``body`` shows (None for no body)."""
    return accreditation_warning(body.accreditation_body) if body is not None else None


def view_of(body: CertificationBody, projects: int = 0) -> BodyView:
    return BodyView(
        body=body,
        accreditation=rules.accreditation_label(body.accreditation_body),
        warning=warning_of(body),
        sector_codes=body.sector_codes,
        website_link=body.website if body.website and link_error(body.website) is None else None,
        projects=projects,
    )


def body_views(scope: Scope) -> list[BodyView]:
    """The list page: every body the scope reads with its number of projects, in two queries."""
    bodies = bodies_of(scope)
    stmt: Any = select(CertificationProject.body_id, func.count(CertificationProject.id))
    rows = db.session.execute(
        scoped(scope, stmt, CertificationProject)
        .where(CertificationProject.body_id.in_([b.id for b in bodies]))
        .group_by(CertificationProject.body_id)
    ).all()
    counts: dict[int, int] = {row[0]: row[1] for row in rows}
    return [view_of(body, counts.get(body.id, 0)) for body in bodies]


def projects_choosing(scope: Scope, body: CertificationBody) -> list[CertificationProject]:
    """The live projects the scope sees that chose ``body``."""
    stmt = (
        scoped(scope, select(CertificationProject), CertificationProject)
        .where(CertificationProject.body_id == body.id)
        .options(
            joinedload(CertificationProject.client),
            joinedload(CertificationProject.site),
            joinedload(CertificationProject.standard),
        )
    )
    return list(db.session.execute(stmt.order_by(CertificationProject.id)).scalars())


# Changes


def _name_taken(workspace_id: int, name: str, exclude_id: int | None) -> bool:
    stmt = select(CertificationBody.name).where(CertificationBody.workspace_id == workspace_id)
    if exclude_id is not None:
        stmt = stmt.where(CertificationBody.id != exclude_id)
    return name.casefold() in {taken.casefold() for taken in db.session.execute(stmt).scalars()}


def _checked(scope: Scope, fields: BodyFields, exclude_id: int | None = None) -> dict[str, Any]:
    values: Mapping[str, Any] = asdict(fields)
    errors = rules.body_errors(values)
    if "name" not in errors and _name_taken(scope.workspace_id, fields.name, exclude_id):
        errors["name"] = NAME_TAKEN
    if errors:
        raise Invalid(NOT_SAVED, errors)
    return rules.cleaned_body(values)


def _unique_name() -> AbstractContextManager[None]:
    return refused_if_taken(NOT_SAVED, "name", NAME_TAKEN)


def create_body(scope: Scope, fields: BodyFields) -> CertificationBody:
    _require_change(scope, None)
    values = _checked(scope, fields)
    body = CertificationBody(workspace_id=scope.workspace_id, **values)
    with _unique_name():
        db.session.add(body)
    return body


def update_body(
    scope: Scope, body: CertificationBody, fields: BodyFields, version: int | None = None
) -> None:
    """Change a body from the copy read at ``version`` (None: no check, the API's If-Match is checked
    by its view)."""
    _require_change(scope, body)
    if version is not None and version != body.version:
        raise StaleVersion(body, "certification body")
    values = _checked(scope, fields, exclude_id=body.id)
    with _unique_name():
        for name, value in values.items():
            if getattr(body, name) != value:
                setattr(body, name, value)
