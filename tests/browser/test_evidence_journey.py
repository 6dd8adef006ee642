"""A contributor uploads a photo as evidence for a requirement and submits it; a consultant accepts it;
the evidence shows as accepted and the project's evidence coverage goes up. The strict CSP holds."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.browser.journeys import log_in, new_project
from tests.evidence_samples import png

WORKSPACE = "Lan Calibration Partners"
CONTRIBUTOR = "thu@example.com"
CONSULTANT = "lan-consultant@example.com"


def make_project(live_app: Any) -> int:
    members = {
        "owner-evidence@example.com": ("Owner", "owner"),
        CONTRIBUTOR: ("Thu", "contributor"),
        CONSULTANT: ("Lan", "consultant"),
    }
    return new_project(live_app, WORKSPACE, members, "Mekong Scales", "Can Tho works", employees=40)


def no_csp_violations(page: Page) -> None:
    assert page.evaluate("window.cspViolations") == []


def state_of(page: Page) -> Any:
    return page.locator("#evidence-state [data-evidence-state]")


def upload_and_submit(page: Page) -> str:
    """As the contributor: add a photo for 7.1.5.1 and submit it; the evidence page's URL."""
    page.locator("#evidence-link").click()
    page.get_by_role("link", name="Add evidence").click()
    page.get_by_label("Title").fill("Scale 3 calibration label")
    page.get_by_label("Requirement").select_option("7.1.5.1")
    page.get_by_label("File", exact=True).set_input_files(
        {"name": "scale-3.png", "mimeType": "image/png", "buffer": png(40, 30)}
    )
    page.get_by_role("button", name="Add evidence").click()
    expect(page.get_by_role("heading", name="Scale 3 calibration label")).to_be_visible()
    expect(state_of(page)).to_have_attribute("data-evidence-state", "draft")
    expect(page.locator("#evidence-versions")).to_contain_text("scale-3.png")
    view = page.get_by_role("link", name="View", exact=True)  # not the header's "Review queue"
    assert view.get_attribute("href").endswith("/versions/1/download?inline=1")
    page.get_by_role("button", name="Submit for review").click()
    expect(state_of(page)).to_have_attribute("data-evidence-state", "submitted")
    no_csp_violations(page)
    return page.url


def accept(browser: Browser, live_server: str, evidence_url: str) -> None:
    """As the consultant, in a browser context of their own: accept it, and preview the photo."""
    reviewer = browser.new_page()
    try:
        log_in(reviewer, live_server, CONSULTANT, watch_csp=True)
        reviewer.goto(evidence_url)
        reviewer.get_by_label("Comment").fill("Label matches the certificate.")
        reviewer.get_by_role("button", name="Accept").click()
        expect(reviewer.get_by_text("is accepted")).to_be_visible()
        expect(state_of(reviewer)).to_have_attribute("data-evidence-state", "accepted")
        expect(reviewer.locator("#evidence-review")).to_contain_text("Label matches the certificate.")
        image = reviewer.request.get(f"{evidence_url}/versions/1/download?inline=1")
        assert image.headers["content-disposition"].startswith("inline;")
        assert image.body() == png(40, 30)
        no_csp_violations(reviewer)
        reviewer.wait_for_load_state("networkidle")  # nothing in flight when the page closes
    finally:
        reviewer.close()


def test_upload_submit_accept_and_see_coverage_go_up(
    page: Page, browser: Browser, live_server: str, live_app
):
    project_url = f"{live_server}/projects/{make_project(live_app)}"
    log_in(page, live_server, CONTRIBUTOR, watch_csp=True)
    page.goto(project_url)
    expect(page.locator("#coverage-overall")).to_have_text("0%")

    evidence_url = upload_and_submit(page)
    accept(browser, live_server, evidence_url)

    page.goto(project_url)
    expect(page.locator("#coverage-overall")).to_have_text(
        re.compile(r"^[1-9]\d*%$")
    )  # 1 requirement covered
    page.goto(f"{project_url}/evidence")
    expect(page.locator("#evidence-table tbody tr[data-state='accepted']")).to_have_count(1)
    no_csp_violations(page)
