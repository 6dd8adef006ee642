"""The customer satisfaction register's API: the measures with their latest value, trend and target,
filtered and paged; adding a measure, reading one with its values and ETag, recording a value; every
refusal as JSON naming its field."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import SatisfactionMeasure, SatisfactionValue
from tests.integration.satisfaction_support import TODAY, add_measure
from tests.integration.test_api import assert_error, bearer, check, documented, token_for

LIST_PATH = "/api/v1/projects/{project_id}/satisfaction-measures"
ONE_PATH = "/api/v1/projects/{project_id}/satisfaction-measures/{measure_id}"
VALUES_PATH = "/api/v1/projects/{project_id}/satisfaction-measures/{measure_id}/values"


def headers_as(make: Any, tree: dict[str, Any], role: str = "owner") -> dict[str, str]:
    return bearer(token_for(make.user(tree["workspace"], role=role)))


def stored(model: Any) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def test_the_list_answers_each_measure_with_its_latest_value_trend_and_target(client, make, tree):
    project, headers = tree["project"], headers_as(make, tree, "viewer")
    survey = add_measure(
        project, values=[(TODAY - timedelta(days=400), "88"), (TODAY - timedelta(days=20), "84")]
    )
    returns = add_measure(project, "Returns", kind="returns", higher_is_better=False, target="")
    address = LIST_PATH.format(project_id=project.id)
    body = client.get(address, headers=headers).json
    check(body, documented(LIST_PATH, "get"))
    assert [item["id"] for item in body["items"]] == [returns.id, survey.id]
    assert body["items"][1] | {"url": ""} == {
        "id": survey.id,
        "name": "Yearly customer survey score",
        "kind": "survey",
        "unit": "%",
        "higher_is_better": True,
        "target": "85",
        "target_text": "at least 85 %",
        "latest_value": "84",
        "latest_period_end": ago(20),
        "trend": "worse",
        "meets_target": False,
        "stale": False,
        "url": "",
    }
    assert body["items"][0]["stale"] and body["items"][0]["target"] is None
    below = client.get(f"{address}?status=below", headers=headers).json
    assert [item["id"] for item in below["items"]] == [survey.id]
    assert client.get(f"{address}?kind=returns&per_page=1", headers=headers).json["total"] == 1
    for query, field in (("status=great", "status"), ("kind=rumour", "kind"), ("per_page=101", "per_page")):
        response = client.get(f"{address}?{query}", headers=headers)
        assert_error(response, 422)
        assert field in response.json["error"]["fields"]


def test_a_measure_is_added_read_and_given_values(client, make, tree):
    project, headers = tree["project"], headers_as(make, tree)
    created = client.post(
        LIST_PATH.format(project_id=project.id),
        json={"name": "On-time delivery", "kind": "on_time_delivery", "unit": "%", "target": 95},
        headers=headers,
    )
    assert created.status_code == 201, created.json
    check(created.json, documented(LIST_PATH, "post", 201))
    assert (created.json["target"], created.json["values"], created.headers["ETag"]) == ("95", [], '"v1"')
    measure_id = created.json["id"]
    values = VALUES_PATH.format(project_id=project.id, measure_id=measure_id)
    assert (
        client.post(values, json={"period_end": ago(40), "value": 93.25}, headers=headers).status_code == 201
    )
    added = client.post(values, json={"period_end": ago(10), "value": 97, "notes": "Q3"}, headers=headers)
    assert added.status_code == 201
    check(added.json, documented(VALUES_PATH, "post", 201))
    assert [v["value"] for v in added.json["values"]] == ["93.25", "97"]
    assert (added.json["trend"], added.json["meets_target"]) == ("better", True)
    one = client.get(ONE_PATH.format(project_id=project.id, measure_id=measure_id), headers=headers)
    check(one.json, documented(ONE_PATH, "get"))
    assert one.json == added.json


REFUSALS = [
    (LIST_PATH, {"name": "", "kind": "survey"}, "name"),
    (LIST_PATH, {"name": "Survey", "kind": "rumour"}, "kind"),
    (LIST_PATH, {"name": "Survey", "kind": "survey", "target": 1e12}, "target"),
    (LIST_PATH, {"name": "Survey", "kind": "survey", "target": "95"}, "target"),
    (VALUES_PATH, {"period_end": (TODAY + timedelta(days=1)).isoformat(), "value": 1}, "period_end"),
    (VALUES_PATH, {"period_end": ago(1), "value": 1e10}, "value"),
    (VALUES_PATH, {"period_end": ago(1)}, "value"),
    (VALUES_PATH, {"period_end": ago(1), "value": 1, "when": "now"}, "when"),
]


def test_a_measure_or_value_that_breaks_a_rule_is_refused_naming_the_field(client, make, tree):
    project, headers = tree["project"], headers_as(make, tree)
    measure = add_measure(project)
    for path, body, field in REFUSALS:
        response = client.post(
            path.format(project_id=project.id, measure_id=measure.id), json=body, headers=headers
        )
        assert_error(response, 422)
        assert field in response.json["error"]["fields"], body
    assert (stored(SatisfactionMeasure), stored(SatisfactionValue)) == (1, 0)


def test_viewers_add_nothing_and_another_workspaces_measure_is_404(client, make, tree):
    project = tree["project"]
    theirs = add_measure(make.tree()["project"])
    viewer, owner = headers_as(make, tree, "viewer"), headers_as(make, tree)
    new = {"name": "Survey", "kind": "survey"}
    assert_error(client.post(LIST_PATH.format(project_id=project.id), json=new, headers=viewer), 403)
    foreign = {"project_id": project.id, "measure_id": theirs.id}
    assert_error(client.get(ONE_PATH.format(**foreign), headers=owner), 404)
    value = {"period_end": ago(1), "value": 1}
    assert_error(client.post(VALUES_PATH.format(**foreign), json=value, headers=owner), 404)
    assert (stored(SatisfactionMeasure), stored(SatisfactionValue)) == (1, 0)
