"""Fixtures: the app on each database engine, a test client, and factories for workspace data.

Every test that uses ``app`` runs on SQLite and, when ``TEST_DATABASE_URL`` is set, again on PostgreSQL.
Per engine, once per test process: the schema is built by running the migrations (so they are tested too),
the bundled standards catalogs are loaded, and one app is created. Each test then gets that app with its
config restored, and leaves it with every table emptied except the reference tables (the catalogs).
Test users get a cheap password hash; the production hash (scrypt) is tested on its own.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event, text

from app import create_app
from app.extensions import db
from app.models import Base
from app.services.standards import load_bundled_standards
from tests.factories import REFERENCE_TABLES, Factory, login

# One schema per test process (and pytest-xdist worker), so runs on a shared machine do not collide.
PG_SCHEMA = f"readiness_test_{os.getpid()}"
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
CHEAP_HASH = "pbkdf2:sha256:1"

DB_PARAMS = ["sqlite"]
if os.environ.get("TEST_DATABASE_URL"):
    DB_PARAMS.append("postgresql")


def _engine_config(kind: str, tmp_dir: Path) -> dict[str, Any]:
    if kind == "sqlite":
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_dir / 'test.db'}"}
    # The suite commits after almost every step and nothing in it must survive a crash: a commit need not wait
    # for the disk (on a small shared machine the fsyncs were most of the suite's time).
    return {
        "SQLALCHEMY_DATABASE_URI": os.environ["TEST_DATABASE_URL"],
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": True,
            "connect_args": {"options": f"-c search_path={PG_SCHEMA} -c synchronous_commit=off -c jit=off"},
        },
    }


def _sqlite_without_fsync(dbapi_connection: Any, _record: Any) -> None:
    """The SQLite test database's commits skip the fsyncs, as PostgreSQL's do (synchronous_commit=off):
    each request of a test commits, and waiting for the disk each time was most of the suite's time."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute("PRAGMA journal_mode=MEMORY")
    cursor.close()


def make_test_app(database: dict[str, Any], tmp_dir: Path, **extra: Any) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "WTF_CSRF_ENABLED": False,
        "EVIDENCE_DIR": str(tmp_dir / "evidence"),
        "PASSWORD_HASH_METHOD": CHEAP_HASH,
        **database,
        **extra,
    }
    app = create_app(config)
    if str(config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite"):
        with app.app_context():
            event.listen(db.engine, "connect", _sqlite_without_fsync)
    return app


def _drop_schema() -> None:
    with db.engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))


@pytest.fixture(scope="session", params=DB_PARAMS)
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One app per engine over a migrated database holding only the catalogs, shared by the session."""
    kind = request.param
    tmp_dir = tmp_path_factory.mktemp(f"db-{kind}")
    config = _engine_config(kind, tmp_dir)
    app = make_test_app(config, tmp_dir)
    with app.app_context():
        if kind == "postgresql":
            _drop_schema()
            with db.engine.begin() as conn:
                conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
        upgrade()
        load_bundled_standards()
        db.session.commit()
        db.session.remove()
    app.config["DATABASE_KIND"] = kind
    yield app
    with app.app_context():
        db.session.remove()
        if kind == "postgresql":
            _drop_schema()
        db.engine.dispose()


def empty_tables(keep: frozenset[str] = REFERENCE_TABLES) -> None:
    """Delete every row, children first; a table-by-table DELETE is far cheaper than TRUNCATE here.

    On PostgreSQL the DELETEs go as one statement string: one round trip in place of one per table."""
    tables = [table for table in reversed(Base.metadata.sorted_tables) if table.name not in keep]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            deletes = [str(table.delete().compile(dialect=conn.dialect)) for table in tables]
            conn.exec_driver_sql("; ".join(deletes))
        else:
            for table in tables:
                conn.execute(table.delete())


@contextmanager
def demo_built(database: Flask, evidence_dir: Path, today: date) -> Iterator[Flask]:
    """The demo dated from ``today``, committed, inside an app context of ``database``: for a module whose
    tests only read it, built once per engine (the slowest thing the suite builds). The tables are emptied
    and the config restored when the module is done."""
    from app.services import demo

    saved = dict(database.config)
    database.config["EVIDENCE_DIR"] = str(evidence_dir)
    try:
        with database.app_context():
            demo.create_demo(today)
            db.session.commit()
            yield database
            db.session.remove()
            empty_tables()
    finally:
        database.config.clear()
        database.config.update(saved)


@pytest.fixture
def app(database: Flask, tmp_path: Path) -> Iterator[Flask]:
    saved = dict(database.config)
    database.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")
    try:
        with database.app_context():
            yield database
            db.session.remove()
            empty_tables()
    finally:
        database.config.clear()
        database.config.update(saved)


@pytest.fixture
def without_catalogs(app: Flask) -> Iterator[None]:
    """Empty catalog tables for the tests of loading them; the catalogs are back for the next test."""
    db.session.remove()
    empty_tables(keep=frozenset())
    yield
    db.session.remove()
    empty_tables(keep=frozenset())
    load_bundled_standards()
    db.session.commit()


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
    """One workspace with a client, site and ISO 9001 project."""
    return make.tree()


@pytest.fixture
def owner(client: FlaskClient, make: Factory, tree: dict[str, Any]) -> Any:
    """The logged-in owner of ``tree``'s workspace."""
    user = make.user(tree["workspace"], role="owner")
    login(client, user)
    return user


def pytest_configure(config: pytest.Config) -> None:
    """Fewer garbage collections: a test process holds every collected test and a few apps, and CPython's
    default thresholds (700, 10, 10) walked them in a full collection every few hundred tests. Measured on
    two workers: the integration tests d-m took 116 s of CPU with the defaults, 88 s with these (and 98 s
    with a first threshold of 100,000: a larger heap is slower to use); unit and n-r tests, 126 s and 118 s.
    Cyclic garbage is still collected, a little later. A served worker freezes its heap (app/web/heap.py)."""
    gc.set_threshold(10_000, 50, 100)
