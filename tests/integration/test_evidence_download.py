"""Downloads: exact bytes, safe headers, inline previews only for images and PDF, and streaming."""

from __future__ import annotations

import gc
import hashlib
import tracemalloc
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests import evidence_samples as samples
from tests.integration.evidence_support import evidence_url, user_as

MB = 1024 * 1024


@pytest.fixture
def viewer(app: Any, make: Any, tree: dict[str, Any]) -> Any:
    return user_as(app, make, tree, "viewer")[0]


def download_url(tree: dict[str, Any], evidence: Any, number: int = 1, query: str = "") -> str:
    return evidence_url(tree["project"], evidence.id, f"versions/{number}/download{query}")


def test_a_download_is_the_exact_bytes_with_safe_headers(viewer, tree):
    data = samples.png()
    evidence = samples.add_file(tree["project"], data=data, name="photo.png")
    response = viewer.get(download_url(tree, evidence), buffered=True)
    assert response.status_code == 200 and response.data == data
    headers = response.headers
    assert headers["Content-Type"] == "image/png"
    assert headers["Content-Disposition"] == "attachment; filename=\"photo.png\"; filename*=UTF-8''photo.png"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"].startswith("default-src 'none'; img-src 'self'; sandbox")
    assert headers["Content-Length"] == str(len(data))
    assert headers["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    assert {"private", "no-cache"} <= {part.strip() for part in headers["Cache-Control"].split(",")}


def test_a_name_outside_ascii_is_sent_in_both_forms_of_rfc_6266(viewer, tree):
    name = "Biên bản đào tạo (ký tên).pdf"
    evidence = samples.add_file(tree["project"], data=samples.pdf(), name=name)
    disposition = viewer.get(download_url(tree, evidence), buffered=True).headers["Content-Disposition"]
    assert disposition == (
        f"attachment; filename=\"Bien ban ao tao (ky ten).pdf\"; filename*=UTF-8''{quote(name, safe='')}"
    )


@pytest.mark.parametrize(
    ("name", "data", "disposition"),
    [
        ("photo.png", samples.png(), "inline"),
        ("photo.jpg", samples.JPEG, "inline"),
        ("scan.pdf", samples.pdf(), "inline"),
        ("manual.docx", samples.office("word"), "attachment"),
        ("records.csv", samples.CSV, "attachment"),
        ("notes.txt", samples.TEXT, "attachment"),
    ],
)
def test_only_images_and_pdf_preview_inline(viewer, tree, name, data, disposition):
    evidence = samples.add_file(tree["project"], data=data, name=name)
    response = viewer.get(download_url(tree, evidence, query="?inline=1"), buffered=True)
    assert response.headers["Content-Disposition"].startswith(f"{disposition}; filename=")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.data == data


def test_the_recorded_type_is_sent_not_a_guess_from_the_name(viewer, tree):
    evidence = samples.add_file(tree["project"], data=samples.CSV, name="records.csv")
    response = viewer.get(download_url(tree, evidence), buffered=True)
    assert response.mimetype == "text/csv" and response.data == samples.CSV


def test_a_range_of_the_file_can_be_fetched(viewer, tree):
    data = samples.pdf(padding=1000)
    evidence = samples.add_file(tree["project"], data=data, name="scan.pdf")
    response = viewer.get(download_url(tree, evidence), headers={"Range": "bytes=0-7"}, buffered=True)
    assert response.status_code == 206 and response.data == data[:8]


def test_unknown_versions_and_other_projects_are_404(app, make, viewer, tree):
    evidence = samples.add_file(tree["project"])
    assert viewer.get(download_url(tree, evidence, number=2)).status_code == 404
    other = make.project(make.site(tree["client"]))
    elsewhere = samples.add_file(other)
    assert viewer.get(download_url(tree, elsewhere)).status_code == 404  # right workspace, wrong project
    link = samples.add_note(tree["project"])
    assert viewer.get(download_url(tree, link)).status_code == 404  # a note has no file


def test_a_file_missing_from_the_store_is_404_not_500(app, viewer, tree):
    evidence = samples.add_file(tree["project"])
    (Path(app.config["EVIDENCE_DIR"]) / evidence.versions[0].storage_name).unlink()
    app.logger.disabled = True
    try:
        assert viewer.get(download_url(tree, evidence)).status_code == 404
    finally:
        app.logger.disabled = False


# Streaming: the memory a download takes does not grow with the file


def big_pdf(size: int) -> bytes:
    head = samples.pdf()
    return head + b"%" * (size - len(head))


def peak_memory_of_download(http: Any, url: str) -> tuple[int, str, int]:
    """Bytes received, their SHA-256, and the peak of memory allocated while downloading them."""
    gc.collect()
    tracemalloc.start()
    try:
        response = http.get(url)  # not buffered: the body is read chunk by chunk below
        digest, received = hashlib.sha256(), 0
        for chunk in response.response:
            digest.update(chunk)
            received += len(chunk)
        response.close()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return received, digest.hexdigest(), peak


def test_downloading_20_mb_takes_no_more_memory_than_2_mb(app, viewer, tree, capsys):
    peaks = {}
    for size in (2 * MB, 20 * MB):
        data = big_pdf(size)
        evidence = samples.add_file(tree["project"], data=data, name=f"{size}.pdf")
        expected = hashlib.sha256(data).hexdigest()
        del data
        received, sha256, peaks[size] = peak_memory_of_download(viewer, download_url(tree, evidence))
        assert (received, sha256) == (size, expected)
    # Control: the same measurement does see a download that is read into memory.
    buffered_peak = tracemalloc_peak(lambda: viewer.get(download_url(tree, evidence), buffered=True).close())
    with capsys.disabled():
        small, large = peaks[2 * MB] / MB, peaks[20 * MB] / MB
        print(f"\nDownload peak memory: 2 MB file {small:.2f} MB, 20 MB file {large:.2f} MB", end=" ")
        print(f"(read into memory instead: {buffered_peak / MB:.1f} MB)")
    assert peaks[20 * MB] < 2 * MB  # a 20 MB file streams in small chunks
    assert peaks[20 * MB] < peaks[2 * MB] * 1.5 + 256 * 1024  # and ten times the file is not more memory
    assert buffered_peak > 20 * MB


def tracemalloc_peak(action: Any) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
