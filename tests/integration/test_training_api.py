"""The people and training API: the staff list (paged, filtered), the training matrix (cells with state,
date and revision; filters; a query count that does not grow), and recording a training for several people
(201; 422 beside the field at fault; 404 for another project's or site's ids; 403 for a viewer; nothing
saved on a refusal). Every answer is checked against the OpenAPI document."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Attendance, TrainingSession
from tests import document_samples as documents
from tests.integration.test_api import API, assert_error, bearer, check, documented, token_for
from tests.integration.training_support import (
    add_person,
    add_requirement,
    add_role,
    add_session,
    fill_matrix,
)
from tests.querycount import count_queries

TODAY = date.today()
PROJECT = "/api/v1/projects/{project_id}"


@pytest.fixture
def headers(make: Any, tree: dict[str, Any]) -> dict[str, str]:
    return bearer(token_for(make.user(tree["workspace"], role="owner")))


@pytest.fixture
def shop(tree: dict[str, Any]) -> dict[str, Any]:
    """QP-04 (rev A approved, then rev B) for welders; awareness for everyone; Anna (welder, trained on rev
    A), Bao (welder), Chi (quality, left last month), Dung (quality, started ten days ago)."""
    project, site = tree["project"], tree["site"]
    document = documents.add_document(project, None, "QP-04", ("7.5.3.1",))
    rev_a = documents.add_revision(project, None, document, "A", submit=True)
    documents.approve(project, None, document, rev_a)
    procedure = add_requirement(project, "QP-04 Document control", document)
    awareness = add_requirement(project, "Quality policy awareness", everyone=True)
    add_role(project, "Welder", [procedure])
    anna = add_person(site, "Anna", "Production", "Welder", date(2020, 1, 1))
    bao = add_person(site, "Bao", "Production", "Welder", date(2021, 1, 1))
    chi = add_person(site, "Chi", "Quality", "", date(2019, 1, 1), left_on=TODAY - timedelta(days=30))
    dung = add_person(site, "Dung", "Quality", "", TODAY - timedelta(days=10))
    add_session(project, procedure, TODAY - timedelta(days=90), [anna], rev_a, "pass")
    rev_b = documents.add_revision(project, None, document, "B", submit=True)
    documents.approve(project, None, document, rev_b)
    return {
        "project": project,
        "procedure": procedure,
        "awareness": awareness,
        "rev_a": rev_a,
        "rev_b": rev_b,
        "people": {"anna": anna, "bao": bao, "chi": chi, "dung": dung},
    }


def url(project: Any, tail: str) -> str:
    return f"{API}/projects/{project.id}/{tail}"


def sessions() -> int:
    return db.session.execute(select(func.count(TrainingSession.id))).scalar_one()


# The staff list


def test_people_lists_the_staff_list_a_page_at_a_time(client, headers, shop):
    project = shop["project"]
    response = client.get(url(project, "people"), headers=headers)
    assert response.status_code == 200
    check(response.json, documented(PROJECT + "/people", "get"))
    body = response.json
    assert [p["name"] for p in body["items"]] == ["Anna", "Bao", "Chi", "Dung"]  # those who left too
    assert body["total"] == 4 and body["page"] == 1
    chi = next(p for p in body["items"] if p["name"] == "Chi")
    assert chi["active"] is False and chi["left_on"] == (TODAY - timedelta(days=30)).isoformat()
    anna = body["items"][0]
    assert anna == {
        "id": shop["people"]["anna"].id,
        "name": "Anna",
        "job_role": "Welder",
        "department": "Production",
        "started_on": "2020-01-01",
        "left_on": None,
        "active": True,
        "account": None,
    }
    second = client.get(url(project, "people?per_page=3&page=2"), headers=headers).json
    assert [p["name"] for p in second["items"]] == ["Dung"] and second["total"] == 4


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("active=true", ["Anna", "Bao", "Dung"]),
        ("active=false", ["Chi"]),
        ("department=Quality", ["Chi", "Dung"]),
        ("job_role=Welder", ["Anna", "Bao"]),
        ("department=Quality&active=true", ["Dung"]),
        ("department=Nowhere", []),
    ],
)
def test_people_filters(client, headers, shop, query, names):
    body = client.get(url(shop["project"], f"people?{query}"), headers=headers).json
    assert [p["name"] for p in body["items"]] == names and body["total"] == len(names)


@pytest.mark.parametrize("query", ["active=yes", "active=", "page=0", "per_page=1000", "page=²"])
def test_people_refuses_bad_parameters(client, headers, shop, query):
    error = assert_error(client.get(url(shop["project"], f"people?{query}"), headers=headers), 422)
    assert set(error["fields"]) <= {"active", "page", "per_page"}


# The matrix


def test_the_matrix_answers_people_requirements_and_every_cell(client, headers, shop):
    project, people = shop["project"], shop["people"]
    response = client.get(url(project, "training-matrix"), headers=headers)
    assert response.status_code == 200
    check(response.json, documented(PROJECT + "/training-matrix", "get"))
    body = response.json
    assert body["as_of"] == TODAY.isoformat()
    assert [p["name"] for p in body["people"]] == ["Anna", "Bao", "Dung"]  # active, by department
    awareness, procedure = body["requirements"]
    assert awareness["name"] == "Quality policy awareness" and awareness["kind"] == "topic"
    assert awareness["everyone"] is True and awareness["current_revision"] is None
    assert procedure["kind"] == "document" and procedure["current_revision"] == "B"
    assert (procedure["done"], procedure["required"]) == (0, 2)
    assert len(body["cells"]) == 3 * 2
    cells = {(c["person_id"], c["requirement_id"]): c for c in body["cells"]}
    anna = cells[(people["anna"].id, shop["procedure"].id)]
    assert anna == {
        "person_id": people["anna"].id,
        "requirement_id": shop["procedure"].id,
        "state": "outdated",
        "held_on": (TODAY - timedelta(days=90)).isoformat(),
        "revision": "A",
        "result": "pass",
    }
    dung = cells[(people["dung"].id, shop["procedure"].id)]
    assert dung["state"] == "not_required" and dung["held_on"] is None
    assert cells[(people["bao"].id, shop["awareness"].id)]["state"] == "due"
    assert body["counts"] == {
        "done": 0,
        "due": 4,
        "outdated": 1,
        "expired": 0,
        "failed": 0,
        "not_required": 1,
    }


def test_the_matrix_filters_like_its_page(client, headers, shop):
    project, people = shop["project"], shop["people"]
    body = client.get(url(project, "training-matrix?state=outdated"), headers=headers).json
    assert [p["id"] for p in body["people"]] == [people["anna"].id]
    assert len(body["cells"]) == 2 and body["counts"]["due"] == 4  # counts before the state filter
    body = client.get(url(project, "training-matrix?department=Quality"), headers=headers).json
    assert [p["name"] for p in body["people"]] == ["Dung"] and body["counts"]["outdated"] == 0
    body = client.get(url(project, "training-matrix?job_role=Welder&state=due"), headers=headers).json
    assert [p["name"] for p in body["people"]] == ["Anna", "Bao"]
    body = client.get(url(project, "training-matrix?department=Nowhere"), headers=headers).json
    assert body["people"] == [] and body["cells"] == [] and len(body["requirements"]) == 2


@pytest.mark.parametrize("state", ["not_required", "bogus", ""])
def test_the_matrix_refuses_an_unknown_state(client, headers, shop, state):
    error = assert_error(
        client.get(url(shop["project"], f"training-matrix?state={state}"), headers=headers), 422
    )
    assert error["fields"] == {"state": "Unknown."}


def test_the_matrix_query_count_does_not_grow(client, make, tree, headers):
    large = make.tree(tree["workspace"])
    fill_matrix(tree["project"], tree["site"], 5, 3, TODAY - timedelta(days=20))
    fill_matrix(large["project"], large["site"], 40, 10, TODAY - timedelta(days=20))
    urls = [url(tree["project"], "training-matrix"), url(large["project"], "training-matrix")]
    counted = []
    for address, people in zip(urls, (5, 40), strict=True):
        client.get(address, headers=headers)
        with count_queries() as queries:
            body = client.get(address, headers=headers).json
        assert len(body["people"]) == people
        counted.append(len(queries))
    assert counted[0] == counted[1]


# Recording a training


def record(client: Any, shop: dict[str, Any], headers: dict[str, str], **fields: Any) -> Any:
    people = shop["people"]
    body = {
        "requirement_id": shop["procedure"].id,
        "held_on": (TODAY - timedelta(days=2)).isoformat(),
        "trainer": "Lan (quality manager)",
        "method": "classroom",
        "duration_minutes": 45,
        "attendee_ids": [people["anna"].id, people["bao"].id],
        "notes": "Rev B walkthrough",
    } | fields
    body = {name: value for name, value in body.items() if value is not ...}
    return client.post(url(shop["project"], "training-records"), json=body, headers=headers)


def test_recording_a_training_for_several_people(client, headers, shop):
    response = record(client, shop, headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    check(response.json, documented(PROJECT + "/training-records", "post", 201))
    body = response.json
    assert body["requirement"] == "QP-04 Document control"
    assert body["revision_id"] == shop["rev_b"].id and body["revision"] == "B"  # the current revision
    assert (body["trainer"], body["method"], body["duration_minutes"]) == (
        "Lan (quality manager)",
        "classroom",
        45,
    )
    assert body["created_by"] == "Test User"
    assert [(a["name"], a["result"], a["checked_on"]) for a in body["attendees"]] == [
        ("Anna", "pending", None),
        ("Bao", "pending", None),
    ]
    matrix = client.get(url(shop["project"], "training-matrix?job_role=Welder"), headers=headers).json
    procedure = [c for c in matrix["cells"] if c["requirement_id"] == shop["procedure"].id]
    assert {c["state"] for c in procedure} == {"done"} and {c["revision"] for c in procedure} == {"B"}


def test_a_topic_needs_only_the_required_fields(client, headers, shop):
    people = shop["people"]
    response = record(
        client,
        shop,
        headers,
        requirement_id=shop["awareness"].id,
        attendee_ids=[people["dung"].id],
        trainer=...,
        duration_minutes=...,
        notes=...,
        held_on=TODAY.isoformat(),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.json["revision"] is None and response.json["trainer"] == ""


def test_a_training_on_an_older_revision_can_be_recorded(client, headers, shop):
    response = record(client, shop, headers, revision_id=shop["rev_a"].id)
    assert response.status_code == 201 and response.json["revision"] == "A"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"held_on": (TODAY + timedelta(days=1)).isoformat()}, "held_on"),
        ({"held_on": (TODAY - timedelta(days=20)).isoformat(), "attendee_ids": "dung"}, "held_on"),
        ({"held_on": "2026-02-30"}, "held_on"),
        ({"held_on": "yesterday"}, "held_on"),
        ({"attendee_ids": []}, "attendee_ids"),
        ({"attendee_ids": list(range(1, 5_002))}, "attendee_ids"),
        ({"attendee_ids": ["1"]}, "attendee_ids.0"),
        ({"method": "osmosis"}, "method"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"trainer": "x" * 121}, "trainer"),
        ({"requirement_id": "1"}, "requirement_id"),
        ({"held_on": ...}, "held_on"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_field_is_refused_beside_it_and_nothing_is_saved(client, headers, shop, fields, field):
    late = fields.get("attendee_ids") == "dung"  # Dung started ten days ago: not there twenty days ago
    if late:
        fields = fields | {"attendee_ids": [shop["people"]["anna"].id, shop["people"]["dung"].id]}
    before = sessions()
    error = assert_error(record(client, shop, headers, **fields), 422)
    assert field in error["fields"], error
    assert field in error["message"]
    check({"error": error}, documented(PROJECT + "/training-records", "post", 422))
    assert sessions() == before
    if late:
        assert error["fields"]["held_on"].startswith("Dung had not started at this site on that date")


def test_a_document_without_an_approved_revision_is_refused(client, headers, shop, tree):
    draft_only = documents.add_document(tree["project"], None, "QP-09", ("7.5.3.1",))
    documents.add_revision(tree["project"], None, draft_only, "A")
    requirement = add_requirement(tree["project"], "QP-09 Calibration", draft_only)
    error = assert_error(record(client, shop, headers, requirement_id=requirement.id), 422)
    assert "no approved revision" in error["fields"]["requirement_id"]


def test_foreign_ids_are_not_found(client, make, headers, shop):
    theirs = make.tree()
    their_person = add_person(theirs["site"], "Stranger", started_on=date(2020, 1, 1))
    their_requirement = add_requirement(theirs["project"], "Their training")
    their_document = documents.add_document(theirs["project"], None, "QP-01", ("7.5.3.1",))
    their_revision = documents.add_revision(theirs["project"], None, their_document, "A")
    anna = shop["people"]["anna"]
    before = sessions()
    for fields in (
        {"requirement_id": their_requirement.id},
        {"attendee_ids": [anna.id, their_person.id]},
        {"attendee_ids": [shop["people"]["chi"].id]},  # has left
        {"attendee_ids": [2_000_000_000]},
        {"revision_id": their_revision.id},
    ):
        assert_error(record(client, shop, headers, **fields), 404)
    assert sessions() == before
    their_url = f"{API}/projects/{theirs['project'].id}"
    assert_error(client.get(f"{their_url}/people", headers=headers), 404)
    assert_error(client.get(f"{their_url}/training-matrix", headers=headers), 404)
    assert_error(
        client.post(
            f"{their_url}/training-records",
            json={"requirement_id": their_requirement.id, "held_on": TODAY.isoformat(), "method": "reading",
                  "attendee_ids": [their_person.id]},
            headers=headers,
        ),
        404,
    )  # fmt: skip


def test_a_viewer_reads_but_does_not_record(client, make, tree, shop):
    viewer = bearer(token_for(make.user(tree["workspace"], role="viewer")))
    assert client.get(url(shop["project"], "people"), headers=viewer).status_code == 200
    assert client.get(url(shop["project"], "training-matrix"), headers=viewer).status_code == 200
    assert_error(record(client, shop, viewer), 403)
    assert db.session.execute(select(func.count(Attendance.id))).scalar_one() == 1  # the fixture's


def test_a_body_that_is_not_json_is_refused(client, headers, shop):
    address = url(shop["project"], "training-records")
    assert_error(client.post(address, data="requirement_id=1", headers=headers), 415)
    assert_error(client.post(address, data="{", headers=headers, content_type="application/json"), 400)
    assert_error(client.post(address, json=[1, 2], headers=headers), 422)


def test_no_token_is_401(client, shop):
    assert_error(client.get(url(shop["project"], "people")), 401)
    assert_error(client.post(url(shop["project"], "training-records"), json={}), 401)
