"""The document register pages: the master list, an entry's form, the document page with its revisions and
their approval, periodic review, withdrawal, downloads, the suggestions, and the register on the
requirement, checklist and stage pages; who may do what, and a query count that does not grow."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.domain import documents as rules
from app.extensions import db
from app.models import CertificationProject, Clause, ControlledDocument, DocumentRevision
from tests import document_samples as documents
from tests import evidence_samples as samples
from tests.factories import login
from tests.html import field_errors, form_values, input_value
from tests.integration.evidence_support import MemberClient, post_multipart, user_as
from tests.querycount import count_queries

PDF = documents.PDF


# Helpers


def url(project: Any, *parts: Any) -> str:
    return "/".join([f"/projects/{project.id}/documents", *(str(p) for p in parts)])


def add_document(project: Any, user: Any, *args: Any, **fields: Any) -> ControlledDocument:
    return documents.add_document(project, user.id, *args, **fields)


def add_revision(
    project: Any, user: Any, document: Any, label: str = "A", submit: bool = False
) -> DocumentRevision:
    return documents.add_revision(project, user.id, document, label, submit)


def approve(project: Any, user: Any, document: Any, revision: Any) -> None:
    documents.approve(project, user.id, document, revision)


def upload(http: FlaskClient, project: Any, document: Any, **fields: Any) -> Any:
    form = {"label": "A", "change_note": "First issue", "file": (PDF, "qp-01.pdf")} | fields
    return post_multipart(
        http, url(project, document.id, "revisions"), {k: v for k, v in form.items() if v is not None}
    )


def act(http: FlaskClient, project: Any, document: Any, revision: Any, action: str, **fields: str) -> Any:
    """Post a step's form as the document page shows it (with the revision's version), plus ``fields``."""
    page = http.get(url(project, document.id))
    values = form_values(page, f"{action}-{revision.id}-version")
    values |= {f"{action}-{revision.id}-{name}": value for name, value in fields.items()}
    return http.post(url(project, document.id, "revisions", revision.id, action), data=values)


def reload(model: Any, object_id: int) -> Any:
    db.session.expire_all()
    return db.session.get(model, object_id)


def stored_files(app: Any) -> list[Path]:
    root = Path(app.config["EVIDENCE_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def listed(http: FlaskClient, project: Any, query: str = "") -> list[str]:
    html = http.get(url(project) + query).get_data(as_text=True)
    return re.findall(r'class="document-code">([^<]+)<', html)


ENTRY = {
    "code": "qp-04",
    "title": "Control of documented information",
    "doc_type": "procedure",
    "clauses": "7.5.2, 7.5.3.1",
    "owner": "Lan (QA)",
    "review_months": "24",
    "retention_months": "",
    "used_where": "Whole site",
    "notes": "",
}


@pytest.fixture
def alone(app: Any, make: Any, tree: dict[str, Any]) -> tuple[FlaskClient, Any]:
    """The only member of the workspace: an owner."""
    return user_as(app, make, tree, "owner")


# The master list


def test_an_empty_register_points_a_new_user_to_the_suggestions(alone, tree):
    html = alone[0].get(url(tree["project"])).get_data(as_text=True)
    empty = html.split('id="documents-empty"')[1].split("</div>")[0]
    assert "Suggest documents" in empty and url(tree["project"], "suggest") in empty
    assert 'id="add-document"' in html
    project_page = alone[0].get(f"/projects/{tree['project'].id}").get_data(as_text=True)
    assert f'id="documents-link" href="{url(tree["project"])}"' in project_page


def test_the_list_shows_each_entry_with_its_revisions_and_review(alone, tree):
    project, user = tree["project"], alone[1]
    approved = add_document(project, user, "QP-01", ("7.5.2", "7.5.3.1"), owner="Lan")
    approve(project, user, approved, add_revision(project, user, approved, "A", submit=True))
    add_revision(project, user, approved, "B", submit=True)
    overdue = add_document(project, user, "WI-01", ("8.5.1",), doc_type="work_instruction")
    approve(project, user, overdue, add_revision(project, user, overdue, "1", submit=True))
    overdue.review_due = date.today() - timedelta(days=1)
    db.session.commit()
    html = alone[0].get(url(project)).get_data(as_text=True)
    row = html.split(f'data-document-id="{approved.id}"')[1].split("</tr>")[0]
    assert "Procedure QP-01" in row and "Procedure" in row and "Lan" in row
    assert 'data-document-status="approved"' in row
    assert "rev A" in row and "rev B" in row and 'data-revision-state="in_review"' in row
    assert re.search(r">7\.5\.2</a>, <a[^>]*>7\.5\.3\.1<", row)
    late = html.split(f'data-document-id="{overdue.id}"')[1].split("</tr>")[0]
    assert 'data-document-status="overdue"' in late and "(overdue)" in late and "Work instruction" in late


def test_the_list_filters_sorts_and_pages(alone, tree):
    project, user, http = tree["project"], alone[1], alone[0]
    policy = add_document(project, user, "POL-01", ("5.2.2",), doc_type="policy", title="Quality policy")
    approve(project, user, policy, add_revision(project, user, policy, submit=True))
    add_document(project, user, "QP-02", ("7.5.3.1",), title="A procedure")
    add_document(project, user, "F-01", ("7.5.3.1",), doc_type="form", title="Zebra form")
    assert listed(http, project) == ["F-01", "POL-01", "QP-02"]
    assert listed(http, project, "?type=policy") == ["POL-01"]
    assert listed(http, project, "?status=approved") == ["POL-01"]
    assert listed(http, project, "?status=draft") == ["F-01", "QP-02"]
    assert listed(http, project, "?clause=7.5.3.1") == ["F-01", "QP-02"]
    assert listed(http, project, "?sort=title") == ["QP-02", "POL-01", "F-01"]
    assert listed(http, project, "?sort=title&order=desc") == ["F-01", "POL-01", "QP-02"]
    assert listed(http, project, "?sort=review") == ["POL-01", "F-01", "QP-02"]
    nonsense = "?type=memo&status=lost&clause=99.9&sort=id;drop&order=up&page=%C2%B2"
    response = http.get(url(project) + nonsense)
    assert response.status_code == 200 and len(listed(http, project, nonsense)) == 3
    html = http.get(url(project) + "?sort=title").get_data(as_text=True)
    assert 'aria-sort="ascending"' in html and "sort=title&amp;order=desc" in html
    for number in range(25):
        add_document(project, user, f"REC-{number:02d}", ("9.1.1",), doc_type="record")
    first, second = listed(http, project, "?type=record"), listed(http, project, "?type=record&page=2")
    assert (len(first), len(second)) == (25, 0)
    first, second = listed(http, project), listed(http, project, "?page=2")
    assert (len(first), len(second)) == (25, 3) and not set(first) & set(second)
    assert "Page 1 of 2" in http.get(url(project)).get_data(as_text=True)
    filtered = http.get(url(project) + "?status=draft&sort=title&order=desc").get_data(as_text=True)
    next_link = filtered.split(">Next<")[0].rsplit('href="', 1)[1]
    assert all(part in next_link for part in ("page=2", "status=draft", "sort=title", "order=desc"))


def test_the_list_query_count_does_not_grow(alone, tree):
    project_id, user, http = tree["project"].id, alone[1], alone[0]

    def documents(count: int, start: int) -> None:
        project = db.session.get(CertificationProject, project_id)
        for number in range(start, start + count):
            document = add_document(project, user, f"QP-{number:02d}", ("7.5.2", "7.5.3.1"))
            approve(project, user, document, add_revision(project, user, document, submit=True))
            add_revision(project, user, document, "B")

    documents(2, 1)
    http.get(url(tree["project"]))
    with count_queries() as few:
        assert http.get(f"/projects/{project_id}/documents").status_code == 200
    documents(8, 3)
    with count_queries() as many:
        assert http.get(f"/projects/{project_id}/documents").status_code == 200
    assert len(many) == len(few)


# An entry: adding and editing


def test_adding_a_document_from_a_requirement(alone, tree):
    project, http = tree["project"], alone[0]
    form = http.get(url(project, "new") + "?clause=7.5.3.1")
    assert input_value(form, "clauses") == "7.5.3.1" and input_value(form, "review_months") == "12"
    response = http.post(url(project, "new"), data=ENTRY)
    assert response.status_code == 303
    document = db.session.execute(select(ControlledDocument)).scalar_one()
    assert (document.code, document.review_months, document.owner) == ("QP-04", 24, "Lan (QA)")
    assert [c.number for c in document.clauses] == ["7.5.2", "7.5.3.1"]
    assert response.headers["Location"].endswith(url(project, document.id))


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"code": "QP-01"}, "code", "already has the code QP-01"),
        ({"clauses": "7.5.3.1, 99.9"}, "clauses", "has no requirement 99.9"),
        ({"clauses": ""}, "clauses", "at least one requirement"),
        ({"review_months": "0"}, "review_months", "between 1 and 60 months"),
        ({"review_months": "61"}, "review_months", "between 1 and 60 months"),
        ({"review_months": "often"}, "review_months", "whole number of months"),
        ({"retention_months": "5000"}, "retention_months", "between 1 and 1200"),
        ({"doc_type": "memo"}, "doc_type", "Choose the kind of document"),
        ({"code": "QP 01!"}, "code", "Use letters, digits"),
        ({"title": ""}, "title", "Give the document a title"),
    ],
)
def test_bad_input_is_refused_beside_its_field_with_what_was_typed_kept(alone, tree, change, field, message):
    project, http = tree["project"], alone[0]
    add_document(project, alone[1], "QP-01")
    typed = ENTRY | {"owner": 'Minh "night shift" & Đức'} | change
    response = http.post(url(project, "new"), data=typed)
    assert response.status_code == 422
    assert any(message in error for error in field_errors(response, field)), field_errors(response, field)
    assert input_value(response, "owner") == 'Minh "night shift" & Đức'
    assert input_value(response, "clauses") == typed["clauses"]
    assert db.session.execute(select(func.count(ControlledDocument.id))).scalar_one() == 1


def test_editing_an_entry_and_a_stale_copy(alone, tree):
    project, http = tree["project"], alone[0]
    document = add_document(project, alone[1], "QP-04", ("7.5.3.1",))
    form = form_values(http.get(url(project, document.id, "edit")), "code")
    assert form["clauses"] == "7.5.3.1" and form["code"] == "QP-04"
    saved = http.post(
        url(project, document.id, "edit"),
        data=form | {"title": "Document control", "clauses": "7.5.2 7.5.3.1"},
    )
    assert saved.status_code == 303
    assert [c.number for c in reload(ControlledDocument, document.id).clauses] == ["7.5.2", "7.5.3.1"]
    stale = http.post(url(project, document.id, "edit"), data=form | {"title": "Typed on an old copy"})
    assert stale.status_code == 409
    assert "Someone else saved this document" in stale.text and 'id="stale-notice"' in stale.text
    assert "Typed on an old copy" in stale.text.split('id="stale-notice"')[1]
    assert input_value(stale, "title") == "Document control"
    assert reload(ControlledDocument, document.id).title == "Document control"
    refused = http.post(
        url(project, document.id, "edit"),
        data=form_values(http.get(url(project, document.id, "edit")), "code") | {"code": ""},
    )
    assert refused.status_code == 422 and field_errors(refused, "code")


# Revisions: upload, submit, approve, return


def test_a_revision_is_uploaded_sent_and_approved_by_someone_else(app, make, tree):
    project = tree["project"]
    author, author_user = user_as(app, make, tree, "contributor")
    approver, _ = user_as(app, make, tree, "consultant")
    document = add_document(project, author_user, "QP-04")
    page = author.get(url(project, document.id))
    assert input_value(page, "label") == "A" and 'id="revision-form"' in page.text
    assert upload(author, project, document, send_for_approval="y").status_code == 303
    revision = reload(ControlledDocument, document.id).revisions[0]
    assert revision.state == "in_review" and revision.submitted_by_id == author_user.id
    assert "approve-" not in author.get(url(project, document.id)).text  # a contributor approves nothing
    effective = date.today() + timedelta(days=30)
    response = act(approver, project, document, revision, "approve", effective_on=effective.isoformat())
    assert response.status_code == 303
    revision = reload(DocumentRevision, revision.id)
    assert (revision.state, revision.effective_on, revision.self_approved) == (
        "approved",
        effective,
        False,
    )
    html = approver.get(url(project, document.id)).text
    assert "self-approved" not in html and 'class="approved-by">Approved by Test User' in html
    assert f"Effective {effective:%d %b %Y}" in html
    assert reload(ControlledDocument, document.id).review_due == rules.review_due(date.today(), 12)


def test_a_contributor_cannot_approve(app, make, tree):
    project = tree["project"]
    author, author_user = user_as(app, make, tree, "contributor")
    user_as(app, make, tree, "consultant")
    document = add_document(project, author_user)
    revision = add_revision(project, author_user, document, submit=True)
    response = author.post(
        url(project, document.id, "revisions", revision.id, "approve"),
        data={f"approve-{revision.id}-version": str(revision.version)},
    )
    assert response.status_code == 403 and "approve documents" in response.text
    assert reload(DocumentRevision, revision.id).state == "in_review"


def test_the_author_cannot_approve_their_own_revision_in_a_team(app, make, tree):
    project = tree["project"]
    author, author_user = user_as(app, make, tree, "owner")
    user_as(app, make, tree, "viewer")  # a second member: four eyes apply
    document = add_document(project, author_user)
    revision = add_revision(project, author_user, document, submit=True)
    assert "approve-" not in author.get(url(project, document.id)).text
    response = author.post(
        url(project, document.id, "revisions", revision.id, "approve"),
        data={f"approve-{revision.id}-version": str(revision.version)},
    )
    assert response.status_code == 403 and "four eyes" in response.text
    assert reload(DocumentRevision, revision.id).state == "in_review"


def test_alone_in_the_workspace_the_author_approves_and_it_shows(alone, tree):
    project, http = tree["project"], alone[0]
    document = add_document(project, alone[1])
    assert upload(http, project, document).status_code == 303
    revision = reload(ControlledDocument, document.id).revisions[0]
    assert act(http, project, document, revision, "submit").status_code == 303
    assert act(http, project, document, revision, "approve").status_code == 303
    assert reload(DocumentRevision, revision.id).self_approved
    assert "Revision A of QP-01 approved: it is now the current revision." in http.get(url(project)).text
    row = (
        http.get(url(project, document.id))
        .text.split(f'data-revision-id="{revision.id}"')[1]
        .split("</tr>")[0]
    )
    assert "self-approved" in row and 'data-revision-state="approved"' in row


def test_returning_needs_a_comment_and_goes_back_to_draft(app, make, tree):
    project = tree["project"]
    _, author = user_as(app, make, tree, "contributor")
    reviewer, _ = user_as(app, make, tree, "client_manager")
    document = add_document(project, author)
    revision = add_revision(project, author, document, submit=True)
    refused = act(reviewer, project, document, revision, "return", comment="  ")
    assert refused.status_code == 422
    assert "Say what must change" in " ".join(field_errors(refused, f"return-{revision.id}-comment"))
    assert (
        act(reviewer, project, document, revision, "return", comment="Add the approval matrix.").status_code
        == 303
    )
    revision = reload(DocumentRevision, revision.id)
    assert revision.state == "draft" and "Add the approval matrix." in revision.change_note


def test_approving_a_superseded_revision_is_a_conflict(alone, tree):
    project, http, user = tree["project"], alone[0], alone[1]
    document = add_document(project, user)
    first = add_revision(project, user, document, "A", submit=True)
    page = http.get(url(project, document.id))
    old_form = form_values(page, f"approve-{first.id}-version")
    approve(project, user, document, first)
    second = add_revision(project, user, document, "B", submit=True)
    approve(project, user, document, second)
    assert reload(DocumentRevision, first.id).state == "superseded"
    first = reload(DocumentRevision, first.id)
    current = old_form | {f"approve-{first.id}-version": str(first.version)}  # not stale: superseded
    response = http.post(url(project, document.id, "revisions", first.id, "approve"), data=current)
    assert response.status_code == 409 and "only a revision in review can be approved" in response.text
    stale = http.post(
        url(project, document.id, "revisions", second.id, "approve"),
        data={f"approve-{second.id}-version": "1"},
    )
    assert stale.status_code == 409 and "Someone else saved this revision" in stale.text
    assert http.get(url(project, document.id, "revisions", first.id, "file"), buffered=True).data == PDF


def test_a_revision_without_a_file_or_with_a_bad_one_leaves_nothing(app, alone, tree):
    project, http = tree["project"], alone[0]
    document = add_document(project, alone[1])
    no_file = upload(http, project, document, file=None, change_note="Typed note")
    assert no_file.status_code == 422
    assert "Choose the file" in " ".join(field_errors(no_file, "file"))
    assert "Typed note" in no_file.text.split('id="revision-form"')[1]
    no_note = upload(http, project, document, change_note="")
    assert no_note.status_code == 422 and field_errors(no_note, "change_note")
    exe = upload(http, project, document, file=(samples.EXE, "setup.pdf"))
    assert exe.status_code == 422 and field_errors(exe, "file")
    assert upload(http, project, document, label="A B").status_code == 422
    assert stored_files(app) == []
    assert db.session.execute(select(func.count(DocumentRevision.id))).scalar_one() == 0


def test_the_document_page_query_count_does_not_grow(alone, tree):
    project_id, user, http = tree["project"].id, alone[1], alone[0]
    document = add_document(tree["project"], user)
    document_id = document.id

    def revisions(labels: str) -> None:
        project = db.session.get(CertificationProject, project_id)
        found = db.session.get(ControlledDocument, document_id)
        for label in labels:
            approve(project, user, found, add_revision(project, user, found, label, submit=True))
        add_revision(project, user, found, f"draft-{labels}")

    revisions("A")
    page = f"/projects/{project_id}/documents/{document_id}"
    http.get(page)
    with count_queries() as few:
        assert http.get(page).status_code == 200
    revisions("BCDEFG")
    with count_queries() as many:
        assert http.get(page).status_code == 200
    assert len(many) == len(few)


# Periodic review, withdrawal, downloads


def test_a_periodic_review_starts_the_interval_again(app, make, tree):
    project = tree["project"]
    _, author = user_as(app, make, tree, "contributor")
    reviewer, _ = user_as(app, make, tree, "consultant")
    document = add_document(project, author)
    assert 'id="periodic-review-form"' not in reviewer.get(url(project, document.id)).text  # none approved
    approve(
        project,
        make.user(tree["workspace"], role="consultant"),
        document,
        add_revision(project, author, document, submit=True),
    )
    document = reload(ControlledDocument, document.id)
    document.review_due = date.today() - timedelta(days=3)
    db.session.commit()
    page = reviewer.get(url(project, document.id))
    assert "(overdue)" in page.text
    version = reload(ControlledDocument, document.id).version
    assert reviewer.post(url(project, document.id, "review"), data={"version": "1"}).status_code == 409
    response = reviewer.post(url(project, document.id, "review"), data={"version": str(version)})
    assert response.status_code == 303
    document = reload(ControlledDocument, document.id)
    assert document.reviewed_on == date.today() and document.review_due == rules.review_due(date.today(), 12)


def test_withdrawing_keeps_the_history_and_refuses_changes(app, alone, tree):
    project, http, user = tree["project"], alone[0], alone[1]
    document = add_document(project, user)
    revision = add_revision(project, user, document, submit=True)
    url_withdraw = url(project, document.id, "withdraw")
    version = {"version": str(reload(ControlledDocument, document.id).version)}
    no_reason = http.post(url_withdraw, data=version | {"reason": " "})
    assert no_reason.status_code == 422 and "Say why" in " ".join(field_errors(no_reason, "reason"))
    assert http.post(url_withdraw, data=version | {"reason": "Merged into QP-02."}).status_code == 303
    page = http.get(url(project, document.id)).text
    assert "Merged into QP-02." in page.split('id="withdrawn-reason"')[1]
    for absent in ('id="revision-form"', "approve-", 'id="withdraw-form"', 'id="edit-document"'):
        assert absent not in page
    refused = upload(http, project, document, label="B")
    assert refused.status_code == 409 and "takes no new revision" in refused.text
    assert act_raw(http, project, document, revision, "approve").status_code == 409
    assert (
        http.get(url(project, document.id, "revisions", revision.id, "file"), buffered=True).status_code
        == 200
    )
    assert stored_files(app) and len(stored_files(app)) == 1


def act_raw(http: FlaskClient, project: Any, document: Any, revision: Any, action: str) -> Any:
    current = reload(DocumentRevision, revision.id)
    data = {f"{action}-{revision.id}-version": str(current.version)}
    return http.post(url(project, document.id, "revisions", revision.id, action), data=data)


def test_a_download_is_the_file_with_safe_headers(app, make, tree):
    project = tree["project"]
    _, owner = user_as(app, make, tree, "owner")
    viewer, _ = user_as(app, make, tree, "viewer")
    document = add_document(project, owner)
    revision = add_revision(project, owner, document)
    response = viewer.get(url(project, document.id, "revisions", revision.id, "file"), buffered=True)
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["ETag"].strip('"') == hashlib.sha256(PDF).hexdigest()
    assert response.headers["Content-Disposition"].startswith('attachment; filename="qp.pdf"')
    assert "sandbox" in response.headers["Content-Security-Policy"]


# Who may do what


def test_a_viewer_reads_everything_and_changes_nothing(app, make, tree):
    project = tree["project"]
    _, owner = user_as(app, make, tree, "owner")
    viewer, _ = user_as(app, make, tree, "viewer")
    document = add_document(project, owner)
    revision = add_revision(project, owner, document, submit=True)
    for page in (url(project), url(project, document.id), url(project, "suggest")):
        assert viewer.get(page).status_code == 200, page
    assert 'name="codes"' not in viewer.get(url(project, "suggest")).text
    assert 'id="add-document"' not in viewer.get(url(project)).text
    html = viewer.get(url(project, document.id)).text
    assert 'id="revision-form"' not in html and "approve-" not in html and 'id="withdraw-form"' not in html
    assert viewer.get(url(project, "new")).status_code == 403
    assert viewer.get(url(project, document.id, "edit")).status_code == 403
    posts = [
        (url(project, "new"), ENTRY),
        (url(project, document.id, "edit"), ENTRY),
        (url(project, document.id, "revisions"), {"label": "B"}),
        (url(project, document.id, "revisions", revision.id, "approve"), {}),
        (url(project, document.id, "revisions", revision.id, "submit"), {}),
        (url(project, document.id, "review"), {}),
        (url(project, document.id, "withdraw"), {"reason": "x"}),
        (url(project, "suggest"), {"codes": "QP-01"}),
    ]
    for target, data in posts:
        assert viewer.post(target, data=data).status_code == 403, target
    assert db.session.execute(select(func.count(ControlledDocument.id))).scalar_one() == 1


def test_another_workspaces_documents_are_not_found(app, make, tree):
    project = tree["project"]
    _, owner = user_as(app, make, tree, "owner")
    document = add_document(project, owner)
    revision = add_revision(project, owner, document)
    other_document = add_document(project, owner, "QP-02")
    stranger = MemberClient(app, app.response_class)
    theirs = make.tree()
    login(stranger, make.user(theirs["workspace"], role="owner"))
    assert stranger.get(url(project, document.id)).status_code == 404
    assert stranger.get(url(project, document.id, "revisions", revision.id, "file")).status_code == 404
    # Their own project's URL with our ids: the document is not theirs either.
    assert stranger.get(url(theirs["project"], document.id)).status_code == 404
    assert (
        stranger.get(url(theirs["project"], document.id, "revisions", revision.id, "file")).status_code == 404
    )
    # In our own workspace, a revision of another document is not found under this one.
    http, _ = user_as(app, make, tree, "viewer")
    assert http.get(url(project, other_document.id, "revisions", revision.id, "file")).status_code == 404
    assert http.get(url(project, 2**31, "revisions", revision.id, "file")).status_code == 404


# Suggestions


def test_suggesting_twice_adds_once(alone, tree):
    project, http = tree["project"], alone[0]
    page = http.get(url(project, "suggest"))
    assert page.status_code == 200
    offered = re.findall(r'name="codes" value="([^"]+)"', page.text)
    assert "QM-01" in offered and "POL-01" in offered
    data = {"codes": offered}
    first = http.post(url(project, "suggest"), data=data)
    assert first.status_code == 303 and first.headers["Location"].endswith(url(project))
    added = db.session.execute(select(func.count(ControlledDocument.id))).scalar_one()
    assert added == len(offered)
    assert f"{added} documents added to the register" in http.get(url(project)).text
    again = http.get(url(project, "suggest"))
    assert 'name="codes"' not in again.text and again.text.count("already in the register") >= added
    http.post(url(project, "suggest"), data=data)
    assert db.session.execute(select(func.count(ControlledDocument.id))).scalar_one() == added
    nothing = http.post(url(project, "suggest"), data={})
    assert nothing.status_code == 422


# The register on other pages


def test_the_requirement_page_lists_its_documents(alone, tree):
    project, http, user = tree["project"], alone[0], alone[1]
    document = add_document(project, user, "QP-04", ("7.5.3.1",), title="Document control")
    add_document(project, user, "QP-05", ("8.1",))
    html = http.get(f"/projects/{project.id}/requirements/7.5.3.1").text
    section = html.split('id="requirement-documents"')[1].split("</ul>")[0]
    assert "QP-04 Document control" in section and "QP-05" not in section
    assert url(project, document.id) in section and 'data-document-status="draft"' in section
    assert f'href="{url(project, "new")}?clause=7.5.3.1"' in html
    empty = http.get(f"/projects/{project.id}/requirements/4.1").text
    assert "No document in the register meets this requirement yet." in empty


def test_the_checklist_shows_a_lines_document_and_record_parts(alone, tree):
    project, http, user = tree["project"], alone[0], alone[1]
    document = add_document(project, user, "QP-01", ("8.1",))
    approve(project, user, document, add_revision(project, user, document, submit=True))
    html = http.get(f"/projects/{project.id}/documented-information").text
    both = html.split('data-clause="8.1"')[1].split("</tr>")[0]
    assert 'data-part="document" data-part-status="accepted"' in both
    assert 'data-part="record" data-part-status="missing"' in both and 'data-status="missing"' in both
    assert f'href="{url(project)}?clause=8.1"' in both and "evidence/new?clause=8.1" in both
    maintain = html.split('data-clause="4.3"')[1].split("</tr>")[0]
    assert f'href="{url(project, "new")}?clause=4.3"' in maintain and "evidence/new" not in maintain
    assert "checklist-parts" not in maintain


def test_the_documentation_criterion_is_met_once_every_maintain_document_is_approved(alone, tree):
    project, http = tree["project"], alone[0]
    numbers = list(
        db.session.execute(
            select(Clause.number)
            .where(
                Clause.standard_id == project.standard_id,
                Clause.is_leaf,
                Clause.is_requirement.is_(True),
                Clause.documented_information.in_(("maintain", "both")),
            )
            .order_by(Clause.position)
        ).scalars()
    )
    stage_page = f"/projects/{project.id}/stages/documentation"

    def criterion() -> str:
        html = http.get(stage_page).text
        item = html.split('id="exit-criteria"')[1].split("Every mandatory document approved")[0]
        return item.rsplit('data-met="', 1)[1][:2]

    assert criterion() == "no"
    assert (
        http.post(
            url(project, "new"), data=ENTRY | {"code": "QM-01", "clauses": ", ".join(numbers)}
        ).status_code
        == 303
    )
    document = db.session.execute(select(ControlledDocument)).scalar_one()
    assert upload(http, project, document, send_for_approval="y").status_code == 303
    assert criterion() == "no"  # waiting for approval
    revision = reload(ControlledDocument, document.id).revisions[0]
    assert act(http, project, document, revision, "approve").status_code == 303
    assert criterion() == "ye"
    document = reload(ControlledDocument, document.id)
    document.review_due = date.today() - timedelta(days=1)
    db.session.commit()
    assert criterion() == "no"  # past its review date


def test_an_effective_date_before_approval_is_refused_next_to_the_field(app, make, tree):
    project = tree["project"]
    author, author_user = user_as(app, make, tree, "contributor")
    approver, _ = user_as(app, make, tree, "consultant")
    document = add_document(project, author_user, "QP-07")
    assert upload(author, project, document, send_for_approval="y").status_code == 303
    revision = reload(ControlledDocument, document.id).revisions[0]
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    response = act(approver, project, document, revision, "approve", effective_on=yesterday)
    assert response.status_code == 422
    assert "cannot take effect before the day it is approved" in response.get_data(as_text=True)
    assert reload(DocumentRevision, revision.id).state == "in_review"
