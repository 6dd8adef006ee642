"""The read API: every endpoint's answer, every refusal, tenancy by token, and the OpenAPI document."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import pytest
from flask import Flask, url_for
from sqlalchemy import select

from app.api.openapi import document, shared_document
from app.domain.assessment import NOT_APPLICABLE_REFUSALS, assessment_errors
from app.domain.pathway import Stage
from app.extensions import db
from app.models import Assessment, Clause, Membership, ProjectStage, User, Workspace
from app.services import tokens
from tests.audit_samples import audit_call, audit_walk_values
from tests.evidence_samples import add_file
from tests.factories import login
from tests.integration.body_support import body_call, body_walk_values
from tests.integration.certification_support import certification_call, certification_walk_values
from tests.integration.document_support import document_call, document_walk_values
from tests.integration.finding_support import finding_call, finding_walk_values
from tests.integration.register_walks import (
    register_api_calls,
    register_call,
    register_paths,
    register_walk_values,
)
from tests.integration.review_support import review_call, review_walk_values
from tests.integration.training_support import training_call, training_walk_values
from tests.querycount import count_queries
from tests.sharing_samples import sharing_call, sharing_ids

API = "/api/v1"
ISO9001_REQUIREMENTS = 65


def token_for(user: User) -> str:
    membership = db.session.execute(select(Membership).where(Membership.user_id == user.id)).scalar_one()
    secret = tokens.create(membership.id, "test").secret
    db.session.commit()
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def owner_token(make: Any, tree: dict[str, Any]) -> dict[str, str]:
    return bearer(token_for(make.user(tree["workspace"], role="owner")))


def verdict(project_id: int, number: str) -> Assessment:
    db.session.expire_all()
    return db.session.execute(
        select(Assessment)
        .join(Clause, Clause.id == Assessment.clause_id)
        .where(Assessment.project_id == project_id, Clause.number == number)
    ).scalar_one()


def assert_error(response: Any, status: int, message: str | None = None) -> dict[str, Any]:
    """A JSON error of exactly the documented shape (never HTML)."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.json["error"]
    assert set(response.json) == {"error"}
    assert error["status"] == status and error["message"]
    assert set(error) <= {"status", "message", "fields"}
    if message is not None:
        assert error["message"] == message
    return error


# A small JSON Schema check (the subset the OpenAPI document uses), to validate answers against it.


def check(instance: Any, schema: dict[str, Any], path: str = "$") -> None:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return check(instance, shared_document()["components"]["schemas"][name], path)
    if "anyOf" in schema:  # pydantic's spelling of a nullable value
        failures = []
        for option in schema["anyOf"]:
            try:
                check(instance, option, path)
                break
            except AssertionError as failure:
                failures.append(str(failure))
        else:
            raise AssertionError(f"{path}: {instance!r} matches no option: {failures}")
    types = schema.get("type")
    if types is not None:
        kinds = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}
        allowed = types if isinstance(types, list) else [types]
        ok = any(
            (type(instance) is int if t == "integer" else isinstance(instance, kinds[t])) for t in allowed
        )
        assert ok, f"{path}: {instance!r} is not {allowed}"
    if "enum" in schema:
        assert instance in schema["enum"], f"{path}: {instance!r} not in {schema['enum']}"
    if isinstance(instance, int) and not isinstance(instance, bool):
        assert schema.get("minimum", instance) <= instance <= schema.get("maximum", instance), path
    if isinstance(instance, str):
        assert len(instance) <= schema.get("maxLength", len(instance)), path
        if schema.get("format") == "date":
            date.fromisoformat(instance)
        if schema.get("format") == "date-time":
            datetime.fromisoformat(instance)
    if isinstance(instance, dict):
        properties = schema.get("properties", {})
        assert set(schema.get("required", [])) <= set(instance), f"{path}: missing {schema.get('required')}"
        for key, value in instance.items():
            extra = schema.get("additionalProperties", True)
            assert key in properties or extra is not False, f"{path}: unexpected property {key}"
            sub = properties.get(key, extra if isinstance(extra, dict) else {})
            check(value, sub, f"{path}.{key}")
    if isinstance(instance, list):
        for index, item in enumerate(instance):
            check(item, schema.get("items", {}), f"{path}[{index}]")
    return None


def documented(path: str, method: str, status: int = 200) -> dict[str, Any]:
    operation = shared_document()["paths"][path][method]
    return operation["responses"][str(status)]["content"]["application/json"]["schema"]


