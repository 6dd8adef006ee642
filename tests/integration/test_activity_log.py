"""The workspace activity log (/activity) and its API: filters, pages, scoping, query counts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import insert

from app.extensions import db
from app.models import AuditEntry
from tests.factories import login
from tests.querycount import count_queries


def add_entries(workspace_id: int, count: int, **fields: Any) -> None:
    values = {
        "workspace_id": workspace_id,
        "occurred_at": datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
        "actor_id": None,
        "actor_name": "Someone",
        "client_id": None,
        "project_id": None,
        "kind": "task",
        "object_id": 1,
        "object_label": "A task",
        "action": "changed",
        "changes": [["status", "open", "done"]],
    } | fields
    db.session.execute(insert(AuditEntry), [dict(values, object_id=n + 1) for n in range(count)])
    db.session.commit()


def rows(html: str) -> int:
    return html.count("<tr data-entry=")


@pytest.fixture
def setup(client, make):
    workspace = make.workspace()
    first = make.tree(workspace)
    second = make.tree(workspace)
    owner = make.user(workspace, role="owner")
    return {"workspace": workspace, "first": first, "second": second, "owner": owner}


def test_the_log_lists_newest_first_and_filters_by_the_url(client, setup):
    ws, first, second = setup["workspace"], setup["first"], setup["second"]
    add_entries(ws.id, 3, client_id=first["client"].id, project_id=first["project"].id, object_label="first")
    later = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    where = {"client_id": second["client"].id, "project_id": second["project"].id, "occurred_at": later}
    add_entries(ws.id, 2, **where, kind="verdict", actor_id=setup["owner"].id, object_label="second")
    login(client, setup["owner"])
    page = client.get("/activity")
    assert page.status_code == 200
    html = page.text
    assert rows(html) == 2 + 3 + 3  # and the two projects' and the owner's "created"
    assert html.index("second") < html.index("first")
    assert rows(client.get(f"/activity?client={first['client'].id}").text) == 3 + 1
    assert rows(client.get(f"/activity?project={second['project'].id}&kind=verdict").text) == 2
    assert rows(client.get(f"/activity?user={setup['owner'].id}").text) == 2
    assert rows(client.get("/activity?since=2026-11-21&until=2026-11-30").text) == 2
    assert rows(client.get("/activity?until=2026-11-20&kind=task").text) == 3
    assert rows(client.get("/activity?kind=task&object=2").text) == 1
    assert rows(client.get("/activity?kind=nonsense&since=garbage&user=x").text) == 8


def test_the_log_is_paginated_with_its_filters(client, setup):
    ws, first = setup["workspace"], setup["first"]
    add_entries(ws.id, 120, client_id=first["client"].id, project_id=first["project"].id)
    login(client, setup["owner"])
    one = client.get(f"/activity?kind=task&client={first['client'].id}").text
    assert rows(one) == 50 and "Page 1 of 3" in one
    assert "page=2" in one and f"client={first['client'].id}" in one
    three = client.get(f"/activity?kind=task&client={first['client'].id}&page=3").text
    assert rows(three) == 20
    assert rows(client.get("/activity?kind=task&page=99").text) == 20  # past the end: the last page


def test_a_client_manager_sees_only_their_clients_entries(client, make, setup):
    ws, first, second = setup["workspace"], setup["first"], setup["second"]
    add_entries(ws.id, 2, client_id=first["client"].id, project_id=first["project"].id)
    add_entries(ws.id, 4, client_id=second["client"].id, project_id=second["project"].id)
    add_entries(ws.id, 1, kind="member")
    manager = make.user(ws, role="client_manager", clients=[first["client"]])
    login(client, manager)
    assert rows(client.get("/activity").text) == 2 + 1
    assert rows(client.get(f"/activity?client={second['client'].id}").text) == 0


def test_workspace_entries_are_for_those_who_manage_it(app, client, make, setup):
    ws = setup["workspace"]
    add_entries(ws.id, 3, kind="member")
    login(client, make.user(ws, role="consultant"))
    assert rows(client.get("/activity?kind=member").text) == 0
    owner = app.test_client()
    login(owner, setup["owner"])
    assert rows(owner.get("/activity?kind=member").text) >= 3


def test_another_workspaces_entries_are_unreachable(client, make, setup):
    other = make.tree()
    add_entries(other["workspace"].id, 5, client_id=other["client"].id, project_id=other["project"].id)
    login(client, setup["owner"])
    assert rows(client.get(f"/activity?client={other['client'].id}").text) == 0
    assert rows(client.get(f"/activity?project={other['project'].id}").text) == 0
    assert rows(client.get("/activity").text) == 3  # its own: two projects and a member created


def test_the_nav_links_the_log_for_owners_and_consultants_only(app, client, make, setup):
    login(client, setup["owner"])
    assert 'href="/activity"' in client.get("/activity").text
    viewer = app.test_client()
    login(viewer, make.user(setup["workspace"], role="viewer"))
    assert 'href="/activity"' not in viewer.get("/clients").text


def test_the_log_reads_a_constant_number_of_queries(client, setup):
    ws_id, client_id = setup["workspace"].id, setup["first"]["client"].id
    login(client, setup["owner"])
    url = f"/activity?client={client_id}"
    add_entries(ws_id, 3, client_id=client_id)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    add_entries(ws_id, 60, client_id=client_id, kind="budget")
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
