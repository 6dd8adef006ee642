"""How the portfolio generator writes its bulk rows: multi-row INSERTs (SQLAlchemy's "insertmanyvalues"
batches them), with Python-side column defaults (version, created_at) filled in per row.

A None is written as NULL (``render_nulls``): left out instead, rows with None in different columns would
make different statements, and the rows would go one statement each."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import insert

from app.extensions import db

RECORDED_AT = time(10, 0)  # mid-morning UTC: the same day in every country of the portfolio


def insert_rows(model: Any, rows: list[dict[str, Any]]) -> int:
    """Insert ``rows`` (dicts with the same keys) into ``model``'s table; how many."""
    if rows:
        db.session.execute(insert(model).execution_options(render_nulls=True), rows)
    return len(rows)


def insert_returning(model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` and return their new ids, in the order of ``rows``."""
    if not rows:
        return []
    stmt = (
        insert(model).returning(model.id, sort_by_parameter_order=True).execution_options(render_nulls=True)
    )
    return list(db.session.scalars(stmt, rows))


def moment(day: date) -> datetime:
    """A time on ``day`` for the rows dated to it (created, reviewed, recorded)."""
    return datetime.combine(day, RECORDED_AT, tzinfo=UTC)