@pytest.mark.parametrize(
    ("change", "fault"),
    [
        (lambda item: item.update(due_date=5), "is not"),
        (lambda item: item.update(due_date="2026-02-30"), "day is out of range"),
        (lambda item: item.update(status="done"), "not in"),
        (lambda item: item.update(colour="red"), "unexpected property colour"),
        (lambda item: item.pop("owner"), "missing"),
    ],
)
def test_the_check_refuses_what_the_document_does_not_allow(change, fault):
    item = {
        "number": "4.1", "title": "Context", "section": "4", "status": "met", "notes": "", "owner": "",
        "due_date": None, "justification": "", "may_be_not_applicable": False,
    }  # fmt: skip
    check(item, {"$ref": "#/components/schemas/Requirement"})
    change(item)
    with pytest.raises((AssertionError, ValueError), match=fault):
        check(item, {"$ref": "#/components/schemas/Requirement"})
    with pytest.raises(AssertionError, match="owner"):
        check({"owner": "x" * 121}, {"$ref": "#/components/schemas/RequirementPatch"})


# GET /projects


def test_list_projects_answers_each_project_with_the_documented_shape(client, tree, owner_token):
    response = client.get(f"{API}/projects", headers=owner_token)
    assert response.status_code == 200
    project, site, client_row = tree["project"], tree["site"], tree["client"]
    assert response.json == {
        "items": [
            {
                "id": project.id,
                "client": {"id": client_row.id, "name": client_row.name},
                "site": {"id": site.id, "name": site.name, "country": "VN"},
                "standard": {"code": "iso9001", "name": "ISO 9001:2015", "version": project.standard.version},
                "current_stage": "gap_analysis",
                "readiness_percent": 0,
                "coverage_percent": 0,
                "status": "planning",
            }
        ],
        "page": 1,
        "per_page": 20,
        "total": 1,
    }
    check(response.json, documented("/api/v1/projects", "get"))


def test_list_projects_pages_by_id(client, make, tree, owner_token):
    more = [make.project(make.site(tree["client"])) for _ in range(2)]
    ids = [tree["project"].id, *(p.id for p in more)]
    first = client.get(f"{API}/projects?per_page=2", headers=owner_token).json
    second = client.get(f"{API}/projects?per_page=2&page=2", headers=owner_token).json
    assert [p["id"] for p in first["items"]] == ids[:2]
    assert [p["id"] for p in second["items"]] == ids[2:]
    assert (second["page"], second["per_page"], second["total"]) == (2, 2, 3)
    past_the_end = client.get(f"{API}/projects?page=5", headers=owner_token).json
    assert (past_the_end["items"], past_the_end["total"]) == ([], 3)


@pytest.mark.parametrize(
    "query", ["per_page=101", "per_page=0", "page=0", "page=-1", "page=two", "per_page=1.5"]
)
def test_list_projects_refuses_bad_paging(client, tree, owner_token, query):
    error = assert_error(client.get(f"{API}/projects?{query}", headers=owner_token), 422)
    assert query.split("=")[0] in error["fields"]


def test_current_stage_is_null_once_every_stage_is_done(client, tree, owner_token):
    for row in db.session.execute(select(ProjectStage)).scalars():
        row.status = "done"
    db.session.commit()
    item = client.get(f"{API}/projects", headers=owner_token).json["items"][0]
    assert item["current_stage"] is None
    assert (
        client.get(f"{API}/projects/{tree['project'].id}", headers=owner_token).json["current_stage"] is None
    )


def test_list_projects_runs_the_same_queries_for_2_and_12_projects(client, make, tree, owner_token):
    def queries() -> int:
        client.get(f"{API}/projects", headers=owner_token)  # warm up: the token's last-used stamp
        with count_queries() as statements:
            assert client.get(f"{API}/projects", headers=owner_token).status_code == 200
        return len(statements)

    workspace_id = tree["workspace"].id
    make.project(make.site(tree["client"]))
    with_two = queries()
    workspace = db.session.get(Workspace, workspace_id)  # counting starts from a fresh session
    for _ in range(10):
        make.project(make.site(make.client(workspace)))
    assert client.get(f"{API}/projects", headers=owner_token).json["total"] == 12
    assert queries() == with_two


# GET /projects/<id>


