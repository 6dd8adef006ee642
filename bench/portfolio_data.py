"""A throw-away instance holding a generated consultancy portfolio
(:mod:`app.services.generator.portfolio`), for the benchmarks of the main pages.

On PostgreSQL when ``BENCH_DATABASE_URL`` (else ``TEST_DATABASE_URL``) is set: each instance is a schema of
its own in that database (named in the URL's ``search_path``, so the served workers read the same one),
dropped when the instance is done with. Otherwise on SQLite, in a file of the temporary folder.
"""

from __future__ import annotations

import io
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.config import normalise_database_url
from app.extensions import db
from app.models import CertificationProject, Membership, Standard
from app.services import tokens
from app.services.generator.portfolio import generate_portfolio, refresh_statistics

SECRET_KEY = secrets.token_hex(32)
SEED = 1
# The API allows a token 600 requests a minute; a load test sends that in seconds. The limiter still runs.
API_LIMIT = "1000000 per minute"


@dataclass(frozen=True)
class Instance:
    app: Flask
    url: str  # the database, as both the in-process app and the served workers reach it
    folder: Path
    clients: int
    email: str
    password: str
    token: str  # an API token of the consultant
    project_id: int  # the first project: ISO 9001, with registers
    medical_id: int  # the first ISO 13485 project, with registers
    generated_in: float  # seconds, generation and commit

    @property
    def engine_name(self) -> str:
        return "PostgreSQL" if self.url.startswith("postgresql") else "SQLite"

    def served_env(self) -> dict[str, str]:
        """The environment of the gunicorn workers: the app as deployed, on the same database."""
        return {
            "READINESS_ENV": "production",
            "SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": self.url,
            "EVIDENCE_DIR": str(self.folder / "evidence"),
            "RATELIMIT_API_PER_TOKEN": API_LIMIT,
        }


def postgresql_url() -> str | None:
    found = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    return normalise_database_url(found) if found else None


def config(url: str, folder: Path) -> dict[str, Any]:
    """The in-process app's settings (the served one reads the same from its environment)."""
    return {
        "SECRET_KEY": SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": url,
        "EVIDENCE_DIR": str(folder / "evidence"),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # a cheap hash: the served app checks it all the same
        "RATELIMIT_ENABLED": False,
    }


@contextmanager
def portfolio(folder: Path, clients: int, server_url: str | None = None) -> Iterator[Instance]:
    """An instance with ``clients`` generated clients, on PostgreSQL at ``server_url`` (in a new schema) or
    on SQLite in ``folder``; its schema is dropped at the end."""
    folder.mkdir(parents=True, exist_ok=True)
    schema = f"bench_portfolio_{os.getpid()}_{clients}"
    if server_url is None:
        url = f"sqlite:///{folder / 'readiness.db'}"
    else:
        in_schema = make_url(server_url).update_query_dict({"options": f"-csearch_path={schema}"})
        url = in_schema.render_as_string(hide_password=False)
        _schema(server_url, f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
    try:
        instance = _build(url, folder, clients)
        try:
            yield instance
        finally:
            _dispose(instance)
    finally:
        if server_url is not None:
            _schema(server_url, f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def _schema(server_url: str, statements: str) -> None:
    engine = create_engine(server_url)
    try:
        with engine.begin() as conn:
            for statement in statements.split("; "):
                conn.execute(text(statement))
    finally:
        engine.dispose()


def _build(url: str, folder: Path, clients: int) -> Instance:
    app = create_app(config(url, folder))
    with app.app_context():
        with redirect_stderr(io.StringIO()):  # Alembic's log of every migration
            upgrade()
        started = time.perf_counter()
        made = generate_portfolio(clients, SEED)
        db.session.commit()
        refresh_statistics()
        db.session.commit()
        took = time.perf_counter() - started
        membership = db.session.execute(
            select(Membership).where(Membership.workspace_id == made.workspace_id)
        ).scalar_one()
        token = tokens.create(membership.id, "Benchmark").secret
        db.session.commit()
        codes = dict(
            db.session.execute(
                select(CertificationProject.id, Standard.code)
                .join(Standard, Standard.id == CertificationProject.standard_id)
                .where(CertificationProject.id.in_(made.project_ids[:2]))
            ).all()
        )
        db.session.remove()
    first, second = made.project_ids[0], made.project_ids[min(1, len(made.project_ids) - 1)]
    medical = second if codes.get(second) == "iso13485" else first
    return Instance(app, url, folder, clients, made.email, made.password, token, first, medical, took)


def _dispose(instance: Instance) -> None:
    """Close the in-process app's connections (before its schema is dropped)."""
    with instance.app.app_context():
        db.session.remove()
        db.engine.dispose()
