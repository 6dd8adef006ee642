"""At 1280 px (a laptop) the budget's roll-up tables show every column, Spent included (issue 16): no roll-up
table scrolls or clips inside its box on any demo project's budget page."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page
from sqlalchemy import select

from app.extensions import db
from app.models import CertificationProject, Workspace
from app.services import demo

LAPTOP = {"width": 1280, "height": 800}

# Per roll-up table: how much wider it is than the box it sits in (0 when every column shows).
CLIPPED = """() => [...document.querySelectorAll('table.budget-rollup')].map(table => {
  const box = table.closest('.table-responsive') || table.parentElement;
  return {id: table.id, over: box.scrollWidth - box.clientWidth, right: table.getBoundingClientRect().right,
          edge: box.getBoundingClientRect().right};
})"""


def budget_pages(live_app: Any) -> list[str]:
    with live_app.app_context():
        if not demo.demo_exists():
            demo.create_demo()
            db.session.commit()
        # The demo's projects only: other journeys of the same live server add projects of their own.
        ids = db.session.execute(
            select(CertificationProject.id)
            .join(Workspace, Workspace.id == CertificationProject.workspace_id)
            .where(Workspace.name == demo.DEMO_WORKSPACE)
            .order_by(CertificationProject.id)
        ).scalars()
        return [f"/projects/{project_id}/budget" for project_id in ids]


def test_the_budget_roll_ups_show_every_column_at_1280_px(page: Page, live_server: str, live_app: Any):
    paths = budget_pages(live_app)
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(demo.DEMO_EMAIL)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)

    clipped, seen = [], 0
    for path in paths:
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.ok, path
        for table in page.evaluate(CLIPPED):
            seen += 1
            if table["over"] > 0 or table["right"] > table["edge"] + 0.5:
                clipped.append((path, table))
        spent = page.locator("#by-stage th", has_text="Spent")
        if spent.count():
            box = spent.bounding_box()
            assert box is not None and box["x"] + box["width"] <= LAPTOP["width"], path
    assert seen, "no demo budget has roll-up tables"
    assert clipped == []