def test_show_project_answers_stages_criteria_and_readiness(client, tree, owner_token):
    project = tree["project"]
    stage = db.session.execute(
        select(ProjectStage).where(ProjectStage.project_id == project.id, ProjectStage.key == "training")
    ).scalar_one()
    stage.planned_start, stage.planned_end = date(2026, 3, 1), date(2026, 4, 30)
    db.session.commit()

    response = client.get(f"{API}/projects/{project.id}", headers=owner_token)
    assert response.status_code == 200
    body = response.json
    listed = client.get(f"{API}/projects", headers=owner_token).json["items"][0]
    assert {k: v for k, v in body.items() if k not in ("stages", "readiness", "coverage")} == listed
    assert [s["key"] for s in body["stages"]] == list(Stage)
    gap = body["stages"][0]
    assert {k: v for k, v in gap.items() if k != "exit_criteria"} == {
        "key": "gap_analysis",
        "title": "Gap analysis",
        "status": "not_started",
        "progress_percent": gap["progress_percent"],
        "planned_start": None,
        "planned_end": None,
        "actual_start": None,
        "actual_end": None,
    }
    assert isinstance(gap["progress_percent"], int)
    assert gap["exit_criteria"][0]["key"] == "gap_analysis.all_assessed"
    assert gap["exit_criteria"][0]["met"] is False
    assert gap["exit_criteria"][0]["reason"].startswith("65 requirements not yet assessed")
    assert set(gap["exit_criteria"][0]) == {"key", "label", "met", "reason"}
    training = body["stages"][2]
    assert (training["planned_start"], training["planned_end"]) == ("2026-03-01", "2026-04-30")
    assert body["readiness"] == {
        "overall": 0,
        "by_section": dict.fromkeys(("4", "5", "6", "7", "8", "9", "10"), 0),
    }
    check(body, documented("/api/v1/projects/{project_id}", "get"))


def test_readiness_changes_after_a_patch(client, tree, owner_token):
    project_id = tree["project"].id
    for number in ("4.1", "4.2", "4.3", "4.4.1", "4.4.2", "5.1.1"):
        response = client.patch(
            f"{API}/projects/{project_id}/requirements/{number}", json={"status": "met"}, headers=owner_token
        )
        assert response.status_code == 200
    detail = client.get(f"{API}/projects/{project_id}", headers=owner_token).json
    assert detail["readiness"]["overall"] == 9  # 6 of 65 met: 9.23 %
    assert detail["readiness_percent"] == 9
    assert detail["readiness"]["by_section"]["4"] == 100
    assert client.get(f"{API}/projects", headers=owner_token).json["items"][0]["readiness_percent"] == 9


# GET /projects/<id>/requirements


def test_requirements_lists_every_leaf_clause_with_its_verdict(client, tree, owner_token):
    response = client.get(f"{API}/projects/{tree['project'].id}/requirements", headers=owner_token)
    assert response.status_code == 200
    body = response.json
    assert body["total"] == len(body["items"]) == ISO9001_REQUIREMENTS
    assert body["items"][0] == {
        "number": "4.1",
        "title": "Understanding the organization and its context",
        "section": "4",
        "status": "not_assessed",
        "notes": "",
        "owner": "",
        "due_date": None,
        "justification": "",
        "may_be_not_applicable": False,
    }
    assert {item["number"]: item["may_be_not_applicable"] for item in body["items"]}["8.3.1"] is True
    check(body, documented("/api/v1/projects/{project_id}/requirements", "get"))


def test_requirements_filter_by_section_and_status(client, tree, owner_token):
    url = f"{API}/projects/{tree['project'].id}/requirements"
    client.patch(f"{url}/7.1.2", json={"status": "partial"}, headers=owner_token)
    client.patch(f"{url}/8.1", json={"status": "partial"}, headers=owner_token)
    section = client.get(f"{url}?section=7", headers=owner_token).json["items"]
    assert section and {item["section"] for item in section} == {"7"}
    partial = client.get(f"{url}?status=partial", headers=owner_token).json["items"]
    assert [item["number"] for item in partial] == ["7.1.2", "8.1"]
    both = client.get(f"{url}?section=7&status=partial", headers=owner_token).json["items"]
    assert [item["number"] for item in both] == ["7.1.2"]


@pytest.mark.parametrize("query", ["status=done", "status=MET", "section=11", "section=7.1"])
def test_requirements_refuse_unknown_filters(client, tree, owner_token, query):
    response = client.get(f"{API}/projects/{tree['project'].id}/requirements?{query}", headers=owner_token)
    error = assert_error(response, 422)
    assert query.split("=")[0] in error["fields"]


# GET /projects/<id>/requirements/<clause>


