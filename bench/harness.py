"""Measuring pages the way the performance review did: each app served by gunicorn with 2 sync workers,
loaded by a fixed number of connections for a few seconds, beside a bare Flask page measured in turn.

- :func:`served` starts gunicorn on a free local port (a WSGI factory of :mod:`bench.serve`) and stops it;
- :func:`hammer` sends requests from ``connections`` threads for ``seconds`` and returns every latency;
- :func:`in_process` gives a page's query count, size and median time through Flask's test client.

The load generator runs in this process, on the same machine as the servers: on a small machine it takes
some of their CPU. Read the ratio to the bare page, measured under the same conditions, more than the
absolute figures.
"""

from __future__ import annotations

import http.client
import math
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
WORKERS = 2


@dataclass(frozen=True)
class Server:
    port: int
    cookie: str = ""  # sent with every request (a logged-in session)
    authorization: str = ""  # likewise ("Bearer <token>": the API)


@dataclass(frozen=True)
class Run:
    """What :func:`hammer` saw: the latency of every answered request, and the failures."""

    latencies: list[float]
    seconds: float
    failures: int

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """The ``p``-th percentile latency in milliseconds (nearest rank)."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        rank = max(1, math.ceil(p * len(ordered) / 100))
        return ordered[min(rank, len(ordered)) - 1] * 1000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(factory: str, env: dict[str, str], workers: int = WORKERS) -> Iterator[int]:
    """gunicorn serving ``bench.serve:<factory>()`` on a free port, with ``env`` added to this environment."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--log-level",
        "warning",
        f"bench.serve:{factory}()",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})  # noqa: S603
    try:
        _wait_for(port, process)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for(port: int, process: subprocess.Popen[Any], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start (exit {process.returncode}).")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on port {port} within {timeout:.0f} s.")


def get(server: Server, path: str, method: str = "GET", body: str | None = None) -> tuple[int, Any, bytes]:
    """One request (a new connection: gunicorn's sync workers close each one); (status, headers, body)."""
    connection = http.client.HTTPConnection(HOST, server.port, timeout=60)
    headers = {"Cookie": server.cookie} if server.cookie else {}
    if server.authorization:
        headers["Authorization"] = server.authorization
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def cookies_of(headers: Any, known: str = "") -> str:
    """The cookies a response sets, merged into ``known`` ("name=value; name=value")."""
    jar = dict(part.split("=", 1) for part in known.split("; ") if "=" in part)
    for header in headers.get_all("Set-Cookie") or []:
        name, value = header.split(";", 1)[0].split("=", 1)
        jar[name.strip()] = value
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def log_in(port: int, email: str, password: str) -> Server:
    """Log in through the log-in form (its CSRF token included) and return the session to send."""
    anonymous = Server(port)
    status, headers, page = get(anonymous, "/login")
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
    if status != 200 or token is None:
        raise RuntimeError(f"The log-in page answered {status} without a CSRF token.")
    session = Server(port, cookies_of(headers))
    form = urlencode({"csrf_token": token.group(1).decode(), "email": email, "password": password})
    status, headers, _ = get(session, "/login", "POST", form)
    if status != 302:
        raise RuntimeError(f"Logging in answered {status}, not a redirect.")
    return Server(port, cookies_of(headers, session.cookie))


def hammer(server: Server, path: str, connections: int, seconds: float) -> Run:
    """Send ``path`` from ``connections`` threads, each waiting for its answer, for ``seconds``."""
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    started = time.perf_counter()
    stop = started + seconds

    def work() -> None:
        nonlocal failures
        mine, failed = [], 0
        while (start := time.perf_counter()) < stop:
            try:
                status, _, _ = get(server, path)
            except OSError:
                status = 0
            if status == 200:
                mine.append(time.perf_counter() - start)
            else:
                failed += 1
        with lock:
            latencies.extend(mine)
            failures += failed

    threads = [threading.Thread(target=work) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Run(latencies, time.perf_counter() - started, failures)


@dataclass(frozen=True)
class InProcess:
    queries: int
    size: int
    median_ms: float


def in_process(http: Any, engine: Any | None, path: str, repeat: int = 20, status: int = 200) -> InProcess:
    """A page through Flask's test client: the queries one request sends through ``engine`` (None: not
    counted), its bytes, and the median time of ``repeat`` requests; it must answer ``status``."""
    statements: list[str] = []

    def record(*_: Any) -> None:
        statements.append("")

    response = http.get(path)  # warm: templates compiled, caches filled
    if response.status_code != status:
        raise RuntimeError(f"{path} answered {response.status_code}.")
    if engine is not None:
        event.listen(engine, "before_cursor_execute", record)
    try:
        size = len(http.get(path).data)
    finally:
        if engine is not None:
            event.remove(engine, "before_cursor_execute", record)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        http.get(path)
        times.append(time.perf_counter() - start)
    return InProcess(len(statements), size, statistics.median(times) * 1000)
