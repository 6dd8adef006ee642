"""Estimate a budget for the demo wine-stopper factory, accept the lines, enter an actual, and see the budget
chart and the table under it show the new numbers, with the strict CSP intact and nothing loaded from
another host."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import CertificationProject, Client
from app.services import demo
from tests.browser.journeys import WATCH_CSP

SURVEILLANCE = "Certification body: surveillance audit, year 1"


def cork_project(live_app: Any) -> int:
    with live_app.app_context():
        if not demo.demo_exists():
            demo.create_demo()
            db.session.commit()
        return db.session.execute(
            select(CertificationProject.id)
            .join(Client, Client.id == CertificationProject.client_id)
            .where(Client.name == "Saigon Cork Co.")
        ).scalar_one()


def test_estimate_accept_spend_and_see_the_budget_chart(page: Page, live_server: str, live_app: Any):
    project_id = cork_project(live_app)
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.add_init_script(WATCH_CSP)

    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(demo.DEMO_EMAIL)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server}/projects/{project_id}/budget/estimate")
    expect(page.locator("#estimate-employees")).to_have_text("38")
    page.get_by_label("Certification body day rate").fill("22000000")
    page.get_by_label("Consultant day rate").fill("12000000")
    page.get_by_label("Staff hourly cost").fill("90000")
    page.get_by_role("button", name="Estimate").click()
    expect(page.locator("#proposed-lines")).to_contain_text(SURVEILLANCE)
    page.get_by_role("button", name="Accept ticked lines").click()
    expect(page.get_by_text("added to the budget")).to_be_visible()

    page.get_by_role("link", name=SURVEILLANCE).click()
    page.get_by_label("Actual amount").fill("23456000")
    page.get_by_role("button", name="Save line").click()
    expect(page.get_by_text("Budget line saved.")).to_be_visible()

    page.goto(f"{live_server}/projects/{project_id}/charts")
    chart = page.locator("#budget-by-stage-figure")
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    expect(chart).to_have_attribute("data-drawn", "true")
    # The drawn figure: external audit's actual is the amount just entered (its other lines are unspent).
    drawn = chart.evaluate("gd => gd.data.map(t => ({name: t.name, y: t.y, x: t.x}))")
    actual = next(trace for trace in drawn if trace["name"] == "Actual")
    assert actual["x"][actual["y"].index("External audit")] == 23456000

    block = page.locator("#budget-by-stage")
    block.get_by_text("Table of these numbers").click()
    row = block.locator("tr", has_text="External audit")
    expect(row).to_be_visible()
    expect(row).to_contain_text("23,456,000")

    expect(page.locator("[data-figure]:not([data-drawn])")).to_have_count(0)  # every chart drew
    assert page.evaluate("window.cspViolations") == []
    assert hosts == {urlsplit(live_server).netloc}
