"""Deleted items: what an owner can still restore (deleted in the last 30 days), and restoring it.

A group is what one deletion took: a client with the sites and projects deleted at its exact moment, a
site with its projects, a project, or a budget line. Restoring the group brings back exactly those rows;
a site or project deleted earlier on its own stays deleted (it is its own group). A group whose parent is
still deleted cannot come back before the parent does.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app.domain.permissions import Action
from app.domain.retention import RESTORE_DAYS, days_left, is_restorable, purge_cutoff
from app.domain.text import _, _l
from app.extensions import db
from app.models import BudgetLine, CertificationProject, Client, Site, Standard, User
from app.models.base import utcnow
from app.services import data_events
from app.services.deletion import project_label
from app.services.errors import Conflict, NotFound
from app.services.scope import Scope, get_or_404_in, scoped

KINDS = ("client", "site", "project", "budget_line")
MODELS: dict[str, Any] = {
    "client": Client,
    "site": Site,
    "project": CertificationProject,
    "budget_line": BudgetLine,
}
KIND_LABELS = {
    "client": _l("Client"),
    "site": _l("Site"),
    "project": _l("Project"),
    "budget_line": _l("Budget line"),
}
NOT_DELETED = {
    "client": _l("This client is not deleted."),
    "site": _l("This site is not deleted."),
    "project": _l("This project is not deleted."),
    "budget_line": _l("This budget line is not deleted."),
}
TOO_OLD = {
    "client": _l("This client was deleted more than %(days)d days ago: it can no longer be restored."),
    "site": _l("This site was deleted more than %(days)d days ago: it can no longer be restored."),
    "project": _l("This project was deleted more than %(days)d days ago: it can no longer be restored."),
    "budget_line": _l(
        "This budget line was deleted more than %(days)d days ago: it can no longer be restored."
    ),
}


@dataclass(frozen=True)
class DeletedGroup:
    kind: str
    id: int
    label: str
    deleted_at: datetime
    deleted_by: str | None
    days_left: int
    sites: int = 0  # deleted with it
    projects: int = 0
    waits_for: str | None = None  # the parent to restore first, if it is deleted too

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def _deleted_since(scope: Scope, model: Any, since: datetime) -> Any:
    stmt = select(model, User.name).outerjoin(User, User.id == model.deleted_by_id)
    return scoped(scope, stmt, model, deleted=True).where(model.deleted_at >= since)


def _same_moment(parent: Any, child_time: Any) -> Any:
    return or_(parent.deleted_at.is_(None), parent.deleted_at != child_time)


def _group_sizes(model: Any, parent_column: Any, ids: list[int]) -> Counter[tuple[int, Any]]:
    """(parent id, deletion time) -> rows of ``model`` deleted then (one query)."""
    if not ids:
        return Counter()
    rows = db.session.execute(
        select(parent_column, model.deleted_at, func.count(model.id))
        .where(parent_column.in_(ids), model.deleted_at.is_not(None))
        .group_by(parent_column, model.deleted_at)
    ).all()
    return Counter({(parent_id, when): count for parent_id, when, count in rows})


def deleted_groups(scope: Scope, now: datetime | None = None) -> list[DeletedGroup]:
    """Every group deleted in the last 30 days, newest first (a fixed number of queries)."""
    scope.require(Action.MANAGE_WORKSPACE)
    now = now or utcnow()
    since = purge_cutoff(now, RESTORE_DAYS)
    groups: list[DeletedGroup] = []

    def add(kind: str, row: Any, by: str | None, label: str, **extra: Any) -> None:
        left = days_left(row.deleted_at, now)
        groups.append(DeletedGroup(kind, row.id, label, row.deleted_at, by, left, **extra))

    clients = db.session.execute(_deleted_since(scope, Client, since)).all()
    ids = [client.id for client, _ in clients]
    sites_with = _group_sizes(Site, Site.client_id, ids)
    projects_with = _group_sizes(CertificationProject, CertificationProject.client_id, ids)
    for client, by in clients:
        key = (client.id, client.deleted_at)
        add("client", client, by, client.name, sites=sites_with[key], projects=projects_with[key])

    site_stmt = _deleted_since(scope, Site, since).join(Client, Client.id == Site.client_id)
    sites = db.session.execute(
        site_stmt.where(_same_moment(Client, Site.deleted_at)).options(joinedload(Site.client))
    ).all()
    projects_with = _group_sizes(CertificationProject, CertificationProject.site_id, [s.id for s, _ in sites])
    for site, by in sites:
        waits = site.client.name if site.client.deleted_at else None
        label = f"{site.name} ({site.client.name})"
        add("site", site, by, label, projects=projects_with[(site.id, site.deleted_at)], waits_for=waits)

    project_stmt = _deleted_since(scope, CertificationProject, since).join(
        Site, Site.id == CertificationProject.site_id
    )
    projects = db.session.execute(
        project_stmt.where(_same_moment(Site, CertificationProject.deleted_at)).options(
            joinedload(CertificationProject.site),
            joinedload(CertificationProject.client),
            joinedload(CertificationProject.standard),
        )
    ).all()
    for project, by in projects:
        waits = project.site.name if project.site.deleted_at else None
        add("project", project, by, project_label(project), waits_for=waits)

    lines = db.session.execute(_deleted_since(scope, BudgetLine, since)).all()
    owners = _projects_by_id({line.project_id for line, _ in lines})
    for line, by in lines:
        add(
            "budget_line",
            line,
            by,
            _(
                "%(line)s, budget of %(project)s",
                line=line.description,
                project=project_label(owners[line.project_id]),
            ),
        )
    return sorted(groups, key=lambda group: (group.deleted_at, group.id), reverse=True)


def _projects_by_id(ids: set[int]) -> dict[int, CertificationProject]:
    if not ids:
        return {}
    stmt = (
        select(CertificationProject)
        .where(CertificationProject.id.in_(ids))
        .options(
            joinedload(CertificationProject.site),
            joinedload(CertificationProject.client),
            joinedload(CertificationProject.standard),
        )
    )
    return {project.id: project for project in db.session.execute(stmt).scalars()}


def _deleted_row(scope: Scope, kind: str, object_id: int, now: datetime) -> Any:
    """The deleted row, still restorable. Looked up before the role is checked, so an id the caller
    cannot see is a 404 whatever their role; a live row is a conflict."""
    model = MODELS[kind]
    try:
        row = get_or_404_in(scope, model, object_id, deleted=True)
    except NotFound:
        get_or_404_in(scope, model, object_id)  # NotFound unless it exists, live
        scope.require(Action.MANAGE_WORKSPACE)
        raise Conflict(str(NOT_DELETED[kind])) from None
    scope.require(Action.MANAGE_WORKSPACE)
    if not is_restorable(row.deleted_at, now):
        raise NotFound(TOO_OLD[kind] % {"days": RESTORE_DAYS})
    return row


def _deleted_with(model: Any, parent_column: Any, parent: Any) -> list[Any]:
    stmt = select(model).where(parent_column == parent.id, model.deleted_at == parent.deleted_at)
    return list(db.session.execute(stmt).scalars())


def _undelete(rows: list[Any]) -> None:
    for row in rows:
        row.deleted_at = None
        row.deleted_by_id = None


def _check_no_twin(project: CertificationProject) -> None:
    """A site has one project per standard: a new one started since the deletion blocks the restore."""
    twin = db.session.execute(
        select(CertificationProject.id)
        .join(Standard, Standard.id == CertificationProject.standard_id)
        .where(
            CertificationProject.site_id == project.site_id,
            CertificationProject.deleted_at.is_(None),
            CertificationProject.id != project.id,
            Standard.code == project.standard.code,
        )
    ).first()
    if twin is not None:
        raise Conflict(
            _(
                "%(site)s has had a new %(standard)s project since: not restored.",
                site=project.site.name,
                standard=project.standard.name,
            )
        )


def restore(scope: Scope, kind: str, object_id: int, now: datetime | None = None) -> str:
    """Restore one deleted group (owners only); returns what came back, for the message."""
    if kind not in MODELS:
        raise NotFound()
    row = _deleted_row(scope, kind, object_id, now or utcnow())
    group = [row]
    if kind == "client":
        group += _deleted_with(Site, Site.client_id, row) + _deleted_with(
            CertificationProject, CertificationProject.client_id, row
        )
        label = row.name
    elif kind == "site":
        if row.client.deleted_at is not None:
            raise Conflict(_("Restore its client %(name)s first.", name=row.client.name))
        group += _deleted_with(CertificationProject, CertificationProject.site_id, row)
        label = row.name
    elif kind == "project":
        if row.site.deleted_at is not None:
            raise Conflict(_("Restore its site %(name)s first.", name=row.site.name))
        _check_no_twin(row)
        label = project_label(row)
    else:
        label = row.description
    for member in group[1:]:
        if isinstance(member, CertificationProject):
            _check_no_twin(member)
    _undelete(group)
    detail = f"{label}" + (f", with {len(group) - 1} more" if len(group) > 1 else "")
    data_events.record("restored", kind, row.id, scope.workspace_id, scope.user_id, detail)
    return label
