"""The load generator of the page benchmarks: ``wrk`` (the Debian package; ``make bench`` installs it when it
can), else the threads of :func:`bench.harness.hammer`, with a note that says so.

wrk is a C program with an event loop: on a small machine it takes far less of the servers' CPU than Python
threads sending the same requests, so its figures are nearer what the app itself can do. A run's latency
percentiles come from its ``--latency`` distribution (50, 75, 90 and 99 %).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

from bench.harness import HOST, Server, hammer

TIMEOUT = "10s"  # wrk's default (2 s) counts the slowest requests of a loaded run as errors, not latencies
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
_LATENCY = r"\s+{}%\s+([\d.]+)(us|ms|s)\b"


@dataclass(frozen=True)
class Load:
    """What one run of a page under load gave."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    failures: int  # non-2xx/3xx answers, and socket errors


def available() -> bool:
    return shutil.which("wrk") is not None


def parse(output: str) -> Load:
    """The figures of ``wrk --latency`` output; ValueError when it holds none (wrk failed)."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    requests = re.search(r"(\d+) requests in", output)
    if rps is None or requests is None:
        raise ValueError(f"wrk printed no figures:\n{output}")
    percentiles = []
    for share in ("50", "99"):
        found = re.search(_LATENCY.format(share), output)
        percentiles.append(float(found.group(1)) * UNITS[found.group(2)] if found else float("nan"))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    failures = sum(int(n) for n in errors.groups()) if errors else 0
    if non_2xx := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        failures += int(non_2xx.group(1))
    return Load(float(rps.group(1)), percentiles[0], percentiles[1], int(requests.group(1)), failures)


def load(server: Server, path: str, connections: int, seconds: float) -> Load:
    """``path`` under ``connections`` connections for ``seconds``, by wrk if installed, else by threads."""
    if not available():
        run = hammer(server, path, connections, seconds)
        return Load(run.rps, run.percentile(50), run.percentile(99), len(run.latencies), run.failures)
    # wrk takes whole seconds
    command = [
        "wrk",
        f"-t{min(connections, 2)}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
    ]
    command += ["--timeout", TIMEOUT]
    if server.cookie:
        command += ["-H", f"Cookie: {server.cookie}"]
    if server.authorization:
        command += ["-H", f"Authorization: {server.authorization}"]
    command.append(f"http://{HOST}:{server.port}{path}")
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr or done.stdout}")
    return parse(done.stdout)
