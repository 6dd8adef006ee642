"""The nonconformity register's API: the register with its filters, raising a finding, reading and changing
one with its ETag, each step of the workflow and every refusal as JSON; and the register's queries (the
overdue filter agrees with the rule, the management review's figures)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain import nonconformities as rules
from app.extensions import db
from app.models import Finding
from app.services import finding_register
from app.services import findings as service
from app.services.finding_register import RegisterFilters
from tests.integration.finding_support import (
    ACTION,
    CHECK_NOTES,
    RESPONSE,
    ROOT_CAUSE,
    TODAY,
    add_finding,
    finding_call,
    plan_values,
    to_state,
)
from tests.integration.test_api import assert_error, bearer, check, documented, token_for
from tests.querycount import count_queries

LIST_PATH = "/api/v1/projects/{project_id}/findings"
ONE_PATH = "/api/v1/projects/{project_id}/findings/{finding_id}"
STEP_PATH = "/api/v1/projects/{project_id}/findings/{finding_id}/transitions"
NEW = {
    "source": "customer_complaint",
    "severity": "minor",
    "description": "A customer received a box labelled with another customer's order number.",
    "raised_on": (TODAY - timedelta(days=2)).isoformat(),
    "clause_number": "8.2.1",
}
PLAN = {"transition": "plan", **plan_values(action_due=(TODAY + timedelta(days=14)).isoformat())}
CHECK = {
    "checked_on": TODAY.isoformat(),
    "checked_by": "Mr Binh",
    "result": "effective",
    "notes": CHECK_NOTES,
}


@pytest.fixture
def headers(make: Any, tree: dict[str, Any]) -> dict[str, str]:
    return bearer(token_for(make.user(tree["workspace"], role="owner")))


def headers_as(make: Any, tree: dict[str, Any], role: str) -> dict[str, str]:
    return bearer(token_for(make.user(tree["workspace"], role=role)))


def url(path: str, project: Any, **ids: int) -> str:
    return path.format(project_id=project.id, **ids)


def one(client: Any, project: Any, finding: Any, headers: dict[str, str]) -> Any:
    response = client.get(url(ONE_PATH, project, finding_id=finding.id), headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    check(response.json, documented(ONE_PATH, "get"))
    return response


def step(client: Any, project: Any, finding: Any, headers: dict[str, str], **body: Any) -> Any:
    return client.post(url(STEP_PATH, project, finding_id=finding.id), json=body, headers=headers)


def reload(finding_id: int) -> Finding:
    db.session.expire_all()
    found = db.session.get(Finding, finding_id)
    assert found is not None
    return found


def stored() -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(Finding)).scalar_one()


# GET /findings


@pytest.fixture
def register(tree: dict[str, Any]) -> dict[str, Finding]:
    project = tree["project"]
    late = add_finding(project, "major", action_due=TODAY - timedelta(days=7), action_owner="Ms Lan")
    soon = add_finding(project, "minor", action_due=TODAY + timedelta(days=10), clause_number="8.5.1")
    closed = to_state(add_finding(project, "minor", source="supplier"), "closed")
    external = add_finding(project, "major", source="external_audit", raised_on=TODAY - timedelta(days=1))
    return {"late": late, "soon": soon, "closed": closed, "external": external}


def listed(client: Any, project: Any, headers: dict[str, str], query: str = "") -> Any:
    response = client.get(f"{url(LIST_PATH, project)}{query}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    check(response.json, documented(LIST_PATH, "get"))
    return response.json


def test_the_list_answers_each_finding_as_the_register_shows_it(client, tree, register, headers):
    project, r = tree["project"], register
    body = listed(client, project, headers)
    assert (body["page"], body["per_page"], body["total"]) == (1, 20, 4)
    assert [item["id"] for item in body["items"]] == [r[k].id for k in ("late", "soon", "external", "closed")]
    assert body["items"][0] == {
        "id": r["late"].id,
        "label": f"Finding {r['late'].id} (major, 7.1.5.1)",
        "source": "internal_audit",
        "severity": "major",
        "state": "open",
        "clause_number": "7.1.5.1",
        "action_owner": "Ms Lan",
        "raised_on": (TODAY - timedelta(days=30)).isoformat(),
        "due": (TODAY - timedelta(days=7)).isoformat(),
        "overdue": True,
        "url": url(ONE_PATH, project, finding_id=r["late"].id),
    }
    external = body["items"][2]
    assert (external["due"], external["overdue"]) == ((TODAY + timedelta(days=89)).isoformat(), False)


def test_the_list_filters_as_the_page_does(client, tree, register, headers):
    project, r = tree["project"], register

    def ids(query: str) -> list[int]:
        return [item["id"] for item in listed(client, project, headers, query)["items"]]

    assert ids("?state=open&severity=major") == [r["late"].id, r["external"].id]
    assert ids("?source=supplier") == [r["closed"].id]
    assert ids("?state=closed") == [r["closed"].id]
    assert ids("?overdue=true") == [r["late"].id]
    assert ids("?overdue=false") == ids("")
    assert listed(client, project, headers, "?per_page=2&page=2")["items"][0]["id"] == r["external"].id


@pytest.mark.parametrize(
    "query", ["?state=pending", "?severity=grave", "?source=", "?overdue=1", "?page=0", "?per_page=101"]
)
def test_the_list_refuses_unknown_filters(client, tree, headers, query):
    error = assert_error(client.get(f"{url(LIST_PATH, tree['project'])}{query}", headers=headers), 422)
    assert error["fields"]


def test_the_list_runs_the_same_queries_for_2_and_20_findings(client, tree, headers):
    project, project_id = tree["project"], tree["project"].id
    target = url(LIST_PATH, project)
    for _ in range(2):
        add_finding(project)
    client.get(target, headers=headers)
    with count_queries() as few:
        assert client.get(target, headers=headers).json["total"] == 2
    project = db.session.get(type(project), project_id)
    for index in range(18):
        to_state(add_finding(project, "major"), "implemented" if index % 3 else "open")
    with count_queries() as many:
        assert client.get(target, headers=headers).json["total"] == 20
    assert len(many) == len(few)


# POST /findings


def test_raising_a_finding(client, tree, headers):
    project = tree["project"]
    response = client.post(url(LIST_PATH, project), json=NEW, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    check(response.json, documented(LIST_PATH, "post", 201))
    finding = db.session.execute(select(Finding)).scalar_one()
    assert response.headers["ETag"] == f'"v{finding.version}"'
    assert response.json | {"id": 0, "label": "", "url": ""} == {
        "id": 0,
        "label": "",
        "url": "",
        "source": "customer_complaint",
        "severity": "minor",
        "state": "open",
        "clause_number": "8.2.1",
        "action_owner": "",
        "raised_on": NEW["raised_on"],
        "due": None,
        "overdue": False,
        "description": NEW["description"],
        "containment": "",
        "root_cause_method": "",
        "root_cause": "",
        "corrective_action": "",
        "action_due": None,
        "implemented_on": None,
        "effectiveness_due": None,
        "deadline": None,
        "closed_on": None,
        "audit_id": None,
        "version": finding.version,
        "allowed_transitions": ["plan"],
        "checks": [],
    }


def test_a_certification_bodys_major_gets_its_deadline(client, tree, headers):
    body = NEW | {"source": "external_audit", "severity": "major", "clause_number": None}
    response = client.post(url(LIST_PATH, tree["project"]), json=body, headers=headers)
    assert response.status_code == 201
    raised = TODAY - timedelta(days=2)
    assert response.json["deadline"] == (raised + timedelta(days=90)).isoformat()
    assert response.json["clause_number"] is None


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"clause_number": "7.9.9"}, "clause_number", "ISO 9001:2015 has no clause 7.9.9."),
        ({"raised_on": (TODAY + timedelta(days=1)).isoformat()}, "raised_on", "in the future"),
        ({"raised_on": "01/02/2026"}, "raised_on", "ISO date"),
        ({"description": ""}, "description", "Describe the finding"),
        ({"severity": "grave"}, "severity", "Choose major, minor or observation."),
        ({"colour": "red"}, "colour", "Unknown field."),
        ({"source": 3}, "source", "Must be a string."),
    ],
)
def test_raising_refuses_each_fault_naming_its_field(client, tree, headers, change, field, says):
    response = client.post(url(LIST_PATH, tree["project"]), json=NEW | change, headers=headers)
    error = assert_error(response, 422)
    assert says in error["fields"][field] and field in error["message"]
    assert stored() == 0


def test_a_viewer_may_read_but_not_raise_change_or_step(client, make, tree, register):
    project, viewer = tree["project"], headers_as(make, tree, "viewer")
    assert listed(client, project, viewer)["total"] == 4
    one(client, project, register["late"], viewer)
    assert_error(client.post(url(LIST_PATH, project), json=NEW, headers=viewer), 403)
    target = url(ONE_PATH, project, finding_id=register["late"].id)
    assert_error(client.patch(target, json={"containment": "Quarantined."}, headers=viewer), 403)
    assert_error(step(client, project, register["late"], viewer, **PLAN), 403)
    assert stored() == 4 and reload(register["late"].id).status == "open"


def test_another_workspaces_finding_is_404(client, make, tree, headers):
    theirs = make.tree()
    finding = add_finding(theirs["project"])
    mine = tree["project"]
    target = url(ONE_PATH, mine, finding_id=finding.id)
    assert_error(client.get(target, headers=headers), 404)
    assert_error(client.patch(target, json={"containment": "Mine."}, headers=headers), 404)
    assert_error(step(client, mine, finding, headers, **PLAN), 404)
    assert_error(client.get(url(ONE_PATH, theirs["project"], finding_id=finding.id), headers=headers), 404)
    assert reload(finding.id).status == "open"


# GET and PATCH /findings/<id>


def test_one_finding_has_an_etag_and_is_not_sent_again_unchanged(client, tree, headers):
    finding = to_state(add_finding(tree["project"]), "verified")
    response = one(client, tree["project"], finding, headers)
    assert response.headers["ETag"] == f'"v{finding.version}"'
    checked = (TODAY - timedelta(days=5)).isoformat()
    assert response.json["checks"] == [
        {"checked_on": checked, "checked_by": "Mr Binh", "result": "effective", "notes": CHECK_NOTES}
    ]
    assert (response.json["root_cause"], response.json["allowed_transitions"]) == (ROOT_CAUSE, ["close"])
    again = client.get(
        url(ONE_PATH, tree["project"], finding_id=finding.id),
        headers=headers | {"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304


def test_a_patch_sets_the_fields_sent_and_keeps_the_others(client, tree, headers):
    project = tree["project"]
    finding = add_finding(project, containment="Scale 3 taken out of use.")
    etag = one(client, project, finding, headers).headers["ETag"]
    due = (TODAY + timedelta(days=20)).isoformat()
    body = {"action_owner": "Mr Binh", "action_due": due, "clause_number": None}
    response = client.patch(
        url(ONE_PATH, project, finding_id=finding.id), json=body, headers=headers | {"If-Match": etag}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    check(response.json, documented(ONE_PATH, "patch"))
    assert response.headers["ETag"] != etag
    saved = reload(finding.id)
    assert (saved.action_owner, saved.action_due.isoformat(), saved.clause_number) == ("Mr Binh", due, None)
    assert saved.containment == "Scale 3 taken out of use."


def test_a_patch_on_a_stale_etag_is_412_and_keeps_the_other_change(client, tree, headers):
    project = tree["project"]
    finding = add_finding(project)
    target = url(ONE_PATH, project, finding_id=finding.id)
    etag = one(client, project, finding, headers).headers["ETag"]
    first = client.patch(target, json={"containment": "First."}, headers=headers | {"If-Match": etag})
    assert first.status_code == 200
    stale = client.patch(target, json={"containment": "Second."}, headers=headers | {"If-Match": etag})
    assert "GET it again" in assert_error(stale, 412)["message"]
    assert reload(finding.id).containment == "First."


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({"clause_number": "99"}, "clause_number", "has no clause 99"),
        ({"description": None}, "description", "Must be a string."),
        (
            {"action_due": (TODAY - timedelta(days=31)).isoformat()},
            "action_due",
            "before the finding was raised",
        ),
        ({"status": "closed"}, "status", "Unknown field."),
    ],
)
def test_a_patch_refuses_each_fault_and_changes_nothing(client, tree, headers, body, field, says):
    finding = add_finding(tree["project"])
    response = client.patch(url(ONE_PATH, tree["project"], finding_id=finding.id), json=body, headers=headers)
    assert says in assert_error(response, 422)["fields"][field]
    assert reload(finding.id).version == finding.version


def test_a_closed_finding_keeps_its_severity(client, tree, headers):
    finding = to_state(add_finding(tree["project"]), "closed")
    target = url(ONE_PATH, tree["project"], finding_id=finding.id)
    refused = client.patch(target, json={"severity": "major"}, headers=headers)
    assert "keeps its severity" in assert_error(refused, 422)["fields"]["severity"]
    corrected = client.patch(target, json={"description": "Scale 3 had no record for 2025."}, headers=headers)
    assert corrected.status_code == 200 and reload(finding.id).severity == "minor"


def test_a_contributor_cannot_lower_an_open_major(client, make, tree):
    finding = add_finding(tree["project"], "major")
    contributor = headers_as(make, tree, "contributor")
    target = url(ONE_PATH, tree["project"], finding_id=finding.id)
    refused = client.patch(target, json={"severity": "minor"}, headers=contributor)
    assert "owner, consultant or client manager" in assert_error(refused, 403)["message"]
    assert reload(finding.id).severity == "major"


# POST /findings/<id>/transitions


def test_every_step_through_the_api(client, tree, headers):
    project = tree["project"]
    finding = add_finding(project, "major")
    answer = step(client, project, finding, headers, version=finding.version, **PLAN)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    check(answer.json, documented(STEP_PATH, "post"))
    assert (answer.json["state"], answer.json["corrective_action"]) == ("action_planned", ACTION)
    implemented = {"transition": "implement", "implemented_on": (TODAY - timedelta(days=3)).isoformat()}
    assert step(client, project, finding, headers, **implemented).json["state"] == "implemented"
    ineffective = CHECK | {"result": "ineffective", "checked_on": (TODAY - timedelta(days=2)).isoformat()}
    failed = step(client, project, finding, headers, transition="check", **ineffective)
    assert (failed.json["state"], failed.json["implemented_on"]) == ("action_planned", None)
    again = implemented | {"implemented_on": (TODAY - timedelta(days=1)).isoformat()}
    assert step(client, project, finding, headers, **again).json["state"] == "implemented"
    assert step(client, project, finding, headers, transition="check", **CHECK).json["state"] == "verified"
    closed = step(client, project, finding, headers, transition="close")
    assert (closed.json["state"], closed.json["closed_on"], closed.json["due"]) == (
        "closed",
        TODAY.isoformat(),
        None,
    )
    assert [c["result"] for c in closed.json["checks"]] == ["ineffective", "effective"]


def test_closing_an_action_never_implemented_is_422_naming_the_rule(client, tree, headers):
    finding = to_state(add_finding(tree["project"]), "action_planned")
    error = assert_error(step(client, tree["project"], finding, headers, transition="close"), 422)
    assert "only after a passed effectiveness check" in error["fields"]["state"]
    assert "only after a passed effectiveness check" in error["message"]
    assert reload(finding.id).status == "action_planned"


def test_a_check_before_the_implementation_is_refused(client, tree, headers):
    finding = to_state(add_finding(tree["project"]), "implemented")  # ten days ago
    early = CHECK | {"checked_on": (TODAY - timedelta(days=11)).isoformat()}
    error = assert_error(step(client, tree["project"], finding, headers, transition="check", **early), 422)
    assert "cannot come before the action was implemented" in error["fields"]["checked_on"]
    assert "checked_on" in error["message"]
    assert reload(finding.id).checks == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"transition": "plan", **PLAN, "root_cause": "x"}, "root_cause"),
        ({"transition": "implement", "checked_on": TODAY.isoformat()}, "checked_on"),  # another step's field
        ({"transition": "approve"}, "transition"),
        ({"transition": "plan", **PLAN, "version": "1"}, "version"),
    ],
)
def test_a_step_refuses_each_fault_naming_its_field(client, tree, headers, body, field):
    finding = add_finding(tree["project"])
    error = assert_error(step(client, tree["project"], finding, headers, **body), 422)
    assert field in error["fields"]
    assert reload(finding.id).status == "open"


def test_an_observation_closes_from_open_with_its_response(client, tree, headers):
    finding = add_finding(tree["project"], "observation")
    answer = step(client, tree["project"], finding, headers, transition="close", corrective_action=RESPONSE)
    assert answer.status_code == 200 and answer.json["state"] == "closed"
    assert reload(finding.id).corrective_action == RESPONSE


def test_two_people_closing_the_same_finding_the_second_gets_409(client, make, tree):
    project = tree["project"]
    finding = to_state(add_finding(project), "verified")
    seen = finding.version
    first, second = headers_as(make, tree, "owner"), headers_as(make, tree, "consultant")
    assert step(client, project, finding, first, transition="close", version=seen).status_code == 200
    late = step(client, project, finding, second, transition="close", version=seen)
    assert "Someone else" in assert_error(late, 409)["message"]
    with_etag = second | {"If-Match": f'"v{seen}"'}
    assert_error(step(client, project, finding, with_etag, transition="close"), 412)
    assert reload(finding.id).status == "closed"


def test_a_contributor_cannot_close_a_major(client, make, tree):
    finding = to_state(add_finding(tree["project"], "major"), "verified")
    contributor = headers_as(make, tree, "contributor")
    refused = step(client, tree["project"], finding, contributor, transition="close")
    assert "owner, consultant or client manager" in assert_error(refused, 403)["message"]
    assert reload(finding.id).status == "verified"
    manager = bearer(token_for(make.user(tree["workspace"], role="client_manager", clients=[tree["client"]])))
    assert step(client, tree["project"], finding, manager, transition="close").status_code == 200


# The walk helpers (for the tests that call every API route)


def test_the_walk_calls_succeed(client, tree, headers):
    project = tree["project"]
    finding = add_finding(project, "major")
    calls = [
        ("POST", url(LIST_PATH, project), LIST_PATH),
        ("PATCH", url(ONE_PATH, project, finding_id=finding.id), ONE_PATH),
        ("POST", url(STEP_PATH, project, finding_id=finding.id), STEP_PATH),
    ]
    for method, target, path in calls:
        response = client.open(target, method=method, headers=headers, **finding_call(method, path))
        assert response.status_code in (200, 201), (path, response.get_data(as_text=True))


# The register's queries


def test_the_overdue_filter_agrees_with_the_rule(tree):
    """The SQL due date (filter and order) and rules.is_overdue judge every kind of finding alike."""
    project = tree["project"]
    past, future = TODAY - timedelta(days=1), TODAY + timedelta(days=1)
    made = [
        add_finding(project, action_due=past),
        add_finding(project, action_due=TODAY),  # due today: not late yet
        add_finding(project, action_due=future, deadline=past),  # the deadline comes first
        add_finding(project, deadline=future, action_due=past),
        to_state(add_finding(project, deadline=past), "verified"),  # only the deadline is left
        to_state(add_finding(project), "implemented"),
        to_state(add_finding(project, action_due=past, deadline=past), "closed"),
    ]
    made[5].effectiveness_due = past
    db.session.commit()
    expected = {f.id for f in made if rules.is_overdue(service.finding_facts(reload(f.id)), TODAY)}
    rows, total = finding_register.register_page(project.id, RegisterFilters(overdue=True), 1, 50, TODAY)
    assert {row.id for row in rows} == expected == {made[i].id for i in (0, 2, 3, 4, 5)}
    assert total == 5 and all(row.overdue for row in rows)


def test_the_figures_of_a_period_for_the_management_review(tree, make):
    project = tree["project"]
    start, end = TODAY - timedelta(days=60), TODAY - timedelta(days=10)
    add_finding(project, "major", raised_on=TODAY - timedelta(days=70), action_due=TODAY - timedelta(days=1))
    add_finding(project, "minor", raised_on=start)
    add_finding(project, "observation", raised_on=end)
    add_finding(project, "minor", raised_on=TODAY - timedelta(days=5))
    closed = to_state(add_finding(project, "minor", raised_on=TODAY - timedelta(days=20)), "closed")
    closed.closed_on = end  # closed on the period's last day
    add_finding(make.tree()["project"], "major")  # another project's
    db.session.commit()
    figures = finding_register.figures(project, start, end, TODAY)
    assert figures.open_by_severity == {"major": 1, "minor": 2, "observation": 1}
    assert (figures.overdue, figures.raised_in_period, figures.closed_in_period) == (1, 3, 1)
    assert figures.open_total == 4
    empty = finding_register.figures(make.tree()["project"], start, end, TODAY)
    assert (empty.open_total, empty.overdue, empty.raised_in_period) == (0, 0, 0)
