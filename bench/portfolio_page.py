"""Benchmark: the consultant's portfolio page (/portfolio) on a generated portfolio, statement by statement.

Run with ``.venv/bin/python -m bench.portfolio_page`` (``--clients``, ``--repeat``). On PostgreSQL when
``BENCH_DATABASE_URL`` or ``TEST_DATABASE_URL`` is set, else on SQLite (:mod:`bench.portfolio_data`).

For the home page, a filtered, a sorted and a second page, it prints the in-process query count and median
time (Flask's test client, as :mod:`bench.main_pages` does), then each statement of one warm request with
its time, and on PostgreSQL the planning and execution times ``EXPLAIN ANALYZE`` gives for it (a plan over
``jit_above_cost`` shows as JIT time). The load test of the page is :mod:`bench.main_pages`'s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from app.extensions import db
from bench.harness import in_process
from bench.portfolio_data import Instance, portfolio, postgresql_url

VARIANTS = (
    ("portfolio (home)", "/portfolio"),
    ("filtered and sorted", "/portfolio?sort=readiness&dir=desc&standard=iso9001"),
    ("sorted by client", "/portfolio?sort=client"),
    ("sorted by coverage", "/portfolio?sort=coverage&dir=desc"),
    ("page 2", "/portfolio?page=2"),
    ("status filter and search", "/portfolio?status=at_risk&q=a"),
)
WIDTH = 28


def _statements(http: Any, path: str) -> list[tuple[float, str, Any]]:
    """Each statement of one request: (seconds, SQL, parameters)."""
    seen: list[tuple[float, str, Any]] = []
    started: list[float] = []

    def before(*_: Any) -> None:
        started.append(time.perf_counter())

    def after(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((time.perf_counter() - started.pop(), statement, parameters))

    event.listen(db.engine, "before_cursor_execute", before)
    event.listen(db.engine, "after_cursor_execute", after)
    try:
        http.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
        event.remove(db.engine, "after_cursor_execute", after)
    return seen


def _explained(statement: str, parameters: Any) -> str:
    """Planning, execution and JIT milliseconds of a statement, by EXPLAIN ANALYZE (PostgreSQL)."""
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters)
        plan = cursor.fetchall()[0][0][0]
    finally:
        raw.close()
    jit = plan.get("JIT", {}).get("Timing", {}).get("Total", 0.0)
    return f"planned {plan['Planning Time']:6.1f} ms, ran {plan['Execution Time']:6.1f} ms, JIT {jit:5.1f} ms"


def measure(instance: Instance, repeat: int) -> None:
    app = instance.app
    postgresql = instance.engine_name == "PostgreSQL"
    with app.app_context():
        http = app.test_client()
        http.post("/login", data={"email": instance.email, "password": instance.password})
        print(f"{'page':{WIDTH}} {'queries':>7} {'median ms':>9}")
        for label, path in VARIANTS:
            found = in_process(http, db.engine, path, repeat)
            print(f"{label:{WIDTH}} {found.queries:7d} {found.median_ms:9.1f}")
        for label, path in VARIANTS:
            print(f"\n{label} ({path}), one warm request:")
            for seconds, statement, parameters in _statements(http, path):
                head = " ".join(statement.split())[:60]
                explained = f"  {_explained(statement, parameters)}" if postgresql else ""
                print(f"  {seconds * 1000:6.1f} ms  {head}{explained}")
        db.session.remove()


def main(clients: int = 200, repeat: int = 20) -> None:
    url = postgresql_url()
    with tempfile.TemporaryDirectory() as folder, portfolio(Path(folder), clients, url) as instance:
        print(f"Generated {clients} clients on {instance.engine_name} in {instance.generated_in:.1f} s.")
        measure(instance, repeat)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.portfolio_page", description=__doc__)
    parser.add_argument("--clients", type=int, default=200, help="generated client factories (200)")
    parser.add_argument("--repeat", type=int, default=20, help="requests timed per page (20)")
    arguments = parser.parse_args()
    main(arguments.clients, arguments.repeat)
