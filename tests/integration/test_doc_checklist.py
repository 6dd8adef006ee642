"""The documented-information checklist: statuses (documents from the register, records from the evidence),
what the page shows and links, queries, who reaches it."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from app.domain.coverage import ChecklistStatus
from app.extensions import db
from app.models import CertificationProject, Clause, EvidenceItem
from app.services.doc_checklist import documented_information
from tests import document_samples as documents
from tests.factories import login
from tests.integration.evidence_helpers import add_evidence, set_status
from tests.querycount import count_queries

TODAY = date.today()


def url(project: Any) -> str:
    return f"/projects/{project.id}/documented-information"


def mandatory_count(project: Any) -> int:
    return db.session.execute(
        select(func.count(Clause.id)).where(
            Clause.standard_id == project.standard_id,
            Clause.is_requirement.is_(True),
            Clause.documented_information != "none",
        )
    ).scalar_one()


def each_case(project: CertificationProject) -> None:
    # "maintain" lines follow the register: approved, a draft revision, a revision waiting for approval.
    scope = documents.add_document(project, None, "QM-01", ("4.3",), title="Scope statement QM-01")
    documents.approve(project, None, scope, documents.add_revision(project, None, scope, submit=True))
    policy = documents.add_document(project, None, "POL-01", ("5.2.2",), title="Quality policy draft")
    documents.add_revision(project, None, policy)
    add_evidence(project, "5.2.2", title="Accepted evidence is no controlled document")
    objectives = documents.add_document(project, None, "PL-01", ("6.2.1",), title="Objectives")
    documents.add_revision(project, None, objectives, submit=True)
    # "retain" lines follow the evidence.
    add_evidence(project, "7.1.5.2", until=TODAY - timedelta(days=1), title="Calibration cert 2025")
    add_evidence(project, "7.2", "rejected")
    add_evidence(project, "8.1", deleted=True, title="Deleted planning record")
    add_evidence(project, "8.3.2")
    set_status(project, ["8.3.2"], "not_applicable")
    add_evidence(project, "9.2.2", until=TODAY)


def statuses(project: CertificationProject) -> dict[str, ChecklistStatus]:
    checklist = documented_information(project, TODAY)
    return {row.line.clause.number: row.line.status for row in checklist.rows}


def test_each_mandatory_item_gets_the_status_its_register_or_evidence_gives(tree):
    project = tree["project"]
    each_case(project)
    found = statuses(project)
    # ISO 9001:2015 as catalogued (8.2.4 amends existing documents, it asks for no new one)
    assert len(found) == mandatory_count(project) == 25
    assert {n: found[n] for n in ("4.3", "5.2.2", "6.2.1", "7.1.5.2", "7.2", "8.1", "8.3.2", "9.2.2")} == {
        "4.3": ChecklistStatus.ACCEPTED,
        "5.2.2": ChecklistStatus.DRAFT,
        "6.2.1": ChecklistStatus.SUBMITTED,
        "7.1.5.2": ChecklistStatus.EXPIRED,
        "7.2": ChecklistStatus.MISSING,  # rejected evidence is no evidence
        "8.1": ChecklistStatus.MISSING,  # deleted evidence is no evidence
        "8.3.2": ChecklistStatus.NOT_APPLICABLE,
        "9.2.2": ChecklistStatus.ACCEPTED,  # valid until today
    }
    counts = documented_information(project, TODAY).counts
    assert counts == {
        ChecklistStatus.MISSING: 19,
        ChecklistStatus.DRAFT: 1,
        ChecklistStatus.SUBMITTED: 1,
        ChecklistStatus.ACCEPTED: 2,
        ChecklistStatus.EXPIRED: 1,
        ChecklistStatus.NOT_APPLICABLE: 1,
    }
    # Tomorrow the certificate valid until today has expired as well.
    assert documented_information(project, TODAY + timedelta(days=1)).counts[ChecklistStatus.EXPIRED] == 2


def test_evidence_and_documents_of_another_project_do_not_count(tree, make):
    other = make.project(make.site(tree["client"]))
    add_evidence(other, "9.2.2")
    document = documents.add_document(other, None, "QM-01", ("4.3",))
    documents.approve(other, None, document, documents.add_revision(other, None, document, submit=True))
    mine, theirs = statuses(tree["project"]), statuses(other)
    assert (mine["9.2.2"], mine["4.3"]) == (ChecklistStatus.MISSING, ChecklistStatus.MISSING)
    assert (theirs["9.2.2"], theirs["4.3"]) == (ChecklistStatus.ACCEPTED, ChecklistStatus.ACCEPTED)


def test_the_page_shows_status_note_evidence_and_links(client, make, tree):
    project = tree["project"]
    each_case(project)
    login(client, make.user(tree["workspace"], role="contributor"))
    response = client.get(url(project))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    scope_row = html.split('data-clause="4.3"')[1].split("</tr>")[0]
    assert 'data-status="accepted"' in scope_row
    assert "justification for non-applicable requirements" in scope_row  # the catalog's di_note
    assert f'href="/projects/{project.id}/requirements/4.3"' in scope_row
    assert f'href="/projects/{project.id}/documents?clause=4.3"' in scope_row  # the register, filtered
    assert f'href="/projects/{project.id}/documents/new?clause=4.3"' in scope_row
    assert "evidence/new" not in scope_row  # evidence makes no controlled document
    assert 'class="di-kind">Document<' in scope_row
    policy_row = html.split('data-clause="5.2.2"')[1].split("</tr>")[0]
    assert 'data-status="draft"' in policy_row and "Accepted evidence is no" not in policy_row
    cert_row = html.split('data-clause="7.1.5.2"')[1].split("</tr>")[0]
    assert 'data-status="expired"' in cert_row and 'data-evidence-state="expired"' in cert_row
    [item_id] = re.findall(rf'<a href="/projects/{project.id}/evidence/(\d+)">', cert_row)  # the item's page
    assert db.session.get(EvidenceItem, int(item_id)).clause.number == "7.1.5.2"
    planning = html.split('data-clause="8.1"')[1].split("</tr>")[0]
    assert 'class="di-kind">Document and records<' in planning and 'data-status="missing"' in planning
    assert 'data-part="document" data-part-status="missing"' in planning
    assert f'href="/projects/{project.id}/evidence/new?clause=8.1"' in planning  # its records
    assert 'class="di-kind">Records<' in cert_row
    assert "Deleted planning record" not in html
    na_row = html.split('data-clause="8.3.2"')[1].split("</tr>")[0]
    assert 'data-status="not_applicable"' in na_row and "evidence/new" not in na_row
    counts = dict(re.findall(r'data-status="(\w+)"><span[^>]*>[^<]*</span> <span class="count">(\d+)', html))
    assert counts == {
        "missing": "19",
        "draft": "1",
        "submitted": "1",
        "accepted": "2",
        "expired": "1",
        "not_applicable": "1",
    }


def test_a_viewer_sees_the_checklist_without_add_links(client, make, tree):
    login(client, make.user(tree["workspace"], role="viewer"))
    html = client.get(url(tree["project"])).get_data(as_text=True)
    assert 'id="documented-information"' in html
    assert "evidence/new" not in html and "documents/new" not in html


def test_an_iso13485_project_lists_its_own_mandatory_items(client, make, tree):
    project = make.project(make.site(tree["client"]), code="iso13485")
    login(client, make.user(tree["workspace"]))
    html = client.get(url(project)).get_data(as_text=True)
    assert html.count("<tr data-clause=") == mandatory_count(project)
    assert 'data-clause="4.2.3"' in html  # the medical device file


def test_an_untitled_paragraph_shows_our_label_marked_as_ours(client, make, tree):
    login(client, make.user(tree["workspace"]))
    html = client.get(url(tree["project"])).get_data(as_text=True)
    row = html.split('data-clause="6.2.1"', 1)[1].split("</tr>", 1)[0]
    assert "Set quality objectives" in row and "(our label)" in row
    titled = html.split('data-clause="4.3"', 1)[1].split("</tr>", 1)[0]
    assert "(our label)" not in titled


def test_the_page_query_count_does_not_grow_with_evidence(client, make, tree):
    project_id = tree["project"].id
    login(client, make.user(tree["workspace"]))
    client.get(f"/projects/{project_id}/documented-information")
    with count_queries() as small:
        client.get(f"/projects/{project_id}/documented-information")
    project = db.session.get(CertificationProject, project_id)
    each_case(project)
    for number in ("4.4.2", "8.5.1", "10.2.2"):
        add_evidence(project, number, "submitted")
    with count_queries() as large:
        assert client.get(f"/projects/{project_id}/documented-information").status_code == 200
    # The session's user with its scope, the project, the mandatory requirements with their verdicts, their
    # evidence, the document register's facts (two) and the registers' states (one statement for all).
    assert len(large) == len(small) <= 7


def test_another_workspace_or_an_unassigned_client_is_not_found(client, make, tree):
    page = url(tree["project"])
    login(client, make.user(make.workspace()))
    assert client.get(page).status_code == 404
    client.post("/logout")
    other_client = make.client(tree["workspace"])
    login(client, make.user(tree["workspace"], role="client_manager", clients=[other_client]))
    assert client.get(page).status_code == 404
    assert client.get(f"/projects/{2**31}/documented-information").status_code == 404


def test_logged_out_visitors_are_sent_to_log_in(client, tree):
    response = client.get(url(tree["project"]))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
