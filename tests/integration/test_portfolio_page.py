"""The portfolio (/portfolio): its rows and status, sorting on every column, each filter, the search, the
pages, who lands where, what a client manager and another workspace see, and a constant query count."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.portfolio import routes
from app.services.portfolio import SORTS
from tests.factories import login
from tests.integration import portfolio_support as support
from tests.querycount import count_queries

ROW = re.compile(r'<tr data-project-id="(\d+)" data-status="(\w+)">')
# Each project's value of every sortable column (None sorts last either way); ties go by client name.
KEYS: dict[str, dict[str, Any]] = {
    "client": {"alpha": "a", "bravo": "b", "charlie": "c"},
    "site": {"alpha": "a", "bravo": "b", "charlie": "c"},
    "country": {"alpha": "VN", "bravo": "DE", "charlie": "TH"},
    "standard": {"alpha": "ISO 9001", "bravo": "ISO 9001", "charlie": "ISO 13485"},
    "stage": {"alpha": 2, "bravo": 1, "charlie": 0},
    "readiness": {"alpha": 46, "bravo": 15, "charlie": 28},
    "coverage": {"alpha": 0, "bravo": 0, "charlie": 0},
    "milestone": {"alpha": 42, "bravo": 41, "charlie": 265},
    "overdue": {"alpha": 0, "bravo": 1, "charlie": 0},
    "majors": {"alpha": 0, "bravo": 1, "charlie": 0},
    "budget": {"alpha": 0.2, "bravo": 1.5, "charlie": None},
    "target": {"alpha": 300, "bravo": 200, "charlie": -1},
    "status": {"alpha": 2, "bravo": 1, "charlie": 0},
}
NAMES = ("alpha", "bravo", "charlie")
MOST_QUERIES = (
    8  # the session's user and scope, then the totals, the page, the coming milestones, the choices
)


@pytest.fixture
def data(make):
    return support.build(make)


@pytest.fixture
def http(client, make, data):
    login(client, make.user(data["workspace"], role="consultant"))
    return client


def shown(response) -> list[int]:
    assert response.status_code == 200, response.status_code
    return [int(found) for found, _ in ROW.findall(response.text)]


def names_of(data, ids: list[int]) -> list[str]:
    by_id = {data[name].id: name for name in NAMES}
    return [by_id[project_id] for project_id in ids]


def expected(column: str, descending: bool) -> list[str]:
    keys = KEYS[column]
    known = sorted((name for name in NAMES if keys[name] is not None), key=lambda name: name)
    ordered = sorted(known, key=keys.__getitem__, reverse=descending)  # stable: ties stay by client
    return ordered + [name for name in NAMES if keys[name] is None]


def test_each_project_shows_its_figures_and_status(http, data):
    page = http.get("/portfolio")
    statuses = dict(ROW.findall(page.text))
    assert statuses == {str(data["alpha"].id): "on_track", str(data["bravo"].id): "at_risk",
                        str(data["charlie"].id): "late"}  # fmt: skip
    assert "How the status is decided" in page.text and "150.0 %" in page.text
    assert "End of documentation" in page.text and "First surveillance audit due" in page.text
    for chart in ("readiness-distribution", "upcoming", "projects-by-stage"):
        assert f'id="{chart}-table"' in page.text


@pytest.mark.parametrize("column", SORTS)
def test_sort_by_every_column_both_ways(http, data, column):
    for descending in (False, True):
        response = http.get(
            "/portfolio", query_string={"sort": column, "dir": "desc" if descending else "asc"}
        )
        assert names_of(data, shown(response)) == expected(column, descending), (column, descending)


@pytest.mark.parametrize(
    "args", [{"sort": "nope"}, {"sort": "status", "dir": "sideways"}, {"sort": "1;drop"}]
)
def test_unknown_sort_values_fall_back_to_status(http, data, args):
    assert names_of(data, shown(http.get("/portfolio", query_string=args))) == ["charlie", "bravo", "alpha"]


def test_each_filter(http, data):
    cases = {
        "standard": ("iso13485", ["charlie"]),
        "stage": ("documentation", ["bravo"]),
        "country": ("VN", ["alpha"]),
        "status": ("at_risk", ["bravo"]),
        "body": (str(data["body"].id), ["charlie"]),
        "assignee": ("production MANAGER", ["bravo"]),  # an open finding's action owner, any case
    }
    for name, (value, wanted) in cases.items():
        assert names_of(data, shown(http.get("/portfolio", query_string={name: value}))) == wanted, name
    assert shown(http.get("/portfolio", query_string={"stage": "training", "country": "DE"})) == []
    assert shown(http.get("/portfolio", query_string={"body": "999999999999"})) == []


def test_search_across_client_site_and_certificate_number(http, data):
    for text, wanted in (("bravo met", ["bravo"]), ("alpha plant", ["alpha"]), ("zc-47", ["charlie"]),
                         ("%", []), ("_", [])):  # fmt: skip
        assert names_of(data, shown(http.get("/portfolio", query_string={"q": text}))) == wanted, text


def test_pages_keep_the_sort_and_filters(http, data, monkeypatch):
    monkeypatch.setattr(routes, "PER_PAGE", 2)
    first = http.get("/portfolio", query_string={"sort": "client", "standard": "iso9001"})
    assert names_of(data, shown(first)) == ["alpha", "bravo"]
    assert "Page 1 of 1" not in first.text
    everything = http.get("/portfolio", query_string={"sort": "client"})
    assert "Page 1 of 2" in everything.text and "sort=client" in everything.text
    second = http.get("/portfolio", query_string={"sort": "client", "page": "2"})
    assert names_of(data, shown(second)) == ["charlie"]


def test_another_workspace_is_absent_and_a_client_manager_sees_only_their_clients(client, make, data):
    other = support.build(make, suffix=" Other")
    manager = make.user(data["workspace"], role="client_manager", clients=[data["bravo"].client])
    login(client, manager)
    assert names_of(data, shown(client.get("/portfolio"))) == ["bravo"]
    assert shown(client.get("/portfolio", query_string={"q": "Other"})) == []
    fresh = client.application.test_client()
    login(fresh, make.user(data["workspace"]))
    everything = set(shown(fresh.get("/portfolio")))
    assert everything == {data[name].id for name in NAMES}
    assert not everything & {other[name].id for name in NAMES}


def test_landing_pages(client, make):
    exporter = make.workspace(kind="exporter")
    user = make.user(exporter)
    response = client.post("/login", data={"email": user.email, "password": "correct-horse-battery"})
    assert response.headers["Location"] == "/portfolio"
    assert client.get("/portfolio").headers["Location"] == "/clients"  # no project yet: set one up
    project = make.project(make.site(make.client(exporter)))
    assert client.get("/").headers["Location"] == "/portfolio"
    assert client.get("/portfolio").headers["Location"] == f"/projects/{project.id}"
    assert client.get("/portfolio", query_string={"q": "x"}).status_code == 200  # a search stays
    make.project(make.site(project.client))
    assert client.get("/portfolio").status_code == 200  # two projects: the portfolio


def test_a_consultancy_with_one_project_sees_its_portfolio(client, make, tree):
    login(client, make.user(tree["workspace"]))
    assert shown(client.get("/portfolio")) == [tree["project"].id]


def test_the_query_count_is_the_same_for_every_sort_and_filter_at_two_sizes(client, make, data):
    user = make.user(data["workspace"])
    login(client, user)
    asks = [{"sort": column, "dir": "desc"} for column in SORTS] + [
        {"standard": "iso9001"}, {"stage": "training"}, {"country": "VN"}, {"status": "late"},
        {"body": str(data["body"].id)}, {"assignee": "Quality lead"}, {"q": "zc"},
    ]  # fmt: skip

    def counts() -> dict[str, int]:
        found = {}
        for args in asks:
            client.get("/portfolio", query_string=args)
            with count_queries() as statements:
                assert client.get("/portfolio", query_string=args).status_code == 200
            found[str(args)] = len(statements)
        return found

    small = counts()
    for suffix in (" 2", " 3"):
        support.build(make, data["workspace"], suffix)
    assert counts() == small
    # A filter or search skips the landing check (one query), so two counts in all, whatever the sort.
    assert len(set(small.values())) <= 2 and max(small.values()) <= MOST_QUERIES, small


def test_the_status_filter_agrees_with_the_rule_on_a_generated_portfolio(client, runner):
    """The status is decided in Python for the rows shown and in SQL to filter and sort: the same."""
    result = runner.invoke(args=["generate-portfolio", "--clients", "12", "--seed", "3"])
    email, password = re.search(r"Log in as (\S+) with password: (\S+)", result.output).groups()
    client.post("/login", data={"email": email, "password": password})
    shown_status = dict(ROW.findall(client.get("/portfolio").text))
    assert len(shown_status) == 12
    for status in ("late", "at_risk", "on_track"):
        filtered = dict(ROW.findall(client.get("/portfolio", query_string={"status": status}).text))
        assert set(filtered.values()) <= {status}
        assert set(filtered) == {pid for pid, found in shown_status.items() if found == status}
