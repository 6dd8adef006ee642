"""The document register's API: the master list, adding documents and revisions with their files, the
approval workflow with its four-eyes rule, and every refusal as JSON."""

from __future__ import annotations

import hashlib
import itertools
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain import documents as rules
from app.extensions import db
from app.models import CertificationProject, ControlledDocument, DocumentRevision
from app.services import documents as service
from tests import evidence_samples as samples
from tests.integration.document_support import add_document, add_revision
from tests.integration.evidence_support import post_multipart, stored_files
from tests.integration.test_api import assert_error, bearer, check, documented, token_for
from tests.querycount import count_queries

API = "/api/v1"
LIST_PATH = "/api/v1/projects/{project_id}/documents"
ONE_PATH = "/api/v1/projects/{project_id}/documents/{document_id}"
UPLOAD_PATH = "/api/v1/projects/{project_id}/documents/{document_id}/revisions"
APPROVE_PATH = "/api/v1/projects/{project_id}/revisions/{revision_id}/approve"
SUBMIT_PATH = "/api/v1/projects/{project_id}/revisions/{revision_id}/submit"
CODES = itertools.count(10)
NEW = {"code": "qp-05", "title": "Control of records", "type": "procedure", "clauses": ["7.5.1", "7.5.3.1"]}


@pytest.fixture
def contributor(make: Any, tree: dict[str, Any]) -> Any:
    return make.user(tree["workspace"], role="contributor")


@pytest.fixture
def approver(make: Any, tree: dict[str, Any]) -> Any:
    return make.user(tree["workspace"], role="owner")


def headers_of(user: Any) -> dict[str, str]:
    return bearer(token_for(user))


def url(path: str, project: Any, **ids: int) -> str:
    return path.format(project_id=project.id, **ids)


def upload(client: Any, project: Any, document: Any, headers: dict[str, str], **fields: Any) -> Any:
    """POST a revision; a field given as None is left out."""
    form = {"label": "A", "change_note": "First issue", "file": (samples.pdf(padding=300), "QP 05.pdf")}
    sent = {name: value for name, value in (form | fields).items() if value is not None}
    target = url(UPLOAD_PATH, project, document_id=document.id)
    return post_multipart(client, target, sent, headers=headers)


def approve(client: Any, project: Any, revision_id: int, headers: dict[str, str], **body: Any) -> Any:
    return client.post(url(APPROVE_PATH, project, revision_id=revision_id), json=body, headers=headers)


def revisions_stored() -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(DocumentRevision)).scalar_one()


# GET /documents


@pytest.fixture
def register(tree: dict[str, Any]) -> dict[str, Any]:
    """Four documents: QM-01 approved, QP-04 in review, WI-12 draft with no revision, F-07 approved and
    overdue (its review was due yesterday)."""
    project = tree["project"]
    manual = add_document(project, "QM-01", ("4.3",), doc_type="quality_manual", owner="Ms Lan")
    add_revision(project, manual, "A", submit=True)
    approve_as_nobody(project, manual)
    procedure = add_document(project, "QP-04", ("7.5.1", "7.5.3.1"))
    add_revision(project, procedure, "1", submit=True)
    add_document(project, "WI-12", ("8.5.1",), doc_type="work_instruction")
    form = add_document(project, "F-07", ("7.5.3.1",), doc_type="form")
    add_revision(project, form, "A", submit=True)
    approve_as_nobody(project, form)
    form.review_due = date.today() - timedelta(days=1)
    db.session.commit()
    return {"QM-01": manual, "QP-04": procedure, "F-07": form}


def approve_as_nobody(project: Any, document: ControlledDocument) -> None:
    revision = document.revisions[-1]
    service.act(samples.scope_for(None, project), document, revision, "approve")
    db.session.commit()


