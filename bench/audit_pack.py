"""Benchmark: the audit pack of 50 MB and of 500 MB of evidence, streamed; its memory should not grow.

Run with ``.venv/bin/python -m bench audit_pack`` (``BENCH_QUICK=1``: 50 MB only). It builds a throw-away
app (SQLite and an evidence directory in a temporary folder), stores files of random bytes through the
evidence service (the same path as an upload: hashed, checked, counted against the quota), accepts them,
then downloads each project's pack through the authorised route and reads it to nowhere. For each pack it
prints the time, the peak resident memory of the process while streaming (Linux: VmHWM, reset before each
run) and, in a second run, the peak memory Python allocated (tracemalloc). It prints figures and never
fails on them.

The packs: 50 MB and 500 MB in 10 files each (the same index: only the bytes grow, and the memory must
not), then 500 MB in 100 files (the index, HTML and PDF, grows with the number of files: what it adds).
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import CertificationProject, Clause, Site, Standard
from app.models.base import utcnow
from app.services import evidence as evidence_service
from app.services.evidence import NewEvidence, Upload
from app.services.projects import create_project
from bench.evidence_download import MB, PASSWORD, PDF_HEAD
from bench.evidence_download import build as build_app

# (total MB, files)
PACKS = ((50, 10), (500, 10), (500, 100))
QUICK_PACKS = ((50, 10),)


class RandomPdf(io.RawIOBase):
    """``size`` random bytes after a PDF header, produced as they are read (never all in memory)."""

    def __init__(self, size: int) -> None:
        self.size, self.position = size, 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self.size - self.position if n < 0 else min(n, self.size - self.position)
        start, self.position = self.position, self.position + n
        head = PDF_HEAD[start : start + n]
        return head + os.urandom(n - len(head))


def leaf_clauses(standard_id: int, count: int) -> list[str]:
    numbers = db.session.execute(
        select(Clause.number)
        .where(Clause.standard_id == standard_id, Clause.is_leaf)
        .order_by(Clause.position)
    ).scalars()
    return list(numbers)[:count]


def project_with_evidence(scope: Any, site: Site, standard: Standard, total_mb: int, files: int) -> int:
    """A project of ``site`` with ``total_mb`` of accepted evidence, in ``files`` files on 12 requirements."""
    project = create_project(site, standard, currency="USD")
    db.session.commit()
    clauses = leaf_clauses(standard.id, 12)
    for n in range(files):
        upload = Upload(f"record-{n}.pdf", RandomPdf(total_mb * MB // files))
        new = NewEvidence("file", f"Record {n}", clauses[n % len(clauses)], upload=upload)
        item = evidence_service.create_item(scope, project, new)
        item.review_state, item.reviewed_at = "accepted", utcnow()
        db.session.commit()
    return project.id


def reset_peak_rss() -> bool:
    """Start the kernel's peak-RSS count again (Linux 4.0+); False where it cannot."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def read_pack(http: Any, url: str) -> tuple[int, int]:
    """Download the pack, keeping only its size and the number of pieces it came in."""
    response = http.get(url, buffered=False)
    assert response.status_code == 200, response.status_code
    size = pieces = 0
    with open(os.devnull, "wb") as nowhere:
        for piece in response.iter_encoded():
            nowhere.write(piece)
            size, pieces = size + len(piece), pieces + 1
    response.close()
    return size, pieces


def traced_peak(action: Callable[[], Any]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def check_manifest(http: Any, url: str) -> bool:
    """Whether the 50 MB pack's manifest matches its files (read into memory here: only for the check)."""
    archive = zipfile.ZipFile(io.BytesIO(http.get(url).data))
    lines = archive.read("manifest-sha256.txt").decode().splitlines()
    sums = dict(reversed(line.split("  ", 1)) for line in lines)
    return all(hashlib.sha256(archive.read(name)).hexdigest() == sha for name, sha in sums.items())


def main() -> None:
    packs = QUICK_PACKS if os.environ.get("BENCH_QUICK") else PACKS
    with tempfile.TemporaryDirectory() as folder:
        app, scope, first_id = build_app(Path(folder))
        first = db.session.get(CertificationProject, first_id)
        site, standard = first.site, first.standard
        started = time.perf_counter()
        projects = {pack: project_with_evidence(scope, site, standard, *pack) for pack in packs}
        stored = sum(size for size, _ in packs)
        print(f"Stored {stored} MB of evidence in {time.perf_counter() - started:.1f} s.")
        http = app.test_client()
        http.post("/login", data={"email": "bench@example.com", "password": PASSWORD})
        can_reset = reset_peak_rss()
        print(
            f"{'evidence':>9}  {'files':>5}  {'pack':>9}  {'time':>7}  {'MB/s':>6}  {'peak RSS':>9}"
            f"  {'tracemalloc peak':>16}"
        )
        for (size, files), project_id in projects.items():
            url = f"/projects/{project_id}/audit-pack.zip"
            gc.collect()
            reset_peak_rss()
            started = time.perf_counter()
            packed, _ = read_pack(http, url)
            seconds = time.perf_counter() - started
            rss = peak_rss_mb()
            traced = traced_peak(lambda url=url: read_pack(http, url))
            print(
                f"{size:>6} MB  {files:>5}  {packed / MB:>6.1f} MB  {seconds:>6.2f}s"
                f"  {packed / MB / seconds:>6.0f}  {rss:>6.1f} MB  {traced / MB:>13.2f} MB"
            )
        if not can_reset:
            print("(The peak RSS could not be reset here: it is the process's peak so far.)")
        first_url = f"/projects/{projects[packs[0]]}/audit-pack.zip"
        print(
            f"The manifest of the {packs[0][0]} MB pack matches its files: {check_manifest(http, first_url)}"
        )


if __name__ == "__main__":
    main()
