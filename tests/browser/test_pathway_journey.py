"""Assess a few clauses, watch readiness change on the project page, and try to close a stage too early."""

from playwright.sync_api import Page, expect

from tests.browser.journeys import log_in, new_project


def make_project(live_app, email: str) -> int:
    return new_project(
        live_app, "Minh Stoppers", {email: ("Minh", "owner")}, "Minh Stoppers", "Dong Nai plant", 25
    )


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
    # Each verdict saved in place: the page stayed filtered to section 4 (without JavaScript it redirects
    # back there, tests/integration/test_gap_analysis.py).
    expect(page).to_have_url(f"{live_server}/projects/{project_id}/gap-analysis?section=4&status=")

    page.goto(f"{live_server}/projects/{project_id}")
    expect(page.locator("#readiness-overall")).to_have_text("8%")  # 5 of 65 requirements met
    expect(page.locator('#readiness-by-section tr[data-section="4"]')).to_contain_text("100%")

    page.locator('#stage-list [data-stage="gap_analysis"] a').click()
    page.get_by_role("button", name="Mark stage done").click()
    expect(page.get_by_text("This stage cannot be marked done yet")).to_be_visible()
    # Post/Redirect/Get: back on the stage page, not on …/complete, so a reload does not ask again.
    expect(page).to_have_url(f"{live_server}/projects/{project_id}/stages/gap_analysis")
    expect(page.locator("#exit-criteria")).to_contain_text("60 requirements not yet assessed")
    expect(page.locator("#stage-status")).to_have_text("Not started")
