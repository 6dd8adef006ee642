"""The audit trail: the one place that writes :class:`AuditEntry` rows.

Every flush of a session is watched (``after_flush``, when the new rows have their ids and each attribute
still holds its history): for each created, changed or deleted record of a tracked kind, one entry with all
its changed fields is written by the flush's own connection, so it commits or rolls back with the change,
whatever path made it (a form, the API, an import, a command). A record changed in two flushes of one
transaction gets two entries.

The rows a new project is set up with (its stages, verdicts and default tasks), and whatever else is done to
the project's records in the transaction that created it (the demo, the portfolio generator), are part of its
creation: the project's "created" entry stands for them.

Entries are append-only: a flush that would change or delete one, and an UPDATE or DELETE statement on their
table, is refused (:class:`TrailIsAppendOnly`). Bulk Core statements on tracked tables (the purge of deleted
records, the generator's bulk inserts) are not seen; the purge keeps its own record (data events).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import click
from sqlalchemy import Table, event, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction
from sqlalchemy.orm.util import identity_key

from app.domain.trail import Kind, TrailAction, as_text, changed_fields, short, soft_delete_action
from app.models import (
    Assessment,
    AuditEntry,
    BudgetLine,
    Certificate,
    CertificationBody,
    CertificationProject,
    Clause,
    Client,
    ControlledDocument,
    DocumentRevision,
    EffectivenessCheckRecord,
    EvidenceItem,
    Finding,
    Invitation,
    Membership,
    ProjectStage,
    Site,
    Task,
    User,
)

_PROJECTS_CREATED = "trail_projects_created"  # session.info: ids of projects created in this transaction
_PROJECT_PLACE = "trail_project_place"  # session.info: project id -> (workspace id, client id); never change
_OFF = "trail_off"

# Fields naming a related row by id, written as that row's name.
USER_FIELDS = frozenset({"reviewed_by_id", "approved_by_id"})
BODY_FIELDS = frozenset({"body_id"})
ENTRIES: Table = AuditEntry.__table__  # type: ignore[assignment]


class TrailIsAppendOnly(RuntimeError):
    """Something tried to change or delete an audit trail entry."""


@dataclass(frozen=True)
class Tracked:
    kind: Kind
    fields: tuple[str, ...]
    soft_deleted: bool = False  # has ``deleted_at``: setting it deletes, clearing it restores


TRACKED: dict[type, Tracked] = {
    CertificationProject: Tracked(Kind.PROJECT, ("status", "target_date", "body_id"), soft_deleted=True),
    Assessment: Tracked(Kind.VERDICT, ("status", "notes", "justification", "owner", "due_date")),
    ProjectStage: Tracked(
        Kind.STAGE,
        ("status", "planned_start", "planned_end", "actual_start", "actual_end", "override_reason", "notes"),
    ),
    Task: Tracked(Kind.TASK, ("title", "stage", "status", "owner", "due_date", "clause_number", "notes")),
    EvidenceItem: Tracked(
        Kind.EVIDENCE,
        ("title", "valid_until", "review_state", "reviewer_comment", "reviewed_by_id", "self_reviewed"),
        soft_deleted=True,
    ),
    ControlledDocument: Tracked(
        Kind.DOCUMENT,
        ("code", "title", "doc_type", "owner", "review_months", "status", "withdrawn_reason", "reviewed_on"),
    ),
    DocumentRevision: Tracked(
        Kind.DOCUMENT,
        ("label", "state", "change_note", "approved_by_id", "approved_on", "effective_on", "self_approved"),
    ),
    Finding: Tracked(
        Kind.FINDING,
        (
            "severity",
            "status",
            "description",
            "containment",
            "root_cause_method",
            "root_cause",
            "corrective_action",
            "action_owner",
            "action_due",
            "implemented_on",
            "effectiveness_due",
            "deadline",
            "closed_on",
        ),
    ),
    EffectivenessCheckRecord: Tracked(Kind.FINDING, ("checked_on", "checked_by", "result", "notes")),
    BudgetLine: Tracked(
        Kind.BUDGET,
        ("stage", "category", "description", "vendor", "planned", "actual", "spent_on"),
        soft_deleted=True,
    ),
    Certificate: Tracked(
        Kind.CERTIFICATE,
        (
            "number",
            "scope",
            "sector_codes",
            "original_on",
            "decision_on",
            "issued_on",
            "expires_on",
            "suspension",
            "suspension_on",
        ),
    ),
    Membership: Tracked(Kind.MEMBER, ("role", "clients")),
    Invitation: Tracked(Kind.INVITATION, ("email", "role", "expires_at", "revoked_at", "accepted_at")),
}


@dataclass(frozen=True)
class Place:
    """Where an entry belongs, and what it is about."""

    workspace_id: int
    client_id: int | None
    project_id: int | None
    object_id: int
    label: str


# Switching it off


def switched_off(session: Session) -> bool:
    return bool(session.info.get(_OFF))


def switch_off(session: Session) -> None:
    """For bulk writers that record nothing a person did (none in the app today): no entries until
    :func:`switch_on`."""
    session.info[_OFF] = True


def switch_on(session: Session) -> None:
    session.info.pop(_OFF, None)


# Listeners


@event.listens_for(Session, "before_flush")
def _refuse_changing_entries(session: Session, _context: object, _instances: object) -> None:
    for obj in session.deleted:
        if isinstance(obj, AuditEntry):
            raise TrailIsAppendOnly("Audit trail entries cannot be deleted.")
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) and session.is_modified(obj):
            raise TrailIsAppendOnly("Audit trail entries cannot be changed.")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    table = getattr(state.statement, "table", None)
    if (state.is_update or state.is_delete) and getattr(table, "name", None) == ENTRIES.name:
        raise TrailIsAppendOnly("Audit trail entries cannot be changed or deleted.")


@event.listens_for(Session, "after_transaction_end")
def _forget_new_projects(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_PROJECTS_CREATED, None)


@event.listens_for(Session, "after_flush")
def _write_entries(session: Session, _context: object) -> None:
    if session.info.get(_OFF):
        return
    created = [o for o in session.new if type(o) in TRACKED]
    changed = [o for o in session.dirty if type(o) in TRACKED]
    deleted = [o for o in session.deleted if type(o) in TRACKED]
    if not (created or changed or deleted):
        return
    new_projects = session.info.setdefault(_PROJECTS_CREATED, set())
    new_projects.update(o.id for o in created if isinstance(o, CertificationProject))
    rows = [
        *_rows(session, created, _created_changes, new_projects),
        *_rows(session, changed, _changed_changes, new_projects),
        *_rows(session, deleted, _deleted_changes, new_projects),
    ]
    if rows:
        actor_id, actor_name = _actor(session)
        for row in rows:
            row.update(actor_id=actor_id, actor_name=actor_name)
        session.connection().execute(ENTRIES.insert(), rows)


ChangesOf = Callable[[Session, Any, Tracked], tuple[TrailAction, list[tuple[str, str, str]]] | None]


def _rows(
    session: Session, objects: Iterable[Any], changes_of: ChangesOf, new_projects: set[int]
) -> list[dict[str, Any]]:
    rows = []
    for obj in objects:
        spec = TRACKED[type(obj)]
        if not isinstance(obj, CertificationProject) and _project_id(session, obj) in new_projects:
            continue  # part of setting up a project created in this transaction
        outcome = changes_of(session, obj, spec)
        if outcome is None:
            continue
        place = _place(session, obj)
        if place is None:
            continue
        action, changes = outcome
        rows.append(
            {
                "workspace_id": place.workspace_id,
                "client_id": place.client_id,
                "project_id": place.project_id,
                "kind": spec.kind.value,
                "object_id": place.object_id,
                "object_label": short(place.label, 300),
                "action": action.value,
                "changes": [list(change) for change in changes],
            }
        )
    return rows


# What changed


def _created_changes(session: Session, obj: Any, spec: Tracked) -> tuple[TrailAction, list[Any]]:
    state = inspect(obj)
    relationships = state.mapper.relationships
    values = [
        (name, None, _names(value) if name in relationships else _value(session, name, value))
        for name in spec.fields
        if (value := state.dict.get(name)) is not None
    ]
    return TrailAction.CREATED, changed_fields(values)


def _changed_changes(session: Session, obj: Any, spec: Tracked) -> tuple[TrailAction, list[Any]] | None:
    state = inspect(obj)
    modified = state.committed_state.keys()
    pairs = []
    for name in spec.fields:
        if name not in modified:
            continue
        history = state.attrs[name].history
        if not history.has_changes():
            continue
        if name in state.mapper.relationships:
            old = [*history.unchanged, *history.deleted]
            new = [*history.unchanged, *history.added]
            pairs.append((name, _names(old), _names(new)))
        else:
            old_value = history.deleted[0] if history.deleted else None
            new_value = history.added[0] if history.added else None
            pairs.append((name, _value(session, name, old_value), _value(session, name, new_value)))
    changes = changed_fields(pairs)
    action = TrailAction.CHANGED
    if spec.soft_deleted and "deleted_at" in modified:
        history = state.attrs["deleted_at"].history
        was = bool(history.deleted and history.deleted[0] is not None)
        action = soft_delete_action(was, obj.deleted_at is not None)
    if action == TrailAction.CHANGED and not changes:
        return None
    return action, changes


def _deleted_changes(session: Session, obj: Any, spec: Tracked) -> tuple[TrailAction, list[Any]]:
    return TrailAction.DELETED, []


def _names(objects: Iterable[Any] | None) -> list[str]:
    return [getattr(o, "name", str(o)) for o in objects or ()]


def _value(session: Session, name: str, value: Any) -> Any:
    """A related row's id as its name (from the session's rows, or one query)."""
    if value is None:
        return None
    if name in USER_FIELDS:
        user = session.get(User, value)
        return user.name if user is not None else value
    if name in BODY_FIELDS:
        body = session.get(CertificationBody, value)
        return body.name if body is not None else value
    return value


# Where it belongs


def _related(session: Session, obj: Any, relation: str, model: type, key: int | None) -> Any:
    loaded = inspect(obj).dict.get(relation)
    if loaded is not None:
        return loaded
    return session.get(model, key) if key is not None else None


def _project_id(session: Session, obj: Any) -> int | None:
    if isinstance(obj, DocumentRevision):
        document = _related(session, obj, "document", ControlledDocument, obj.document_id)
        return document.project_id if document is not None else None
    if isinstance(obj, EffectivenessCheckRecord):
        finding = _related(session, obj, "finding", Finding, obj.finding_id)
        return finding.project_id if finding is not None else None
    return getattr(obj, "project_id", None)


def _project_place(session: Session, project_id: int) -> tuple[int, int] | None:
    known: dict[int, tuple[int, int]] = session.info.setdefault(_PROJECT_PLACE, {})
    if project_id in known:
        return known[project_id]
    project = session.identity_map.get(identity_key(CertificationProject, project_id))
    values = project.__dict__ if project is not None else {}
    if "workspace_id" in values and "client_id" in values:
        place = (values["workspace_id"], values["client_id"])
    else:
        stmt = select(CertificationProject.workspace_id, CertificationProject.client_id).where(
            CertificationProject.id == project_id
        )
        row = session.execute(stmt).first()
        if row is None:
            return None
        place = (row[0], row[1])
    known[project_id] = place
    return place


def _in_project(session: Session, project_id: int | None, object_id: int, label: str) -> Place | None:
    if project_id is None:
        return None
    where = _project_place(session, project_id)
    if where is None:
        return None
    return Place(where[0], where[1], project_id, object_id, label)


def _place(session: Session, obj: Any) -> Place | None:
    """The workspace, client and project of ``obj``, the id its entries are filed under and its label."""
    if isinstance(obj, CertificationProject):
        return Place(obj.workspace_id, obj.client_id, obj.id, obj.id, _project_label(session, obj))
    if isinstance(obj, Certificate):
        return Place(obj.workspace_id, obj.client_id, obj.project_id, obj.id, obj.number)
    if isinstance(obj, Membership):
        user = _related(session, obj, "user", User, obj.user_id)
        label = f"{user.name} <{user.email}>" if user is not None else f"member {obj.id}"
        return Place(obj.workspace_id, None, None, obj.id, label)
    if isinstance(obj, Invitation):
        return Place(obj.workspace_id, None, None, obj.id, obj.email)
    if isinstance(obj, DocumentRevision):
        document = _related(session, obj, "document", ControlledDocument, obj.document_id)
        if document is None:
            return None
        label = f"{document.code} {document.title}, revision {obj.label}"
        return _in_project(session, document.project_id, document.id, label)
    if isinstance(obj, EffectivenessCheckRecord):
        finding = _related(session, obj, "finding", Finding, obj.finding_id)
        if finding is None:
            return None
        label = f"{_finding_label(finding)}: effectiveness check"
        return _in_project(session, finding.project_id, finding.id, label)
    return _in_project(session, obj.project_id, obj.id, _label(session, obj))


def _label(session: Session, obj: Any) -> str:
    if isinstance(obj, Assessment):
        clause = _related(session, obj, "clause", Clause, obj.clause_id)
        return f"{clause.number} {clause.title}" if clause is not None else f"requirement {obj.clause_id}"
    if isinstance(obj, ProjectStage):
        return obj.key.replace("_", " ").capitalize()
    if isinstance(obj, ControlledDocument):
        return f"{obj.code} {obj.title}"
    if isinstance(obj, Finding):
        return _finding_label(obj)
    if isinstance(obj, BudgetLine):
        return obj.description
    return str(getattr(obj, "title", "") or f"{type(obj).__name__} {obj.id}")


def _finding_label(finding: Finding) -> str:
    clause = f" {finding.clause_number}" if finding.clause_number else ""
    return f"{finding.severity.capitalize()}{clause}: {short(finding.description, 80)}"


def _project_label(session: Session, project: CertificationProject) -> str:
    values = inspect(project).dict
    if "client" in values and "site" in values:
        return f"{project.client.name}, {project.site.name}"
    stmt = select(Client.name, Site.name).join(Site, Site.client_id == Client.id)
    row = session.execute(stmt.where(Site.id == project.site_id)).first()
    return f"{row[0]}, {row[1]}" if row is not None else f"project {project.id}"


# Who


ActorSource = Callable[[Session], tuple[int | None, str] | None]
_actor_source: list[ActorSource] = []


def set_actor_source(source: ActorSource) -> None:
    """Who is acting, as the web layer knows it (the request's user), or None outside a request; services
    know nothing of requests (app.activity.actor sets it)."""
    _actor_source[:] = [source]


def _actor(session: Session) -> tuple[int | None, str]:
    """The request's user; outside a request, the command that runs (or "system")."""
    for source in _actor_source:
        found = source(session)
        if found is not None:
            return found
    context = click.get_current_context(silent=True)
    if context is not None and context.info_name:
        return None, f"flask {context.info_name}"
    return None, "system"


__all__ = [
    "TRACKED",
    "TrailIsAppendOnly",
    "as_text",
    "set_actor_source",
    "switch_off",
    "switch_on",
    "switched_off",
]
