"""Fixtures: the app on each database engine, a test client, and factories for workspace data.

Every test that uses ``app`` runs on SQLite and, when ``TEST_DATABASE_URL`` is set, again on PostgreSQL.
The schema is built once per engine by running the migrations (so they are tested too); every test then
starts from empty tables.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.extensions import db
from app.models import Base
from tests.factories import Factory, login

# One schema per test process, so runs on a shared machine do not collide; dropped at the end.
PG_SCHEMA = f"readiness_test_{os.getpid()}"
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"

DB_PARAMS = ["sqlite"]
if os.environ.get("TEST_DATABASE_URL"):
    DB_PARAMS.append("postgresql")


def _engine_config(kind: str, tmp_dir: Path) -> dict[str, Any]:
    if kind == "sqlite":
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_dir / 'test.db'}"}
    return {
        "SQLALCHEMY_DATABASE_URI": os.environ["TEST_DATABASE_URL"],
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": True,
            "connect_args": {"options": f"-c search_path={PG_SCHEMA}"},
        },
    }


def make_test_app(database: dict[str, Any], tmp_dir: Path, **extra: Any) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "WTF_CSRF_ENABLED": False,
        "EVIDENCE_DIR": str(tmp_dir / "evidence"),
        **database,
        **extra,
    }
    return create_app(config)


@pytest.fixture(scope="session", params=DB_PARAMS)
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """A migrated, empty database of one engine, shared by the tests of the session."""
    tmp_dir = tmp_path_factory.mktemp(f"db-{request.param}")
    config = _engine_config(request.param, tmp_dir)
    app = make_test_app(config, tmp_dir)
    with app.app_context():
        if request.param == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
                conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
        upgrade()
        db.engine.dispose()
    yield {"kind": request.param, **config}
    if request.param == "postgresql":
        with app.app_context():
            with db.engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
            db.engine.dispose()


def _empty_all_tables(kind: str) -> None:
    tables = list(reversed(Base.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if kind == "postgresql":
            names = ", ".join(table.name for table in tables)  # our own table names, not input
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def app(database: dict[str, Any], tmp_path: Path) -> Iterator[Flask]:
    config = {k: v for k, v in database.items() if k != "kind"}
    app = make_test_app(config, tmp_path)
    with app.app_context():
        yield app
        db.session.remove()
        _empty_all_tables(database["kind"])
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def make(app: Flask) -> Factory:
    return Factory()


@pytest.fixture
def tree(make: Factory) -> dict[str, Any]:
    """One workspace with a client, site and ISO 9001 project (catalogs loaded)."""
    make.standards()
    return make.tree()


@pytest.fixture
def owner(client: FlaskClient, make: Factory, tree: dict[str, Any]) -> Any:
    """The logged-in owner of ``tree``'s workspace."""
    user = make.user(tree["workspace"], role="owner")
    login(client, user)
    return user
