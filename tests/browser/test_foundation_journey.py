"""Sign up, add a client, a site and a project, and see them listed."""

import re

from playwright.sync_api import Page, expect


def sign_up(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/signup")
    page.get_by_label("Your name").fill("Lan Nguyen")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Company or consultancy name").fill("Lan Quality Consulting")
    page.get_by_label("A consultant with several client factories").check()
    page.get_by_label("Password", exact=True).fill("a-very-long-password")
    page.get_by_label("Repeat password").fill("a-very-long-password")
    page.get_by_role("button", name="Create account").click()
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

    page.get_by_role("link", name="Start a project").click()
    page.get_by_label("Standard").select_option(label="ISO 9001:2015 (2015+A1:2024)")
    page.get_by_label("Certification body", exact=True).fill("Example Certification Asia")
    page.get_by_label("Its accreditation body").fill("BoA (Vietnam)")
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
    page.get_by_label("Password").fill("a-very-long-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Clients", exact=True)).to_be_visible()
