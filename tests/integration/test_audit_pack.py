"""The audit pack (/projects/<id>/audit-pack.zip and GET /api/v1/projects/<id>/audit-pack): opened with
zipfile, its files by requirement, its manifest checked against the stored SHA-256 and the bytes, its
index (HTML and PDF), what it leaves out, its names, its refusals, and that it streams in chunks."""

from __future__ import annotations

import hashlib
import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import select

from app.audit_pack import download
from app.domain.permissions import Action
from app.extensions import db
from app.models import CertificationProject, EvidenceItem, EvidenceVersion, Membership, Task, User
from app.services import evidence as evidence_service
from app.services import tokens
from app.services.evidence_store import CHUNK_SIZE, EvidenceStore
from tests.conftest import empty_tables
from tests.document_samples import add_document, add_revision, approve
from tests.evidence_samples import add_file, add_note, pdf, png, scope_for
from tests.factories import Factory, login
from tests.querycount import count_queries

TODAY = date.today()
API = "/api/v1"
# The clause folders of the requirements used below (ISO 9001:2015).
F7151 = "7.1.5.1 General"
F7531 = "7.5.3.1 Availability and protection"
F851 = "8.5.1 Control of production and service provision"
GENERATED = {"index.html", "index.pdf", "manifest-sha256.txt"}


def pack_url(project: Any) -> str:
    return f"/projects/{project.id}/audit-pack.zip"


def accept(item: EvidenceItem, reviewer: User | None = None, **fields: Any) -> EvidenceItem:
    """Mark evidence accepted (the review itself is tested with the evidence pages)."""
    item.review_state = "accepted"
    item.reviewed_by_id = reviewer.id if reviewer else None
    item.reviewed_at = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    for name, value in fields.items():
        setattr(item, name, value)
    db.session.commit()
    return item


def approved_document(
    project: Any, approver: User, code: str, clauses: tuple[str, ...], **fields: Any
) -> Any:
    document = add_document(project, None, code, clauses, **fields)
    revision = add_revision(project, None, document, "A", submit=True, name=f"{code.lower()}.pdf")
    approve(project, approver.id, document, revision)
    return document, revision


def manifest_of(archive: zipfile.ZipFile) -> dict[str, str]:
    lines = archive.read("manifest-sha256.txt").decode().splitlines()
    parsed = [re.fullmatch(r"([0-9a-f]{64})  (.+)", line) for line in lines]
    assert all(parsed), lines
    return {match.group(2): match.group(1) for match in parsed if match}


def stored_sha256(*models: Any) -> dict[str, str]:
    """The SHA-256 recorded at upload of every stored file of the given rows, by file name."""
    return {row.filename: row.sha256 for row in models}


def token_for(user: User) -> dict[str, str]:
    membership = db.session.execute(select(Membership).where(Membership.user_id == user.id)).scalar_one()
    secret = tokens.create(membership.id, "test").secret
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


# One pack built and downloaded once per engine; the tests below only read what came back.


@dataclass(frozen=True)
class Downloaded:
    archive: bytes
    headers: dict[str, str]
    chunks: int
    recorded: dict[str, str]  # path in the pack -> SHA-256 recorded at upload
    client_name: str
    api_names: list[str]


