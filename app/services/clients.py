"""Clients, sites and projects of a workspace: scoped queries and the operations that change them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.domain import budget
from app.domain.text import _
from app.extensions import db
from app.models import BudgetLine, CertificationProject, Client, Site
from app.services import history
from app.services.changes import apply_changes
from app.services.errors import NotFound
from app.services.scope import Scope, scoped

CLIENT_FIELDS = ("name", "country", "contact_name", "contact_email", "notes")
SITE_FIELDS = ("name", "address", "country", "employee_count", "products", "scope_statement")


def escape_like(text: str) -> str:
    """Search for the text itself: % and _ typed by the user are not wildcards."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


NOTHING = (Decimal(0), Decimal(0))  # planned and actual of a project without budget lines


@dataclass(frozen=True)
class ProjectBrief:
    """A project's readiness and budget in one line of the client list."""

    project: CertificationProject
    readiness: int | None
    planned: Decimal
    actual: Decimal
    percent_spent: Decimal | None


@dataclass(frozen=True)
class ClientRow:
    client: Client
    site_count: int
    project_count: int
    projects: tuple[ProjectBrief, ...] = ()


def _matching(scope: Scope, stmt: Any, search: str) -> Any:
    """``stmt`` over the clients the scope sees, whose name contains ``search`` (when given)."""
    if search:
        stmt = stmt.where(Client.name.ilike(f"%{escape_like(search)}%", escape="\\"))
    return scoped(scope, stmt, Client)


def client_page_statement(scope: Scope, page: int, per_page: int, search: str = "") -> Any:
    """A page of clients with their live site and project counts, in one query.

    The page's clients are chosen first (sorted, limited), and only they are counted, each through the
    ``client_id`` indexes: a page costs the same whatever the number of other clients, in this workspace
    or any other (grouping whole tables read every tenant's sites and projects on every request; a count
    per listed client read those of every client before the page).
    """
    chosen = (
        _matching(scope, select(Client.id), search)
        .order_by(Client.name, Client.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery()
    )
    site_count = (
        select(func.count(Site.id))
        .where(Site.client_id == Client.id, Site.deleted_at.is_(None))
        .correlate(Client)
        .scalar_subquery()
    )
    project_count = (
        select(func.count(CertificationProject.id))
        .where(CertificationProject.client_id == Client.id, CertificationProject.deleted_at.is_(None))
        .correlate(Client)
        .scalar_subquery()
    )
    return (
        select(Client, site_count.label("site_count"), project_count.label("project_count"))
        .join(chosen, chosen.c.id == Client.id)
        .order_by(Client.name, Client.id)
    )


def client_rows(scope: Scope, page: int, per_page: int, search: str = "") -> tuple[list[ClientRow], int]:
    total = db.session.execute(_matching(scope, select(func.count(Client.id)), search)).scalar_one()
    rows = db.session.execute(client_page_statement(scope, page, per_page, search)).all()
    briefs = project_briefs([row[0].id for row in rows])
    return [ClientRow(row[0], row[1], row[2], tuple(briefs.get(row[0].id, ()))) for row in rows], total


def _budget_sums(project_ids: list[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """Planned and actual totals per project, summed in SQL.

    Lines are saved in their currency's minor unit, so the sums equal the budget page's totals; the caller
    still rounds them to the minor unit, which also drops the float noise of SQLite's SUM.
    """
    rows = db.session.execute(
        select(
            BudgetLine.project_id,
            func.coalesce(func.sum(BudgetLine.planned), 0),
            func.coalesce(func.sum(BudgetLine.actual), 0),
        )
        .where(BudgetLine.project_id.in_(project_ids), BudgetLine.deleted_at.is_(None))
        .group_by(BudgetLine.project_id)
    ).all()
    return {project_id: (Decimal(planned), Decimal(actual)) for project_id, planned, actual in rows}


def project_briefs(client_ids: list[int]) -> dict[int, list[ProjectBrief]]:
    """Readiness and budget of every project of these clients, in three queries whatever their number.

    The clients are those of a page the caller already scoped, and a project is visible to whoever sees
    its client.
    """
    if not client_ids:
        return {}
    stmt = (
        select(CertificationProject)
        .where(CertificationProject.client_id.in_(client_ids), CertificationProject.deleted_at.is_(None))
        .options(joinedload(CertificationProject.site), joinedload(CertificationProject.standard))
        .order_by(CertificationProject.id)
    )
    projects = list(db.session.execute(stmt).scalars())
    ids = [project.id for project in projects]
    counts = history.readiness_counts(ids) if ids else {}
    sums = _budget_sums(ids) if ids else {}
    briefs: dict[int, list[ProjectBrief]] = {}
    for project in projects:
        unit = budget.minor_unit_for(project.currency)
        planned, actual = (budget.quantize_money(amount, unit) for amount in sums.get(project.id, NOTHING))
        brief = ProjectBrief(
            project, counts[project.id].percent, planned, actual, budget.percent_spent(actual, planned)
        )
        briefs.setdefault(project.client_id, []).append(brief)
    return briefs


def client_name_taken(scope: Scope, name: str, exclude_id: int | None = None) -> bool:
    """Also by a deleted client: it keeps its name until it is purged, so it can be restored."""
    stmt = select(Client.id).where(
        Client.workspace_id == scope.workspace_id, func.lower(Client.name) == name.strip().lower()
    )
    if exclude_id is not None:
        stmt = stmt.where(Client.id != exclude_id)
    return db.session.execute(stmt).first() is not None


def create_client(scope: Scope, **fields: Any) -> Client:
    client = Client(workspace_id=scope.workspace_id, **fields)
    db.session.add(client)
    db.session.flush()  # its id, for the link to it
    return client


def update_client(client: Client, *, version: int | None = None, **fields: Any) -> None:
    apply_changes(client, CLIENT_FIELDS, fields, version)


def sites_of(client: Client) -> list[Site]:
    stmt = (
        select(Site)
        .where(Site.client_id == client.id, Site.deleted_at.is_(None))
        .order_by(Site.name, Site.id)
    )
    return list(db.session.execute(stmt).scalars())


def lock_live(model: Any, object_id: int) -> None:
    """Lock a parent row while a child is added to it, and refuse if it was deleted meanwhile.

    On PostgreSQL the lock waits for a deletion of the parent in progress and then sees it, so no live
    row is ever added under a deleted one; SQLite has one writer at a time anyway.
    """
    stmt = select(model.id).where(model.id == object_id, model.deleted_at.is_(None)).with_for_update()
    if db.session.execute(stmt).first() is None:
        raise NotFound(
            _("This site has been deleted.") if model is Site else _("This client has been deleted.")
        )


def create_site(client: Client, **fields: Any) -> Site:
    lock_live(Client, client.id)
    site = Site(workspace_id=client.workspace_id, client_id=client.id, **fields)
    db.session.add(site)
    db.session.flush()  # its id, for the link to it
    return site


def update_site(site: Site, *, version: int | None = None, **fields: Any) -> None:
    apply_changes(site, SITE_FIELDS, fields, version)