def listed(client: Any, project: Any, headers: dict[str, str], query: str = "") -> Any:
    response = client.get(f"{url(LIST_PATH, project)}{query}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    check(response.json, documented(LIST_PATH, "get"))
    return response.json


def test_the_list_answers_each_document_as_the_master_list_shows_it(client, tree, register, contributor):
    project = tree["project"]
    body = listed(client, project, headers_of(contributor))
    assert (body["page"], body["per_page"], body["total"]) == (1, 20, 4)
    by_code = {item["code"]: item for item in body["items"]}
    assert [item["code"] for item in body["items"]] == ["F-07", "QM-01", "QP-04", "WI-12"]
    assert by_code["QM-01"] == {
        "id": register["QM-01"].id,
        "code": "QM-01",
        "title": "Control of documented information (QM-01)",
        "type": "quality_manual",
        "owner": "Ms Lan",
        "status": "approved",
        "current_revision": "A",
        "pending_revision": None,
        "review_due": rules.review_due(date.today(), 12).isoformat(),
        "clauses": ["4.3"],
        "url": url(ONE_PATH, project, document_id=register["QM-01"].id),
    }
    assert by_code["QP-04"]["status"] == "in_review" and by_code["QP-04"]["current_revision"] is None
    assert by_code["QP-04"]["pending_revision"] == {"label": "1", "state": "in_review"}
    assert by_code["QP-04"]["clauses"] == ["7.5.1", "7.5.3.1"]
    assert by_code["WI-12"]["status"] == "draft" and by_code["WI-12"]["pending_revision"] is None
    assert by_code["F-07"]["status"] == "overdue"


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("?type=form", ["F-07"]),
        ("?status=approved", ["QM-01"]),
        ("?status=overdue", ["F-07"]),
        ("?status=in_review", ["QP-04"]),
        ("?status=draft", ["WI-12"]),
        ("?clause=7.5.3.1", ["F-07", "QP-04"]),
        ("?clause=7.5.3.1&type=procedure", ["QP-04"]),
        ("?clause=9.9", []),
        ("?sort=review", ["F-07", "QM-01", "QP-04", "WI-12"]),  # never approved: last
        ("?sort=code&order=desc", ["WI-12", "QP-04", "QM-01", "F-07"]),
    ],
)
def test_the_list_filters_and_sorts(client, tree, register, contributor, query, codes):
    body = listed(client, tree["project"], headers_of(contributor), query)
    assert [item["code"] for item in body["items"]] == codes
    assert body["total"] == len(codes)


def test_the_list_pages(client, tree, register, contributor):
    headers = headers_of(contributor)
    first = listed(client, tree["project"], headers, "?per_page=3")
    second = listed(client, tree["project"], headers, "?per_page=3&page=2")
    assert [item["code"] for item in first["items"]] == ["F-07", "QM-01", "QP-04"]
    assert [item["code"] for item in second["items"]] == ["WI-12"]
    assert (second["page"], second["per_page"], second["total"]) == (2, 3, 4)


def test_the_list_and_a_document_run_the_same_queries_for_few_and_many(client, tree, contributor):
    project_id, user_id, headers = tree["project"].id, contributor.id, headers_of(contributor)
    list_url = LIST_PATH.format(project_id=project_id)
    client.get(list_url, headers=headers)  # warm up: the token's last-used stamp

    def queries(target: str) -> int:
        with count_queries() as statements:  # starts a fresh session: reload what the test holds
            assert client.get(target, headers=headers).status_code == 200
        return len(statements)

    def grow(count: int, revisions: int) -> str:
        project = db.session.get(CertificationProject, project_id)
        for _ in range(count):
            document = add_document(project, f"QP-{next(CODES)}", ("7.5.1", "7.5.3.1"), user_id=user_id)
            for label in range(1, revisions + 1):
                add_revision(project, document, str(label), user_id=user_id, submit=label == revisions)
        return ONE_PATH.format(project_id=project_id, document_id=document.id)

    few = grow(2, 1)
    listed_few, shown_few = queries(list_url), queries(few)
    many = grow(10, 3)
    assert client.get(list_url, headers=headers).json["total"] == 12
    assert (queries(list_url), queries(many)) == (listed_few, shown_few)


@pytest.mark.parametrize(
    "query",
    [
        "type=manual",
        "status=current",
        "status=",
        "sort=owner",
        "order=up",
        "per_page=101",
        "page=0",
        "page=²",
    ],
)
def test_the_list_refuses_unknown_filters_and_bad_paging(client, tree, contributor, query):
    response = client.get(f"{url(LIST_PATH, tree['project'])}?{query}", headers=headers_of(contributor))
    error = assert_error(response, 422)
    assert query.split("=")[0] in error["fields"]


