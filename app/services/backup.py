"""Backing up the whole instance, and restoring a backup into an empty one.

A backup is a folder: a consistent snapshot of the database (:mod:`app.services.backup_rows`), a copy of
every stored file its rows name, evidence versions and document revisions alike (``evidence/<storage
name>``), and ``manifest.json``, written last, listing every file with its size and SHA-256, the Alembic
revision, the engine, the row counts and the time. A folder without a manifest is not a backup.

A restore checks everything before it changes anything: every file of the manifest is there with its
SHA-256 (a corrupt or incomplete backup is refused), the database is migrated to the backup's revision
and holds no row at all, and the evidence folder holds no file. Then it loads the rows (parents first),
continues the id sequences, copies the files and records the restore; the caller commits. The copied
files are removed again if that commit does not happen.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from app.models.base import utcnow
from app.services import backup_rows, data_events
from app.services.evidence import store
from app.services.evidence_store import STORAGE_NAME
from app.services.transaction import remove_on_rollback

FORMAT = 1
MANIFEST = "manifest.json"
FILES_DIR = "evidence"
CHUNK = 1024 * 1024
ALLOWED_PATH = re.compile(
    rf"{backup_rows.SQLITE_FILE}|{backup_rows.TABLES_DIR}/[a-z_]+\.jsonl|{FILES_DIR}/[0-9a-f]{{64}}"
)


class BackupError(Exception):
    """The backup or restore cannot go ahead; nothing was changed."""


@dataclass(frozen=True)
class BackupResult:
    manifest: dict[str, Any]
    missing: list[str]  # evidence files the database names but the store does not have
    mismatched: list[str]  # evidence files whose SHA-256 is not the one recorded at upload


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as content:
        while chunk := content.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _file_entry(root: Path, relative: str) -> dict[str, Any]:
    path = root / relative
    return {"path": relative, "size": path.stat().st_size, "sha256": sha256_of(path)}


def _empty_folder(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} is not an empty folder: choose a new one for the backup.")
    target.mkdir(parents=True, exist_ok=True)


def create_backup(target: Path) -> BackupResult:
    """Write a backup of the database and the evidence files into ``target`` (new or empty)."""
    _empty_folder(target)
    taken_at = utcnow()
    found = backup_rows.snapshot(target)
    (target / FILES_DIR).mkdir()
    entries = [_file_entry(target, relative) for relative in found.files]
    missing, mismatched = [], []
    files = store()
    for name, recorded in sorted(found.evidence.items()):
        source = files.path(name)
        if not source.is_file():
            missing.append(name)
            continue
        shutil.copyfile(source, target / FILES_DIR / name)
        entry = _file_entry(target, f"{FILES_DIR}/{name}")
        if entry["sha256"] != recorded:
            mismatched.append(name)
        entries.append(entry)
    manifest = {
        "format": FORMAT,
        "app": "readiness",
        "created_at": taken_at.isoformat(),
        "engine": backup_rows.engine_kind(),
        "alembic_revision": found.revision,
        "tables": found.row_counts,
        "sequences": found.sequences,
        "files": entries,
        "missing_files": missing,
    }
    _write_json(target / MANIFEST, manifest)
    return BackupResult(manifest, missing, mismatched)


def _write_json(path: Path, value: Any) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(value, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temporary, path)


# Restoring


def read_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{source} has no {MANIFEST}: it is not a complete backup.") from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source / MANIFEST} cannot be read: {exc}") from None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or manifest.get("app") != "readiness"
    ):
        raise BackupError(f"{source / MANIFEST} is not the manifest of a Readiness backup (format {FORMAT}).")
    return manifest


def verify(source: Path, manifest: dict[str, Any]) -> list[str]:
    """Every problem with the backup's files: missing, wrong size or SHA-256, or not a backup's file."""
    problems = []
    for entry in manifest.get("files", []):
        relative = entry.get("path", "")
        path = source / relative
        if not ALLOWED_PATH.fullmatch(relative):
            problems.append(f"{relative}: not a file a backup holds")
        elif not path.is_file():
            problems.append(f"{relative}: missing")
        elif path.stat().st_size != entry.get("size") or sha256_of(path) != entry.get("sha256"):
            problems.append(f"{relative}: its SHA-256 is not the one in the manifest (corrupt)")
    listed = {entry.get("path") for entry in manifest.get("files", [])}
    if backup_rows.SQLITE_FILE not in listed:
        tables = {f"{backup_rows.TABLES_DIR}/{table.name}.jsonl" for table in backup_rows.tables()}
        problems += [f"{path}: not in the manifest" for path in sorted(tables - listed)]
    return problems


def _current_revision() -> str | None:
    try:
        return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:  # no alembic_version table: never migrated
        db.session.rollback()
        return None


def _check_target(manifest: dict[str, Any]) -> None:
    revision = _current_revision()
    wanted = manifest.get("alembic_revision")
    if revision != wanted:
        raise BackupError(
            f"The database is at revision {revision or 'none'} but the backup at {wanted}: "
            f"create an empty database and run `flask db upgrade {wanted}` first."
        )
    filled = {}
    for table in backup_rows.tables():
        count = db.session.execute(select(func.count()).select_from(table)).scalar_one()
        if count:
            filled[table.name] = count
    if filled:
        listed = ", ".join(f"{count} in {name}" for name, count in sorted(filled.items()))
        raise BackupError(
            f"This instance is not empty ({listed}): a backup is restored only into a new, empty "
            "database (migrated, with no catalogs loaded) and an empty evidence folder."
        )
    root = store().root
    if root.is_dir() and any(STORAGE_NAME.fullmatch(path.name) for path in root.iterdir()):
        raise BackupError(f"The evidence folder {root} already holds files: restore into an empty one.")


def restore_backup(source: Path) -> dict[str, Any]:
    """Restore the backup in ``source`` into this empty instance; returns its manifest. The caller commits."""
    manifest = read_manifest(source)
    problems = verify(source, manifest)
    if problems:
        raise BackupError(
            "The backup is corrupt or incomplete; nothing was restored:\n" + "\n".join(problems)
        )
    _check_target(manifest)
    rows = 0
    for table in backup_rows.tables():
        for batch in backup_rows.read_rows(source, table):
            db.session.execute(table.insert(), batch)
            rows += len(batch)
    backup_rows.set_sequences(manifest.get("sequences", {}))
    copied = _copy_files(source, manifest)
    taken = manifest.get("created_at", "")
    detail = f"Backup of {taken}: {rows} rows, {copied} evidence files"
    data_events.record("restored_backup", "instance", None, None, None, detail)
    return manifest


def _copy_files(source: Path, manifest: dict[str, Any]) -> int:
    files = store()
    files.root.mkdir(parents=True, exist_ok=True)
    copied = 0
    for entry in manifest.get("files", []):
        relative = entry["path"]
        if not relative.startswith(f"{FILES_DIR}/"):
            continue
        name = relative.removeprefix(f"{FILES_DIR}/")
        fd, temporary = tempfile.mkstemp(prefix=".restoring-", dir=files.root)
        os.close(fd)
        shutil.copyfile(source / relative, temporary)
        os.replace(temporary, files.path(name))
        remove_on_rollback(files.path(name))
        copied += 1
    return copied
