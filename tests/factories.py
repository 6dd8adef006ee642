"""Build workspace data in one call (each factory commits, like a finished request would)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from flask import current_app, session
from flask.testing import FlaskClient
from flask_login import login_user
from sqlalchemy import Table, func, select
from sqlalchemy.orm import make_transient_to_detached

from app.extensions import db
from app.models import (
    Base,
    CertificationProject,
    Clause,
    Client,
    Invitation,
    Membership,
    Site,
    Standard,
    User,
    Workspace,
)
from app.models.base import utcnow
from app.services.accounts import create_user
from app.services.pathway import setup_project
from app.services.standards import load_bundled_standards

PASSWORD = "correct-horse-battery"
# Reference data: loaded once per engine and kept between tests.
REFERENCE_TABLES = frozenset({"standards", "clauses"})
_counter = itertools.count(1)


class Factory:
    def standards(self) -> dict[str, Standard]:
        load_bundled_standards()
        db.session.commit()
        rows = db.session.execute(select(Standard)).scalars()
        return {standard.code: standard for standard in rows}

    def workspace(self, name: str | None = None, kind: str = "consultancy") -> Workspace:
        workspace = Workspace(name=name or f"Workspace {next(_counter)}", kind=kind)
        db.session.add(workspace)
        db.session.commit()
        return workspace

    def invitation(self, workspace: Workspace, token_hash: str, email: str = "x@example.com") -> Invitation:
        """An open viewer's invitation (valid 7 days) whose token hashes to ``token_hash``."""
        invitation = Invitation(
            workspace_id=workspace.id,
            email=email,
            role="viewer",
            token_hash=token_hash,
            expires_at=utcnow() + timedelta(days=7),
        )
        db.session.add(invitation)
        db.session.commit()
        return invitation

    def user(
        self,
        workspace: Workspace | None = None,
        role: str = "owner",
        email: str | None = None,
        clients: list[Client] | None = None,
    ) -> User:
        user = create_user(email or f"user{next(_counter)}@example.com", "Test User", PASSWORD, verified=True)
        workspace = workspace or self.workspace()
        db.session.add(Membership(user=user, workspace_id=workspace.id, role=role, clients=clients or []))
        db.session.commit()
        return user

    def client(self, workspace: Workspace, **fields: Any) -> Client:
        values = {"name": f"Client {next(_counter)}", "country": "VN"} | fields
        client = Client(workspace_id=workspace.id, **values)
        db.session.add(client)
        db.session.commit()
        return client

    def site(self, client: Client, **fields: Any) -> Site:
        values = {
            "name": f"Site {next(_counter)}",
            "address": "1 Factory Road",
            "country": client.country,
            "employee_count": 30,
        } | fields
        site = Site(workspace_id=client.workspace_id, client_id=client.id, **values)
        db.session.add(site)
        db.session.commit()
        return site

    def project(self, site: Site, code: str = "iso9001", **fields: Any) -> CertificationProject:
        standard = (
            db.session.execute(select(Standard).where(Standard.code == code).order_by(Standard.id.desc()))
            .scalars()
            .first()
            or self.standards()[code]
        )
        values = {"currency": "USD", "target_date": date(2027, 6, 30)} | fields
        project = CertificationProject(
            workspace_id=site.workspace_id,
            client_id=site.client_id,
            site_id=site.id,
            standard=standard,
            **values,
        )
        db.session.add(project)
        setup_project(project)
        db.session.commit()
        return project

    def tree(self, workspace: Workspace | None = None, code: str = "iso9001") -> dict[str, Any]:
        """A workspace with one client, site and project.

        Most tests start from the plain tree (a new workspace, ISO 9001): it is built through the models once
        per engine and test process, and afterwards copied back row for row, ids included (building it was
        the costliest set-up most tests share)."""
        if workspace is None and code == "iso9001":
            return _plain_tree(self)
        return self._build_tree(workspace, code)

    def _build_tree(self, workspace: Workspace | None, code: str) -> dict[str, Any]:
        workspace = workspace or self.workspace()
        client = self.client(workspace)
        site = self.site(client)
        project = self.project(site, code)
        return {"workspace": workspace, "client": client, "site": site, "project": project}