def _build(app: Flask) -> Downloaded:
    make = Factory()
    tree = make.tree()
    project = tree["project"]
    owner = make.user(tree["workspace"], role="owner")
    reviewer = make.user(tree["workspace"], role="consultant")
    db.session.execute(select(User).where(User.id == reviewer.id)).scalar_one().name = "Lan Nguyễn"
    db.session.commit()
    # Documents: one approved on two requirements; one draft only; one approved with a newer one in review.
    _, qp01 = approved_document(project, reviewer, "QP-01", ("8.5.1", "7.5.3.1"), title="Production control")
    draft = add_document(project, None, "QP-02", ("8.5.1",), title="Draft only")
    add_revision(project, None, draft, "A", name="draft.pdf")
    qp03, qp03_a = approved_document(project, reviewer, "QP-03", ("7.1.5.1",), title="Calibration")
    add_revision(project, None, qp03, "B", submit=True, name="qp-03-b.pdf")
    # Evidence: accepted (two with the same title), and the ones that must stay out.
    first = accept(add_file(project, data=png(3, 3), name="sheet.png"), reviewer)
    second = accept(add_file(project, data=png(4, 4), name="sheet-2.png"), reviewer)
    hostile = accept(
        add_file(project, data=pdf(10), name="evil.pdf", title="../../etc/passwd\\CON: <x>|?*"), reviewer
    )
    add_file(project, data=png(5, 5), name="draft.png", title="Draft evidence")
    accept(add_file(project, data=png(6, 6), name="rejected.png", title="Rejected"), review_state="rejected")
    deleted = accept(add_file(project, data=png(7, 7), name="deleted.png", title="Deleted"))
    deleted.deleted_at = datetime.now(UTC)
    accept(
        add_file(project, data=png(8, 8), name="old.png", title="Expired"), valid_until=TODAY - timedelta(1)
    )
    accept(add_note(project, title="A note"))
    versions = {v.evidence_id: v for v in db.session.execute(select(EvidenceVersion)).scalars()}
    db.session.commit()
    recorded = {
        f"{F7531}/QP-01 rev A - Production control.pdf": qp01.sha256,
        f"{F7151}/QP-03 rev A - Calibration.pdf": qp03_a.sha256,
        f"{F7151}/Signed attendance sheet v1.png": versions[first.id].sha256,
        f"{F7151}/Signed attendance sheet v1 (2).png": versions[second.id].sha256,
        f"{F7151}/-..-etc-passwd-CON_ _x____ v1.pdf": versions[hostile.id].sha256,
    }
    http = app.test_client()
    login(http, owner)
    response = http.get(pack_url(project), buffered=False)
    assert response.status_code == 200, response.text
    chunks = list(response.iter_encoded())
    api = http.get(f"{API}/projects/{project.id}/audit-pack", headers=token_for(owner))
    assert api.status_code == 200, api.text
    api_names = zipfile.ZipFile(io.BytesIO(api.data)).namelist()
    return Downloaded(
        b"".join(chunks), dict(response.headers), len(chunks), recorded, tree["client"].name, api_names
    )


@pytest.fixture(scope="module")
def downloaded(database: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Downloaded]:
    saved = dict(database.config)
    database.config["EVIDENCE_DIR"] = str(tmp_path_factory.mktemp("pack-evidence"))
    try:
        with database.app_context():
            try:
                built = _build(database)
            finally:
                db.session.remove()
                empty_tables()
    finally:
        database.config.clear()
        database.config.update(saved)
    yield built


@pytest.fixture
def archive(downloaded: Downloaded) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(downloaded.archive))


def test_the_pack_holds_approved_revisions_and_accepted_evidence_by_first_requirement(downloaded, archive):
    assert archive.testzip() is None
    assert set(archive.namelist()) == set(downloaded.recorded) | GENERATED
    assert downloaded.api_names == archive.namelist()  # the API sends the same pack


def test_drafts_rejected_deleted_expired_and_unapproved_are_left_out(archive):
    text = " ".join(archive.namelist()) + archive.read("index.html").decode()
    for absent in (
        "Draft only",
        "QP-02",
        "rev B",
        "Draft evidence",
        "Rejected",
        "Deleted",
        "Expired",
        "A note",
    ):
        assert absent not in text, absent


def test_the_manifest_lists_every_file_with_its_recorded_and_actual_sha256(downloaded, archive):
    manifest = manifest_of(archive)
    assert set(manifest) == set(archive.namelist()) - {"manifest-sha256.txt"}
    for path, sha256 in manifest.items():
        assert hashlib.sha256(archive.read(path)).hexdigest() == sha256, path
        if path not in GENERATED:
            assert downloaded.recorded[path] == sha256, path


def test_every_name_is_safe_to_unpack(archive):
    for name in archive.namelist():
        parts = name.split("/")
        assert not name.startswith("/") and "\\" not in name and len(parts) <= 2, name
        for part in parts:
            assert part not in ("", ".", "..") and not part.startswith((".", " ")), name
            assert not part.endswith((".", " ")) and not re.search(r'[<>:"|?*\x00-\x1f]', part), name
            assert part.split(".")[0].upper() not in ("CON", "NUL", "PRN", "AUX"), name


def test_the_index_lists_every_file_under_each_of_its_requirements(downloaded, archive):
    html = archive.read("index.html").decode()
    for path in downloaded.recorded:
        assert f'href="{"/".join(quote(part) for part in path.split("/"))}"' in html, path
    rows = re.findall(r'data-path="([^"]+)" data-check="(\w+)"', html)
    assert {check for _, check in rows} == {"ok"}
    qp01 = f"{F7531}/QP-01 rev A - Production control.pdf"
    assert [path for path, _ in rows].count(qp01) == 2  # under 7.5.3.1 and under 8.5.1
    headings = re.findall(r"<h2>([^<]+)</h2>", html)
    assert headings == [F7151, F7531, F851]  # catalog order
    assert "Lan Nguyễn" in html and "2026-11-20 09:30" in html


