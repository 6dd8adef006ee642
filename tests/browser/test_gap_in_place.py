"""The gap analysis saves a verdict in place (no navigation), says when someone else saved it first, moves
between requirements with Alt+Up / Alt+Down, and its compact view saves too; the strict CSP holds. It shows
one section at a time, with links to the others."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from app.extensions import db
from tests.browser.journeys import log_in, new_project

OWNER = "lan.gap@example.com"


def gap_page(live_server: str, live_app: Any, owner: str = OWNER, workspace: str = "Gap in place") -> str:
    from tests.factories import Factory

    with live_app.app_context():
        Factory().standards()
        db.session.commit()
    project_id = new_project(
        live_app, workspace, {owner: ("Lan", "owner")}, "Minh Anh Plastics", "Binh Duong"
    )
    return f"{live_server}/projects/{project_id}/gap-analysis"


def test_a_verdict_saves_in_place(page: Page, live_server: str, live_app: Any) -> None:
    url = gap_page(live_server, live_app)
    log_in(page, live_server, OWNER, watch_csp=True)
    page.goto(url)
    page.evaluate("window.stayedOnPage = true")
    card = page.locator("#clause-4-1")
    version = card.locator('input[name="clause-4-1-version"]').input_value()

    card.get_by_label("Status").select_option("partial")
    card.get_by_role("button", name="Save 4.1").click()
    expect(card.get_by_role("status")).to_have_text("4.1 saved.")
    expect(card.locator(".badge[data-status]")).to_have_text("Partly met")
    assert page.url == url and page.evaluate("window.stayedOnPage") is True
    assert card.locator('input[name="clause-4-1-version"]').input_value() != version

    # A second change from the updated form saves too, and the owner, the due date and the readiness bars
    # follow without a reload; one from the old version is refused as stale.
    overall = page.locator("#readiness-overall .gap-percent").inner_text()
    card.get_by_label("Status").select_option("met")
    card.get_by_label("Owner").fill("Lan")
    card.get_by_label("Due date").fill("2031-05-04")
    card.get_by_role("button", name="Save 4.1").click()
    expect(card.locator(".badge[data-status]")).to_have_text("Met")
    expect(card.locator("[data-gap-owner]")).to_have_text("Lan")
    expect(card.locator("[data-gap-due]")).to_have_text("04 May 2031")
    expect(page.locator("#section-4-readiness [data-count=met]")).to_have_text("1")
    expect(page.locator("#readiness-overall .gap-percent")).not_to_have_text(overall)
    expect(page.locator("#gap-nav-4")).to_contain_text("20% · 4 open")  # the section links follow too
    expect(page.locator("#gap-nav-all")).to_contain_text("2% · 64 open")
    card.locator('input[name="clause-4-1-version"]').evaluate(f"input => input.value = '{version}'")
    card.get_by_label("Owner").fill("Typed by me")
    card.get_by_role("button", name="Save 4.1").click()
    expect(card.locator(".gap-live-stale")).to_contain_text("someone else saved")
    expect(card.get_by_label("Owner")).to_have_value("Typed by me")

    # A refused field shows its message beside it, and what was typed stays.
    other = page.locator("#clause-4-2")
    other.get_by_label("Owner").fill("Hoa")
    other.get_by_label("Due date").fill("1999-01-01")
    other.get_by_role("button", name="Save 4.2").click()
    expect(other.locator("#clause-4-2-due_date-errors")).to_be_visible()
    expect(other.get_by_label("Due date")).to_have_attribute("aria-invalid", "true")
    expect(other.get_by_label("Owner")).to_have_value("Hoa")

    page.reload()
    expect(page.locator("#clause-4-1 .badge[data-status]")).to_have_text("Met")
    expect(page.locator("#clause-4-1").get_by_label("Owner")).to_have_value("Lan")  # not "Typed by me"

    # Alt+Down / Alt+Up move to the next / previous requirement's status.
    page.locator("#clause-4-1").get_by_label("Status").focus()
    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator("#clause-4-2").get_by_label("Status")).to_be_focused()
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("#clause-4-1").get_by_label("Status")).to_be_focused()

    # A section folds.
    page.locator("#section-4-title").click()
    expect(page.locator("#clause-4-1")).to_be_hidden()

    # The compact view saves in place too.
    page.locator("#gap-view-toggle").click()
    row = page.locator("#clause-4-3")
    row.get_by_label("Status of 4.3").select_option("not_met")
    row.get_by_role("button", name="Save 4.3").click()
    expect(row.get_by_role("status")).to_have_text("4.3 saved.")
    expect(row.locator(".badge[data-status]")).to_have_text("Not met")
    page.reload()
    expect(page.locator("#clause-4-3 .badge[data-status]")).to_have_text("Not met")
    assert page.evaluate("window.cspViolations") == []


def test_the_sections_are_pages_of_their_own(page: Page, live_server: str, live_app: Any) -> None:
    """The page opens on the first section with work left; its links lead to the other sections, one at a
    time or all at once, and a verdict saved on a later section keeps the user there."""
    owner = "hoa.sections@example.com"
    url = gap_page(live_server, live_app, owner, "Gap by section")
    log_in(page, live_server, owner, watch_csp=True)
    page.goto(url)
    sections = page.get_by_role("navigation", name="Sections of ISO 9001:2015")
    expect(sections.locator('[aria-current="page"]')).to_contain_text("4 Context of the organization")
    expect(page.locator(".gap-requirement")).to_have_count(5)

    page.get_by_role("link", name="Next section →").click()
    expect(page).to_have_url(f"{url}?section=5")
    expect(page.locator("#clause-4-1")).to_have_count(0)
    expect(sections.locator('[aria-current="page"]')).to_contain_text("5 Leadership")
    card = page.locator("#clause-5-1-1")
    card.get_by_label("Status").select_option("met")
    card.get_by_role("button", name="Save 5.1.1").click()
    expect(card.get_by_role("status")).to_have_text("5.1.1 saved.")
    expect(page.locator("#gap-nav-5")).to_contain_text("open")

    sections.get_by_role("link", name="7 Support").click()
    expect(page).to_have_url(f"{url}?section=7")
    expect(page.locator(".gap-requirement")).to_have_count(14)
    page.get_by_role("link", name="← Previous section").click()
    expect(page).to_have_url(f"{url}?section=6")

    sections.get_by_role("link", name="All sections").click()
    expect(page.locator(".gap-requirement")).to_have_count(65)
    expect(page.locator("#gap-section-pager")).to_have_count(0)
    expect(page.locator("#clause-5-1-1 .badge[data-status]")).to_have_text("Met")

    # The section 5 page as it was, after a reload: it opens on section 4 again (work left there).
    page.goto(url)
    expect(sections.locator('[aria-current="page"]')).to_contain_text("4 Context")
    assert page.evaluate("window.cspViolations") == []
