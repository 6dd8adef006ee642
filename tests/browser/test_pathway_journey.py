"""Assess a few clauses, watch readiness change on the project page, and try to close a stage too early."""

from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import Client, Site, Standard
from app.services.accounts import create_account
from app.services.projects import create_project

PASSWORD = "a-very-long-password"


def make_project(live_app, email: str) -> int:
    with live_app.app_context():
        membership = create_account(email, "Minh", PASSWORD, "Minh Stoppers", "exporter")
        db.session.flush()
        client = Client(workspace_id=membership.workspace_id, name="Minh Stoppers", country="VN")
        db.session.add(client)
        db.session.flush()
        site = Site(
            workspace_id=client.workspace_id,
            client_id=client.id,
            name="Dong Nai plant",
            address="KCN Nhon Trach",
            country="VN",
            employee_count=25,
        )
        db.session.add(site)
        db.session.flush()
        standard = db.session.execute(select(Standard).where(Standard.code == "iso9001")).scalar_one()
        project = create_project(site, standard, currency="VND")
        db.session.commit()
        return project.id


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def assess(page: Page, number: str, status: str) -> None:
    prefix = "clause-" + number.replace(".", "-")
    page.locator(f"#{prefix}-status").select_option(status)
    page.locator(f"#{prefix} form").get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"{number} saved")).to_be_visible()


def test_assess_watch_readiness_and_see_why_a_stage_cannot_close(page: Page, live_server: str, live_app):
    project_id = make_project(live_app, "minh@example.com")
    log_in(page, live_server, "minh@example.com")

    page.goto(f"{live_server}/projects/{project_id}")
    expect(page.locator("#readiness-overall")).to_have_text("0%")

    page.get_by_role("link", name="Gap analysis").first.click()
    page.get_by_label("Section", exact=True).select_option("4")
    page.get_by_role("button", name="Filter").click()
    for number in ("4.1", "4.2", "4.3", "4.4.1", "4.4.2"):
        assess(page, number, "met")
    # The page comes back filtered to section 4 after each save.
    expect(page).to_have_url(f"{live_server}/projects/{project_id}/gap-analysis?section=4#clause-4-4-2")

    page.goto(f"{live_server}/projects/{project_id}")
    expect(page.locator("#readiness-overall")).to_have_text("8%")  # 5 of 65 requirements met
    expect(page.locator('#readiness-by-section tr[data-section="4"]')).to_contain_text("100%")

    page.locator('#stage-list [data-stage="gap_analysis"] a').click()
    page.get_by_role("button", name="Mark stage done").click()
    expect(page.get_by_text("This stage cannot be marked done yet")).to_be_visible()
    expect(page.locator("#exit-criteria")).to_contain_text("60 requirements not yet assessed")
    expect(page.locator("#stage-status")).to_have_text("Not started")
