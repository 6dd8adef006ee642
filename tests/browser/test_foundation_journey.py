"""Sign up, confirm the address from the e-mail, add a client, a site and a project, and see them listed;
log out and back in; invite a colleague who accepts from the e-mailed link."""

import re

from playwright.sync_api import Browser, Page, expect

from tests.mailbox import only_link_to

PASSWORD = "a-very-long-password"


def sign_up(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/signup")
    page.get_by_label("Your name").fill("Lan Nguyen")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Company or consultancy name").fill("Lan Quality Consulting")
    page.get_by_label("A consultant with several client factories").check()
    page.get_by_label("Password", exact=True).fill("password1234")
    page.get_by_label("Repeat password").fill("password1234")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("This password is too easy to guess.")).to_be_visible()  # beside the field
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    page.goto(base + only_link_to(email, "/verify/"))  # the link in the e-mail (the test outbox)
    expect(page.get_by_text("Your email address is confirmed.")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Clients", exact=True)).to_be_visible()


def test_sign_up_and_build_a_client_site_and_project(page: Page, live_server: str):
    sign_up(page, live_server, "lan@example.com")

    page.get_by_role("link", name="Add a client", exact=True).click()
    page.get_by_label("Company name").fill("Saigon Cork Co.")
    page.get_by_label("Country of registration").select_option("VN")
    page.get_by_role("button", name="Save client").click()
    expect(page.get_by_role("heading", name="Saigon Cork Co.")).to_be_visible()

    page.get_by_role("link", name="Add a site").click()
    page.get_by_label("Site name").fill("Binh Duong stopper plant")
    page.get_by_label("Address").fill("Lot B4, VSIP II, Binh Duong")
    page.get_by_label("Employees at this site").fill("0")
    page.get_by_role("button", name="Save site").click()
    # Refused next to the field, with what was typed kept.
    expect(page.get_by_text("Enter a number of employees from 1 to 1,000,000.")).to_be_visible()
    expect(page.get_by_label("Site name")).to_have_value("Binh Duong stopper plant")
    page.get_by_label("Employees at this site").fill("38")
    page.get_by_role("button", name="Save site").click()
    expect(page.get_by_role("heading", name="Binh Duong stopper plant")).to_be_visible()

    site_url = page.url
    page.goto(live_server + "/certification-bodies")
    page.get_by_role("link", name="Add a certification body").first.click()
    page.get_by_label("Name", exact=True).fill("Example Certification Asia")
    page.get_by_label("Accreditation body", exact=True).select_option("BoA")
    page.get_by_role("button", name="Add the body").click()
    expect(page.get_by_role("heading", name="Example Certification Asia")).to_be_visible()
    expect(page.locator("#body-accreditation")).to_have_text("BoA (Bureau of Accreditation (Vietnam))")

    page.goto(site_url)
    page.get_by_role("link", name="Start a project").click()
    page.get_by_label("Standard").select_option(label="ISO 9001:2015 (2015+A1:2024)")
    page.get_by_label("Certification body", exact=True).select_option(label="Example Certification Asia")
    page.get_by_role("button", name="Save project").click()
    expect(page.get_by_role("heading", name=re.compile("ISO 9001:2015 · Binh Duong"))).to_be_visible()
    expect(page.get_by_text("Example Certification Asia")).to_be_visible()

    page.get_by_role("link", name="Clients", exact=True).first.click()
    row = page.locator("#client-list tbody tr", has_text="Saigon Cork Co.")
    expect(row).to_contain_text("Vietnam")
    expect(row.locator("td").nth(2)).to_have_text("1")
    expect(row.locator("td").nth(3)).to_have_text("1")
    row.get_by_role("link", name="Saigon Cork Co.").click()
    expect(page.locator("#project-list")).to_contain_text("ISO 9001:2015 · Binh Duong stopper plant")


def test_log_out_and_back_in(page: Page, live_server: str):
    sign_up(page, live_server, "tuan@example.com")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    page.get_by_label("Email").fill("tuan@example.com")
    page.get_by_label("Password").fill("wrong-password-here")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("That email and password do not match an account.")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Clients", exact=True)).to_be_visible()


def test_invite_a_colleague_who_accepts_from_the_link(page: Page, browser: Browser, live_server: str):
    sign_up(page, live_server, "owner-invites@example.com")
    page.get_by_role("link", name="Members").click()
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("Email").fill("thu-invited@example.com")
    page.get_by_label("Role").select_option("consultant")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to thu-invited@example.com.")).to_be_visible()
    expect(page.locator("#invitation-list")).to_contain_text("thu-invited@example.com")

    colleague = browser.new_context().new_page()
    colleague.goto(live_server + only_link_to("thu-invited@example.com", "/invitations/"))
    expect(colleague.locator("#invitation-offer")).to_contain_text("Lan Quality Consulting")
    colleague.get_by_label("Your name").fill("Thu")
    colleague.get_by_label("Password", exact=True).fill("harbour-lantern-quietly")
    colleague.get_by_label("Repeat password").fill("harbour-lantern-quietly")
    colleague.get_by_role("button", name="Create account and join").click()
    expect(colleague.get_by_text("Welcome to Lan Quality Consulting.")).to_be_visible()
    expect(colleague.get_by_text("Lan Quality Consulting · Consultant")).to_be_visible()

    page.reload()
    expect(page.locator("#member-list")).to_contain_text("thu-invited@example.com")
    expect(page.locator("#invitation-list")).to_have_count(0)
