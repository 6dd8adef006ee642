"""Benchmark: the main pages of a consultant's portfolio of 200 generated client factories, beside the bare
page (issue 19).

Run with ``.venv/bin/python -m bench.main_pages`` (``--help`` for the options), or ``make bench`` with the
defaults (``BENCH_QUICK=1``: 20 clients and short runs, to see that it works; ``BENCH_LARGE=1``: the growth
table goes on to 1,000 clients, which takes minutes more to generate). On PostgreSQL when
``BENCH_DATABASE_URL`` or ``TEST_DATABASE_URL`` is set, else on SQLite (:mod:`bench.portfolio_data`).

1. Generates the portfolio (:mod:`app.services.generator.portfolio`) and times it.
2. In process (Flask's test client): each page's queries, bytes and median time of 20 requests.
3. Served: the app as deployed (READINESS_ENV=production) and the bare page (:mod:`bench.baseline`), each by
   gunicorn with 2 sync workers, loaded by wrk (:mod:`bench.wrk`) at 2 and then 16 connections, the bare
   page measured just before each page at the same concurrency; each page's throughput as a share of the
   bare page's (the ratio), p50 and p99 latency.
4. Growth: the in-process time of the pages showing one project, and of the lists, on portfolios of 20, 200
   (and 1,000) clients, two rounds (small to large, then back), their mean.

The targets (issue 19): at 16 connections at least half the bare page's throughput, at 2 connections a p99
under 100 ms. It prints figures and whether each page meets them; it never fails on time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.extensions import db
from bench import baseline, wrk
from bench.harness import InProcess, Server, get, in_process, log_in, served
from bench.portfolio_data import Instance, portfolio, postgresql_url

CONNECTIONS = (2, 16)
TARGET_RATIO = 0.5  # at 16 connections
TARGET_P99_MS = 100.0  # at 2 connections
WIDTH = 44


@dataclass
class Page:
    label: str
    path: str
    api: bool = False
    one_project: bool = False  # shows one project: its time must not grow with the portfolio
    status: int = 200  # what it answers (the floor row: a 404)
    floor: bool = False  # not a main page: what any logged-in page costs before it shows anything
    local: InProcess | None = None
    loads: dict[int, list[wrk.Load]] = field(default_factory=dict)
    ratios: dict[int, list[float]] = field(default_factory=dict)

    def ratio(self, connections: int) -> float:
        found = self.ratios.get(connections)
        return statistics.median(found) if found else float("nan")

    def figure(self, connections: int, name: str) -> float:
        found = [getattr(load, name) for load in self.loads.get(connections, [])]
        return statistics.median(found) if found else float("nan")


def pages_of(project_id: int, medical_id: int) -> list[Page]:
    """The main pages of a project (the portfolio's first: ISO 9001, with registers), the lists, the API,
    and a register of an ISO 13485 project (``medical_id``)."""
    p, m = f"/projects/{project_id}", f"/projects/{medical_id}"
    api = f"/api/v1/projects/{project_id}"
    return [
        Page("portfolio (home)", "/portfolio"),
        Page(
            "portfolio sorted by readiness, filtered",
            "/portfolio?sort=readiness&dir=desc&standard=iso9001",
        ),
        Page("review queue", "/review-queue"),
        Page("client list (portfolio)", "/clients"),
        Page("project list", "/projects"),
        Page("project page", p, one_project=True),
        Page("gap analysis", f"{p}/gap-analysis", one_project=True),
        Page("charts", f"{p}/charts", one_project=True),
        Page("budget", f"{p}/budget", one_project=True),
        Page("evidence list", f"{p}/evidence", one_project=True),
        Page("documented-information checklist", f"{p}/documented-information", one_project=True),
        Page("registers hub", f"{p}/registers", one_project=True),
        Page("register: documents", f"{p}/documents", one_project=True),
        Page("register: measuring equipment", f"{p}/equipment", one_project=True),
        Page("register: suppliers", f"{p}/suppliers", one_project=True),
        Page("register: findings", f"{p}/findings", one_project=True),
        Page("register: risk files (ISO 13485)", f"{m}/risk-files", one_project=True),
        Page("API project list", "/api/v1/projects", api=True),
        Page("API requirements", f"{api}/requirements", api=True, one_project=True),
    ]


def floor_page(project_id: int) -> Page:
    """A logged-in request that shows nothing: a page that is not there (no route: the project is not even
    read). It pays what every page pays before its own work (the session, its user and scope in one query,
    the security headers, the base layout), so no main page can be cheaper: its ratio is the most a page
    could reach."""
    return Page(
        "floor: logged in, a page not found", f"/projects/{project_id}/no-such-page", status=404, floor=True
    )


class _Bearer:
    """The test client sending the API token with each request (what :func:`in_process` calls)."""

    def __init__(self, http: Any, token: str) -> None:
        self.http, self.headers = http, {"Authorization": f"Bearer {token}"}

    def get(self, path: str) -> Any:
        return self.http.get(path, headers=self.headers)


def measure_in_process(instance: Instance, pages: list[Page], repeat: int = 20) -> None:
    app = instance.app
    with app.app_context():
        http = app.test_client()
        http.post("/login", data={"email": instance.email, "password": instance.password})
        bearer = _Bearer(http, instance.token)
        for page in pages:
            page.local = in_process(bearer if page.api else http, db.engine, page.path, repeat, page.status)
        db.session.remove()


def measure_served(instance: Instance, pages: list[Page], bare: Page, bare_db: Path, seconds: float) -> None:
    """Each page at each concurrency, just after the bare page at the same concurrency."""
    with (
        served("readiness", instance.served_env()) as port,
        served("baseline", {"BENCH_BASELINE_DB": str(bare_db)}) as bare_port,
    ):
        session = log_in(port, instance.email, instance.password)
        api = Server(port, authorization=f"Bearer {instance.token}")
        bare_server = Server(bare_port)
        servers = {page.path: api if page.api else session for page in pages} | {bare.path: bare_server}
        for page in [bare, *pages]:  # every page answers (not a redirect to the log-in), workers warm
            status, _, _ = get(servers[page.path], page.path)
            if status != page.status:
                raise RuntimeError(f"{page.path} answered {status} to the benchmark's session.")
            wrk.load(servers[page.path], page.path, CONNECTIONS[0], 1)
        for connections in CONNECTIONS:
            for page in pages:
                reference = wrk.load(bare_server, bare.path, connections, seconds)
                bare.loads.setdefault(connections, []).append(reference)
                run = wrk.load(servers[page.path], page.path, connections, seconds)
                page.loads.setdefault(connections, []).append(run)
                share = run.rps / reference.rps if reference.rps else float("nan")
                page.ratios.setdefault(connections, []).append(share)


def print_table(pages: list[Page], bare: Page) -> None:
    head = f"{'page':<{WIDTH}} {'queries':>7} {'bytes':>8} {'in-proc':>8}"
    for connections in CONNECTIONS:
        head += f" | c{connections}: {'rps':>5} {'p50':>6} {'p99':>6} {'ratio':>5}"
    print(head)
    for page in [bare, *pages]:
        local = page.local
        queries = 1 if page is bare else local.queries if local else 0
        line = f"{page.label:<{WIDTH}} {queries:>7} {local.size if local else 0:>8,} "
        line += f"{local.median_ms if local else 0:>6.1f}ms"
        for connections in CONNECTIONS:
            ratio = 1.0 if page is bare else page.ratio(connections)
            line += (
                f" | c{connections}: {page.figure(connections, 'rps'):>5.0f} "
                f"{page.figure(connections, 'p50_ms'):>4.0f}ms {page.figure(connections, 'p99_ms'):>4.0f}ms "
                f"{ratio:>5.2f}"
            )
        failures = sum(load.failures for loads in page.loads.values() for load in loads)
        print(line + (f"  ({failures} failed)" if failures and page.status == 200 else ""))


def print_targets(pages: list[Page]) -> None:
    low, high = CONNECTIONS[0], CONNECTIONS[-1]
    print(f"Targets: ratio >= {TARGET_RATIO} at {high} connections, p99 < {TARGET_P99_MS:.0f} ms at {low}.")
    for page in pages:
        if page.floor:
            print(f"  ({page.label}: ratio {page.ratio(high):.2f} at c{high}, the most any page could reach)")
            continue
        ratio, p99 = page.ratio(high), page.figure(low, "p99_ms")
        verdict = "meets" if ratio >= TARGET_RATIO and p99 < TARGET_P99_MS else "MISSES"
        print(f"  {page.label}: {verdict} them (ratio {ratio:.2f} at c{high}, p99 {p99:.0f} ms at c{low})")


def growth(instances: dict[int, Instance], rounds: int = 2) -> None:
    """The pages showing one project and the lists, in process, on each portfolio size; ``rounds`` rounds
    alternating the order of the sizes, each cell the mean of its rounds' medians."""
    sizes = sorted(instances)
    pages = {
        size: [p for p in pages_of(i.project_id, i.medical_id) if p.one_project or "list" in p.label]
        for size, i in instances.items()
    }
    times: dict[tuple[int, int], list[float]] = {}
    for number in range(rounds):
        for size in sizes if number % 2 == 0 else reversed(sizes):
            measure_in_process(instances[size], pages[size])
            for index, page in enumerate(pages[size]):
                times.setdefault((size, index), []).append(
                    page.local.median_ms if page.local else float("nan")
                )
    print(f"{'page (queries / ms in process)':<{WIDTH}} " + " ".join(f"{f'{s} clients':>16}" for s in sizes))
    for index, page in enumerate(pages[sizes[0]]):
        cells = []
        for size in sizes:
            local = pages[size][index].local
            cells.append(
                f"{local.queries if local else 0:>3} / {statistics.mean(times[(size, index)]):>6.1f} ms"
            )
        print(f"{page.label:<{WIDTH}} " + " ".join(f"{cell:>16}" for cell in cells))


def main(
    clients: int | None = None,
    seconds: float | None = None,
    sizes: tuple[int, ...] | None = None,
) -> None:
    quick = os.environ.get("BENCH_QUICK") == "1"
    clients = clients or (20 if quick else 200)
    seconds = seconds or (2.0 if quick else 5.0)
    sizes = sizes or (
        (5, 20) if quick else (20, 200, 1000) if os.environ.get("BENCH_LARGE") == "1" else (20, 200)
    )
    url = postgresql_url()
    if not wrk.available():
        print(
            "wrk is not installed (apt-get install wrk): the load comes from Python threads, which take more"
        )
        print("of this machine's CPU from the servers; read the ratios, not the absolute figures.")
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        instance = stack.enter_context(portfolio(Path(folder) / str(clients), clients, url))
        print(f"Generated {clients} clients on {instance.engine_name} in {instance.generated_in:.1f} s.")
        bare_db = Path(folder) / "bare.db"
        baseline.create_rows(bare_db)
        bare = Page(f"bare Flask page ({baseline.ROWS} rows, 1 query)", baseline.PATH)
        bare.local = in_process(baseline.create_baseline(bare_db).test_client(), None, bare.path)
        pages = [floor_page(instance.project_id), *pages_of(instance.project_id, instance.medical_id)]
        measure_in_process(instance, pages)
        measure_served(instance, pages, bare, bare_db, seconds)
        print(
            f"{clients} clients on {instance.engine_name}; gunicorn 2 sync workers each; "
            f"{'wrk' if wrk.available() else 'Python threads'}, {seconds:g} s a run; {os.cpu_count()} cores, "
            f"load average now {os.getloadavg()[0]:.1f}"
        )
        print_table(pages, bare)
        print_targets(pages)
        instances = {clients: instance}
        for size in sizes:
            if size not in instances:
                instances[size] = stack.enter_context(portfolio(Path(folder) / str(size), size, url))
                print(f"Generated {size} clients in {instances[size].generated_in:.1f} s.")
        print("Growth of single-request time with the portfolio (in process):")
        growth(instances)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.main_pages", description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, help="the portfolio measured (200; 20 with BENCH_QUICK=1)")
    parser.add_argument(
        "--seconds", type=float, help="length of each wrk run, whole seconds (5; 2 with BENCH_QUICK=1)"
    )
    parser.add_argument("--sizes", help="portfolio sizes of the growth table, e.g. 20,200,1000")
    arguments = parser.parse_args()
    chosen = tuple(int(n) for n in arguments.sizes.split(",")) if arguments.sizes else None
    main(arguments.clients, arguments.seconds, chosen)
