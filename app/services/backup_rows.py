"""The database side of a backup: a consistent snapshot on either engine, and reading its rows back.

- SQLite: the sqlite3 online backup API copies the live file page by page into ``database.sqlite3``; the
  copy is one consistent state of the database even while the app writes.
- PostgreSQL: every table's rows are written as JSON lines (``tables/<table>.jsonl``) inside one
  ``REPEATABLE READ`` read-only transaction, so all tables show the same moment; no ``pg_dump`` binary
  is needed, and the rows can be restored into either engine.

Either way the snapshot also gives the Alembic revision, the id sequences (so restored ids are never
handed out again, as on the original) and the stored files its rows name (evidence versions and document
revisions, :data:`STORED_FILES`), all from that same moment.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, create_engine, select, text
from sqlalchemy import types as sa_types

from app.extensions import db
from app.models import Base, DocumentRevision, EvidenceVersion

SQLITE_FILE = "database.sqlite3"
TABLES_DIR = "tables"
BATCH = 1000
# Every table whose rows name a file in the evidence store (storage_name, sha256).
STORED_FILES: tuple[Any, ...] = (EvidenceVersion.__table__, DocumentRevision.__table__)


@dataclass
class Snapshot:
    """What the database held at the moment of the snapshot, besides the rows themselves."""

    revision: str
    row_counts: dict[str, int] = field(default_factory=dict)
    sequences: dict[str, int] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)  # stored file's name -> recorded SHA-256
    files: list[str] = field(default_factory=list)  # what the snapshot wrote, relative to the backup


def tables() -> list[Table]:
    """Every table of the app, parents before children."""
    return list(Base.metadata.sorted_tables)


def id_tables() -> list[Table]:
    return [table for table in tables() if "id" in table.c and table.c.id.primary_key]


def engine_kind() -> str:
    return db.engine.dialect.name


# Taking the snapshot


def snapshot(target: Path) -> Snapshot:
    if engine_kind() == "sqlite":
        return _snapshot_sqlite(target)
    if engine_kind() == "postgresql":
        return _snapshot_postgresql(target)
    raise ValueError(f"Backups of a {engine_kind()} database are not supported.")


def _snapshot_sqlite(target: Path) -> Snapshot:
    live = db.engine.url.database
    if not live or live == ":memory:":
        raise ValueError("Only a SQLite database in a file can be backed up.")
    copy = target / SQLITE_FILE
    source = sqlite3.connect(live)
    dest = sqlite3.connect(copy)
    try:
        source.backup(dest)
    finally:
        source.close()
        dest.close()
    # Everything else is read from the copy: the same moment as its rows.
    engine = _read_only_sqlite(copy)
    try:
        with engine.connect() as conn:
            found = _describe(conn, conn.execute(text("SELECT name, seq FROM sqlite_sequence")).all())
    finally:
        engine.dispose()
    found.files = [SQLITE_FILE]
    return found


def _read_only_sqlite(path: Path) -> Any:
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(f"file:{path}?mode=ro", uri=True))


def _describe(conn: Connection, sequence_rows: Any) -> Snapshot:
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    found = Snapshot(revision=revision)
    for table in tables():
        found.row_counts[table.name] = conn.execute(select(text("count(*)")).select_from(table)).scalar_one()
    found.sequences = {name: int(value) for name, value in sequence_rows if value is not None}
    for files in STORED_FILES:
        found.evidence.update(conn.execute(select(files.c.storage_name, files.c.sha256)).all())
    return found


def _snapshot_postgresql(target: Path) -> Snapshot:
    folder = target / TABLES_DIR
    folder.mkdir()
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            files = [_dump_table(conn, table, folder / f"{table.name}.jsonl") for table in tables()]
            found = _describe(conn, _pg_sequences(conn))
    found.files = [f"{TABLES_DIR}/{path.name}" for path in files]
    return found


def _pg_sequences(conn: Connection) -> list[tuple[str, int]]:
    """The last id each table's sequence handed out (None when it never did)."""
    last_value = text("SELECT pg_sequence_last_value(pg_get_serial_sequence(:t, 'id')::regclass)")
    return [(table.name, conn.execute(last_value, {"t": table.name}).scalar()) for table in id_tables()]


def _dump_table(conn: Connection, table: Table, path: Path) -> Path:
    order = list(table.primary_key.columns)
    result = conn.execution_options(yield_per=BATCH).execute(select(table).order_by(*order))
    with path.open("w", encoding="utf-8") as out:
        for row in result.mappings():
            out.write(json.dumps({name: _to_json(value) for name, value in row.items()}, ensure_ascii=False))
            out.write("\n")
    return path


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


# Reading the rows back


def read_rows(source: Path, table: Table) -> Iterator[list[dict[str, Any]]]:
    """The table's rows in the backup at ``source``, in batches, as values its columns take."""
    if (source / SQLITE_FILE).is_file():
        yield from _sqlite_rows(source / SQLITE_FILE, table)
    else:
        yield from _jsonl_rows(source / TABLES_DIR / f"{table.name}.jsonl", table)


def _sqlite_rows(path: Path, table: Table) -> Iterator[list[dict[str, Any]]]:
    engine = _read_only_sqlite(path)
    try:
        with engine.connect() as conn:
            result = conn.execution_options(yield_per=BATCH).execute(select(table))
            for batch in result.mappings().partitions():
                yield [{name: _with_zone(table, name, value) for name, value in row.items()} for row in batch]
    finally:
        engine.dispose()


def _with_zone(table: Table, name: str, value: Any) -> Any:
    """SQLite keeps times in UTC without their zone; put it back for the engine that loads them."""
    column_type = table.c[name].type
    if isinstance(value, datetime) and value.tzinfo is None and getattr(column_type, "timezone", False):
        return value.replace(tzinfo=UTC)
    return value


def _jsonl_rows(path: Path, table: Table) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as rows:
        for line in rows:
            raw = json.loads(line)
            batch.append({name: _from_json(table, name, value) for name, value in raw.items()})
            if len(batch) == BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def _from_json(table: Table, name: str, value: Any) -> Any:
    if value is None:
        return None
    column_type = table.c[name].type
    if isinstance(column_type, sa_types.DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, sa_types.Date):
        return date.fromisoformat(value)
    if isinstance(column_type, sa_types.Numeric) and not isinstance(column_type, sa_types.Float):
        return Decimal(value)
    return value


# Restoring the sequences


def set_sequences(sequences: dict[str, int]) -> None:
    """Continue every id sequence from where the original was (or the largest id, if higher)."""
    session = db.session
    for table in id_tables():
        largest = session.execute(select(text("max(id)")).select_from(table)).scalar() or 0
        value = max(largest, sequences.get(table.name, 0))
        if engine_kind() == "postgresql":
            session.execute(
                text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v, :called)"),
                {"t": table.name, "v": max(value, 1), "called": value > 0},
            )
        elif value > 0:
            session.execute(text("DELETE FROM sqlite_sequence WHERE name = :t"), {"t": table.name})
            session.execute(
                text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :v)"), {"t": table.name, "v": value}
            )