# POST /documents and GET /documents/<id>


def test_a_document_is_created_and_read_back(client, tree, contributor):
    project, headers = tree["project"], headers_of(contributor)
    body = NEW | {"owner": " Mr Minh ", "review_months": 24, "retention_months": 120, "used_where": "QA"}
    response = client.post(url(LIST_PATH, project), json=body, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.json
    check(created, documented(LIST_PATH, "post", 201))
    assert created == created | {
        "code": "QP-05",
        "title": "Control of records",
        "type": "procedure",
        "owner": "Mr Minh",
        "status": "draft",
        "current_revision": None,
        "pending_revision": None,
        "review_due": None,
        "clauses": ["7.5.1", "7.5.3.1"],
        "review_months": 24,
        "retention_months": 120,
        "used_where": "QA",
        "notes": "",
        "withdrawn_reason": "",
        "revisions": [],
    }
    stored = db.session.get(ControlledDocument, created["id"])
    assert stored is not None and stored.project_id == project.id and stored.created_by_id == contributor.id
    read = client.get(created["url"], headers=headers)
    assert read.status_code == 200 and read.json == created
    check(read.json, documented(ONE_PATH, "get"))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (NEW | {"code": "QP-04"}, "code"),  # QP-04 is in the register already (lower or upper case)
        (NEW | {"code": " qp-04 "}, "code"),
        (NEW | {"clauses": ["7.5.1", "11.2"]}, "clauses"),  # no such requirement
        (NEW | {"clauses": ["7.5.3"]}, "clauses"),  # a heading, not a requirement
        (NEW | {"clauses": []}, "clauses"),
        (NEW | {"type": "memo"}, "type"),
        (NEW | {"review_months": 61}, "review_months"),
        (NEW | {"review_months": 0}, "review_months"),
        (NEW | {"review_months": "12"}, "review_months"),
        (NEW | {"retention_months": 1201}, "retention_months"),
        (NEW | {"title": ""}, "title"),
        (NEW | {"code": "QP 05"}, "code"),
        (NEW | {"colour": "red"}, "colour"),
        ({"title": "x", "type": "form", "clauses": ["7.5.1"]}, "code"),
    ],
)
def test_create_refuses_with_the_field_at_fault_and_saves_nothing(client, tree, contributor, body, field):
    project = tree["project"]
    add_document(project, "QP-04")
    response = client.post(url(LIST_PATH, project), json=body, headers=headers_of(contributor))
    error = assert_error(response, 422)
    assert field in error["fields"], error
    assert error["fields"][field] in error["message"]
    check({"error": error}, documented(LIST_PATH, "post", 422))
    db.session.expire_all()
    assert db.session.execute(select(func.count()).select_from(ControlledDocument)).scalar_one() == 1


def test_a_duplicate_code_and_an_unknown_clause_say_why(client, tree, contributor):
    project = tree["project"]
    add_document(project, "QP-04")
    body = NEW | {"code": "qp-04", "clauses": ["11.2"]}
    error = assert_error(
        client.post(url(LIST_PATH, project), json=body, headers=headers_of(contributor)), 422
    )
    assert error["fields"] == {
        "clauses": "ISO 9001:2015 has no requirement 11.2.",
        "code": "Another document of this project already has the code QP-04.",
    }


def test_a_viewer_may_list_but_not_create(client, make, tree, register):
    headers = headers_of(make.user(tree["workspace"], role="viewer"))
    assert listed(client, tree["project"], headers)["total"] == 4
    assert_error(client.post(url(LIST_PATH, tree["project"]), json=NEW, headers=headers), 403)
    assert_error(upload(client, tree["project"], register["QP-04"], headers, label="2"), 403)
    assert revisions_stored() == 3


def test_create_refuses_a_body_that_is_not_json(client, tree, contributor):
    target = url(LIST_PATH, tree["project"])
    assert_error(client.post(target, data={"code": "QP-05"}, headers=headers_of(contributor)), 415)
    broken = client.post(target, data="{", content_type="application/json", headers=headers_of(contributor))
    assert_error(broken, 400)


