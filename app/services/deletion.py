"""Deleting a client, site, project or budget line: soft, so an owner can restore it for 30 days.

A deleted row keeps its data and gets ``deleted_at``/``deleted_by_id``; from then on every scoped query
(:mod:`app.services.scope`) passes it by, so it leaves every list, page, roll-up and API answer and its URL
is a 404. Deleting a client also deletes its live sites and projects, and a site its live projects, with the
parent's exact timestamp: that timestamp makes them one group, restored together
(:mod:`app.services.trash`). What was deleted earlier on its own keeps its own time and group.
Each deletion is recorded as a data event. ``flask purge-deleted`` removes them for good later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.domain.permissions import Action
from app.extensions import db
from app.models import BudgetLine, CertificationProject, Client, Site
from app.models.base import utcnow
from app.services import data_events
from app.services.scope import Scope


@dataclass(frozen=True)
class Consequences:
    """What deleting an object takes with it, for the confirmation page."""

    sites: list[Site]
    projects: list[CertificationProject]


def _live_sites(client: Client) -> list[Site]:
    stmt = select(Site).where(Site.client_id == client.id, Site.deleted_at.is_(None)).order_by(Site.name)
    return list(db.session.execute(stmt).scalars())


def _live_projects(where: Any) -> list[CertificationProject]:
    stmt = (
        select(CertificationProject)
        .where(where, CertificationProject.deleted_at.is_(None))
        .order_by(CertificationProject.id)
    )
    return list(db.session.execute(stmt).scalars())


def consequences_of_client(client: Client) -> Consequences:
    return Consequences(_live_sites(client), _live_projects(CertificationProject.client_id == client.id))


def consequences_of_site(site: Site) -> Consequences:
    return Consequences([], _live_projects(CertificationProject.site_id == site.id))


def _mark(rows: list[Any], scope: Scope, when: datetime) -> None:
    for row in rows:
        row.deleted_at = when
        row.deleted_by_id = scope.user_id


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def delete_client(scope: Scope, client: Client) -> Consequences:
    """Delete the client with its sites and projects (one group); returns what went with it."""
    scope.require(Action.DELETE_CLIENTS)
    taken = consequences_of_client(client)
    _mark([client, *taken.sites, *taken.projects], scope, utcnow())
    detail = (
        f"{client.name}, with {_count(len(taken.sites), 'site')} and {_count(len(taken.projects), 'project')}"
    )
    data_events.record("deleted", "client", client.id, scope.workspace_id, scope.user_id, detail)
    return taken


def delete_site(scope: Scope, site: Site) -> Consequences:
    """Delete the site with its projects (one group)."""
    scope.require(Action.MANAGE_PROJECTS)
    taken = consequences_of_site(site)
    _mark([site, *taken.projects], scope, utcnow())
    detail = f"{site.name} of {site.client.name}, with {_count(len(taken.projects), 'project')}"
    data_events.record("deleted", "site", site.id, scope.workspace_id, scope.user_id, detail)
    return taken


def project_label(project: CertificationProject) -> str:
    return f"{project.standard.name} at {project.site.name} ({project.client.name})"


def delete_project(scope: Scope, project: CertificationProject) -> None:
    scope.require(Action.MANAGE_PROJECTS)
    _mark([project], scope, utcnow())
    data_events.record(
        "deleted", "project", project.id, scope.workspace_id, scope.user_id, project_label(project)
    )


def delete_budget_line(scope: Scope, line: BudgetLine) -> None:
    scope.require(Action.MANAGE_PROJECTS)
    _mark([line], scope, utcnow())
    detail = f"{line.description} (project {line.project_id})"
    data_events.record("deleted", "budget_line", line.id, scope.workspace_id, scope.user_id, detail)