def test_one_requirement_is_answered_as_in_the_list(client, tree, owner_token):
    url = f"{API}/projects/{tree['project'].id}/requirements"
    body = {"status": "partial", "notes": "Log exists", "owner": "Ana", "due_date": "2027-03-01"}
    assert client.patch(f"{url}/7.1.5.1", json=body, headers=owner_token).status_code == 200
    listed = {item["number"]: item for item in client.get(url, headers=owner_token).json["items"]}
    for number in ("4.1", "7.1.5.1", "8.3.1"):
        response = client.get(f"{url}/{number}", headers=owner_token)
        assert response.status_code == 200
        assert response.json == listed[number]
        check(response.json, documented("/api/v1/projects/{project_id}/requirements/{clause}", "get"))
    assert listed["7.1.5.1"] | body == listed["7.1.5.1"]


def test_an_unknown_requirement_is_json_404(client, tree, owner_token):
    url = f"{API}/projects/{tree['project'].id}/requirements"
    for number in ("4", "11.1", "7.1.5", "x"):  # a section, no such clause, a parent, nonsense
        error = assert_error(client.get(f"{url}/{number}", headers=owner_token), 404)
        assert error["message"] == f"No requirement {number} in this project's standard."
        check({"error": error}, documented("/api/v1/projects/{project_id}/requirements/{clause}", "get", 404))


def test_one_requirement_of_another_workspace_is_404_and_a_viewer_may_read_one(client, make, tree):
    theirs = make.tree()
    viewer = bearer(token_for(make.user(tree["workspace"], role="viewer")))
    assert_error(client.get(f"{API}/projects/{theirs['project'].id}/requirements/4.1", headers=viewer), 404)
    response = client.get(f"{API}/projects/{tree['project'].id}/requirements/4.1", headers=viewer)
    assert response.status_code == 200 and response.json["number"] == "4.1"


# PATCH /projects/<id>/requirements/<clause>


def patch(client: Any, tree: dict[str, Any], number: str, headers: dict[str, str], **kwargs: Any) -> Any:
    return client.patch(
        f"{API}/projects/{tree['project'].id}/requirements/{number}", headers=headers, **kwargs
    )


def test_patch_sets_the_fields_sent_and_keeps_the_others(client, tree, owner_token):
    body = {
        "status": "partial",
        "notes": " Calibration log exists ",
        "owner": "Ana",
        "due_date": "2026-09-30",
    }
    response = patch(client, tree, "7.1.5.1", owner_token, json=body)
    assert response.status_code == 200
    assert response.json == {
        "number": "7.1.5.1",
        "title": response.json["title"],
        "section": "7",
        "status": "partial",
        "notes": "Calibration log exists",
        "owner": "Ana",
        "due_date": "2026-09-30",
        "justification": "",
        "may_be_not_applicable": False,
    }
    check(response.json, documented("/api/v1/projects/{project_id}/requirements/{clause}", "patch"))
    saved = verdict(tree["project"].id, "7.1.5.1")
    assert (saved.status, saved.notes, saved.owner, saved.due_date) == (
        "partial",
        "Calibration log exists",
        "Ana",
        date(2026, 9, 30),
    )

    assert patch(client, tree, "7.1.5.1", owner_token, json={"status": "met"}).status_code == 200
    saved = verdict(tree["project"].id, "7.1.5.1")
    assert (saved.status, saved.notes, saved.owner, saved.due_date) == (
        "met",
        "Calibration log exists",
        "Ana",
        date(2026, 9, 30),
    )
    assert patch(client, tree, "7.1.5.1", owner_token, json={"due_date": None}).json["due_date"] is None
    assert verdict(tree["project"].id, "7.1.5.1").due_date is None


def test_patch_not_applicable_with_a_justification_where_the_catalog_allows_it(client, tree, owner_token):
    body = {"status": "not_applicable", "justification": "We build to customer drawings only."}
    response = patch(client, tree, "8.3.1", owner_token, json=body)
    assert response.status_code == 200
    assert (response.json["status"], response.json["justification"]) == (
        "not_applicable",
        "We build to customer drawings only.",
    )
    # Notes alone keep the verdict and its justification; a new status drops the justification.
    assert patch(client, tree, "8.3.1", owner_token, json={"notes": "x"}).json["justification"] != ""
    assert patch(client, tree, "8.3.1", owner_token, json={"status": "met"}).json["justification"] == ""


