"""GET /api/v1/activity and /api/v1/projects/<id>/activity: documented shape, filters, pages, scoping."""

from __future__ import annotations

from typing import Any

from tests.integration.test_activity_log import add_entries
from tests.integration.test_api import assert_error, bearer, check, documented, token_for

ACTIVITY = "/api/v1/activity"
PROJECT_ACTIVITY = "/api/v1/projects/{project_id}/activity"


def test_the_workspace_log_in_its_documented_shape(client, make, tree):
    where = {"client_id": tree["client"].id, "project_id": tree["project"].id}
    add_entries(tree["workspace"].id, 30, **where)
    headers = bearer(token_for(make.user(tree["workspace"], role="consultant")))
    answer = client.get(f"{ACTIVITY}?per_page=20&kind=task", headers=headers)
    assert answer.status_code == 200
    check(answer.json, documented(ACTIVITY, "get"))
    assert (answer.json["total"], len(answer.json["items"])) == (30, 20)
    assert answer.json["items"][0]["changes"] == [{"field": "status", "old": "open", "new": "done"}]
    second = client.get(f"{ACTIVITY}?per_page=20&kind=task&page=2", headers=headers).json
    assert len(second["items"]) == 10
    one = client.get(f"{ACTIVITY}?kind=task&object=3", headers=headers).json
    assert [e["object_id"] for e in one["items"]] == [3]


def test_the_project_log(client, make, tree):
    other = make.project(make.site(tree["client"]), "iso13485")
    add_entries(tree["workspace"].id, 3, client_id=tree["client"].id, project_id=tree["project"].id)
    add_entries(tree["workspace"].id, 2, client_id=tree["client"].id, project_id=other.id)
    headers = bearer(token_for(make.user(tree["workspace"], role="viewer")))
    path = PROJECT_ACTIVITY.format(project_id=other.id)
    answer = client.get(path, headers=headers)
    check(answer.json, documented(PROJECT_ACTIVITY, "get"))
    assert answer.json["total"] == 3  # its two and its "created"


def test_bad_filters_are_refused(client, make, tree):
    headers = bearer(token_for(make.user(tree["workspace"], role="owner")))
    for query in (
        "kind=verdicts",
        "since=2026-13-01",
        "user=abc",
        "client=",
        "project=",
        "page=0",
        "per_page=1000",
    ):
        assert_error(client.get(f"{ACTIVITY}?{query}", headers=headers), 422)


def test_another_workspace_and_unnamed_clients_are_unreachable(client, make, tree):
    other = make.tree()
    add_entries(other["workspace"].id, 4, client_id=other["client"].id, project_id=other["project"].id)
    second = make.client(tree["workspace"])
    add_entries(tree["workspace"].id, 2, client_id=second.id)
    manager = make.user(tree["workspace"], role="client_manager", clients=[tree["client"]])
    headers = bearer(token_for(manager))
    mine: Any = client.get(ACTIVITY, headers=headers).json
    assert {e["client_id"] for e in mine["items"]} == {tree["client"].id}
    assert client.get(f"{ACTIVITY}?client={other['client'].id}", headers=headers).json["total"] == 0
    assert_error(client.get(PROJECT_ACTIVITY.format(project_id=other["project"].id), headers=headers), 404)
    assert client.get(ACTIVITY).status_code == 401
