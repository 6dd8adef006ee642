"""Measuring some pages of a generated instance beside the bare page, the same way in every benchmark:

- in process (Flask's test client): each page's queries, bytes and median time of 20 requests;
- served: the app as deployed (READINESS_ENV=production) and the bare page (:mod:`bench.baseline`), each
  by gunicorn with 2 sync workers, loaded by 2 connections for a few seconds per page, in rounds that
  interleave the bare page with the others. For each page: requests per second, p50 and p99 latency, and
  its throughput as a share of the bare page's in the same round (the median over the rounds).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from app.extensions import db
from bench import baseline
from bench.harness import InProcess, Run, Server, hammer, in_process, log_in, served

CONNECTIONS = 2
# A page the performance review measured on the same data (budget: ratio 0.58 at 2 connections there), to
# tell how this machine and this bare page compare with the review's.
REFERENCE = "for reference:"


@dataclass
class Page:
    label: str
    path: str
    local: InProcess | None = None
    runs: list[Run] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)

    @property
    def p99(self) -> float:
        return Run([t for run in self.runs for t in run.latencies], 1, 0).percentile(99)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios) if self.ratios else 1.0


def bare_page() -> Page:
    return Page(f"bare Flask page ({baseline.ROWS} rows, 1 query)", baseline.PATH)


def measure_in_process(
    app: Flask, login: tuple[str, str], pages: list[Page], bare: Page, bare_db: Path
) -> None:
    with app.app_context():
        http = app.test_client()
        http.post("/login", data={"email": login[0], "password": login[1]})
        for page in pages:
            page.local = in_process(http, db.engine, page.path)
        db.session.remove()
    bare_app = baseline.create_baseline(bare_db)
    bare.local = in_process(bare_app.test_client(), None, bare.path)  # its 1 query goes through sqlite3


def measure_served(
    env: dict[str, str],
    login: tuple[str, str],
    pages: list[Page],
    bare: Page,
    bare_db: Path,
    rounds: int,
    seconds: float,
) -> None:
    with (
        served("readiness", env) as port,
        served("baseline", {"BENCH_BASELINE_DB": str(bare_db)}) as bare_port,
    ):
        session = log_in(port, *login)
        bare_server = Server(bare_port)
        for page in [bare, *pages]:  # warm up every worker: templates compiled, connections opened
            hammer(bare_server if page is bare else session, page.path, CONNECTIONS, 1.0)
        for _ in range(rounds):
            measured: list[Page | None] = [*pages] or [None]  # no page yet: the bare page alone
            for target in measured:  # the bare page just before each page, so both see the same load
                reference = hammer(bare_server, bare.path, CONNECTIONS, seconds)
                bare.runs.append(reference)
                if target is not None:
                    run = hammer(session, target.path, CONNECTIONS, seconds)
                    target.runs.append(run)
                    target.ratios.append(run.rps / reference.rps if reference.rps else 0.0)


def print_table(pages: list[Page], bare: Page, width: int = 40) -> None:
    """One line per page: queries, bytes, in-process median, rps, p50, p99 and the ratio to the bare page."""
    columns = ("queries", 7), ("bytes", 9), ("in-proc", 8), ("rps", 6), ("p50", 6), ("p99", 6), ("ratio", 6)
    print(f"{'page':<{width}} " + " ".join(f"{name:>{size}}" for name, size in columns))
    for page in [bare, *pages]:
        local = page.local
        pooled = Run([t for run in page.runs for t in run.latencies], sum(r.seconds for r in page.runs), 0)
        rps = statistics.median(run.rps for run in page.runs) if page.runs else float("nan")
        failures = sum(run.failures for run in page.runs)
        queries = 1 if page is bare else local.queries if local else 0
        print(
            f"{page.label:<{width}} {queries:>7} {local.size if local else 0:>9,} "
            f"{local.median_ms if local else 0:>6.1f}ms {rps:>6.0f} {pooled.percentile(50):>4.0f}ms "
            f"{pooled.percentile(99):>4.0f}ms {page.ratio:>6.2f}"
            + (f"  ({failures} failed)" if failures else "")
        )