def test_a_nul_character_is_refused_as_json(client, tree, contributor):
    body, headers = NEW | {"title": "Control\x00of records"}, headers_of(contributor)
    error = assert_error(client.post(url(LIST_PATH, tree["project"]), json=body, headers=headers), 422)
    assert "NUL" in error["message"] and "title" in error["fields"]
    # Also under a URL no route matches (refused before routing, so by the app's handler)
    assert_error(client.post(f"{API}/projects/x/documents", json=body, headers=headers), 422)
    revision = {"label": "A\x00", "change_note": "First issue", "file": (samples.pdf(), "a.pdf")}
    document = add_document(tree["project"], "QP-05")
    target = url(UPLOAD_PATH, tree["project"], document_id=document.id)
    assert "label" in assert_error(post_multipart(client, target, revision, headers=headers), 422)["fields"]


# POST /documents/<id>/revisions


def test_a_revision_is_uploaded_with_its_file(app, client, tree, contributor):
    project = tree["project"]
    document = add_document(project, "QP-05")
    data = samples.pdf(padding=300)
    response = upload(client, project, document, headers_of(contributor), file=(data, "../QP 05.pdf"))
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.json
    check(body, documented(UPLOAD_PATH, "post", 201))
    revision = db.session.get(DocumentRevision, body["id"])
    assert body == body | {
        "document_id": document.id,
        "label": "A",
        "change_note": "First issue",
        "state": "draft",
        "filename": "QP 05.pdf",
        "content_type": "application/pdf",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "uploaded_by": contributor.name,
        "submitted_by": None,
        "approved_by": None,
        "self_approved": False,
        "download_url": f"{API}/projects/{project.id}/revisions/{revision.id}/download",
    }
    assert stored_files(app) == [revision.storage_name]
    download = client.get(body["download_url"], headers=headers_of(contributor), buffered=True)
    assert download.status_code == 200 and download.data == data
    assert download.headers["Content-Disposition"].startswith("attachment;")


def test_a_revision_may_go_straight_into_review_or_be_submitted_later(client, tree, contributor):
    project, headers = tree["project"], headers_of(contributor)
    document = add_document(project, "QP-05")
    at_once = upload(client, project, document, headers, submit="true").json
    assert (at_once["state"], at_once["submitted_by"]) == ("in_review", contributor.name)
    later = upload(client, project, document, headers, label="B").json
    assert later["state"] == "draft"
    response = client.post(url(SUBMIT_PATH, project, revision_id=later["id"]), headers=headers)
    assert response.status_code == 200
    check(response.json, documented(SUBMIT_PATH, "post"))
    assert (response.json["state"], response.json["submitted_by"]) == ("in_review", contributor.name)
    again = client.post(url(SUBMIT_PATH, project, revision_id=later["id"]), headers=headers)
    assert "only a draft" in assert_error(again, 409)["message"]


@pytest.mark.parametrize(
    ("fields", "status", "field"),
    [
        ({"file": None}, 422, "file"),
        ({"file": (b"", "empty.pdf")}, 422, "file"),
        ({"file": "not a file part"}, 422, "file"),
        ({"label": ""}, 422, "label"),
        ({"label": "A"}, 422, "label"),  # the document has a revision A already
        ({"change_note": " "}, 422, "change_note"),
        ({"submit": "maybe"}, 422, "submit"),
        ({"colour": "red"}, 422, "colour"),
        ({"file": (samples.EXE, "tool.exe")}, 415, "file"),
        ({"file": (samples.png(), "scan.pdf")}, 415, "file"),
    ],
)
def test_a_refused_revision_leaves_no_file_and_no_row(app, client, tree, contributor, fields, status, field):
    project = tree["project"]
    document = add_document(project, "QP-05")
    existing = add_revision(project, document, "A")
    form = {"label": "B"} | fields
    error = assert_error(upload(client, project, document, headers_of(contributor), **form), status)
    assert field in error["fields"], error
    check({"error": error}, documented(UPLOAD_PATH, "post", status))
    assert revisions_stored() == 1
    assert stored_files(app) == [existing.storage_name]


def test_no_file_is_a_422_and_nothing_reaches_the_store(app, client, tree, contributor):
    project = tree["project"]
    document = add_document(project, "QP-05")
    form = {"label": "A", "change_note": "First issue"}
    target = url(UPLOAD_PATH, project, document_id=document.id)
    error = assert_error(post_multipart(client, target, form, headers=headers_of(contributor)), 422)
    assert error["fields"] == {"file": "Choose the file of this revision."}
    assert revisions_stored() == 0 and stored_files(app) == []


