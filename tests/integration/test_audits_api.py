"""The internal audit API: the programme and its coverage, planning and changing an audit (If-Match or a
version), its steps and the findings a report raises, answering checklist lines; every refusal as JSON
(422 naming the field, 404 across workspaces, 409 and 412 for stale copies, 403 for a viewer), answers
that match the OpenAPI document, and a list whose queries do not grow."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain import audits as rules
from app.extensions import db
from app.models import Finding, InternalAudit
from tests import audit_samples as samples
from tests.evidence_samples import add_note
from tests.integration.test_api import assert_error, bearer, check, documented, token_for
from tests.querycount import count_queries
from tests.training_samples import add_person

TODAY = date.today()
LIST_PATH = "/api/v1/projects/{project_id}/audits"
ONE_PATH = "/api/v1/projects/{project_id}/audits/{audit_id}"
STEP_PATH = "/api/v1/projects/{project_id}/audits/{audit_id}/transitions"
LINE_PATH = "/api/v1/projects/{project_id}/audits/{audit_id}/lines/{line_id}"
NOTES = "The calibration record of scale 3 was missing from the file."
SUMMARY = "The system in scope works as planned, with one minor finding."


def url(path: str, project: Any, **ids: int) -> str:
    return path.format(project_id=project.id, **ids)


def new_audit(lead: Any, **fields: Any) -> dict[str, Any]:
    return {
        "title": "Context and production",
        "planned_start": (TODAY + timedelta(days=7)).isoformat(),
        "planned_end": (TODAY + timedelta(days=8)).isoformat(),
        "scope": ["4.1", "4.2"],
        "departments": "Production",
        "lead_auditor_id": lead.id,
    } | fields


def audits_saved() -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(InternalAudit)).scalar_one()


@pytest.fixture
def headers(make: Any, tree: dict[str, Any]) -> dict[str, str]:
    return bearer(token_for(make.user(tree["workspace"], role="contributor")))


@pytest.fixture
def lan(tree: dict[str, Any]) -> Any:
    return samples.qualified_auditors(tree["project"], ["Tran Thi Lan"])[0]


@pytest.fixture
def started(tree: dict[str, Any], lan: Any) -> InternalAudit:
    audit = samples.plan(tree["project"], lan, ("4.1", "4.2"), start=TODAY - timedelta(days=2))
    samples.start(tree["project"], audit, TODAY - timedelta(days=2))
    db.session.expire_all()
    return db.session.get(InternalAudit, audit.id)


# GET /audits


def test_the_list_answers_the_programme_and_its_coverage(client, tree, headers, lan):
    project = tree["project"]
    reported = samples.reported_audit(project, ("4", "5.1"), {"4.1": "minor"}, lead=lan, title="Context")
    planned = samples.plan(project, lan, ("6",), title="Planning")
    response = client.get(url(LIST_PATH, project), headers=headers)
    assert response.status_code == 200
    check(response.json, documented(LIST_PATH, "get"))
    body = response.json
    assert body["total"] == 2
    assert body["cycle_start"] == rules.cycle_start(TODAY).isoformat()
    by_id = {item["id"]: item for item in body["items"]}
    assert by_id[reported.id] == {
        "id": reported.id,
        "title": "Context",
        "status": "reported",
        "planned_start": reported.planned_start.isoformat(),
        "planned_end": reported.planned_end.isoformat(),
        "reported_on": (TODAY - timedelta(days=1)).isoformat(),
        "lead_auditor": "Tran Thi Lan",
        "sections": ["4", "5"],
        "findings": 1,
        "url": url(ONE_PATH, project, audit_id=reported.id),
    }
    coverage = {row["section"]: row for row in body["coverage"]}
    assert list(coverage) == ["4", "5", "6", "7", "8", "9", "10"]
    assert coverage["4"] == {
        "section": "4",
        "title": "Context of the organization",
        "covered": True,
        "reported": [reported.id],
        "planned": [],
    }
    assert (coverage["6"]["covered"], coverage["6"]["planned"]) == (False, [planned.id])


def test_the_list_runs_the_same_queries_for_two_and_eight_audits(client, make):
    counted = []
    for size in (2, 8):
        tree = make.tree()
        project = tree["project"]
        lead = samples.qualified_auditors(project, ["Lead"])[0]
        for index in range(size):
            if index % 2:
                samples.reported_audit(project, (str(4 + index % 7),), lead=lead)
            else:
                samples.plan(project, lead, (str(4 + index % 7),))
        headers = bearer(token_for(make.user(tree["workspace"], role="viewer")))
        address = url(LIST_PATH, project)
        with count_queries() as queries:
            response = client.get(address, headers=headers)
        assert response.status_code == 200 and response.json["total"] == size
        counted.append(len(queries))
    assert counted[0] == counted[1]


# POST /audits


def test_planning_an_audit_answers_it_with_its_checklist(client, tree, headers, lan):
    project = tree["project"]
    minh = add_person(tree["site"], "Le Van Minh", department="Purchasing")
    response = client.post(url(LIST_PATH, project), json=new_audit(lan, team_ids=[minh.id]), headers=headers)
    assert response.status_code == 201, response.json
    check(response.json, documented(LIST_PATH, "post", 201))
    body = response.json
    audit = db.session.execute(select(InternalAudit)).scalar_one()
    assert response.headers["ETag"] == f'"v{audit.version}"' and body["version"] == audit.version
    assert (body["id"], body["status"], body["scope"], body["sections"]) == (
        audit.id,
        "planned",
        ["4.1", "4.2"],
        ["4"],
    )
    assert body["allowed_transitions"] == ["start"]
    assert [(m["name"], m["lead"], m["qualified"], m["own_department"]) for m in body["team"]] == [
        ("Tran Thi Lan", True, True, False),
        ("Le Van Minh", False, False, False),
    ]
    assert [(line["clause"], line["result"], line["position"]) for line in body["lines"]] == [
        ("4.1", "not_checked", 0),
        ("4.2", "not_checked", 1),
    ]
    assert body["lines"][0]["prompt"].startswith("Look for: SWOT or PESTLE sheet")
    assert body["findings"] == []


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"scope": ["4", "99"]}, "scope", "ISO 9001:2015 has no clause 99."),
        ({"scope": []}, "scope", "Choose the clauses (or whole sections) the audit covers."),
        (
            {"planned_end": (TODAY + timedelta(days=6)).isoformat()},
            "planned_end",
            "cannot end before it starts",
        ),
        ({"planned_start": "2026-02-30"}, "planned_start", "is not a date"),
        ({"title": ""}, "title", "Give the audit a title"),
        ({"colour": "red"}, "colour", "Unknown field."),
        ({"lead_auditor_id": "1"}, "lead_auditor_id", "Input should be a valid integer"),
        ({"team_ids": [0]}, "team_ids", "Choose auditors on the staff list of"),
    ],
)
def test_a_plan_that_breaks_a_rule_is_refused_naming_the_field(
    client, tree, headers, lan, change, field, message
):
    response = client.post(url(LIST_PATH, tree["project"]), json=new_audit(lan, **change), headers=headers)
    error = assert_error(response, 422)
    assert message in error["fields"][field], error
    assert field in error["message"]
    assert audits_saved() == 0


def test_auditors_of_another_workspace_or_site_are_refused_on_their_field(client, make, tree, headers, lan):
    project = tree["project"]
    stranger = add_person(make.tree()["site"], "Stranger", department="Quality")
    other_site = add_person(make.site(tree["client"]), "Other site", department="Quality")
    for person in (stranger, other_site):
        lead = assert_error(
            client.post(url(LIST_PATH, project), json=new_audit(person), headers=headers), 422
        )
        assert list(lead["fields"]) == ["lead_auditor_id"] and person.name not in lead["message"]
        team = new_audit(lan, team_ids=[person.id])
        assert list(
            assert_error(client.post(url(LIST_PATH, project), json=team, headers=headers), 422)["fields"]
        ) == ["team_ids"]
    assert audits_saved() == 0


def test_an_auditor_of_a_department_visited_is_refused(client, tree, headers, lan):
    body = new_audit(lan, departments="Quality")
    error = assert_error(client.post(url(LIST_PATH, tree["project"]), json=body, headers=headers), 422)
    assert "Tran Thi Lan works in Quality" in error["fields"]["team_ids"]


def test_a_viewer_plans_nothing_and_another_workspaces_project_is_not_found(client, make, tree, lan):
    viewer = bearer(token_for(make.user(tree["workspace"], role="viewer")))
    assert_error(client.post(url(LIST_PATH, tree["project"]), json=new_audit(lan), headers=viewer), 403)
    theirs = make.tree()
    owner = bearer(token_for(make.user(tree["workspace"], role="owner")))
    assert_error(client.post(url(LIST_PATH, theirs["project"]), json=new_audit(lan), headers=owner), 404)
    assert_error(client.get(url(LIST_PATH, theirs["project"]), headers=owner), 404)
    assert audits_saved() == 0


# GET and PATCH /audits/<id>


def test_one_audit_is_answered_with_its_etag_and_another_workspaces_is_not_found(
    client, make, tree, headers, lan
):
    project = tree["project"]
    audit = samples.plan(project, lan, ("4.1",))
    response = client.get(url(ONE_PATH, project, audit_id=audit.id), headers=headers)
    assert response.status_code == 200 and response.headers["ETag"] == f'"v{audit.version}"'
    check(response.json, documented(ONE_PATH, "get"))
    theirs = make.tree()
    their_audit = samples.plan(
        theirs["project"], add_person(theirs["site"], "Theirs", department="QA"), ("4.1",)
    )
    assert_error(client.get(url(ONE_PATH, project, audit_id=their_audit.id), headers=headers), 404)
    assert_error(client.get(url(ONE_PATH, theirs["project"], audit_id=their_audit.id), headers=headers), 404)
    patched = client.patch(
        url(ONE_PATH, project, audit_id=their_audit.id), json={"title": "x"}, headers=headers
    )
    assert_error(patched, 404)


def test_a_patch_changes_the_fields_sent_and_the_checklist_follows_the_scope(client, tree, headers, lan):
    project = tree["project"]
    audit = samples.plan(project, lan, ("4.1",), title="Before")
    address = url(ONE_PATH, project, audit_id=audit.id)
    etag = client.get(address, headers=headers).headers["ETag"]
    response = client.patch(address, json={"scope": ["4.1", "5.1.2"]}, headers=headers | {"If-Match": etag})
    assert response.status_code == 200, response.json
    check(response.json, documented(ONE_PATH, "patch"))
    assert response.json["title"] == "Before"  # not sent: kept
    assert [line["clause"] for line in response.json["lines"]] == ["4.1", "5.1.2"]
    assert response.headers["ETag"] == f'"v{response.json["version"]}"' != etag


def test_a_stale_patch_is_412_with_if_match_and_409_with_a_version(client, tree, headers, lan):
    project = tree["project"]
    audit = samples.plan(project, lan, ("4.1",), title="Before")
    address = url(ONE_PATH, project, audit_id=audit.id)
    old = audit.version
    samples.service.update_audit(
        samples.scope_for(None, project), project, audit, samples.service.fields_of(audit), version=old
    )
    db.session.commit()
    stale = client.patch(address, json={"title": "Mine"}, headers=headers | {"If-Match": f'"v{old}"'})
    assert "changed since you read it" in assert_error(stale, 412)["message"]
    conflict = client.patch(address, json={"title": "Mine", "version": old}, headers=headers)
    assert (
        assert_error(conflict, 409)["message"] == "Someone else saved this audit while you were editing it."
    )
    db.session.expire_all()
    assert db.session.get(InternalAudit, audit.id).title == "Before"


def test_only_a_planned_audit_is_patched(client, tree, headers, started):
    response = client.patch(
        url(ONE_PATH, tree["project"], audit_id=started.id), json={"title": "x"}, headers=headers
    )
    assert (
        assert_error(response, 409)["message"]
        == "Only a planned audit's plan changes; this audit is in progress."
    )


def test_a_patch_that_breaks_a_rule_names_the_field(client, tree, headers, lan):
    project = tree["project"]
    audit = samples.plan(project, lan, ("4.1",))
    address = url(ONE_PATH, project, audit_id=audit.id)
    error = assert_error(client.patch(address, json={"scope": ["4.1", "12"]}, headers=headers), 422)
    assert error["fields"] == {"scope": "ISO 9001:2015 has no clause 12."}
    assert_error(client.patch(address, json={"title": None}, headers=headers), 422)
    assert_error(client.patch(address, data="x", headers=headers), 415)


# POST /audits/<id>/transitions


def test_an_audit_goes_through_its_steps_and_its_report_raises_findings(client, tree, headers, lan):
    project = tree["project"]
    audit = samples.plan(project, lan, ("4.1", "4.2"), start=TODAY - timedelta(days=1))
    steps = url(STEP_PATH, project, audit_id=audit.id)
    started = client.post(steps, json={"action": "start"}, headers=headers)
    assert started.status_code == 200
    check(started.json, documented(STEP_PATH, "post"))
    assert (started.json["status"], started.json["started_on"]) == ("in_progress", TODAY.isoformat())
    report = {"action": "report", "reported_on": TODAY.isoformat(), "summary": SUMMARY}
    unanswered = assert_error(client.post(steps, json=report, headers=headers), 422)
    assert unanswered["fields"] == {"checklist": "2 checklist lines not answered yet: answer each first."}
    first, second = started.json["lines"]
    answers = [(first, {"result": "minor", "notes": NOTES}), (second, {"result": "conforming"})]
    for line, answer in answers:
        address = url(LINE_PATH, project, audit_id=audit.id, line_id=line["id"])
        assert client.patch(address, json=answer, headers=headers).status_code == 200
    reported = client.post(steps, json=report, headers=headers)
    assert reported.status_code == 200, reported.json
    finding = db.session.execute(select(Finding)).scalar_one()
    assert reported.json["findings"] == [
        {
            "id": finding.id,
            "label": f"Finding {finding.id} (minor, 4.1)",
            "clause_number": "4.1",
            "severity": "minor",
            "status": "open",
            "description": NOTES,
        }
    ]
    assert (finding.source, finding.audit_line_id, finding.raised_on) == (
        "internal_audit",
        first["id"],
        TODAY,
    )
    refused = assert_error(client.post(steps, json={"action": "close"}, headers=headers), 422)
    assert refused["fields"]["status"].startswith("1 finding of this audit still open")
    finding.status = "closed"
    db.session.commit()
    closed = client.post(steps, json={"action": "close"}, headers=headers)
    assert (closed.status_code, closed.json["status"], closed.json["allowed_transitions"]) == (
        200,
        "closed",
        [],
    )


def test_a_step_out_of_order_or_unknown_or_stale_is_refused(client, tree, headers, lan):
    project = tree["project"]
    audit = samples.plan(project, lan, ("4.1",))
    steps = url(STEP_PATH, project, audit_id=audit.id)
    order = assert_error(client.post(steps, json={"action": "close"}, headers=headers), 422)
    assert order["fields"] == {
        "status": "An audit is closed once it is reported and every finding it raised is closed; "
        "this audit is planned."
    }
    unknown = assert_error(client.post(steps, json={"action": "finish"}, headers=headers), 422)
    assert unknown["fields"] == {"action": "Unknown step."}
    stale = client.post(steps, json={"action": "start", "version": audit.version + 1}, headers=headers)
    assert_error(stale, 409)
    db.session.expire_all()
    assert db.session.get(InternalAudit, audit.id).status == "planned"


# PATCH /audits/<id>/lines/<line_id>


def test_a_line_is_answered_with_evidence_of_its_project(client, make, tree, headers, started):
    project = tree["project"]
    line = started.lines[0]
    address = url(LINE_PATH, project, audit_id=started.id, line_id=line.id)
    mine = add_note(project, clause="4.1", title="SWOT sheet")
    theirs = add_note(make.tree()["project"], clause="4.1")
    refused = assert_error(client.patch(address, json={"evidence_ids": [theirs.id]}, headers=headers), 422)
    assert list(refused["fields"]) == ["evidence_ids"]
    response = client.patch(
        address, json={"result": "conforming", "evidence_ids": [mine.id]}, headers=headers
    )
    assert response.status_code == 200
    check(response.json, documented(LINE_PATH, "patch"))
    assert (response.json["result"], response.json["evidence_ids"]) == ("conforming", [mine.id])
    assert response.headers["ETag"] == f'"v{response.json["version"]}"'
    notes_only = client.patch(address, json={"notes": "Seen in the quality office."}, headers=headers)
    assert (notes_only.json["result"], notes_only.json["evidence_ids"]) == ("conforming", [mine.id])


def test_a_nonconforming_line_needs_notes_and_a_stale_line_is_refused(client, tree, headers, started):
    project = tree["project"]
    line = started.lines[0]
    address = url(LINE_PATH, project, audit_id=started.id, line_id=line.id)
    error = assert_error(
        client.patch(address, json={"result": "major", "notes": "bad"}, headers=headers), 422
    )
    assert error["fields"]["notes"].startswith("A major nonconformity needs what was found")
    stale_tag = client.patch(address, json={"result": "conforming"}, headers=headers | {"If-Match": '"v99"'})
    assert_error(stale_tag, 412)
    stale_version = client.patch(address, json={"result": "conforming", "version": 99}, headers=headers)
    assert assert_error(stale_version, 409)["message"] == (
        "Someone else saved this checklist line while you were editing it."
    )
    db.session.expire_all()
    assert db.session.get(InternalAudit, started.id).lines[0].result == "not_checked"


def test_a_line_of_a_planned_audit_or_of_another_audit_is_refused(client, tree, headers, lan, started):
    project = tree["project"]
    planned = samples.plan(project, lan, ("4.1",))
    line = planned.lines[0]
    address = url(LINE_PATH, project, audit_id=planned.id, line_id=line.id)
    error = assert_error(client.patch(address, json={"result": "conforming"}, headers=headers), 422)
    assert error["fields"] == {
        "status": "The checklist is answered while the audit is in progress; this audit is planned."
    }
    elsewhere = url(LINE_PATH, project, audit_id=started.id, line_id=line.id)
    assert_error(client.patch(elsewhere, json={"result": "conforming"}, headers=headers), 404)


def test_the_walk_helpers_succeed_on_every_audit_route(client, tree, headers):
    """The calls tests/integration/test_api.py's walks make of these routes (tests/audit_samples.py)."""
    values = {"project_id": tree["project"].id} | samples.audit_walk_values(tree["project"])
    for method, path in [
        ("GET", LIST_PATH),
        ("POST", LIST_PATH),
        ("GET", ONE_PATH),
        ("PATCH", ONE_PATH),
        ("POST", STEP_PATH),
        ("PATCH", LINE_PATH),
    ]:
        path_values, call = samples.audit_call(method, path, values)
        response = client.open(path.format(**path_values), method=method, headers=headers, **call)
        assert response.status_code in (200, 201), (method, path, response.json)