@pytest.mark.parametrize(
    ("number", "body", "field", "message"),
    [
        ("4.1", {"status": "done"}, "status", assessment_errors("done", "", False, "scope")["status"]),
        ("8.3.1", {"status": "not_applicable"}, "justification",
         assessment_errors("not_applicable", "", True, "scope")["justification"]),
        ("8.3.1", {"status": "not_applicable", "justification": "   "}, "justification", None),
        ("4.1", {"status": "not_applicable", "justification": "No."}, "status",
         NOT_APPLICABLE_REFUSALS["scope"]),
    ],
)  # fmt: skip
def test_patch_refuses_an_invalid_verdict_with_the_rules_message(
    client, tree, owner_token, number, body, field, message
):
    error = assert_error(patch(client, tree, number, owner_token, json=body), 422)
    assert field in error["fields"]
    if message:
        assert error["message"] == message
    assert verdict(tree["project"].id, number).status == "not_assessed"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "met", "colour": "red"}, "colour"),
        ({"status": 1}, "status"),
        ({"status": None}, "status"),
        ({"notes": ["a"]}, "notes"),
        ({"owner": {"name": "Ana"}}, "owner"),
        ({"owner": "x" * 121}, "owner"),
        ({"justification": 5}, "justification"),
        ({"due_date": "2026-13-01"}, "due_date"),
        ({"due_date": "30/09/2026"}, "due_date"),
        ({"due_date": "20260930"}, "due_date"),
        ({"due_date": 20260930}, "due_date"),
    ],
)
def test_patch_refuses_unknown_fields_and_wrong_types_and_changes_nothing(
    client, tree, owner_token, body, field
):
    error = assert_error(patch(client, tree, "4.1", owner_token, json=body), 422)
    assert field in error["fields"]
    saved = verdict(tree["project"].id, "4.1")
    assert (saved.status, saved.notes, saved.owner, saved.due_date) == ("not_assessed", "", "", None)


def test_patch_names_every_fault_at_once_in_the_apis_words(client, tree, owner_token):
    body = {"colour": "red", "notes": 5, "status": None, "due_date": "2026-02-30", "owner": " " + "x" * 121}
    error = assert_error(patch(client, tree, "4.1", owner_token, json=body), 422)
    assert error["fields"] == {
        "status": "Must be a string.",
        "notes": "Must be a string.",
        "owner": "Use at most 120 characters.",
        "due_date": "2026-02-30 is not a date.",
        "colour": "Unknown field.",
    }
    assert error["message"].startswith("status: Must be a string. notes: Must be a string.")
    assert error["message"].endswith(
        "colour: Unknown field. Fields you may set: status, notes, owner, due_date, justification."
    )
    due = assert_error(patch(client, tree, "4.1", owner_token, json={"due_date": "30/09/2026"}), 422)
    assert due == {
        "status": 422,
        "message": "due_date: Use an ISO date (YYYY-MM-DD) or null.",
        "fields": {"due_date": "Use an ISO date (YYYY-MM-DD) or null."},
    }


def test_patch_refuses_a_body_that_is_not_a_json_object(client, tree, owner_token):
    form = patch(client, tree, "4.1", owner_token, data={"status": "met"})
    assert_error(form, 415)
    text = patch(client, tree, "4.1", owner_token, data="status=met", content_type="text/plain")
    assert_error(text, 415)
    broken = patch(client, tree, "4.1", owner_token, data="{status: met", content_type="application/json")
    assert_error(broken, 400, "The body is not valid JSON.")
    assert_error(
        patch(client, tree, "4.1", owner_token, json=["met"]), 422, "The body must be a JSON object."
    )
    assert_error(patch(client, tree, "4.1", owner_token, data="null", content_type="application/json"), 422)
    assert_error(patch(client, tree, "4.1", owner_token, data="", content_type="application/json"), 400)
    assert verdict(tree["project"].id, "4.1").status == "not_assessed"


def test_patch_an_unknown_clause_is_404(client, tree, owner_token):
    for number in ("4", "11.1", "7.1.5", "x"):  # a section, no such clause, a parent, nonsense
        assert_error(patch(client, tree, number, owner_token, json={"status": "met"}), 404)


@pytest.mark.parametrize("role", ["viewer"])
def test_patch_needs_a_role_that_may_edit(client, make, tree, role):
    headers = bearer(token_for(make.user(tree["workspace"], role=role)))
    assert client.get(f"{API}/projects/{tree['project'].id}/requirements", headers=headers).status_code == 200
    assert_error(patch(client, tree, "4.1", headers, json={"status": "met"}), 403)
    assert verdict(tree["project"].id, "4.1").status == "not_assessed"


