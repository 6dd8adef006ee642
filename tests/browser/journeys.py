"""Set-up shared by the browser journeys: a workspace with one ISO 9001 project and its people, built with
the same factories as the other tests, and logging in through the page."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from app.extensions import db
from app.services.accounts import add_user_to_workspace
from tests.factories import Factory

PASSWORD = "a-very-long-password"
# Collects Content-Security-Policy violations from the start of every page (before any script runs).
WATCH_CSP = (
    "window.cspViolations = [];"
    "document.addEventListener('securitypolicyviolation', e => "
    "window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
)


def new_project(
    live_app: Any,
    workspace: str,
    members: dict[str, tuple[str, str]],
    client: str,
    site: str,
    employees: int = 30,
) -> int:
    """A workspace with ``members`` (email -> (name, role)), a client, its site and an ISO 9001 project."""
    make = Factory()
    with live_app.app_context():
        space = make.workspace(workspace, kind="consultancy")
        for email, (name, role) in members.items():
            add_user_to_workspace(email, name, PASSWORD, workspace, role)
        db.session.commit()
        found = make.client(space, name=client, country="VN")
        project = make.project(make.site(found, name=site, employee_count=employees), currency="VND")
        return project.id


def log_in(page: Page, base: str, email: str, watch_csp: bool = False) -> None:
    if watch_csp:
        page.add_init_script(WATCH_CSP)
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_attached()
