"""How the portfolio generator writes its bulk rows: multi-row INSERTs (SQLAlchemy's "insertmanyvalues"
batches them), with Python-side column defaults (version, created_at) filled in per row, and held in a
:class:`Batch` across projects, so that a table gets one statement for many projects rather than one each
(on PostgreSQL each statement is a round trip to the server).

A None is written as NULL (``render_nulls``): left out instead, rows with None in different columns would
make different statements, and the rows would go one statement each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import insert

from app.extensions import db

RECORDED_AT = time(10, 0)  # mid-morning UTC: the same day in every country of the portfolio

Row = dict[str, Any]
Family = tuple[Row, list[Row]]  # a parent's row and the rows of its children


def insert_rows(model: Any, rows: list[Row]) -> int:
    """Insert ``rows`` (dicts with the same keys) into ``model``'s table; how many."""
    if rows:
        db.session.execute(insert(model).execution_options(render_nulls=True), rows)
    return len(rows)


def insert_returning(model: Any, rows: list[Row]) -> list[int]:
    """Insert ``rows`` and return their new ids, in the order of ``rows``."""
    if not rows:
        return []
    stmt = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(db.session.scalars(stmt.execution_options(render_nulls=True), rows))


def moment(day: date) -> datetime:
    """A time on ``day`` for the rows dated to it (created, reviewed, recorded)."""
    return datetime.combine(day, RECORDED_AT, tzinfo=UTC)


@dataclass
class Batch:
    """Rows held until :meth:`write`: plain rows by table, and families (parents whose children need
    their ids) by parent and child table."""

    rows: dict[Any, list[Row]] = field(default_factory=dict)
    families: dict[tuple[Any, Any, str], list[Family]] = field(default_factory=dict)

    def add(self, model: Any, rows: list[Row]) -> None:
        self.rows.setdefault(model, []).extend(rows)

    def add_families(self, parent: Any, families: list[Family], child: Any = None, key: str = "") -> None:
        """Parents, each with its children's rows (whose ``key`` column gets the parent's id)."""
        self.families.setdefault((parent, child, key), []).extend(families)

    def write(self) -> dict[Any, list[tuple[Row, int]]]:
        """Insert everything held (families first) and forget it; each parent model's rows with their ids."""
        written: dict[Any, list[tuple[Row, int]]] = {}
        for (parent, child, key), families in self.families.items():
            ids = insert_returning(parent, [row for row, _ in families])
            written.setdefault(parent, []).extend(zip((row for row, _ in families), ids, strict=True))
            if child is not None:
                children = [{**c, key: i} for i, (_, cs) in zip(ids, families, strict=True) for c in cs]
                insert_rows(child, children)
        for model, rows in self.rows.items():
            insert_rows(model, rows)
        self.rows, self.families = {}, {}
        return written
