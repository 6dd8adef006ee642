"""Benchmark: the training matrix of a project with 150 people x 40 requirements, beside a bare page.

Run with ``.venv/bin/python -m bench.training_matrix`` (``--help`` for the options), or ``make bench`` with
the defaults. It builds a throw-away instance (:mod:`bench.training_data`, SQLite in a temporary folder:
150 active people, 40 requirements, 3000 attendance records, beside three other projects' matrices), then
measures the matrix page, whole and filtered, in process and served beside the bare page
(:mod:`bench.pages`).

The matrix page holds 6000 cells where the bare page holds 200 rows of 5 (1000 cells), so its throughput is
not compared with the bare page's "half" target of the register's pages. Its targets (issue 10): the same
number of queries whatever the size of the matrix (the query count is printed for both sizes), and a p99
under 500 ms at 2 connections for the whole matrix. It prints figures and whether the page meets them; it
never fails on time.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from flask import url_for

from app.extensions import db
from bench import baseline, register_data, training_data
from bench.harness import in_process
from bench.pages import CONNECTIONS, Page, bare_page, measure_in_process, measure_served, print_table
from bench.training_data import EMAIL, PASSWORD, Instance

ENDPOINT = "project.training_matrix.index"
TARGET_P99_MS = 500.0
SMALL = (20, 8, 150)  # people, requirements, records of the small matrix the query count is compared with
PAGES_PENDING = (
    f"The training matrix page (endpoint {ENDPOINT}) is not in this checkout yet: "
    "only the data and the bare page were measured."
)


def pages_of(instance: Instance) -> list[Page] | None:
    """The pages to measure, or None while the matrix page is not in the app."""
    app = instance.app
    if ENDPOINT not in app.view_functions:
        return None
    made = instance.made
    with app.test_request_context():
        index = url_for(ENDPOINT, project_id=instance.project_id)
    return [
        Page(f"matrix, {made.people} people x {made.requirements}", index),
        Page("matrix, one department", f"{index}?department={training_data.DEPARTMENTS[0]}"),
        Page("matrix, outdated cells only", f"{index}?state=outdated"),
    ]


def small_matrix_queries(folder: Path) -> int | None:
    """The matrix page's query count for a small matrix (20 people x 8 requirements), in another instance."""
    people, requirements, records = SMALL
    small = training_data.build(folder, people, requirements, records, others=0)
    if ENDPOINT not in small.app.view_functions:
        return None
    with small.app.app_context():
        http = small.app.test_client()
        http.post("/login", data={"email": EMAIL, "password": PASSWORD})
        with small.app.test_request_context():
            path = url_for(ENDPOINT, project_id=small.project_id)
        queries = in_process(http, db.engine, path, repeat=1).queries
        db.session.remove()
    return queries


def report(
    instance: Instance, pages: list[Page], bare: Page, small: int | None, rounds: int, seconds: float
) -> None:
    made = instance.made
    print(
        f"{made.people} people x {made.requirements} requirements ({made.documents} on documents), "
        f"{made.records} attendance records in {made.sessions} sessions (SQLite); gunicorn "
        f"{CONNECTIONS} sync workers each, {CONNECTIONS} connections, {rounds} round(s) of {seconds:g} s per "
        f"page; load average now {os.getloadavg()[0]:.1f}"
    )
    print_table(pages, bare)
    if not pages:
        return
    whole = pages[0]
    large = whole.local.queries if whole.local else 0
    people, requirements, _ = SMALL
    print(
        f"Targets: the same queries at every size ({people} x {requirements}: {small}, "
        f"{made.people} x {made.requirements}: {large}); p99 < {TARGET_P99_MS:.0f} ms at {CONNECTIONS} "
        "connections."
    )
    verdict = "meets" if small == large and whole.p99 < TARGET_P99_MS else "MISSES"
    print(
        f"  {whole.label}: {verdict} them (p99 {whole.p99:.0f} ms, ratio to the bare page {whole.ratio:.2f})"
    )


def main(
    people: int = 150, requirements: int = 40, records: int = 3000, rounds: int = 3, seconds: float = 4.0
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        instance = training_data.build(Path(folder), people, requirements, records)
        took = time.perf_counter() - started
        made = instance.made
        print(
            f"Built {made.people} people, {made.requirements} requirements and {made.records} attendance "
            f"records, beside 3 other projects' matrices, in {took:.1f} s."
        )
        bare_db = Path(folder) / "bare.db"
        baseline.create_rows(bare_db)
        bare = bare_page()
        pages = pages_of(instance)
        small = None
        if pages is None:
            print(PAGES_PENDING)
            pages = []
        else:
            with tempfile.TemporaryDirectory() as other:
                small = small_matrix_queries(Path(other))
        login = (EMAIL, PASSWORD)
        measure_in_process(instance.app, login, pages, bare, bare_db)
        env = register_data.served_env(instance.folder)
        measure_served(env, login, pages, bare, bare_db, rounds, seconds)
        report(instance, pages, bare, small, rounds, seconds)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.training_matrix")
    parser.add_argument("--people", type=int, default=150)
    parser.add_argument("--requirements", type=int, default=40)
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4.0)
    arguments = parser.parse_args()
    main(arguments.people, arguments.requirements, arguments.records, arguments.rounds, arguments.seconds)
