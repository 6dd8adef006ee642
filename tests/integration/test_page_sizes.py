"""Each main page's rendered size on the demo stays under a bound, so a page that suddenly doubles shows in
``make test`` (issue 19: "keep the query-count tests, and add one per page for the rendered size").

A bound is the page's largest size over the four demo projects when it was set, plus about 25%: room for
the wording and small features to grow, none for a page that starts sending twice what it did. A page that
grows on purpose raises its bound in the same commit, saying why. Sizes are of the response body as the test
client gets it (no CSRF tokens: they are off in the tests). The gap analysis page's size is pinned with its
own tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import CertificationProject, Membership, User
from app.services import demo, tokens
from tests.conftest import demo_built

API = "/api/v1"

# Page: (path, with {project} for each demo project; the most bytes it may send). Sizes measured on 2 Dec 2026
# (SQLite), smallest and largest demo project. Each page also carries the header: its navigation and the
# language switcher (five languages) take about 1.5 KB.
BOUNDS: dict[str, tuple[str, int]] = {
    # Four clients, each with its projects' readiness and spend: 5.5 KB.
    "client list": ("/clients", 8_000),
    # Four projects with readiness, stage and budget: 4.1 KB.
    "project list": ("/projects", 6_500),
    # Readiness, stages, next steps and two charts: 26.9-28.8 KB.
    "project page": ("/projects/{project}", 36_000),
    # Nine charts, their JSON (each with the shared template, ~0.8 KB of it once escaped) and their tables:
    # 61.9-67.9 KB.
    "charts": ("/projects/{project}/charts", 85_000),
    # The budget lines (first page) and their totals: 19.0-22.8 KB.
    "budget": ("/projects/{project}/budget", 28_500),
    # The first page of evidence items: 14.9-26.3 KB.
    "evidence list": ("/projects/{project}/evidence", 33_000),
    # Every mandatory document and record with its status; ISO 13485 asks for the most: 26.7-57.4 KB.
    "documented-information checklist": ("/projects/{project}/documented-information", 72_000),
    # One card per register of the project's standard: 7.0-7.5 KB.
    "registers": ("/projects/{project}/registers", 9_400),
    # The risk register: its heat map (a chart) and the risks with their actions: 19.7-31.9 KB.
    "risk register": ("/projects/{project}/risks", 40_000),
    # The context register, the largest list of the registers: 29.1-37.1 KB.
    "context register": ("/projects/{project}/context", 46_500),
    # Four projects as JSON: 1.2 KB.
    "API project list": (f"{API}/projects", 1_600),
    # Every requirement of the standard with its verdict (65 for ISO 9001, 67 for ISO 13485): 11.8-13.1 KB.
    "API requirements": (f"{API}/projects/{{project}}/requirements", 16_500),
}


@dataclass(frozen=True)
class Demo:
    http: FlaskClient  # logged in as the demo consultant
    api_headers: dict[str, str]  # the consultant's API token
    projects: list[int]


@pytest.fixture(scope="module")
def built_demo(database: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The demo dated from today (as ``flask seed-demo`` dates it), built once per engine for this module's
    tests, which only read it; the tables are emptied when the module is done."""
    with demo_built(database, tmp_path_factory.mktemp("demo-evidence"), date.today()) as app:
        user = db.session.execute(select(User).where(User.email == demo.DEMO_EMAIL)).scalar_one()
        membership = db.session.execute(select(Membership).where(Membership.user_id == user.id)).scalar_one()
        secret = tokens.create(membership.id, "page sizes").secret
        db.session.commit()
        projects = list(
            db.session.execute(select(CertificationProject.id).order_by(CertificationProject.id)).scalars()
        )
        http = app.test_client()
        response = http.post("/login", data={"email": demo.DEMO_EMAIL, "password": demo.DEMO_PASSWORD})
        assert response.status_code == 302
        yield Demo(http, {"Authorization": f"Bearer {secret}"}, projects)


# Not "page": pytest-playwright parametrizes every test taking an argument of that name by browser.
@pytest.mark.parametrize("name", BOUNDS)
def test_the_page_stays_under_its_size_bound(built_demo, name):
    path, bound = BOUNDS[name]
    paths = [path.format(project=p) for p in built_demo.projects] if "{project}" in path else [path]
    headers = built_demo.api_headers if path.startswith(API) else {}
    for url in paths:
        response = built_demo.http.get(url, headers=headers)
        assert response.status_code == 200, url
        size = len(response.get_data())
        assert size <= bound, f"{name} ({url}) sends {size:,} bytes, over its bound of {bound:,}"