TREE_MODELS = {"workspace": Workspace, "client": Client, "site": Site, "project": CertificationProject}
# Per engine: the catalogs the rows refer to (their highest ids), the objects' ids, and the rows by table.
_plain_trees: dict[str, tuple[tuple[int, int], dict[str, int], list[tuple[Table, list[dict[str, Any]]]]]] = {}


def _catalogs() -> tuple[int, int]:
    """The catalogs as loaded now: a test that reloads them (``without_catalogs``) gives them new ids."""
    last = select(
        select(func.coalesce(func.max(Standard.id), 0)).scalar_subquery(),
        select(func.coalesce(func.max(Clause.id), 0)).scalar_subquery(),
    )
    standard_id, clause_id = db.session.execute(last).one()
    return int(standard_id), int(clause_id)


def _plain_tree(factory: Factory) -> dict[str, Any]:
    engine = str(db.engine.url)
    kept = _plain_trees.get(engine)
    if kept is None or kept[0] != _catalogs():
        return _build_and_keep(factory, engine)
    _catalogs_then, ids, rows = kept
    if db.session.get(Workspace, ids["workspace"]) is not None:  # the test's second tree: build another
        return factory._build_tree(None, "iso9001")
    for table, table_rows in rows:
        db.session.execute(table.insert(), table_rows)
    db.session.commit()
    return {name: _as_loaded(model, ids[name], rows) for name, model in TREE_MODELS.items()}


def _as_loaded(model: Any, id_: int, rows: list[tuple[Table, list[dict[str, Any]]]]) -> Any:
    """The object of the row just written, in the session as if read back (without reading it back)."""
    table_rows = next(table_rows for table, table_rows in rows if table is model.__table__)
    obj = model(**next(row for row in table_rows if row["id"] == id_))
    make_transient_to_detached(obj)
    db.session.add(obj)
    return obj


def _build_and_keep(factory: Factory, engine: str) -> dict[str, Any]:
    """Build the plain tree and keep the rows it wrote, if every one can be told apart by its id."""
    if _catalogs() == (0, 0):  # a test without catalogs: building loads them, and the next one drops them
        return factory._build_tree(None, "iso9001")
    tables = [table for table in Base.metadata.sorted_tables if table.name not in REFERENCE_TABLES]
    before = {table.name: _last_id(table) for table in tables}
    built = factory._build_tree(None, "iso9001")
    rows = []
    for table in tables:
        if "id" not in table.c:
            if before[table.name] != 0 or _last_id(table) != 0:
                return built  # rows without an id (an association table) cannot be told apart: keep none
            continue
        written = db.session.execute(select(table).where(table.c.id > before[table.name])).mappings().all()
        if written:
            rows.append((table, [dict(row) for row in written]))
    # The catalogs as the rows refer to them: read after building, which loads them when they were missing.
    _plain_trees[engine] = (_catalogs(), {name: obj.id for name, obj in built.items()}, rows)
    return built


def _last_id(table: Table) -> int:
    """The table's highest id (without an id column: its row count)."""
    if "id" in table.c:
        return int(db.session.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one())
    return int(db.session.execute(select(func.count()).select_from(table)).scalar_one())


def login(http: FlaskClient, user: User, password: str | None = None) -> None:
    """Log ``user`` in on ``http``. With a password: through the log-in form, which must accept it. Without:
    the session the form would leave, made by ``login_user`` itself (most tests only need someone logged
    in; the form's own request was a fifth of a typical test's set-up)."""
    if password is not None:
        response = http.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return
    assert user.email_verified_at is not None, "the log-in form refuses an unconfirmed account"
    with current_app.test_request_context(environ_base=http.environ_base):
        login_user(user)
        logged_in = dict(session)
    with http.session_transaction() as kept:
        kept.clear()
        kept.update(logged_in)
