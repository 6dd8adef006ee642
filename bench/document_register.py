"""Benchmark: the document register of a project with 300 documents and 600 revisions, beside a bare page.

Run with ``.venv/bin/python -m bench.document_register`` (``--help`` for the options), or ``make bench``
with the defaults. It builds a throw-away instance (:mod:`bench.register_data`, SQLite in a temporary
folder, the measured register beside other projects' registers), then measures its pages in process and
served beside the bare page (:mod:`bench.pages`).

The targets (issue 9, from the performance review): at least half the bare page's throughput, and a p99
under 100 ms, at 2 connections. It prints figures and whether each page meets them; it never fails on time.
Beside them it times, in process, two pages that show nothing (:func:`floor_pages`): the part of each
page's time that every logged-in page, and every project page, pays before its content (issue 19).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from flask import Flask, render_template, url_for

from app.services.projects import project_in
from app.web.access import current_scope
from bench import baseline, register_data
from bench.pages import (
    CONNECTIONS,
    REFERENCE,
    Page,
    bare_page,
    measure_in_process,
    measure_served,
    print_table,
)
from bench.register_data import EMAIL, PASSWORD, Instance

PER_PAGE = 25  # the master list's (app.documents.routes.PER_PAGE)
TARGET_RATIO = 0.5
TARGET_P99_MS = 100.0
PAGES_PENDING = (
    "The register's pages (endpoint project.documents.index) are not in this checkout yet: "
    "only the data and the bare page were measured."
)


def pages_of(instance: Instance) -> list[Page] | None:
    """The pages to measure, or None while the register's pages are not in the app."""
    app = instance.app
    if "project.documents.index" not in app.view_functions:
        return None
    pid, ids = instance.project_id, instance.document_ids
    revised = ids[3]  # superseded, approved and a change in review (register_data.HISTORIES)
    last = -(-len(ids) // PER_PAGE)
    with app.test_request_context():
        index = url_for("project.documents.index", project_id=pid)
        return [
            Page(f"master list, page 1 of {last}", index),
            Page(f"master list, page {last}", f"{index}?page={last}"),
            Page("master list, overdue, by review date", f"{index}?status=overdue&sort=review"),
            Page(
                "document page, 3 revisions",
                url_for("project.documents.show", project_id=pid, document_id=revised),
            ),
            Page(f"{REFERENCE} budget page, 10 lines", f"/projects/{pid}/budget"),
        ]


# Pages that show nothing, on the measured app: the base template alone, and with a project's breadcrumb.
EMPTY_PAGE = '{% extends "base.html" %}'
EMPTY_PROJECT_PAGE = (
    '{% extends "base.html" %}{% from "gap/_macros.html" import crumbs %}'
    '{% block breadcrumb %}{{ crumbs(project, [("Documents", none)]) }}{% endblock %}'
)


def floor_pages(app: Flask, project_id: int) -> list[Page]:
    """Two pages added to the in-process app (before its first request; the served app has none): an empty
    logged-in page, which pays what every page does before its content (log-in, the workspace scope, the
    session, the CSRF token, security headers, the base template), and an empty project page, which adds
    what every project page does (its project loaded as project pages load it, the breadcrumb)."""
    empty, with_project = app.jinja_env.from_string(EMPTY_PAGE), app.jinja_env.from_string(EMPTY_PROJECT_PAGE)

    def empty_page() -> str:
        return render_template(empty)

    def empty_project_page(project_id: int) -> str:
        return render_template(with_project, project=project_in(current_scope(), project_id))

    app.add_url_rule("/_bench/empty", "bench_empty_page", empty_page)
    app.add_url_rule("/_bench/empty/<int:project_id>", "bench_empty_project_page", empty_project_page)
    return [
        Page("empty logged-in page", "/_bench/empty"),
        Page("empty project page", f"/_bench/empty/{project_id}"),
    ]


def report_floor(pages: list[Page], floor: list[Page], bare: Page) -> None:
    """How much of each page's in-process time its content costs, and how much every page pays anyway."""
    empty, project, bare_ms = (p.local.median_ms if p.local else float("nan") for p in [*floor, bare])
    print(
        f"In process, an empty logged-in page takes {empty:.1f} ms, an empty project page {project:.1f} ms "
        f"(the bare page {bare_ms:.1f} ms, 200 rows included). "
        "The part of each page that every project page pays before its content:"
    )
    for page in pages:
        if page.local and not page.label.startswith(REFERENCE):
            share = project / page.local.median_ms
            print(f"  {page.label}: {project:.1f} of {page.local.median_ms:.1f} ms ({share:.0%})")


def report(instance: Instance, pages: list[Page], bare: Page, rounds: int, seconds: float) -> None:
    print(
        f"{len(instance.document_ids)} documents, {instance.revisions} revisions (SQLite); gunicorn "
        f"{CONNECTIONS} sync workers each, {CONNECTIONS} connections, {rounds} round(s) of {seconds:g} s "
        f"per page; load average now {os.getloadavg()[0]:.1f}"
    )
    print_table(pages, bare)
    print(f"Targets at {CONNECTIONS} connections: ratio >= {TARGET_RATIO}, p99 < {TARGET_P99_MS:.0f} ms.")
    for page in pages:
        if page.label.startswith(REFERENCE):
            continue
        verdict = "meets" if page.ratio >= TARGET_RATIO and page.p99 < TARGET_P99_MS else "MISSES"
        print(f"  {page.label}: {verdict} them (ratio {page.ratio:.2f}, p99 {page.p99:.0f} ms)")


def main(documents: int = 300, rounds: int = 3, seconds: float = 4.0, others: int = 10) -> None:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        instance = register_data.build(Path(folder), documents, others)
        took = time.perf_counter() - started
        print(
            f"Built {documents} documents and {instance.revisions} revisions, beside {others} other "
            f"projects' registers of 100 documents, in {took:.1f} s."
        )
        bare_db = Path(folder) / "bare.db"
        baseline.create_rows(bare_db)
        bare = bare_page()
        pages = pages_of(instance)
        if pages is None:
            print(PAGES_PENDING)
            pages = []
        floor = floor_pages(instance.app, instance.project_id)
        login = (EMAIL, PASSWORD)
        measure_in_process(instance.app, login, [*pages, *floor], bare, bare_db)
        env = register_data.served_env(instance.folder)
        measure_served(env, login, pages, bare, bare_db, rounds, seconds)
        report(instance, pages, bare, rounds, seconds)
        report_floor(pages, floor, bare)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.document_register")
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--others", type=int, default=10, help="other projects, each with 100 documents")
    arguments = parser.parse_args()
    main(arguments.documents, arguments.rounds, arguments.seconds, arguments.others)
