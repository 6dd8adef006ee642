"""The owner invites a colleague by e-mail; the test reads the message from a real SMTP server in the test
process (aiosmtpd); the colleague, in a browser context of their own, accepts it by choosing their own
password, assesses a requirement, and finds the change, with their name, in the activity log."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from app.extensions import db
from tests.browser.journeys import log_in, new_project
from tests.factories import Factory
from tests.smtp import SmtpServer, running_smtp_server

OWNER = "lan.invites@example.com"
COLLEAGUE = "hoa.joins@example.com"
COLLEAGUE_PASSWORD = "mangrove-lantern-harbour"


@pytest.fixture
def smtp_server(live_app: Any) -> Iterator[SmtpServer]:
    """The live server sends through a real SMTP server for this test; its mail settings come back after."""
    saved = {name: live_app.config[name] for name in live_app.config if name.startswith("MAIL_")}
    with running_smtp_server() as server:
        server.use(live_app)
        try:
            yield server
        finally:
            live_app.config.update(saved)


def test_invite_accept_assess_and_see_it_in_the_activity_log(
    page: Page, browser: Browser, live_server: str, live_app: Any, smtp_server: SmtpServer
) -> None:
    with live_app.app_context():
        Factory().standards()
        db.session.commit()
    project_id = new_project(
        live_app, "Invitation journey", {OWNER: ("Lan", "owner")}, "Saigon Cork Co.", "Binh Duong"
    )

    log_in(page, live_server, OWNER)
    page.goto(f"{live_server}/members")
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("Email").fill(COLLEAGUE)
    page.get_by_label("Role").select_option("consultant")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation sent to {COLLEAGUE}.")).to_be_visible()
    row = page.locator(f'tr[data-invitation="{COLLEAGUE}"]')
    expect(row.locator(".invitation-delivery")).to_contain_text("Sent")
    expect(row.get_by_role("button", name="Resend")).to_be_visible()

    [message] = smtp_server.sent_to(COLLEAGUE)
    assert "Invitation journey" in message["Subject"]
    link = smtp_server.only_link_to(COLLEAGUE, "/invitations/")

    colleague_context = browser.new_context()  # no cookie of the owner's
    try:
        colleague = colleague_context.new_page()
        colleague.goto(live_server + link)
        expect(colleague.get_by_role("heading", name="Join Invitation journey")).to_be_visible()
        colleague.get_by_label("Your name").fill("Hoa")
        colleague.get_by_label("Password", exact=True).fill(COLLEAGUE_PASSWORD)
        colleague.get_by_label("Repeat password").fill(COLLEAGUE_PASSWORD)
        colleague.get_by_role("button", name="Create account and join").click()
        expect(colleague.get_by_text("Welcome to Invitation journey.")).to_be_visible()

        colleague.goto(f"{live_server}/projects/{project_id}/gap-analysis")
        card = colleague.locator("#clause-4-1")
        card.get_by_label("Status").select_option("partial")
        card.get_by_role("button", name="Save 4.1").click()
        expect(card.get_by_role("status")).to_have_text("4.1 saved.")

        colleague.goto(f"{live_server}/activity")
        entry = colleague.locator('#activity tr[data-kind="verdict"]').first
        expect(entry).to_contain_text("Hoa")
        expect(entry).to_contain_text("4.1")
        expect(entry).to_contain_text(re.compile(r"Partly met|partial"))  # the verdict it was given
    finally:
        colleague_context.close()

    page.goto(f"{live_server}/members")  # the owner sees the colleague as a member, the invitation gone
    expect(page.locator(f'tr[data-member="{COLLEAGUE}"]')).to_contain_text("Consultant")
    expect(page.locator(f'tr[data-invitation="{COLLEAGUE}"]')).to_have_count(0)