def test_the_index_pdf_has_the_same_files(downloaded, archive):
    reader = PdfReader(io.BytesIO(archive.read("index.pdf")))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Audit pack" in text and downloaded.client_name in text
    for title in ("Production control", "Calibration", "Signed attendance sheet"):
        assert title in text, title
    assert "href" not in archive.read("index.pdf").decode("latin-1")  # no link into the server's files


def test_the_download_is_a_named_streamed_zip(downloaded):
    headers = downloaded.headers
    assert headers["Content-Type"] == "application/zip"
    assert "Content-Length" not in headers  # streamed: the size is not known in advance
    assert headers["Content-Disposition"].startswith('attachment; filename="Audit pack - ')
    assert downloaded.client_name in headers["Content-Disposition"]
    assert f"{TODAY.isoformat()}.zip" in headers["Content-Disposition"]
    assert "no-store" in headers["Cache-Control"]
    assert downloaded.chunks > len(downloaded.recorded)  # written as it is read, not at once


# Each test below builds its own small project.


@pytest.fixture
def no_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """The index PDF is checked above; rendering it here would only slow these tests."""
    monkeypatch.setattr(download, "html_to_pdf", lambda html: b"%PDF-1.7\n%%EOF\n")


def _zip(response: Any) -> zipfile.ZipFile:
    assert response.status_code == 200, response.text
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_a_file_changed_in_storage_is_shipped_marked_corrupt_and_fails_the_manifest(
    app, client, owner, tree, no_pdf, caplog
):
    project = tree["project"]
    item = accept(add_file(project, data=png(), name="photo.png", title="Photo"))
    version = item.versions[0]
    evidence_service.store().path(version.storage_name).write_bytes(b"tampered")
    with caplog.at_level(logging.ERROR):
        archive = _zip(client.get(pack_url(project)))
    path = f"{F7151}/Photo v1.png"
    assert archive.read(path) == b"tampered"
    assert manifest_of(archive)[path] == version.sha256 != hashlib.sha256(b"tampered").hexdigest()
    html = archive.read("index.html").decode()
    assert f'data-path="{path}" data-check="corrupt"' in html and 'id="corrupt-files"' in html
    assert any("does not match its recorded SHA-256" in r.getMessage() for r in caplog.records)


def test_a_file_missing_from_storage_is_left_out_and_named_in_the_index(client, owner, tree, no_pdf, caplog):
    project = tree["project"]
    kept = accept(add_file(project, name="kept.png", title="Kept"))
    gone = accept(add_file(project, data=png(3, 3), name="gone.png", title="Gone"))
    evidence_service.store().path(gone.versions[0].storage_name).unlink()
    with caplog.at_level(logging.ERROR):
        archive = _zip(client.get(pack_url(project)))
    assert f"{F7151}/Kept v1.png" in archive.namelist()
    assert f"{F7151}/Gone v1.png" not in archive.namelist()
    assert f"{F7151}/Gone v1.png" not in manifest_of(archive)
    html = archive.read("index.html").decode()
    assert 'data-check="missing"' in html and 'id="missing-files"' in html
    assert kept.versions[0].sha256 in html
    assert any("missing from the store" in r.getMessage() for r in caplog.records)


def test_evidence_on_a_task_alone_goes_under_the_tasks_requirement(client, owner, tree, no_pdf):
    project = tree["project"]
    tasks = db.session.execute(select(Task).where(Task.project_id == project.id)).scalars().all()
    with_clause = next(task for task in tasks if task.clause_number)
    without = next(task for task in tasks if not task.clause_number)
    accept(add_file(project, clause=None, title="Task record", task_id=with_clause.id))
    accept(add_file(project, data=png(3, 3), clause=None, title="Loose", task_id=without.id))
    names = _zip(client.get(pack_url(project))).namelist()
    folder = next(n.split("/")[0] for n in names if n.endswith("/Task record v1.png"))
    assert folder.startswith(f"{with_clause.clause_number} ")
    assert "Not linked to a requirement/Loose v1.png" in names


def test_the_latest_version_of_re_accepted_evidence_is_the_one_shipped(client, owner, tree, no_pdf):
    project = tree["project"]
    item = accept(add_file(project, title="Certificate"))
    upload = evidence_service.Upload("certificate.png", io.BytesIO(png(9, 9)))
    evidence_service.add_version(scope_for(None, project), item, upload)
    db.session.commit()
    names = _zip(client.get(pack_url(project))).namelist()
    assert not any("Certificate" in name for name in names)  # back to submitted: not accepted any more
    accept(item)
    archive = _zip(client.get(pack_url(project)))
    assert archive.read(f"{F7151}/Certificate v2.png") == png(9, 9)


