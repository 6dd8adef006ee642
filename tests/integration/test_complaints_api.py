"""The customer complaint register's API: the list with its filters and pages, recording a complaint (as
received, or investigated, decided and closed), reading one with its ETag and linked nonconformity, and
every refusal as JSON naming its field."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import Complaint
from tests.integration.complaints_support import (
    CLOSURE,
    DESCRIPTION,
    INVESTIGATION,
    REASON,
    TODAY,
    add_complaint,
)
from tests.integration.finding_support import add_finding
from tests.integration.test_api import assert_error, bearer, check, documented, token_for

LIST_PATH = "/api/v1/projects/{project_id}/complaints"
ONE_PATH = "/api/v1/projects/{project_id}/complaints/{complaint_id}"


def new(**fields: Any) -> dict[str, Any]:
    return {
        "received_on": (TODAY - timedelta(days=3)).isoformat(),
        "customer": "Masan Consumer",
        "product": "Chilli sauce sachet 8 g",
        "description": DESCRIPTION,
    } | fields


def headers_as(make: Any, tree: dict[str, Any], role: str = "owner") -> dict[str, str]:
    return bearer(token_for(make.user(tree["workspace"], role=role)))


def stored() -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(Complaint)).scalar_one()


def post(client: Any, project: Any, headers: dict[str, str], body: Any) -> Any:
    return client.post(LIST_PATH.format(project_id=project.id), json=body, headers=headers)


def test_the_list_answers_the_register_open_first_filtered_and_paged(client, make, tree):
    project, headers = tree["project"], headers_as(make, tree, "viewer")
    late = add_complaint(project, received_on=TODAY - timedelta(days=40), product="Stopper A")
    closed = add_complaint(project, investigation=INVESTIGATION, closed_on=TODAY, closure=CLOSURE)
    address = LIST_PATH.format(project_id=project.id)
    body = client.get(address, headers=headers).json
    check(body, documented(LIST_PATH, "get"))
    assert [item["id"] for item in body["items"]] == [late.id, closed.id] and body["total"] == 2
    assert body["items"][0] | {"url": ""} == {
        "id": late.id,
        "label": f"Complaint {late.id} (Vinamilk)",
        "received_on": (TODAY - timedelta(days=40)).isoformat(),
        "customer": "Vinamilk",
        "product": "Stopper A",
        "state": "received",
        "closed_on": None,
        "days_open": 40,
        "late": True,
        "reportability": None,  # ISO 9001
        "finding_id": None,
        "url": "",
    }
    assert [i["id"] for i in client.get(f"{address}?state=late", headers=headers).json["items"]] == [late.id]
    assert [i["id"] for i in client.get(f"{address}?state=closed", headers=headers).json["items"]] == [
        closed.id
    ]
    assert client.get(f"{address}?product=Stopper%20A", headers=headers).json["total"] == 1
    paged = client.get(f"{address}?per_page=1&page=2", headers=headers).json
    assert (paged["total"], [i["id"] for i in paged["items"]]) == (2, [closed.id])
    for query, field in (
        ("state=lost", "state"),
        ("reportability=maybe", "reportability"),
        ("page=0", "page"),
    ):
        response = client.get(f"{address}?{query}", headers=headers)
        assert_error(response, 422)
        assert field in response.json["error"]["fields"]


def test_a_complaint_is_recorded_and_read_with_its_etag_and_finding(client, make, tree):
    project, headers = tree["project"], headers_as(make, tree)
    finding = add_finding(project)
    sent = new(
        investigation=INVESTIGATION, closed_on=TODAY.isoformat(), closure=CLOSURE, finding_id=finding.id
    )
    response = post(client, project, headers, sent)
    assert response.status_code == 201, response.json
    check(response.json, documented(LIST_PATH, "post", 201))
    body = response.json
    assert (body["state"], body["closed_on"], body["version"]) == ("closed", TODAY.isoformat(), 1)
    assert body["finding"]["id"] == finding.id and body["finding"]["state"] == "open"
    assert body["finding"]["url"].endswith(f"/findings/{finding.id}")
    one = client.get(body["url"], headers=headers)
    assert one.status_code == 200 and one.headers["ETag"] == '"v1"'
    check(one.json, documented(ONE_PATH, "get"))
    assert one.json == body
    assert client.get(body["url"], headers=headers | {"If-None-Match": '"v1"'}).status_code == 304


REFUSALS = [
    ({"received_on": (TODAY + timedelta(days=1)).isoformat()}, "received_on"),
    ({"received_on": "3 May"}, "received_on"),
    ({"customer": ""}, "customer"),
    ({"closed_on": TODAY.isoformat(), "closure": CLOSURE}, "investigation"),
    ({"investigation": INVESTIGATION, "closed_on": TODAY.isoformat(), "closure": "ok"}, "closure"),
    ({"reportable": False, "reportability_reason": REASON}, "reportable"),  # ISO 9001
    ({"finding_id": 2**31}, "finding_id"),
    ({"colour": "red"}, "colour"),
]


def test_a_complaint_that_breaks_a_rule_is_refused_naming_the_field(client, make, tree):
    headers = headers_as(make, tree)
    for fields, field in REFUSALS:
        response = post(client, tree["project"], headers, new(**fields))
        assert_error(response, 422)
        assert field in response.json["error"]["fields"], fields
        check(response.json, documented(LIST_PATH, "post", 422))
    assert stored() == 0


def test_another_projects_finding_and_workspace_are_refused_and_viewers_add_nothing(client, make, tree):
    project, headers = tree["project"], headers_as(make, tree)
    theirs = make.tree()
    foreign = add_finding(theirs["project"])
    refused = post(client, project, headers, new(finding_id=foreign.id))
    assert_error(refused, 422)
    assert (
        refused.json["error"]["fields"]["finding_id"] == "Choose a nonconformity of this project's register."
    )
    assert_error(post(client, project, headers_as(make, tree, "viewer"), new()), 403)
    assert_error(post(client, theirs["project"], headers, new()), 404)
    their_complaint = add_complaint(theirs["project"])
    address = ONE_PATH.format(project_id=project.id, complaint_id=their_complaint.id)
    assert_error(client.get(address, headers=headers), 404)
    assert stored() == 1


def test_a_medical_complaint_carries_its_reportability_decision(client, make):
    medical = make.tree(code="iso13485")
    project, headers = medical["project"], headers_as(make, medical)
    closed = new(investigation=INVESTIGATION, closed_on=TODAY.isoformat(), closure=CLOSURE)
    refused = post(client, project, headers, closed)
    assert_error(refused, 422)
    assert "before closing" in refused.json["error"]["fields"]["reportable"]
    half = post(client, project, headers, new(reportable=True, reportability_reason=REASON))
    assert_error(half, 422)
    assert {"authority", "reported_on", "report_reference"} <= set(half.json["error"]["fields"])
    report = {
        "reportable": True,
        "reportability_reason": "The set leaked during an infusion and the nurse noticed it quickly.",
        "authority": "Medical Device Authority",
        "reported_on": TODAY.isoformat(),
        "report_reference": "MDA-0042",
    }
    response = post(client, project, headers, closed | report)
    assert response.status_code == 201, response.json
    assert (response.json["reportability"], response.json["reportable"]) == ("reportable", True)
    undecided = add_complaint(project)
    listed = client.get(
        f"{LIST_PATH.format(project_id=project.id)}?reportability=undecided", headers=headers
    ).json
    assert [item["id"] for item in listed["items"]] == [undecided.id]
