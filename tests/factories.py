"""Build workspace data in one call (each factory commits, like a finished request would)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import CertificationProject, Client, Invitation, Membership, Site, Standard, User, Workspace
from app.models.base import utcnow
from app.services.accounts import create_user
from app.services.pathway import setup_project
from app.services.standards import load_bundled_standards

PASSWORD = "correct-horse-battery"
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
        """A workspace with one client, site and project."""
        workspace = workspace or self.workspace()
        client = self.client(workspace)
        site = self.site(client)
        project = self.project(site, code)
        return {"workspace": workspace, "client": client, "site": site, "project": project}


def login(http: FlaskClient, user: User, password: str = PASSWORD) -> None:
    response = http.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