def test_a_body_that_is_not_multipart_is_415(app, client, tree, contributor):
    document = add_document(tree["project"], "QP-05")
    target = url(UPLOAD_PATH, tree["project"], document_id=document.id)
    assert_error(client.post(target, json={"label": "A"}, headers=headers_of(contributor)), 415)
    assert revisions_stored() == 0 and stored_files(app) == []


@pytest.fixture
def one_mb(app: Any) -> None:
    app.config["MAX_UPLOAD_MB"] = 1
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024 + 64 * 1024


@pytest.mark.parametrize("size", [1024 * 1024 + 1, 3 * 1024 * 1024])
def test_too_large_is_a_json_413_and_nothing_is_stored(app, client, tree, contributor, one_mb, size):
    document = add_document(tree["project"], "QP-05")
    data = samples.pdf(padding=size - len(samples.pdf()))
    error = assert_error(
        upload(client, tree["project"], document, headers_of(contributor), file=(data, "big.pdf")), 413
    )
    assert "larger than 1 MB" in error["message"]
    assert revisions_stored() == 0 and stored_files(app) == []


# POST /revisions/<id>/approve


def test_another_member_approves_and_the_review_falls_due(client, tree, contributor, approver):
    project = tree["project"]
    document = add_document(project, "QP-05", review_months=6)
    revision = upload(client, project, document, headers_of(contributor), submit="true").json
    effective = (date.today() + timedelta(days=30)).isoformat()
    response = approve(
        client, project, revision["id"], headers_of(approver), effective_on=effective, comment="Fine."
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.json
    check(body, documented(APPROVE_PATH, "post"))
    assert body == body | {
        "state": "approved",
        "approved_by": approver.name,
        "self_approved": False,
        "effective_on": effective,
    }
    assert body["approved_at"] and body["change_note"].endswith("Approval note: Fine.")
    shown = client.get(url(ONE_PATH, project, document_id=document.id), headers=headers_of(contributor)).json
    assert (shown["status"], shown["current_revision"]) == ("approved", "A")
    assert shown["review_due"] > date.today().isoformat()
    assert shown["revisions"] == [body]


def test_an_empty_body_approves_effective_today(client, tree, contributor, approver):
    project = tree["project"]
    document = add_document(project, "QP-05")
    revision = add_revision(project, document, "A", user_id=contributor.id, submit=True)
    target = url(APPROVE_PATH, project, revision_id=revision.id)
    response = client.post(target, headers=headers_of(approver))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["effective_on"] == date.today().isoformat()


def test_nobody_approves_their_own_revision_while_someone_else_could(client, make, tree, approver):
    project = tree["project"]
    make.user(tree["workspace"], role="viewer")  # a second member
    document = add_document(project, "QP-05")
    revision = upload(client, project, document, headers_of(approver), submit="true").json
    error = assert_error(approve(client, project, revision["id"], headers_of(approver)), 403)
    assert "four eyes" in error["message"]
    check({"error": error}, documented(APPROVE_PATH, "post", 403))
    assert db.session.get(DocumentRevision, revision["id"]).state == "in_review"


def test_a_member_working_alone_approves_their_own_revision_recorded_as_such(client, tree, approver):
    project = tree["project"]
    document = add_document(project, "QP-05")
    revision = upload(client, project, document, headers_of(approver), submit="true").json
    response = approve(client, project, revision["id"], headers_of(approver))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert (response.json["state"], response.json["self_approved"]) == ("approved", True)
    assert response.json["approved_by"] == approver.name


def test_a_contributor_may_not_approve(client, tree, contributor):
    project = tree["project"]
    revision = add_revision(project, add_document(project, "QP-05"), "A", submit=True)
    assert_error(approve(client, project, revision.id, headers_of(contributor)), 403)


def test_a_superseded_or_draft_revision_is_not_approved(client, tree, contributor, approver):
    project = tree["project"]
    document = add_document(project, "QP-05")
    first = upload(client, project, document, headers_of(contributor), submit="true").json
    assert approve(client, project, first["id"], headers_of(approver)).status_code == 200
    second = upload(client, project, document, headers_of(contributor), label="B", submit="true").json
    assert approve(client, project, second["id"], headers_of(approver)).status_code == 200
    assert db.session.get(DocumentRevision, first["id"]).state == "superseded"

    error = assert_error(approve(client, project, first["id"], headers_of(approver)), 409)
    assert "superseded" in error["message"]
    check({"error": error}, documented(APPROVE_PATH, "post", 409))
    draft = upload(client, project, document, headers_of(contributor), label="C").json
    assert (
        "draft" in assert_error(approve(client, project, draft["id"], headers_of(approver)), 409)["message"]
    )
    db.session.expire_all()
    assert db.session.get(DocumentRevision, first["id"]).state == "superseded"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"effective_on": "01/09/2026"}, "effective_on"),
        ({"effective_on": "2026-02-30"}, "effective_on"),
        ({"comment": 5}, "comment"),
        ({"comment": "x" * 5001}, "comment"),
        ({"state": "approved"}, "state"),
    ],
)
def test_approve_refuses_a_bad_body(client, tree, contributor, approver, body, field):
    project = tree["project"]
    revision = add_revision(project, add_document(project, "QP-05"), "A", submit=True)
    error = assert_error(approve(client, project, revision.id, headers_of(approver), **body), 422)
    assert field in error["fields"]
    assert db.session.get(DocumentRevision, revision.id).state == "in_review"


