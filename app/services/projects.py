"""Certification projects: scoped queries and the operations that change them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.domain.text import _
from app.extensions import db
from app.models import CertificationProject, Client, Site, Standard
from app.services.changes import apply_changes
from app.services.clients import lock_live
from app.services.errors import NotFound
from app.services.pathway import setup_project
from app.services.scope import Scope, get_or_404_in

PROJECT_FIELDS = ("target_date", "currency", "status", "body_id")


def project_in(scope: Scope, project_id: int) -> CertificationProject:
    """The project a ``/projects/<id>`` URL names, with what project pages show (client, site, standard
    and certification body) loaded in the same query; loaded once per request by the project blueprints."""
    try:
        return get_or_404_in(
            scope,
            CertificationProject,
            project_id,
            joinedload(CertificationProject.client),
            joinedload(CertificationProject.site),
            joinedload(CertificationProject.standard),
            joinedload(CertificationProject.body),
        )
    except NotFound:
        raise NotFound(_("No such project.")) from None


def projects_of_client(client: Client) -> list[CertificationProject]:
    stmt = (
        select(CertificationProject)
        .where(CertificationProject.client_id == client.id, CertificationProject.deleted_at.is_(None))
        .options(selectinload(CertificationProject.standard), selectinload(CertificationProject.site))
        .order_by(CertificationProject.id)
    )
    return list(db.session.execute(stmt).scalars())


def projects_of_site(site: Site) -> list[CertificationProject]:
    stmt = (
        select(CertificationProject)
        .where(CertificationProject.site_id == site.id, CertificationProject.deleted_at.is_(None))
        .options(selectinload(CertificationProject.standard))
        .order_by(CertificationProject.id)
    )
    return list(db.session.execute(stmt).scalars())


def latest_standards() -> list[Standard]:
    """The newest loaded catalog version of each standard, for choosing a project's standard."""
    stmt = select(Standard).order_by(Standard.code, Standard.loaded_at.desc(), Standard.id.desc())
    latest: dict[str, Standard] = {}
    for standard in db.session.execute(stmt).scalars():
        latest.setdefault(standard.code, standard)
    return list(latest.values())


def site_has_project_for(site: Site, standard: Standard, exclude_id: int | None = None) -> bool:
    stmt = (
        select(CertificationProject.id)
        .join(Standard)
        .where(
            CertificationProject.site_id == site.id,
            CertificationProject.deleted_at.is_(None),
            Standard.code == standard.code,
        )
    )
    if exclude_id is not None:
        stmt = stmt.where(CertificationProject.id != exclude_id)
    return db.session.execute(stmt).first() is not None


def create_project(site: Site, standard: Standard, **fields: Any) -> CertificationProject:
    lock_live(Site, site.id)
    project = CertificationProject(
        workspace_id=site.workspace_id, client_id=site.client_id, site_id=site.id, standard=standard, **fields
    )
    db.session.add(project)
    setup_project(project)
    db.session.flush()  # the caller links to the new project by its id
    return project


def update_project(project: CertificationProject, *, version: int | None = None, **fields: Any) -> None:
    """Change a project's details; the standard is fixed once assessed against."""
    apply_changes(project, PROJECT_FIELDS, fields, version)
