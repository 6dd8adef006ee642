"""The evidence API: adding files, links and notes, listing, downloading, and every refusal as JSON."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import EvidenceItem, Task
from app.services import evidence as service
from app.services.evidence import Upload
from tests import evidence_samples as samples
from tests.integration.evidence_support import nothing_stored, post_multipart, stored_files
from tests.integration.test_api import assert_error, bearer, check, documented, token_for

API = "/api/v1"
EVIDENCE_PATH = "/api/v1/projects/{project_id}/evidence"


@pytest.fixture
def token(make: Any, tree: dict[str, Any]) -> dict[str, str]:
    return bearer(token_for(make.user(tree["workspace"], role="contributor")))


def post(client: Any, tree: dict[str, Any], headers: dict[str, str], **fields: Any) -> Any:
    url = f"{API}/projects/{tree['project'].id}/evidence"
    return post_multipart(
        client, url, {"title": "Scale 3 calibration", "clause": "7.1.5.1"} | fields, headers=headers
    )


def test_a_file_is_added_and_answered_with_its_sha256(app, client, tree, token):
    data = samples.pdf(padding=5000)
    response = post(client, tree, token, file=(data, "../../Calibration.pdf"), valid_until="2027-03-01")
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.json
    check(body, documented(EVIDENCE_PATH, "post", 201))
    evidence = db.session.get(EvidenceItem, body["id"])
    assert body == body | {
        "project_id": tree["project"].id,
        "kind": "file",
        "title": "Scale 3 calibration",
        "clause": "7.1.5.1",
        "task_id": None,
        "valid_until": "2027-03-01",
        "review_state": "draft",
        "version": 1,
        "filename": "Calibration.pdf",
        "content_type": "application/pdf",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "download_url": f"{API}/evidence/{evidence.id}/download",
    }
    assert stored_files(app) == [evidence.versions[0].storage_name]


def test_the_download_is_the_exact_bytes(client, tree, token):
    data = samples.png(5, 5)
    created = post(client, tree, token, file=(data, "photo.png")).json
    response = client.get(created["download_url"], headers=token, buffered=True)
    assert response.status_code == 200 and response.data == data
    assert hashlib.sha256(response.data).hexdigest() == created["sha256"]
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="photo.png"')
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_download_is_the_latest_version(app, make, client, tree, token):
    evidence = samples.add_file(tree["project"], data=samples.png(2, 2))
    service.add_version(
        samples.scope_for(None, tree["project"]), evidence, Upload("v2.png", io.BytesIO(samples.png(4, 4)))
    )
    db.session.commit()
    response = client.get(f"{API}/evidence/{evidence.id}/download", headers=token, buffered=True)
    assert response.data == samples.png(4, 4)


def test_a_link_and_a_note_are_added(client, tree, token):
    link = post(
        client, tree, token, url="https://drive.example.com/qp-01", clause="", task=str(first_task(tree))
    )
    assert link.status_code == 201 and link.json["kind"] == "link" and link.json["clause"] is None
    assert link.json["task_id"] == first_task(tree) and link.json["sha256"] is None
    note = client.post(  # plain form fields are enough without a file
        f"{API}/projects/{tree['project'].id}/evidence",
        data={"title": "Walked the line", "clause": "8.5.1", "note": "All stations labelled."},
        headers=token,
    )
    assert note.status_code == 201 and note.json["note"] == "All stations labelled."
    check(note.json, documented(EVIDENCE_PATH, "post", 201))


def first_task(tree: dict[str, Any]) -> int:
    return db.session.execute(
        select(Task.id).where(Task.project_id == tree["project"].id).limit(1)
    ).scalar_one()


@pytest.mark.parametrize(
    ("fields", "status", "field"),
    [
        ({}, 422, "file"),
        ({"url": "https://example.com", "note": "both"}, 422, "url"),
        ({"note": "x", "title": ""}, 422, "title"),
        ({"note": "x", "clause": "7.1"}, 422, "clause"),
        ({"note": "x", "clause": "", "task": ""}, 422, "clause"),
        ({"note": "x", "task": "twelve"}, 422, "task"),
        ({"note": "x", "task": "²"}, 422, "task"),
        ({"note": "x", "task": "99999999999999"}, 422, "task"),
        ({"note": "x", "task": "999999"}, 422, "task"),
        ({"note": "x", "valid_until": "2027-13-01"}, 422, "valid_until"),
        ({"note": "x", "valid_until": "tomorrow"}, 422, "valid_until"),
        ({"note": "x", "colour": "red"}, 422, "colour"),
        ({"url": "javascript:alert(1)"}, 422, "url"),
        ({"file": "not a file part"}, 422, "file"),
        ({"file": (b"", "empty.pdf")}, 422, "file"),
        ({"file": (samples.EXE, "tool.exe")}, 415, "file"),
        ({"file": (samples.png(), "invoice.pdf")}, 415, "file"),
    ],
)
def test_refusals_are_json_with_the_field_at_fault(app, client, tree, token, fields, status, field):
    error = assert_error(post(client, tree, token, **fields), status)
    assert field in error["fields"], error
    check({"error": error}, documented(EVIDENCE_PATH, "post", status))
    assert nothing_stored(app)


def test_a_body_that_is_not_a_form_is_415(app, client, tree, token):
    url = f"{API}/projects/{tree['project'].id}/evidence"
    error = assert_error(client.post(url, json={"title": "x", "note": "y"}, headers=token), 415)
    assert "multipart/form-data" in error["message"]
    assert nothing_stored(app)


@pytest.fixture
def one_mb(app: Any) -> None:
    app.config["MAX_UPLOAD_MB"] = 1
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024 + 64 * 1024


@pytest.mark.parametrize("size", [1024 * 1024 + 1, 3 * 1024 * 1024])
def test_too_large_is_a_json_413_and_nothing_is_stored(app, client, tree, token, one_mb, size):
    data = samples.pdf(padding=size - len(samples.pdf()))
    error = assert_error(post(client, tree, token, file=(data, "big.pdf")), 413)
    assert "larger than 1 MB" in error["message"]
    assert nothing_stored(app)


def test_who_may_add_and_whose_project(app, make, client, tree, token):
    viewer = bearer(token_for(make.user(tree["workspace"], role="viewer")))
    assert_error(post(client, tree, viewer, note="x"), 403)
    assert_error(post(client, tree, {}, note="x"), 401)
    theirs = make.tree()
    assert_error(post(client, theirs, token, note="x"), 404)
    assert_error(post(client, {"project": type("P", (), {"id": 10**12})}, token, note="x"), 404)
    assert nothing_stored(app)


def test_the_list_is_paginated_and_filtered(client, make, tree, token):
    project = tree["project"]
    notes = [samples.add_note(project, title=f"Note {n}") for n in range(3)]
    scale = samples.add_file(project, clause="7.1.5.1")
    scale.review_state = "accepted"
    db.session.commit()
    url = f"{API}/projects/{project.id}/evidence"
    body = client.get(url + "?per_page=2", headers=token).json
    check(body, documented(EVIDENCE_PATH, "get"))
    assert (body["total"], body["per_page"], [i["id"] for i in body["items"]]) == (
        4,
        2,
        [scale.id, notes[2].id],
    )
    page_2 = client.get(url + "?per_page=2&page=2", headers=token).json
    assert [i["id"] for i in page_2["items"]] == [notes[1].id, notes[0].id]
    assert [i["id"] for i in client.get(url + "?state=accepted", headers=token).json["items"]] == [scale.id]
    assert client.get(url + "?clause=7.1.5.1", headers=token).json["total"] == 1
    assert_error(client.get(url + "?state=approved", headers=token), 422)
    assert_error(client.get(url + "?per_page=1000", headers=token), 422)
    assert_error(client.get(url + "?page=²", headers=token), 422)


def test_deleted_evidence_is_neither_listed_nor_downloaded(client, tree, token):
    evidence = samples.add_file(tree["project"])
    evidence.deleted_at = evidence.created_at
    db.session.commit()
    assert client.get(f"{API}/projects/{tree['project'].id}/evidence", headers=token).json["total"] == 0
    assert_error(client.get(f"{API}/evidence/{evidence.id}/download", headers=token), 404)


def test_another_workspaces_evidence_is_404(client, make, tree, token):
    theirs = samples.add_file(make.tree()["project"])
    assert_error(client.get(f"{API}/evidence/{theirs.id}/download", headers=token), 404)
    assert_error(client.get(f"{API}/evidence/{10**12}/download", headers=token), 404)
    note = samples.add_note(tree["project"])
    error = assert_error(client.get(f"{API}/evidence/{note.id}/download", headers=token), 404)
    assert "has no file" in error["message"]


def test_a_client_manager_token_reaches_only_named_clients(client, make, tree):
    workspace = tree["workspace"]
    unnamed = make.tree(workspace)
    headers = bearer(token_for(make.user(workspace, role="client_manager", clients=[tree["client"]])))
    hidden = samples.add_file(unnamed["project"])
    assert_error(client.get(f"{API}/evidence/{hidden.id}/download", headers=headers), 404)
    assert_error(post(client, unnamed, headers, note="x"), 404)
    assert post(client, tree, headers, note="x").status_code == 201
