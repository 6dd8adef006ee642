"""Benchmark: the PDF readiness report of each demo project (the goal: under 2 s for the fullest) and the
portfolio PDF of 200 generated clients, in time and peak memory.

Run with ``.venv/bin/python -m bench.report`` (``make bench`` runs it after the others). Each PDF is made
in process, as the route makes it (the services, the template, the charts and WeasyPrint): timed (a demo
project's three times, its median shown), then once under tracemalloc for the peak Python allocated
(tracemalloc slows the run, so it is not timed); the process's resident memory is read before and at its
peak (VmHWM, reset before each PDF) to count what Pango, HarfBuzz and matplotlib's C side hold beside
Python's heap. The first PDF of the process also pays the imports and font loading: it is reported apart;
then the process freezes its heap, as a served worker does once warm (:mod:`app.web.heap`). Each timed PDF
starts with no chart text measured (:mod:`app.services.svg_labels` keeps a worker's measures), as a worker's
first report does; the fullest is then timed once more with its measures kept, as when it is asked again.
Prints figures; never fails on time.
"""

from __future__ import annotations

import contextlib
import io
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from contextlib import redirect_stderr
from datetime import date
from pathlib import Path
from typing import Any

from flask_migrate import upgrade
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import CertificationProject, EvidenceItem, Membership
from app.reports import render
from app.services import demo, svg_labels
from app.services.scope import Scope
from app.services.standards import load_bundled_standards
from app.web.heap import freeze_heap
from bench.portfolio_data import config, portfolio

MB = 1024 * 1024
CLIENTS = 200
GOAL_SECONDS = 2.0
DEMO_REPEAT = 3  # a demo report's time is the median of three: one run moves by a third on a shared machine


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def _reset_peak_rss() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS (Linux)


def measure(make: Callable[[], bytes], repeat: int = 1) -> tuple[float, float, float, float, int]:
    """Seconds (the median of ``repeat`` runs), Python's peak MB (tracemalloc), RSS before and its peak
    growth in MB, and the PDF's bytes."""
    _reset_peak_rss()
    before = _status_kb("VmRSS")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        content = make()
        times.append(time.perf_counter() - started)
    seconds = statistics.median(times)
    rss_growth = (_status_kb("VmHWM") - before) / 1024
    tracemalloc.start()
    make()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / MB, before / 1024, rss_growth, len(content)


def _line(label: str, figures: tuple[float, float, float, float, int], pages: str = "") -> str:
    seconds, peak, rss, growth, size = figures
    return (
        f"{label:<44} {seconds:>6.2f} s  {peak:>7.1f} MB  {rss:>7.0f} MB {growth:>+7.1f} MB  "
        f"{size / 1024:>6.0f} KB {pages}"
    )


def _pages(content: bytes) -> str:
    from pypdf import PdfReader  # a dev dependency: only to count the pages

    return f"{len(PdfReader(io.BytesIO(content)).pages)} pages"


def demo_reports(folder: Path) -> None:
    app = create_app(config(f"sqlite:///{folder / 'demo.db'}", folder))
    today = date.today()
    with app.app_context():
        with redirect_stderr(io.StringIO()):
            upgrade()
        load_bundled_standards()
        demo.create_demo(today)
        db.session.commit()
        rows = db.session.execute(
            select(CertificationProject.id, func.count(EvidenceItem.id))
            .outerjoin(EvidenceItem, EvidenceItem.project_id == CertificationProject.id)
            .group_by(CertificationProject.id)
            .order_by(CertificationProject.id)
        ).all()
        fullest = max(rows, key=lambda row: row[1])[0]
        first = db.session.get(CertificationProject, rows[0][0])
        started = time.perf_counter()
        render.project_pdf(first, "Bench", today)
        print(f"First PDF of the process (imports, fonts, matplotlib): {time.perf_counter() - started:.2f} s")
        freeze_heap()  # as a served worker does once warm (app/web/heap.py, GC_FREEZE_AFTER_REQUESTS)
        print(f"{'PDF':<44} {'time':>8}  {'py peak':>10}  {'RSS':>10} {'peak +':>8}  {'size':>9}")
        for project_id, evidence in rows:
            db.session.expire_all()
            project = db.session.get(CertificationProject, project_id)

            def make(project: Any = project) -> bytes:
                svg_labels.forget_measures()
                return render.project_pdf(project, "Bench", today)

            figures = measure(make, DEMO_REPEAT)
            label = f"demo project {project_id} ({project.standard.code}, {evidence} evidence)"
            if project_id == fullest:
                label += " *"
            print(_line(label, figures, _pages(make())))
        project = db.session.get(CertificationProject, fullest)
        times = []
        for _ in range(DEMO_REPEAT):
            started = time.perf_counter()
            render.project_pdf(project, "Bench", today)  # its lines measured by the runs before
            times.append(time.perf_counter() - started)
        print(f"{'the fullest again, its chart text measured':<44} {statistics.median(times):>6.2f} s")
        print(f"* the fullest; goal under {GOAL_SECONDS:.0f} s")


def portfolio_report(folder: Path) -> None:
    with portfolio(folder / "portfolio", CLIENTS) as instance, instance.app.app_context():
        membership = db.session.execute(
            select(Membership).where(Membership.user.has(email=instance.email))
        ).scalar_one()
        scope = Scope.of(membership)
        today = date.today()
        freeze_heap()

        def make() -> bytes:
            db.session.expire_all()
            return render.portfolio_pdf(scope, today)

        figures = measure(make)
        print(_line(f"portfolio of {CLIENTS} generated clients", figures, _pages(make())))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        demo_reports(Path(folder))
        portfolio_report(Path(folder))


if __name__ == "__main__":
    main()