# Tenancy


def test_another_workspaces_documents_and_revisions_are_not_found(client, make, tree, approver):
    theirs = make.tree()
    their_document = add_document(theirs["project"], "QP-04")
    their_revision = add_revision(theirs["project"], their_document, "A", submit=True)
    mine, headers = tree["project"], headers_of(approver)
    for project in (mine, theirs["project"]):  # their ids in my project's URLs, and their project's URLs
        assert_error(client.get(url(ONE_PATH, project, document_id=their_document.id), headers=headers), 404)
        assert_error(upload(client, project, their_document, headers), 404)
        assert_error(approve(client, project, their_revision.id, headers), 404)
        submit = client.post(url(SUBMIT_PATH, project, revision_id=their_revision.id), headers=headers)
        assert_error(submit, 404)
        download = f"{API}/projects/{project.id}/revisions/{their_revision.id}/download"
        assert_error(client.get(download, headers=headers), 404)
    assert_error(client.get(url(LIST_PATH, theirs["project"]), headers=headers), 404)
    assert_error(client.post(url(LIST_PATH, theirs["project"]), json=NEW, headers=headers), 404)
    db.session.expire_all()
    assert db.session.get(DocumentRevision, their_revision.id).state == "in_review"
    assert [r.label for r in db.session.get(ControlledDocument, their_document.id).revisions] == ["A"]


def test_a_document_of_another_project_of_the_same_workspace_is_not_found_in_this_one(
    client, make, tree, approver
):
    other = make.project(make.site(tree["client"]))
    document = add_document(other, "QP-04")
    revision = add_revision(other, document, "A", submit=True)
    headers = headers_of(approver)
    assert_error(client.get(url(ONE_PATH, tree["project"], document_id=document.id), headers=headers), 404)
    assert_error(approve(client, tree["project"], revision.id, headers), 404)
    assert client.get(url(ONE_PATH, other, document_id=document.id), headers=headers).status_code == 200


@pytest.mark.parametrize("big", [0, 10**20])
def test_ids_out_of_range_are_not_found(client, tree, approver, big):
    headers = headers_of(approver)
    assert_error(client.get(url(ONE_PATH, tree["project"], document_id=big), headers=headers), 404)
    assert_error(approve(client, tree["project"], big, headers), 404)


def test_an_effective_date_before_approval_is_refused_by_field(client, tree, contributor, approver):
    project = tree["project"]
    document = add_document(project, "QP-06")
    revision = upload(client, project, document, headers_of(contributor), submit="true").json
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    response = approve(client, project, revision["id"], headers_of(approver), effective_on=yesterday)
    assert response.status_code == 422
    assert "effective_on" in response.json["error"]["fields"]
    shown = client.get(url(ONE_PATH, project, document_id=document.id), headers=headers_of(contributor)).json
    assert shown["revisions"][0]["state"] == "in_review"
