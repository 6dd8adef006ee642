"""Benchmark: the portfolio workbook (and CSV) of 200 generated clients, and one project's gap analysis
round trip (export, then read the export back as an import's preview), in time and peak memory.

Run with ``.venv/bin/python -m bench.exports`` (``make bench`` runs it). Each file is made twice in
process, as the route makes it: once timed, once under tracemalloc for the peak Python allocated (not
timed: tracemalloc slows the run). Prints figures; never fails on time.
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import CertificationProject, Membership
from app.services import export_tables, gap_import, portfolio_export, xlsx
from app.services.scope import Scope
from bench.portfolio_data import portfolio

MB = 1024 * 1024
CLIENTS = 200


def measure(make: Callable[[], int]) -> tuple[float, float, int]:
    """Seconds, Python's peak MB (tracemalloc) and the size in bytes of what ``make`` made; after one
    warm-up run, so the figures are those of a running app (imports and caches already paid)."""
    make()
    started = time.perf_counter()
    size = make()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    make()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / MB, size


def _line(label: str, figures: tuple[float, float, int]) -> str:
    seconds, peak, size = figures
    return f"{label:<52} {seconds:>6.2f} s  {peak:>7.1f} MB peak  {size / 1024:>7.0f} KB"


def main() -> None:
    print("Exports (time; Python's peak memory under tracemalloc; file size)")
    with (
        tempfile.TemporaryDirectory() as folder,
        portfolio(Path(folder) / "portfolio", CLIENTS) as instance,
        instance.app.app_context(),
    ):
        membership = db.session.execute(
            select(Membership).where(Membership.user.has(email=instance.email))
        ).scalar_one()
        scope = Scope.of(membership)
        today = date.today()
        projects = db.session.execute(select(CertificationProject.id)).all()

        def workbook() -> int:
            db.session.expire_all()
            return len(xlsx.workbook_bytes(portfolio_export.portfolio_export(scope, today)))

        def csv_file() -> int:
            db.session.expire_all()
            table = portfolio_export.portfolio_export(scope, today).tables[0]
            return len("".join(xlsx.csv_lines(table)).encode())

        print(_line(f"portfolio.xlsx, {CLIENTS} clients ({len(projects)} projects)", measure(workbook)))
        print(_line(f"portfolio.csv, {CLIENTS} clients", measure(csv_file)))

        project = db.session.get(CertificationProject, instance.project_id)
        assert project is not None
        exported = xlsx.workbook_bytes(export_tables.gap_export(project))

        def gap_export() -> int:
            db.session.expire_all()
            return len(xlsx.workbook_bytes(export_tables.gap_export(project)))

        def gap_preview() -> int:
            db.session.expire_all()
            return len(gap_import.read_plan(project, exported, today).changes) + len(exported)

        print(_line("gap.xlsx of one project", measure(gap_export)))
        print(_line("gap import preview of that file (checks and plan)", measure(gap_preview)))


if __name__ == "__main__":
    main()
