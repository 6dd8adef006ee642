"""flask backup / flask restore: a backup restored into a new, empty instance of the same engine answers
every API read as the original did, with every evidence file byte for byte; a corrupt backup, a non-empty
instance and another schema revision are refused before anything changes."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text

from app.extensions import db
from app.models import (
    BudgetLine,
    Client,
    ControlledDocument,
    DataEvent,
    DocumentRevision,
    EvidenceVersion,
    Finding,
    Workspace,
)
from app.models.base import utcnow
from app.models.documents import document_clauses
from app.services import backup_rows, history
from app.services import documents as document_service
from app.services import evidence as evidence_service
from app.services.backup import MANIFEST, sha256_of
from app.services.evidence import Upload
from tests.conftest import make_test_app
from tests.evidence_samples import CSV, add_file, add_note, pdf, scope_for
from tests.integration.register_files import document_with_files
from tests.integration.test_api import bearer, token_for

API = "/api/v1"


@pytest.fixture
def empty_instance(app: Flask, tmp_path: Path) -> Iterator[Flask]:
    """A second app on a new database of the same engine, migrated and empty, with its own evidence folder."""
    if app.config["DATABASE_KIND"] == "sqlite":
        config: dict[str, Any] = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'restored.db'}"}
        schema = None
    else:
        schema = f"readiness_restored_{os.getpid()}"
        _run_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE", f"CREATE SCHEMA {schema}")
        config = {
            "SQLALCHEMY_DATABASE_URI": os.environ["TEST_DATABASE_URL"],
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-c search_path={schema}"}},
        }
    other = make_test_app(config, tmp_path / "restored")
    with other.app_context():
        upgrade()
        db.session.remove()
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()
    if schema:
        _run_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def _run_sql(*statements: str) -> None:
    engine = create_engine(os.environ["TEST_DATABASE_URL"])
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def restore_into(instance: Flask, folder: Path) -> Any:
    # The command runs in the current app context if there is one: the instance's own, here.
    with instance.app_context():
        result = instance.test_cli_runner().invoke(args=["restore", str(folder)])
        db.session.remove()
    return result


def filled_workspace(make: Any) -> tuple[dict[str, str], list[str]]:
    """A workspace with something in every table the API reads; its token and the URLs to compare."""
    make.standards()
    workspace = make.workspace()
    first, second = make.tree(workspace), make.tree(workspace, code="iso13485")
    owner = make.user(workspace, role="owner")
    headers = bearer(token_for(owner))
    project = first["project"]
    item = add_file(project, owner.id)
    scope = scope_for(owner.id, project)
    evidence_service.add_version(scope, item, Upload("scan.pdf", io.BytesIO(pdf(200))))
    add_file(second["project"], owner.id, data=CSV, name="register.csv", clause="4.2.4", title="Register")
    add_note(project, owner.id)
    document_with_files(project)  # revisions superseded, approved and draft, each with its file
    withdrawn = document_with_files(second["project"], code="WI-01", clause="7.5.3")
    document_service.withdraw(scope_for(owner.id, second["project"]), withdrawn, "Replaced by QP-06.")
    db.session.add_all(
        [
            BudgetLine(
                project_id=project.id,
                stage="training",
                category="training",
                description="Lead auditor course",
                planned=Decimal("1234.5"),
                actual=Decimal("1300"),
                spent_on=date(2026, 5, 2),
            ),
            Finding(
                project_id=project.id,
                source="internal_audit",
                severity="major",
                description="x",
                raised_on=date(2026, 9, 1),
            ),
        ]
    )
    db.session.commit()
    history.record_snapshots([project.id], date.today() - timedelta(days=3))
    history.record_snapshots([project.id, second["project"].id], date.today())
    gone = make.client(workspace)  # deleted: in the backup, restorable there too
    gone.deleted_at = utcnow()
    db.session.commit()
    urls = [f"{API}/projects"]
    for tree in (first, second):
        base = f"{API}/projects/{tree['project'].id}"
        urls += [base, f"{base}/requirements", f"{base}/budget", f"{base}/evidence", f"{base}/history"]
    return headers, urls


REGISTER = (ControlledDocument.__table__, DocumentRevision.__table__, document_clauses)


def register_rows() -> dict[str, list[dict[str, Any]]]:
    """Every row of the document register's tables (no API reads them all)."""
    return {
        table.name: [
            dict(row) for row in db.session.execute(select(table).order_by(*table.primary_key)).mappings()
        ]
        for table in REGISTER
    }


def answers(http: Any, headers: dict[str, str], urls: list[str]) -> dict[str, Any]:
    found = {}
    for url in urls:
        response = http.get(url, headers=headers)
        assert response.status_code == 200, (url, response.get_data(as_text=True))
        found[url] = response.json
    for item in found[urls[0]]["items"]:
        for evidence in found[f"{API}/projects/{item['id']}/evidence"]["items"]:
            if evidence["download_url"]:
                download = http.get(evidence["download_url"], headers=headers, buffered=True)
                found[evidence["download_url"]] = download.data
    return found


