"""The add-evidence form shows only the field of the chosen kind (file, link or note) when JavaScript runs,
and all three without it; the strict CSP holds."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import CertificationProject, Workspace
from app.services import demo
from tests.browser import a11y
from tests.browser.journeys import WATCH_CSP

FIELDS = {"file": "File", "link": "Link", "note": "Note"}
KINDS = {
    "file": "A file: a photo, a scan, a PDF, a spreadsheet",
    "link": "A link to a page or a shared document",
    "note": "A note",
}


def demo_form_url(live_server: str, live_app: Any) -> str:
    with live_app.app_context():
        if not demo.demo_exists():
            demo.create_demo()
            db.session.commit()
        project_id = db.session.execute(
            select(CertificationProject.id)
            .join(Workspace, Workspace.id == CertificationProject.workspace_id)
            .where(Workspace.name == demo.DEMO_WORKSPACE, CertificationProject.deleted_at.is_(None))
            .order_by(CertificationProject.id)
        ).scalar()
    return f"{live_server}/projects/{project_id}/evidence/new"


def log_in(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(demo.DEMO_EMAIL)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def assert_only(page: Page, kind: str) -> None:
    for other, label in FIELDS.items():
        field = page.get_by_label(label, exact=True)
        if other == kind:
            expect(field).to_be_visible()
            expect(field).to_be_enabled()
        else:
            expect(field).to_be_hidden()


def test_only_the_chosen_kinds_field_shows(page: Page, live_server: str, live_app: Any) -> None:
    url = demo_form_url(live_server, live_app)
    page.add_init_script(WATCH_CSP)
    log_in(page, live_server)
    page.goto(url)

    assert_only(page, "file")  # the default kind
    for kind in ("link", "note", "file", "link"):
        page.get_by_label(KINDS[kind]).check()
        assert_only(page, kind)

    # A refused link comes back with the link chosen and only its field (and its error) showing.
    page.get_by_label("Title").fill("Supplier list on the shared drive")
    page.get_by_label("Requirement").select_option(index=1)
    page.get_by_label("Link", exact=True).fill("not a link")
    page.get_by_role("button", name="Add evidence").click()
    expect(page.get_by_label(KINDS["link"])).to_be_checked()
    assert_only(page, "link")
    expect(page.locator("#url-errors")).to_be_visible()

    # A note is saved although the other fields were hidden and disabled.
    page.get_by_label(KINDS["note"]).check()
    page.get_by_label("Note", exact=True).fill("Supplier list reviewed with the purchasing manager.")
    page.get_by_role("button", name="Add evidence").click()
    expect(page.get_by_role("heading", name="Supplier list on the shared drive")).to_be_visible()
    assert page.evaluate("window.cspViolations") == []


def test_without_javascript_every_field_shows(browser: Browser, live_server: str, live_app: Any) -> None:
    url = demo_form_url(live_server, live_app)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        a11y.skip(page)  # axe needs JavaScript; the same form is checked in the test above
        log_in(page, live_server)
        page.goto(url)
        for kind in ("file", "note"):
            page.get_by_label(KINDS[kind]).check()
            for label in FIELDS.values():
                expect(page.get_by_label(label, exact=True)).to_be_visible()
    finally:
        context.close()
