"""Count the SQL statements a block of code sends (to show a page's query count does not grow with data)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from app.extensions import db


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """Start from a fresh session, so nothing is served from the identity map of earlier requests.

    (Test requests share the test's app context, hence its session.)
    """
    db.session.remove()
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