class ReadRecorder:
    """A stored file that records the size of every read the pack asks of it."""

    sizes: list[int] = []

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def read(self, size: int = -1) -> bytes:
        ReadRecorder.sizes.append(size)
        return self.raw.read(size)

    def __enter__(self) -> ReadRecorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.raw.close()


def test_a_large_file_is_read_and_sent_in_chunks_never_whole(client, owner, tree, no_pdf, monkeypatch):
    project = tree["project"]
    size = 3 * 1024 * 1024
    accept(add_file(project, data=pdf(size), name="big.pdf", title="Big"))
    opened = EvidenceStore.open
    monkeypatch.setattr(EvidenceStore, "open", lambda store, name: ReadRecorder(opened(store, name)))
    ReadRecorder.sizes = []
    response = client.get(pack_url(project), buffered=False)
    assert response.is_streamed
    pieces = [len(piece) for piece in response.iter_encoded()]
    assert ReadRecorder.sizes and all(0 < s <= CHUNK_SIZE for s in ReadRecorder.sizes)
    assert len(ReadRecorder.sizes) > size // CHUNK_SIZE
    assert max(pieces) < CHUNK_SIZE + 1024  # each piece sent is one chunk and a header, at most
    assert sum(pieces) > size


# Refusals


def test_another_workspaces_project_is_not_found(client, make, tree, no_pdf):
    accept(add_file(tree["project"]))
    stranger = make.user(make.workspace(), role="owner")
    login(client, stranger)
    assert client.get(pack_url(tree["project"])).status_code == 404
    api = client.get(f"{API}/projects/{tree['project'].id}/audit-pack", headers=token_for(stranger))
    assert api.status_code == 404
    assert api.json["error"]["status"] == 404


def test_a_client_manager_of_another_client_gets_404(client, make, tree, no_pdf):
    other = make.tree(tree["workspace"])
    login(client, make.user(tree["workspace"], role="client_manager", clients=[other["client"]]))
    assert client.get(pack_url(tree["project"])).status_code == 404
    assert client.get(pack_url(other["project"])).status_code == 200


@pytest.mark.parametrize("role", ["viewer", "contributor", "client_manager", "consultant"])
def test_every_role_that_reads_evidence_gets_the_pack(client, make, tree, no_pdf, role):
    clients = [tree["client"]] if role == "client_manager" else None
    login(client, make.user(tree["workspace"], role=role, clients=clients))
    assert client.get(pack_url(tree["project"])).status_code == 200


def test_a_role_that_may_not_read_evidence_is_refused(app, client, make, tree, no_pdf):
    """The pack needs the right to read the project's evidence (VIEW), as downloading each file does. Every
    role of the app has it; a membership whose role grants nothing (a role since removed from the app) is
    refused by the API (403) and sees no project on the pages (404: its existence is not revealed)."""
    for endpoint in ("project.audit_pack.download", "api.project.audit_pack.download"):
        assert app.view_functions[endpoint].required_action is Action.VIEW
    accept(add_file(tree["project"]))
    user = make.user(tree["workspace"], role="owner")
    headers = token_for(user)
    membership = db.session.execute(select(Membership).where(Membership.user_id == user.id)).scalar_one()
    membership.role = "former"
    db.session.commit()
    login(client, user)
    assert client.get(pack_url(tree["project"])).status_code == 404
    api = client.get(f"{API}/projects/{tree['project'].id}/audit-pack", headers=headers)
    assert api.status_code == 403
    assert api.headers["Content-Type"] == "application/json"


def test_the_project_page_and_the_external_audit_stage_link_to_the_pack(client, owner, tree):
    url = pack_url(tree["project"])
    assert f'href="{url}"' in client.get(f"/projects/{tree['project'].id}").text
    stage = client.get(f"/projects/{tree['project'].id}/stages/external_audit")
    assert f'href="{url}"' in stage.text
    assert "Download audit pack (for the certification body)" in stage.text


def test_the_pack_reads_the_same_queries_for_2_and_8_files(client, owner, tree, no_pdf):
    project_id, owner_id = tree["project"].id, owner.id
    url = pack_url(tree["project"])

    def queries() -> int:
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    def add(first: int, last: int) -> None:
        project, approver = db.session.get(CertificationProject, project_id), db.session.get(User, owner_id)
        for n in range(first, last):
            accept(add_file(project, data=png(n + 2, 2), title=f"Item {n}"))
            approved_document(project, approver, f"QP-1{n}", ("8.5.1", "7.5.3.1")[: 1 + n % 2])

    add(0, 2)
    few = queries()
    add(2, 8)
    assert queries() == few
    assert len(_zip(client.get(url)).namelist()) == 16 + 3
