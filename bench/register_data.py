"""A throw-away instance holding one ISO 13485 project with a large document register, for the benchmarks.

The account, client, site and project are made by the app's own services; the register is the portfolio
generator's (:func:`app.services.generator.documents.add_register`: 300 documents and 600 revisions as plain
rows in about a second, at every state, some reviews overdue). No file is stored: the pages measured only
read rows.

Other projects of the instance get registers of their own (``others`` x 100 documents), so that a query
reading more than its project's register shows; the measured project also gets 10 budget lines, for its
budget page, which the performance review measured with the same 10 lines (a reference point).
"""

from __future__ import annotations

import io
import secrets
from contextlib import redirect_stderr
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select

from app import create_app
from app.domain.budget import CATEGORIES
from app.extensions import db
from app.models import BudgetLine, Client, Site, Standard
from app.services.accounts import create_account
from app.services.generator.documents import HISTORIES, add_register
from app.services.projects import create_project
from app.services.standards import load_bundled_standards

EMAIL = "bench@example.com"
PASSWORD = "bench-password-long-enough"
SECRET_KEY = secrets.token_hex(32)
# Read by the benchmarks and their tests from this module, as before the generator moved to the app.
__all__ = [
    "EMAIL",
    "HISTORIES",
    "PASSWORD",
    "Instance",
    "add_budget",
    "add_register",
    "build",
    "config",
    "served_env",
]


@dataclass(frozen=True)
class Instance:
    app: Flask
    folder: Path
    database: Path
    project_id: int
    document_ids: list[int]  # in the order made
    revisions: int


def config(folder: Path) -> dict[str, Any]:
    """The in-process app's settings (the served one reads the same from its environment)."""
    return {
        "SECRET_KEY": SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'readiness.db'}",
        "EVIDENCE_DIR": str(folder / "evidence"),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # a cheap hash: the served app checks it all the same
        "RATELIMIT_ENABLED": False,
    }


def served_env(folder: Path) -> dict[str, str]:
    """The environment of the gunicorn workers: the app as deployed, on the same database."""
    return {
        "READINESS_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": f"sqlite:///{folder / 'readiness.db'}",
        "EVIDENCE_DIR": str(folder / "evidence"),
    }


def build(folder: Path, documents: int = 300, others: int = 10) -> Instance:
    app = create_app(config(folder))
    with app.app_context():
        with redirect_stderr(io.StringIO()):  # Alembic's log of every migration
            upgrade()
        load_bundled_standards()
        membership = create_account(EMAIL, "Bench Owner", PASSWORD, "Bench consultancy", "consultancy")
        db.session.flush()
        client = Client(workspace_id=membership.workspace_id, name="Bench MedTech", country="MY")
        db.session.add(client)
        db.session.flush()
        site = Site(
            workspace_id=client.workspace_id,
            client_id=client.id,
            name="Plant",
            address="x",
            country="MY",
            employee_count=140,
        )
        db.session.add(site)
        db.session.flush()
        standard = db.session.execute(select(Standard).where(Standard.code == "iso13485")).scalar_one()
        project = create_project(site, standard, currency="MYR")
        ids, revisions = add_register(project.id, project.standard_id, membership.user_id, documents)
        add_budget(project.id)
        for number in range(others):
            other = Site(
                workspace_id=client.workspace_id,
                client_id=client.id,
                name=f"Plant {number + 2}",
                address="x",
                country="MY",
                employee_count=40,
            )
            db.session.add(other)
            db.session.flush()
            neighbour = create_project(other, standard, currency="MYR")
            add_register(neighbour.id, neighbour.standard_id, membership.user_id, 100)
        db.session.commit()
        project_id = project.id
        db.session.remove()
    return Instance(app, folder, folder / "readiness.db", project_id, ids, revisions)


def add_budget(project_id: int) -> None:
    stages = ("gap_analysis", "documentation", "training", "internal_audit", "external_audit")
    for n in range(10):
        db.session.add(
            BudgetLine(
                project_id=project_id,
                stage=stages[n % len(stages)],
                category=list(CATEGORIES)[n % len(CATEGORIES)],
                description=f"Budget line {n + 1}",
                planned=Decimal(1000 + 250 * n),
                actual=Decimal(900 + 300 * n) if n % 2 else None,
                spent_on=date.today() - timedelta(days=10 * n) if n % 2 else None,
            )
        )
