"""Benchmark: memory taken by downloading evidence files of growing size (it should not grow).

Run with ``.venv/bin/python -m bench.evidence_download``. It builds a throw-away app (SQLite and an
evidence directory in a temporary folder), stores PDFs of 2, 20 and 100 MB through the same service the
pages use, downloads each through the authorised route, and prints the peak memory Python allocated
during each download (tracemalloc), next to the peak when the same response is read into memory. It
prints figures and never fails on them.
"""

from __future__ import annotations

import gc
import hashlib
import io
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask_migrate import upgrade
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import CertificationProject, Client, Site, Standard
from app.services import evidence as evidence_service
from app.services.accounts import create_account
from app.services.evidence import NewEvidence, Upload
from app.services.projects import create_project
from app.services.scope import Scope
from app.services.standards import load_bundled_standards

MB = 1024 * 1024
SIZES_MB = (2, 20, 100)
PASSWORD = "bench-password-long-enough"
PDF_HEAD = b"%PDF-1.4\n"


class GeneratedPdf(io.RawIOBase):
    """A PDF-looking stream of ``size`` bytes, produced as it is read (never all in memory)."""

    def __init__(self, size: int) -> None:
        self.size, self.position = size, 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self.size - self.position if n < 0 else min(n, self.size - self.position)
        start, self.position = self.position, self.position + n
        head = PDF_HEAD[start : start + n]
        return head + b"%" * (n - len(head))


def build(tmp: Path) -> tuple[Any, Any, int]:
    app = create_app(
        {
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}",
            "EVIDENCE_DIR": str(tmp / "evidence"),
            "WTF_CSRF_ENABLED": False,
            "MAX_UPLOAD_MB": max(SIZES_MB),
        }
    )
    ctx = app.app_context()
    ctx.push()
    upgrade()
    load_bundled_standards()
    membership = create_account("bench@example.com", "Bench", PASSWORD, "Bench", "consultancy")
    db.session.flush()
    client = Client(workspace_id=membership.workspace_id, name="Bench client", country="VN")
    db.session.add(client)
    db.session.flush()
    site = Site(
        workspace_id=client.workspace_id,
        client_id=client.id,
        name="Plant",
        address="x",
        country="VN",
        employee_count=10,
    )
    db.session.add(site)
    db.session.flush()
    standard = db.session.execute(select(Standard).where(Standard.code == "iso9001")).scalar_one()
    project = create_project(site, standard, currency="USD")
    db.session.commit()
    return app, Scope.of(membership), project.id


def peak(action: Callable[[], Any]) -> tuple[Any, int, float]:
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = action()
        return result, tracemalloc.get_traced_memory()[1], time.perf_counter() - started
    finally:
        tracemalloc.stop()


def streamed(http: Any, url: str) -> str:
    response = http.get(url)
    digest = hashlib.sha256()
    for chunk in response.response:
        digest.update(chunk)
    response.close()
    return digest.hexdigest()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app, scope, project_id = build(Path(folder))
        http = app.test_client()
        http.post("/login", data={"email": "bench@example.com", "password": PASSWORD})
        print(f"{'file':>8}  {'peak while streaming':>21}  {'time':>7}  sha256 matches")
        for size_mb in SIZES_MB:
            project = db.session.get(CertificationProject, project_id)
            new = NewEvidence(
                "file", f"{size_mb} MB", "7.1.5.1", upload=Upload("big.pdf", GeneratedPdf(size_mb * MB))
            )
            item = evidence_service.create_item(scope, project, new)
            db.session.commit()
            url = f"/projects/{project_id}/evidence/{item.id}/versions/1/download"
            sha256, used, seconds = peak(lambda url=url: streamed(http, url))
            ok = sha256 == item.versions[0].sha256
            print(f"{size_mb:>5} MB  {used / MB:>18.2f} MB  {seconds:>6.2f}s  {ok}")
        _, buffered, _ = peak(lambda: http.get(url, buffered=True).close())
        print(f"Reading the last response into memory instead peaks at {buffered / MB:.1f} MB.")


if __name__ == "__main__":
    main()
