"""The management review and quality objective API: every answer in its documented shape, the inputs
written in from the records, edits by input key with If-Match, decisions and actions, objectives and their
values; every refusal as JSON naming its field, other workspaces' ids 404, viewers 403."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from app.extensions import db
from app.models import ManagementReview, ObjectiveMeasurement, QualityObjective, ReviewOutput
from tests.integration import review_support as rs
from tests.integration.test_api import assert_error, bearer, check, documented, token_for

TODAY = date.today()
PROJECT = "/api/v1/projects/{project_id}"
REVIEWS = f"{PROJECT}/management-reviews"
REVIEW = f"{REVIEWS}/{{review_id}}"
OUTPUTS = f"{REVIEW}/outputs"
OBJECTIVES = f"{PROJECT}/objectives"
OBJECTIVE = f"{OBJECTIVES}/{{objective_id}}"
MEASUREMENTS = f"{OBJECTIVE}/measurements"
SENTENCE = rs.SENTENCE


def count(model: Any) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def headers(make: Any, tree: dict[str, Any]) -> dict[str, str]:
    return bearer(token_for(make.user(tree["workspace"], role="contributor")))


def at(path: str, project: Any, **ids: int) -> str:
    return path.format(project_id=project.id, **ids)


def new_review(**fields: Any) -> dict[str, Any]:
    return {"held_on": (TODAY - timedelta(days=1)).isoformat(), "attendees": ["Mr Minh, director"]} | fields


# Reviews


def test_a_review_is_recorded_with_its_inputs_written_in(client, tree, headers):
    project = tree["project"]
    rs.add_reported_audit(project, TODAY - timedelta(days=20), ["conforming", "minor"])
    response = client.post(
        at(REVIEWS, project), json=new_review(notes="In the meeting room"), headers=headers
    )
    assert response.status_code == 201
    body = response.json
    check(body, documented(REVIEWS, "post", 201))
    review = db.session.execute(select(ManagementReview)).scalar_one()
    assert response.headers["ETag"] == f'"v{review.version}"'
    held_on = TODAY - timedelta(days=1)
    assert body["period_start"] == (held_on - relativedelta(months=12)).isoformat()  # a year back
    assert body["period_end"] == body["held_on"] and body["attendees"] == ["Mr Minh, director"]
    assert len(body["inputs"]) == 12 and "1 conforming, 1 minor" in body["inputs"]["audit_results"]
    assert body["inputs"]["customer_satisfaction"] == ""
    recorded = {item["key"]: item["recorded"] for item in body["required_inputs"]}
    assert recorded["audit_results"] and not recorded["customer_satisfaction"]
    assert [o["recorded"] for o in body["required_outputs"]] == [False, False, False]

    listed = client.get(at(REVIEWS, project), headers=headers)
    check(listed.json, documented(REVIEWS, "get"))
    [item] = listed.json["items"]
    assert item["id"] == review.id and item["inputs_required"] == 12 and item["outputs"] == 0
    assert client.get(item["url"], headers=headers).json == body


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"held_on": (TODAY + timedelta(days=1)).isoformat()}, "held_on"),
        ({"period_end": TODAY.isoformat()}, "period_end"),  # after the review was held
        ({"attendees": []}, "attendees"),
        ({"held_on": "01/02/2025"}, "held_on"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_review_that_breaks_a_rule_is_422_naming_the_field(client, tree, headers, fields, field):
    response = client.post(at(REVIEWS, tree["project"]), json=new_review(**fields), headers=headers)
    error = assert_error(response, 422)
    assert field in error["fields"]
    assert count(ManagementReview) == 0


def test_inputs_are_edited_by_key_and_the_etag_moves(client, tree, headers):
    project = tree["project"]
    review = rs.add_review(project, texts={"resources": "Budget and staff were judged adequate for now."})
    address = at(REVIEW, project, review_id=review.id)
    read = client.get(address, headers=headers)
    assert read.headers["ETag"] == '"v1"'
    sent = {"inputs": {"audit_results": SENTENCE}, "notes": "Short"}
    response = client.patch(address, json=sent, headers=headers | {"If-Match": '"v1"'})
    assert response.status_code == 200, response.json
    check(response.json, documented(REVIEW, "patch"))
    assert response.headers["ETag"] == '"v2"'
    assert response.json["inputs"]["audit_results"] == SENTENCE and response.json["notes"] == "Short"
    assert response.json["inputs"]["resources"] == "Budget and staff were judged adequate for now."
    stale = client.patch(address, json={"notes": "Mine"}, headers=headers | {"If-Match": '"v1"'})
    assert_error(stale, 412)
    db.session.expire_all()
    assert db.session.get(ManagementReview, review.id).notes == "Short"


@pytest.mark.parametrize(
    ("sent", "field"),
    [
        ({"inputs": {"audit_results": "x"}}, "inputs.audit_results"),
        ({"inputs": {"complaints": SENTENCE}}, "inputs.complaints"),  # an ISO 13485 input
        ({"inputs": {"audit_results": 5}}, "inputs.audit_results"),
        ({"held_on": (TODAY + timedelta(days=3)).isoformat()}, "held_on"),
        ({"attendees": ["a" * 121]}, "attendees"),
    ],
)
def test_an_edit_that_breaks_a_rule_is_422_and_saves_nothing(client, tree, headers, sent, field):
    review = rs.add_review(tree["project"])
    response = client.patch(at(REVIEW, tree["project"], review_id=review.id), json=sent, headers=headers)
    assert field in assert_error(response, 422)["fields"]
    db.session.expire_all()
    saved = db.session.get(ManagementReview, review.id)
    assert saved.version == 1 and all(entry.text == "" for entry in saved.inputs)


def test_decisions_and_actions_are_added_under_the_outputs(client, tree, headers):
    project = tree["project"]
    review = rs.add_review(project)
    address = at(OUTPUTS, project, review_id=review.id)
    action = {"category": "resources", "kind": "action", "text": "Hire one more quality inspector now",
              "owner": "Ms Lan", "due_date": (TODAY + timedelta(days=30)).isoformat()}  # fmt: skip
    response = client.post(address, json=action, headers=headers)
    assert response.status_code == 201
    check(response.json, documented(OUTPUTS, "post", 201))
    assert response.json["state"] == "open" and response.json["owner"] == "Ms Lan"
    no_owner = client.post(address, json=action | {"owner": ""}, headers=headers)
    assert set(assert_error(no_owner, 422)["fields"]) == {"owner"}
    wrong = client.post(address, json=action | {"category": "regulatory_changes"}, headers=headers)
    assert "category" in assert_error(wrong, 422)["fields"]
    assert count(ReviewOutput) == 1
    detail = client.get(at(REVIEW, project, review_id=review.id), headers=headers).json
    assert [o["recorded"] for o in detail["required_outputs"]] == [False, False, True]


# Objectives


def test_objectives_are_added_listed_and_measured(client, tree, headers):
    project = tree["project"]
    due = (TODAY + timedelta(days=90)).isoformat()
    body = {"title": "Keep customer returns low", "measure": "Returned / shipped", "direction": "at_most",
            "target": 0.5, "unit": "%", "owner": "Ms Lan", "due_date": due}  # fmt: skip
    created = client.post(at(OBJECTIVES, project), json=body, headers=headers)
    assert created.status_code == 201
    check(created.json, documented(OBJECTIVES, "post", 201))
    assert created.json["target"] == "0.5" and created.json["target_text"] == "at most 0.5 %"
    assert created.json["status"] == "no_data" and created.json["measurements"] == []
    objective_id = created.json["id"]
    measured = client.post(
        at(MEASUREMENTS, project, objective_id=objective_id),
        json={"measured_on": TODAY.isoformat(), "value": 0.7},
        headers=headers,
    )
    assert measured.status_code == 201
    check(measured.json, documented(MEASUREMENTS, "post", 201))
    assert measured.json["status"] == "not_met" and measured.json["latest_value"] == "0.7"
    listed = client.get(at(OBJECTIVES, project), headers=headers)
    check(listed.json, documented(OBJECTIVES, "get"))
    assert [item["status"] for item in listed.json["items"]] == ["not_met"]
    one = client.get(at(OBJECTIVE, project, objective_id=objective_id), headers=headers)
    check(one.json, documented(OBJECTIVE, "get"))
    assert [m["value"] for m in one.json["measurements"]] == ["0.7"]


@pytest.mark.parametrize(
    ("sent", "field"),
    [({"target": "95"}, "target"), ({"target": 1e12}, "target"), ({"owner": " "}, "owner"),
     ({"direction": "about"}, "direction"), ({"due_date": None}, "due_date")],
)  # fmt: skip
def test_an_objective_that_breaks_a_rule_is_422(client, tree, headers, sent, field):
    body = {"title": "Deliver orders on time", "measure": "On time / all", "target": 95, "owner": "Mr Hung",
            "due_date": (TODAY + timedelta(days=90)).isoformat()} | sent  # fmt: skip
    response = client.post(at(OBJECTIVES, tree["project"]), json=body, headers=headers)
    assert field in assert_error(response, 422)["fields"]
    assert count(QualityObjective) == 0


def test_a_measurement_in_the_future_is_422(client, tree, headers):
    objective = rs.add_objective(tree["project"])
    address = at(MEASUREMENTS, tree["project"], objective_id=objective.id)
    sent = {"measured_on": (TODAY + timedelta(days=1)).isoformat(), "value": 96}
    assert "measured_on" in assert_error(client.post(address, json=sent, headers=headers), 422)["fields"]
    assert count(ObjectiveMeasurement) == 0


# Tenancy and roles


def test_another_workspaces_reviews_and_objectives_are_404(client, make, tree, headers):
    theirs = make.tree()["project"]
    review, objective = rs.add_review(theirs), rs.add_objective(theirs)
    mine = tree["project"]
    assert_error(client.get(at(REVIEW, mine, review_id=review.id), headers=headers), 404)
    assert_error(
        client.patch(at(REVIEW, mine, review_id=review.id), json={"notes": "x"}, headers=headers), 404
    )
    sent = {"category": "resources", "kind": "decision", "text": SENTENCE}
    assert_error(client.post(at(OUTPUTS, mine, review_id=review.id), json=sent, headers=headers), 404)
    assert_error(client.get(at(OBJECTIVE, mine, objective_id=objective.id), headers=headers), 404)
    value = {"measured_on": TODAY.isoformat(), "value": 1}
    assert_error(
        client.post(at(MEASUREMENTS, mine, objective_id=objective.id), json=value, headers=headers), 404
    )
    assert_error(client.get(at(REVIEWS, theirs), headers=headers), 404)
    assert count(ReviewOutput) == count(ObjectiveMeasurement) == 0


def test_a_viewer_reads_but_records_nothing(client, make, tree):
    viewer = bearer(token_for(make.user(tree["workspace"], role="viewer")))
    project = tree["project"]
    review = rs.add_review(project)
    assert client.get(at(REVIEW, project, review_id=review.id), headers=viewer).status_code == 200
    assert_error(client.post(at(REVIEWS, project), json=new_review(), headers=viewer), 403)
    assert_error(
        client.patch(at(REVIEW, project, review_id=review.id), json={"notes": "x"}, headers=viewer), 403
    )
    assert_error(client.post(at(OBJECTIVES, project), json={}, headers=viewer), 403)
    assert count(ManagementReview) == 1 and count(QualityObjective) == 0
