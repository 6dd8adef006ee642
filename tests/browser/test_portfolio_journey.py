"""A consultant logs in and lands on the portfolio of her clients' factories: she filters it to one country,
sorts it by readiness, and opens a project from it. The strict CSP holds throughout."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import Membership, User
from app.services.accounts import create_user
from tests.browser.journeys import PASSWORD, log_in
from tests.factories import Factory
from tests.integration import portfolio_support as support

CONSULTANT = "lan-portfolio@example.com"


def make_portfolio(live_app: Any) -> dict[str, int]:
    with live_app.app_context():
        make = Factory()
        data = support.build(make)
        user = create_user(CONSULTANT, "Lan", PASSWORD, verified=True)
        db.session.add(Membership(user=user, workspace_id=data["workspace"].id, role="consultant"))
        db.session.commit()
        return {name: data[name].id for name in ("alpha", "bravo", "charlie")}


def rows(page: Page) -> list[str]:
    return page.locator("#portfolio-table tbody tr").evaluate_all(
        "rows => rows.map(row => row.dataset.projectId)"
    )


def test_a_consultant_lands_on_her_portfolio_filters_sorts_and_opens_a_project(
    page: Page, live_app, live_server
):
    ids = make_portfolio(live_app)
    log_in(page, live_server, CONSULTANT, watch_csp=True)
    expect(page).to_have_url(re.compile(r"/portfolio$"))
    expect(page.get_by_role("heading", name="Portfolio", exact=True)).to_be_visible()
    assert sorted(rows(page)) == sorted(str(i) for i in ids.values())
    expect(page.locator(f'tr[data-project-id="{ids["charlie"]}"] .portfolio-status')).to_have_text("Late")

    page.get_by_label("Country").select_option("DE")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"country=DE"))
    assert rows(page) == [str(ids["bravo"])]

    page.get_by_role("link", name="Clear").click()
    page.locator('a.sort-link[data-sort="readiness"]').click()
    expect(page).to_have_url(re.compile(r"sort=readiness&dir=asc"))
    assert rows(page) == [str(ids["bravo"]), str(ids["charlie"]), str(ids["alpha"])]
    page.locator('a.sort-link[data-sort="readiness"]').click()
    expect(page).to_have_url(re.compile(r"dir=desc"))
    assert rows(page) == [str(ids["alpha"]), str(ids["charlie"]), str(ids["bravo"])]

    page.locator(f'tr[data-project-id="{ids["alpha"]}"] a.project-link').click()
    expect(page).to_have_url(re.compile(rf"/projects/{ids['alpha']}$"))
    assert page.evaluate("window.cspViolations") == []
    with live_app.app_context():
        assert db.session.query(User).filter_by(email=CONSULTANT).count() == 1
