"""Clients, sites and projects of a workspace: scoped queries and the operations that change them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import CertificationProject, Client, Site
from app.services.scope import Scope, scoped


def escape_like(text: str) -> str:
    """Search for the text itself: % and _ typed by the user are not wildcards."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class ClientRow:
    client: Client
    site_count: int
    project_count: int


def client_list_statement(scope: Scope, search: str = "") -> Any:
    """Clients with their site and project counts, aggregated in SQL (one query per page)."""
    site_counts = select(Site.client_id, func.count(Site.id).label("n")).group_by(Site.client_id).subquery()
    project_counts = (
        select(CertificationProject.client_id, func.count(CertificationProject.id).label("n"))
        .group_by(CertificationProject.client_id)
        .subquery()
    )
    stmt = (
        select(
            Client,
            func.coalesce(site_counts.c.n, 0).label("site_count"),
            func.coalesce(project_counts.c.n, 0).label("project_count"),
        )
        .outerjoin(site_counts, site_counts.c.client_id == Client.id)
        .outerjoin(project_counts, project_counts.c.client_id == Client.id)
        .order_by(Client.name, Client.id)
    )
    if search:
        stmt = stmt.where(Client.name.ilike(f"%{escape_like(search)}%", escape="\\"))
    return scoped(scope, stmt, Client)


def client_rows(scope: Scope, page: int, per_page: int, search: str = "") -> tuple[list[ClientRow], int]:
    stmt = client_list_statement(scope, search)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return [ClientRow(row[0], row[1], row[2]) for row in rows], total


def client_name_taken(scope: Scope, name: str, exclude_id: int | None = None) -> bool:
    stmt = select(Client.id).where(
        Client.workspace_id == scope.workspace_id, func.lower(Client.name) == name.strip().lower()
    )
    if exclude_id is not None:
        stmt = stmt.where(Client.id != exclude_id)
    return db.session.execute(stmt).first() is not None


def create_client(scope: Scope, **fields: Any) -> Client:
    client = Client(workspace_id=scope.workspace_id, **fields)
    db.session.add(client)
    return client


def sites_of(client: Client) -> list[Site]:
    stmt = select(Site).where(Site.client_id == client.id).order_by(Site.name, Site.id)
    return list(db.session.execute(stmt).scalars())


def create_site(client: Client, **fields: Any) -> Site:
    site = Site(workspace_id=client.workspace_id, client_id=client.id, **fields)
    db.session.add(site)
    return site