def test_a_restored_instance_answers_every_api_read_identically(
    app, client, make, runner, empty_instance, tmp_path
):
    headers, urls = filled_workspace(make)
    before = answers(client, headers, urls)
    register = register_rows()
    target = tmp_path / "backup"

    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((target / MANIFEST).read_text())
    assert manifest["engine"] == app.config["DATABASE_KIND"]
    assert (
        manifest["alembic_revision"]
        == db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    )
    assert manifest["tables"]["evidence_versions"] == 3 and manifest["missing_files"] == []
    assert (manifest["tables"]["documents"], manifest["tables"]["document_revisions"]) == (2, 6)
    assert len([entry for entry in manifest["files"] if entry["path"].startswith("evidence/")]) == 3 + 6
    for entry in manifest["files"]:
        assert sha256_of(target / entry["path"]) == entry["sha256"]

    restored = restore_into(empty_instance, target)
    assert restored.exit_code == 0, restored.output
    with empty_instance.app_context():
        after = answers(empty_instance.test_client(), headers, urls)
        versions = db.session.execute(select(EvidenceVersion)).scalars().all()
        revisions = db.session.execute(select(DocumentRevision)).scalars().all()
        folder = Path(empty_instance.config["EVIDENCE_DIR"])
        assert (len(versions), len(revisions)) == (3, 6)
        for version in [*versions, *revisions]:
            assert sha256_of(folder / version.storage_name) == version.sha256
        assert register_rows() == register
        [event] = db.session.execute(select(DataEvent).where(DataEvent.action == "restored_backup")).scalars()
        assert event.subject == "instance"
        deleted = db.session.execute(select(Client).where(Client.deleted_at.is_not(None))).scalars().all()
        assert len(deleted) == 1  # still restorable by its owner
        db.session.remove()
    assert after == before


def test_ids_are_not_handed_out_again_after_a_restore(app, make, runner, empty_instance, tmp_path):
    workspace = make.workspace()
    for _ in range(3):
        make.client(workspace)
    last = db.session.execute(select(func.max(Client.id))).scalar_one()
    db.session.execute(Client.__table__.delete().where(Client.id == last))  # purged: its id is not reused
    db.session.commit()
    assert runner.invoke(args=["backup", str(tmp_path / "b")]).exit_code == 0
    assert restore_into(empty_instance, tmp_path / "b").exit_code == 0
    with empty_instance.app_context():
        newcomer = Client(
            workspace_id=db.session.execute(select(Workspace.id)).scalar_one(), name="New", country="VN"
        )
        db.session.add(newcomer)
        db.session.commit()
        assert newcomer.id > last
        db.session.remove()


def corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["evidence", "database", "missing", "no manifest"])
def test_a_corrupt_backup_is_refused_and_nothing_restored(make, runner, empty_instance, tmp_path, damage):
    tree = make.tree()
    add_file(tree["project"])
    target = tmp_path / "backup"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    files = json.loads((target / MANIFEST).read_text())["files"]
    evidence = next(target / entry["path"] for entry in files if entry["path"].startswith("evidence/"))
    database = next(target / entry["path"] for entry in files if not entry["path"].startswith("evidence/"))
    if damage == "evidence":
        corrupt(evidence)
    elif damage == "database":
        corrupt(database)
    elif damage == "missing":
        evidence.unlink()
    else:
        (target / MANIFEST).unlink()

    result = restore_into(empty_instance, target)
    assert result.exit_code == 1
    assert ("not a complete backup" if damage == "no manifest" else "corrupt or incomplete") in result.output
    with empty_instance.app_context():
        assert db.session.execute(select(func.count()).select_from(Client)).scalar_one() == 0
        db.session.remove()
    assert not list(Path(empty_instance.config["EVIDENCE_DIR"]).glob("*"))


def test_a_non_empty_instance_or_another_revision_is_refused(app, make, runner, empty_instance, tmp_path):
    make.tree()
    target = tmp_path / "backup"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    result = runner.invoke(args=["restore", str(target)])  # into the instance it came from
    assert result.exit_code == 1 and "This instance is not empty" in result.output

    manifest = json.loads((target / MANIFEST).read_text())
    manifest["alembic_revision"] = "0004"
    (target / MANIFEST).write_text(json.dumps(manifest))
    result = restore_into(empty_instance, target)
    assert result.exit_code == 1 and "revision" in result.output


def test_backup_refuses_a_folder_that_is_not_empty(runner, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "something").write_text("x")
    result = runner.invoke(args=["backup", str(tmp_path / "used")])
    assert result.exit_code == 1 and "not an empty folder" in result.output


def test_every_table_that_names_stored_files_is_backed_up_with_them():
    naming = {table.name for table in backup_rows.tables() if "storage_name" in table.c}
    assert (
        naming
        == {table.name for table in backup_rows.STORED_FILES}
        == {
            "evidence_versions",
            "document_revisions",
        }
    )