@pytest.mark.parametrize("role", ["owner", "consultant", "contributor"])
def test_patch_is_allowed_to_roles_that_edit_content(client, make, tree, role):
    headers = bearer(token_for(make.user(tree["workspace"], role=role)))
    assert patch(client, tree, "4.1", headers, json={"status": "met"}).status_code == 200


def test_patch_needs_no_csrf_token_but_the_pages_still_do(app, client, make, tree, owner_token):
    login(client, make.user(tree["workspace"]))
    app.config["WTF_CSRF_ENABLED"] = True
    assert patch(client, tree, "4.1", owner_token, json={"status": "met"}).status_code == 200
    assert client.post("/account/tokens", data={"token-name": "x"}).status_code == 400


# Authentication and errors


def test_every_api_route_but_the_document_needs_a_token(app, client, tree):
    project_id = tree["project"].id
    urls = [
        ("GET", f"{API}/projects"),
        ("GET", f"{API}/projects/{project_id}"),
        ("GET", f"{API}/projects/{project_id}/requirements"),
        ("GET", f"{API}/projects/{project_id}/budget"),
        ("GET", f"{API}/projects/{project_id}/history"),
        ("GET", f"{API}/projects/{project_id}/requirements/4.1"),
        ("PATCH", f"{API}/projects/{project_id}/requirements/4.1"),
    ]
    for method, url in urls:
        response = client.open(url, method=method, json={"status": "met"})
        assert_error(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get(f"{API}/openapi.json").status_code == 200


@pytest.mark.parametrize(
    "header",
    ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearer rdy_not-a-real-token", "Token rdy_x", "x" * 300],
)
def test_a_missing_or_unknown_token_is_401(client, tree, owner_token, header):
    response = client.get(f"{API}/projects", headers={"Authorization": header})
    assert_error(response, 401)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="Readiness API"'


def test_the_scheme_is_case_insensitive(client, tree, owner_token):
    secret = owner_token["Authorization"].split(" ", 1)[1]
    assert client.get(f"{API}/projects", headers={"Authorization": f"bearer {secret}"}).status_code == 200


def test_a_logged_in_session_is_not_a_token(client, make, tree):
    login(client, make.user(tree["workspace"]))
    assert_error(client.get(f"{API}/projects"), 401)
    assert_error(patch(client, tree, "4.1", {}, json={"status": "met"}), 401)


def test_a_token_of_a_deactivated_user_is_401(client, make, tree):
    user = make.user(tree["workspace"])
    headers = bearer(token_for(user))
    user.active = False
    db.session.commit()
    assert_error(client.get(f"{API}/projects", headers=headers), 401)


def test_unknown_paths_and_ids_are_json_404(client, tree, owner_token):
    for url in (f"{API}/nothing", f"{API}/projects/abc", f"{API}/projects/999999", f"{API}/projects/{10**20}",
                f"{API}/projects/{10**20}/requirements", f"{API}/", API, "/api/v2/projects"):  # fmt: skip
        assert_error(client.get(url, headers=owner_token), 404)
    assert client.get("/no-such-page").mimetype == "text/html"  # pages keep their HTML error page


def test_a_wrong_method_is_json_405(client, tree, owner_token):
    response = client.post(f"{API}/projects", headers=owner_token, json={})
    assert_error(response, 405)
    assert set(response.headers["Allow"].split(", ")) >= {"GET"}
    assert_error(client.delete(f"{API}/projects/{tree['project'].id}", headers=owner_token), 405)
    one = client.delete(f"{API}/projects/{tree['project'].id}/requirements/4.1", headers=owner_token)
    assert_error(one, 405)
    assert set(one.headers["Allow"].split(", ")) >= {"GET", "PATCH"}


def test_an_unexpected_failure_is_a_json_500(app, client, tree, owner_token, monkeypatch):
    from app.services import project_list

    def explode(*_args: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(project_list, "project_page", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert_error(client.get(f"{API}/projects", headers=owner_token), 500)


# Tenancy: a token sees what its membership sees, and another workspace's ids are not found


# A POST adds evidence (a note, as form fields); the other methods send a verdict as JSON. The document
# routes' calls are document_call's, the training record's training_call's.
WALK_BODIES: dict[str, dict[str, Any]] = {
    "POST": {"data": {"title": "Walk", "clause": "4.1", "note": "seen"}}
}


def walk_values(tree: dict[str, Any]) -> dict[str, int | str]:
    project = tree["project"]
    evidence = add_file(project)
    return {"project_id": project.id, "clause": "4.1", "evidence_id": evidence.id} | (
        document_walk_values(project)
        | register_walk_values(project, evidence)
        | training_walk_values(project)
        | review_walk_values(project)
        | audit_walk_values(project)
        | finding_walk_values(project)
        | certification_walk_values(project)
        | sharing_ids(project)
        | body_walk_values(project)
    )


def api_walk(app: Flask, client: Any, headers: dict[str, str], tree: dict[str, Any]) -> dict[str, int]:
    """Status of every API route with a path parameter, called with ``tree``'s ids."""
    values = walk_values(tree)
    statuses = {}
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api.") or not rule.arguments:
            continue
        assert rule.arguments <= values.keys(), f"{rule.rule}: add a value for its parameters to api_walk()"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            path_values, call = document_call(method, rule.rule, values)
            if not call:
                path_values, call = audit_call(method, rule.rule, path_values)
            with app.test_request_context():
                url = url_for(rule.endpoint, **{name: path_values[name] for name in rule.arguments})
            call = (
                call
                or training_call(method, rule.rule, values)
                or review_call(method, rule.rule, values)
                or finding_call(method, rule.rule)
                or certification_call(method, rule.rule, values)
                or sharing_call(method, rule.rule, values)
                or body_call(method, rule.rule, values)
                or register_call(method, rule.rule, values)
            )
            body = call or WALK_BODIES.get(method, {"json": {"status": "met"}})
            response = client.open(url, method=method, headers=headers, buffered=True, **body)
            statuses[f"{method} {url}"] = response.status_code
    return statuses


@pytest.fixture
def theirs(make: Any, tree: dict[str, Any]) -> dict[str, Any]:
    return make.tree()


def test_every_api_route_is_404_with_another_workspaces_ids(app, client, tree, theirs, owner_token):
    statuses = api_walk(app, client, owner_token, theirs)
    assert len(statuses) == 55 + register_api_calls()  # 55: with the project's activity, audit pack, report
    assert {url: code for url, code in statuses.items() if code != 404} == {}
    assert verdict(theirs["project"].id, "4.1").status == "not_assessed"


def test_the_same_api_routes_answer_with_own_ids(app, client, tree, theirs, owner_token):
    statuses = api_walk(app, client, owner_token, tree)
    assert set(statuses.values()) == {200, 201}  # 201: the POST added evidence


def test_the_list_shows_only_the_tokens_workspace(client, tree, theirs, owner_token):
    items = client.get(f"{API}/projects", headers=owner_token).json["items"]
    assert [item["id"] for item in items] == [tree["project"].id]


def test_a_client_manager_token_sees_only_the_named_clients(app, client, make, tree):
    workspace = tree["workspace"]
    unnamed = make.tree(workspace)
    second_site_project = make.project(make.site(tree["client"]))
    headers = bearer(token_for(make.user(workspace, role="client_manager", clients=[tree["client"]])))

    body = client.get(f"{API}/projects", headers=headers).json
    assert [item["id"] for item in body["items"]] == [tree["project"].id, second_site_project.id]
    assert body["total"] == 2
    assert {url: code for url, code in api_walk(app, client, headers, unnamed).items() if code != 404} == {}
    assert set(api_walk(app, client, headers, tree).values()) == {200, 201}  # and may edit (client_manager)


# The OpenAPI document


def api_paths(app: Flask) -> dict[str, set[str]]:
    """The app's /api/v1 routes in OpenAPI's spelling: path -> lower-case methods."""
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            routes.setdefault(path, set()).update(m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
    return routes


def test_the_document_describes_exactly_the_api_routes(app, client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    doc = response.json
    assert doc == document()
    assert doc["openapi"].startswith("3.")
    assert {path: set(ops) for path, ops in doc["paths"].items()} == api_paths(app)
    assert sorted(set(doc["paths"]) - set(register_paths())) == [
        "/api/v1/activity",
        "/api/v1/certificates",
        "/api/v1/certificates/{certificate_id}",
        "/api/v1/certification-bodies",
        "/api/v1/certification-bodies/{body_id}",
        "/api/v1/evidence/{evidence_id}/download",
        "/api/v1/openapi.json",
        "/api/v1/projects",
        "/api/v1/projects/{project_id}",
        "/api/v1/projects/{project_id}/activity",
        "/api/v1/projects/{project_id}/audit-pack",
        "/api/v1/projects/{project_id}/audits",
        "/api/v1/projects/{project_id}/audits/{audit_id}",
        "/api/v1/projects/{project_id}/audits/{audit_id}/lines/{line_id}",
        "/api/v1/projects/{project_id}/audits/{audit_id}/transitions",
        "/api/v1/projects/{project_id}/budget",
        "/api/v1/projects/{project_id}/documents",
        "/api/v1/projects/{project_id}/documents/{document_id}",
        "/api/v1/projects/{project_id}/documents/{document_id}/revisions",
        "/api/v1/projects/{project_id}/evidence",
        "/api/v1/projects/{project_id}/external-audits",
        "/api/v1/projects/{project_id}/external-audits/{external_audit_id}",
        "/api/v1/projects/{project_id}/findings",
        "/api/v1/projects/{project_id}/findings/{finding_id}",
        "/api/v1/projects/{project_id}/findings/{finding_id}/transitions",
        "/api/v1/projects/{project_id}/history",
        "/api/v1/projects/{project_id}/management-reviews",
        "/api/v1/projects/{project_id}/management-reviews/{review_id}",
        "/api/v1/projects/{project_id}/management-reviews/{review_id}/outputs",
        "/api/v1/projects/{project_id}/objectives",
        "/api/v1/projects/{project_id}/objectives/{objective_id}",
        "/api/v1/projects/{project_id}/objectives/{objective_id}/measurements",
        "/api/v1/projects/{project_id}/people",
        "/api/v1/projects/{project_id}/quotes",
        "/api/v1/projects/{project_id}/quotes/{quote_id}/accept",
        "/api/v1/projects/{project_id}/report",
        "/api/v1/projects/{project_id}/requirements",
        "/api/v1/projects/{project_id}/requirements/{clause}",
        "/api/v1/projects/{project_id}/revisions/{revision_id}/approve",
        "/api/v1/projects/{project_id}/revisions/{revision_id}/download",
        "/api/v1/projects/{project_id}/revisions/{revision_id}/submit",
        "/api/v1/projects/{project_id}/training-matrix",
        "/api/v1/projects/{project_id}/training-records",
        "/api/v1/share-links",
        "/api/v1/share-links/{share_link_id}",
        "/api/v1/share-links/{share_link_id}/revoke",
    ]


def test_every_documented_operation_is_a_route(app):
    routes = api_paths(app)
    missing = [
        f"{method.upper()} {path}"
        for path, operations in document()["paths"].items()
        for method in operations
        if method not in routes.get(path, set())
    ]
    assert missing == []


def test_every_api_route_is_documented(app):
    paths = document()["paths"]
    undocumented = [
        f"{method.upper()} {path}"
        for path, methods in api_paths(app).items()
        for method in sorted(methods)
        if method not in paths.get(path, {})
    ]
    assert undocumented == []


def test_every_documented_path_answers(client, tree, owner_token):
    values = walk_values(tree)
    for path, operations in document()["paths"].items():
        for method, operation in operations.items():
            path_values, call = document_call(method.upper(), path, values)
            if not call:
                path_values, call = audit_call(method.upper(), path, path_values)
            url = path.format(**path_values)
            call = (
                call
                or training_call(method.upper(), path, values)
                or review_call(method.upper(), path, values)
                or finding_call(method.upper(), path)
                or certification_call(method.upper(), path, values)
                or sharing_call(method.upper(), path, values)
                or body_call(method.upper(), path, values)
                or register_call(method.upper(), path, values)
            )
            body = call or WALK_BODIES.get(method.upper(), {"json": {"notes": "seen"}})
            response = client.open(url, method=method.upper(), headers=owner_token, buffered=True, **body)
            success = next(code for code in operation["responses"] if code.startswith("2"))
            assert response.status_code == int(success), f"{method} {url}"
            if "application/json" in operation["responses"][success]["content"]:
                check(response.json, documented(path, method, int(success)))
            else:  # a download: the bytes, with the type recorded for them
                assert response.data and response.mimetype != "application/json"


def test_documented_errors_match_the_answers(client, tree, owner_token):
    path = "/api/v1/projects/{project_id}/requirements/{clause}"
    url = path.format(project_id=tree["project"].id, clause="4.1")
    answers = {
        "401": client.patch(url, json={"status": "met"}),
        "404": client.patch(url.replace("4.1", "99"), json={"status": "met"}, headers=owner_token),
        "415": client.patch(url, data="x", headers=owner_token),
        "422": client.patch(url, json={"status": "done"}, headers=owner_token),
    }
    for status, response in answers.items():
        assert str(response.status_code) == status
        check(response.json, documented(path, "patch", response.status_code))
