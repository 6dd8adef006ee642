"""A contributor starts the register from the standard's suggestions and uploads the scope's first revision,
sending it for approval; a consultant approves it (four eyes: not the author); the Documentation stage's
criterion and the checklist then count that document. The strict CSP holds throughout."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.browser.journeys import log_in, new_project
from tests.evidence_samples import pdf

CONTRIBUTOR = "hoa-docs@example.com"
CONSULTANT = "minh-docs@example.com"


def make_project(live_app: Any) -> int:
    members = {
        "owner-docs@example.com": ("Owner", "owner"),
        CONTRIBUTOR: ("Hoa", "contributor"),
        CONSULTANT: ("Minh", "consultant"),
    }
    return new_project(live_app, "Delta Quality Partners", members, "Saigon Label Tape", "Thu Duc plant")


def missing_documents(page: Page) -> int:
    """How many mandatory documents the Documentation criterion says are not yet controlled."""
    reason = page.locator("#exit-criteria li").first.inner_text()
    found = re.search(r"(\d+) mandatory documents? without", reason)
    assert found, reason
    return int(found.group(1))


def no_csp_violations(page: Page) -> None:
    assert page.evaluate("window.cspViolations") == []


def test_suggest_upload_approve_and_the_documentation_criterion_moves(
    page: Page, browser: Browser, live_server: str, live_app: Any
):
    project_url = f"{live_server}/projects/{make_project(live_app)}"
    log_in(page, live_server, CONTRIBUTOR, watch_csp=True)
    page.goto(f"{project_url}/stages/documentation")
    expect(page.locator("#exit-criteria li").first).to_have_attribute("data-met", "no")
    before = missing_documents(page)

    # Start the register from the standard: every suggestion is ticked; add them.
    page.locator("#register-link").get_by_role("link", name="Suggest documents").click()
    suggested = page.locator("#proposals tbody tr[data-present='no']").count()
    assert suggested == before
    page.get_by_role("button", name="Add the ticked documents").click()
    expect(page.locator("#document-register tbody tr")).to_have_count(suggested)
    expect(page.locator("#document-register tbody tr[data-status='draft']")).to_have_count(suggested)

    # The scope statement's first revision, sent for approval at once.
    page.locator("#document-register").get_by_role("link", name="QM-01").click()
    page.get_by_role("textbox", name="Revision").fill("A")
    page.get_by_label("What changed").fill("First issue")
    page.get_by_label("File", exact=True).set_input_files(
        {"name": "QM-01 scope.pdf", "mimeType": "application/pdf", "buffer": pdf()}
    )
    page.get_by_label("Send it for approval now").check()
    page.get_by_role("button", name="Upload revision").click()
    expect(page.locator("#document-revisions tr[data-state='in_review']")).to_have_count(1)
    expect(page.get_by_role("button", name="Approve revision A")).to_have_count(
        0
    )  # not the author's to approve
    document_url = page.url
    no_csp_violations(page)

    approver = browser.new_page()
    try:
        log_in(approver, live_server, CONSULTANT, watch_csp=True)
        approver.goto(f"{project_url}/documents?status=in_review")
        expect(approver.locator("#document-register tbody tr")).to_have_count(1)
        approver.goto(document_url)
        approver.get_by_role("button", name="Approve revision A").click()
        expect(approver.locator("#document-revisions tr[data-state='approved']")).to_have_count(1)
        expect(approver.locator("#document-revisions")).to_contain_text("Minh")
        expect(approver.locator("#review-due")).to_have_text(re.compile(r"\d{4}"))
        no_csp_violations(approver)
        approver.wait_for_load_state("networkidle")
    finally:
        approver.close()

    page.goto(f"{project_url}/stages/documentation")
    assert missing_documents(page) == before - 1
    page.goto(f"{project_url}/documented-information")
    expect(page.locator("#documented-information tr[data-clause='4.3']")).to_have_attribute(
        "data-status", "accepted"
    )
    no_csp_violations(page)
