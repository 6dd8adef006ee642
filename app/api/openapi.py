"""The OpenAPI 3.1 document of /api/v1, built in code so its enums follow the domain's.

Response schemas forbid properties they do not list, so a test that validates real responses against
this document pins both: the API answers what the document says, and nothing more.
"""

from __future__ import annotations

from typing import Any

from app.api import API_PREFIX
from app.api.openapi_evidence import evidence_paths, evidence_schemas
from app.api.requests import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE
from app.domain.assessment import OWNER_MAX_LENGTH, TEXT_MAX_LENGTH
from app.domain.budget import CATEGORIES
from app.domain.budget import STAGES as BUDGET_STAGES
from app.domain.pathway import Stage, StageStatus
from app.domain.readiness import ClauseStatus

Schema = dict[str, Any]

PERCENT: Schema = {"type": ["integer", "null"], "minimum": 0, "maximum": 100}
DATE_OR_NULL: Schema = {"type": ["string", "null"], "format": "date"}
STRING: Schema = {"type": "string"}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict[str, Schema], description: str = "") -> Schema:
    """A closed object whose every property is always present."""
    schema: Schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def _project_properties() -> dict[str, Schema]:
    return {
        "id": {"type": "integer"},
        "client": obj({"id": {"type": "integer"}, "name": STRING}),
        "site": obj(
            {
                "id": {"type": "integer"},
                "name": STRING,
                "country": {**STRING, "description": "ISO 3166 alpha-2"},
            }
        ),
        "standard": obj({"code": STRING, "name": STRING, "version": STRING}),
        "current_stage": {
            "type": ["string", "null"],
            "enum": [*Stage, None],
            "description": "The first stage not done; null once every stage is done.",
        },
        "readiness_percent": PERCENT,
        "coverage_percent": {**PERCENT, "description": "Evidence coverage (see Coverage)."},
    }


def _stage_schemas() -> dict[str, Schema]:
    return {
        "ExitCriterion": obj(
            {"key": STRING, "label": STRING, "met": {"type": "boolean"}, "reason": STRING},
            "A condition the app checks before the stage may be marked done; reason says what is missing.",
        ),
        "Stage": obj(
            {
                "key": {"type": "string", "enum": list(Stage)},
                "title": STRING,
                "status": {"type": "string", "enum": list(StageStatus)},
                "progress_percent": PERCENT,
                "planned_start": DATE_OR_NULL,
                "planned_end": DATE_OR_NULL,
                "actual_start": DATE_OR_NULL,
                "actual_end": DATE_OR_NULL,
                "exit_criteria": {"type": "array", "items": ref("ExitCriterion")},
            }
        ),
    }


def _requirement_schemas() -> dict[str, Schema]:
    status = {"type": "string", "enum": list(ClauseStatus)}
    patch: Schema = {
        "type": "object",
        "description": "Any of these fields; the ones left out keep their values.",
        "properties": {
            "status": {**status, "description": "not_applicable needs a justification."},
            "notes": {"type": "string", "maxLength": TEXT_MAX_LENGTH},
            "owner": {"type": "string", "maxLength": OWNER_MAX_LENGTH},
            "due_date": DATE_OR_NULL,
            "justification": {"type": "string", "maxLength": TEXT_MAX_LENGTH},
        },
        "additionalProperties": False,
    }
    return {
        "Requirement": obj(
            {
                "number": {**STRING, "examples": ["7.1.5.1"]},
                "title": STRING,
                "section": {**STRING, "examples": ["7"]},
                "status": status,
                "notes": STRING,
                "owner": STRING,
                "due_date": DATE_OR_NULL,
                "justification": STRING,
                "may_be_not_applicable": {"type": "boolean"},
            }
        ),
        "RequirementList": obj(
            {"items": {"type": "array", "items": ref("Requirement")}, "total": {"type": "integer"}}
        ),
        "RequirementPatch": patch,
    }


def _budget_schemas() -> dict[str, Schema]:
    money: Schema = {"type": "string", "description": "Decimal string in the currency's minor unit: 1200.50"}
    percent: Schema = {"type": ["string", "null"], "description": "actual/planned x 100; null: 0 planned"}
    totals = {"planned": money, "actual": money, "variance": money, "percent_spent": percent}
    by_key: Schema = {"type": "object", "additionalProperties": ref("BudgetTotals")}
    forecast = {**money, "description": "Actual so far + planned remaining."}
    return {
        "BudgetTotals": obj(totals, "variance = actual - planned."),
        "BudgetLine": obj({
            "id": {"type": "integer"}, "stage": {"type": "string", "enum": list(BUDGET_STAGES)},
            "category": {"type": "string", "enum": list(CATEGORIES)}, "description": STRING, "vendor": STRING,
            "planned": money, "actual": {**money, "type": ["string", "null"]}, "date": DATE_OR_NULL,
            "basis": {**STRING, "description": "Where an estimated figure came from; empty if typed in."},
            "overspent": {"type": "boolean", "description": "Actual more than 10% above planned."},
        }),
        "Budget": obj({
            "currency": {**STRING, "description": "ISO 4217"},
            "lines": {"type": "array", "items": ref("BudgetLine"), "description": "By stage, then date."},
            "by_stage": {**by_key, "description": "Keyed by stage; only stages that have lines."},
            "by_category": {**by_key, "description": "Keyed by category; only categories that have lines."},
            "total": obj(totals | {"forecast": forecast}),
        }),
    }  # fmt: skip


def _history_schemas() -> dict[str, Schema]:
    count: Schema = {"type": "integer", "minimum": 0}
    snapshot = obj(
        {
            "date": {"type": "string", "format": "date"},
            "readiness_percent": PERCENT,
            "coverage_percent": PERCENT,
            "met": count,
            "partial": count,
            "not_met": count,
            "not_assessed": count,
            "not_applicable": count,
        },
        "A project's readiness and evidence coverage on one day (the day's latest figures), with the "
        "requirement counts by verdict that readiness was computed from.",
    )
    return {
        "Snapshot": snapshot,
        "History": obj({"items": {"type": "array", "items": ref("Snapshot")}, "total": count}),
    }


def schemas() -> dict[str, Schema]:
    project = _project_properties()
    return {
        "Error": obj(
            {
                "error": {
                    "type": "object",
                    "properties": {
                        "status": {"type": "integer"},
                        "message": STRING,
                        "fields": {
                            "type": "object",
                            "additionalProperties": STRING,
                            "description": "A message per request field, when fields are at fault.",
                        },
                    },
                    "required": ["status", "message"],
                    "additionalProperties": False,
                }
            }
        ),
        "ProjectSummary": obj(project),
        "ProjectList": obj(
            {
                "items": {"type": "array", "items": ref("ProjectSummary")},
                "page": {"type": "integer", "minimum": 1},
                "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
                "total": {"type": "integer", "minimum": 0},
            }
        ),
        **_stage_schemas(),
        "Readiness": obj(
            {
                "overall": PERCENT,
                "by_section": {
                    "type": "object",
                    "additionalProperties": PERCENT,
                    "description": 'Keyed by section number ("4" ... "10"); null when nothing is applicable.',
                },
            }
        ),
        "Coverage": obj(
            {
                "overall": PERCENT,
                "covered": {"type": "integer", "minimum": 0},
                "applicable": {"type": "integer", "minimum": 0},
                "by_section": {
                    "type": "object",
                    "additionalProperties": PERCENT,
                    "description": 'Keyed by section number ("4" ... "10"); null when nothing is applicable.',
                },
            },
            "Evidence coverage: applicable requirements with at least one accepted evidence item that is not "
            "deleted and not past its valid-until date, as a whole percent rounded half up; covered and "
            "applicable are the overall counts.",
        ),
        "ProjectDetail": obj(
            project
            | {
                "stages": {"type": "array", "items": ref("Stage")},
                "readiness": ref("Readiness"),
                "coverage": ref("Coverage"),
            }
        ),
        **_requirement_schemas(),
        **_budget_schemas(),
        **_history_schemas(),
        **evidence_schemas(),
    }


def _json(schema: Schema, description: str) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERROR_RESPONSES: dict[str, str] = {
    "400": "The body is not valid JSON.",
    "401": "No token, or a token that is unknown or revoked (with WWW-Authenticate: Bearer).",
    "403": "The token's role does not allow this.",
    "404": "No such object in the token's workspace (another workspace's ids are not found either).",
    "415": "The body is not sent as JSON.",
    "422": "A parameter or field is invalid; `fields` says which.",
}


def _responses(ok: Schema, ok_description: str, *errors: str) -> Schema:
    responses = {"200": _json(ok, ok_description)}
    for code in ("401", *errors):
        responses[code] = _json(ref("Error"), ERROR_RESPONSES[code])
    return responses


def _int_query(name: str, description: str, default: int, maximum: int) -> Schema:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "integer", "minimum": 1, "maximum": maximum, "default": default},
    }


PROJECT_ID = {"name": "project_id", "in": "path", "required": True, "schema": {"type": "integer"}}
CLAUSE = {
    "name": "clause",
    "in": "path",
    "required": True,
    "description": "A requirement's clause number, e.g. 7.1.5.1.",
    "schema": {"type": "string"},
}


def _project_paths() -> dict[str, Schema]:
    return {
        f"{API_PREFIX}/projects": {"get": {
            "operationId": "listProjects",
            "summary": "The workspace's projects with current stage and readiness, by id.",
            "parameters": [
                _int_query("page", "Page number.", 1, MAX_PAGE),
                _int_query("per_page", "Projects per page.", DEFAULT_PER_PAGE, MAX_PER_PAGE),
            ],
            "responses": _responses(ref("ProjectList"), "One page of projects.", "422"),
        }},
        f"{API_PREFIX}/projects/{{project_id}}": {"get": {
            "operationId": "getProject",
            "summary": "A project's stages, exit criteria, readiness and evidence coverage.",
            "parameters": [PROJECT_ID],
            "responses": _responses(ref("ProjectDetail"), "The project.", "404"),
        }},
    }  # fmt: skip


def _requirement_paths() -> dict[str, Schema]:
    filters = [
        {
            "name": "section",
            "in": "query",
            "required": False,
            "schema": STRING,
            "description": "Only this section, e.g. 7.",
        },
        {
            "name": "status",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "enum": list(ClauseStatus)},
        },
    ]
    return {
        f"{API_PREFIX}/projects/{{project_id}}/requirements": {"get": {
            "operationId": "listRequirements",
            "summary": "Every requirement (leaf clause) of the project's standard and its verdict.",
            "parameters": [PROJECT_ID, *filters],
            "responses": _responses(
                ref("RequirementList"), "The requirements in catalog order.", "404", "422"
            ),
        }},
        f"{API_PREFIX}/projects/{{project_id}}/requirements/{{clause}}": {"patch": {
            "operationId": "updateRequirement",
            "summary": "Set a requirement's status, notes, owner, due date or justification.",
            "parameters": [PROJECT_ID, CLAUSE],
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": ref("RequirementPatch")}}},
            "responses": _responses(
                ref("Requirement"), "The requirement as saved.", "400", "403", "404", "415", "422"
            ),
        }},
    }  # fmt: skip


def _budget_paths() -> dict[str, Schema]:
    return {f"{API_PREFIX}/projects/{{project_id}}/budget": {"get": {
        "operationId": "getBudget",
        "summary": "A project's budget lines with planned, actual, variance and percent spent by stage, by "
        "category and in total, and the forecast at completion; amounts as decimal strings.",
        "parameters": [PROJECT_ID],
        "responses": _responses(ref("Budget"), "The budget.", "404"),
    }}}  # fmt: skip


def _history_paths() -> dict[str, Schema]:
    return {f"{API_PREFIX}/projects/{{project_id}}/history": {"get": {
        "operationId": "getReadinessHistory",
        "summary": "A project's daily readiness snapshots, oldest first: recorded when a verdict changes "
        "and each day by `flask snapshot-readiness`.",
        "parameters": [PROJECT_ID],
        "responses": _responses(ref("History"), "The recorded days.", "404"),
    }}}  # fmt: skip


def paths() -> dict[str, Schema]:
    own_document = {"get": {
        "operationId": "getOpenApiDocument",
        "summary": "This document.",
        "security": [],
        "responses": {"200": {"description": "The OpenAPI document.",
                              "content": {"application/json": {"schema": {"type": "object"}}}}},
    }}  # fmt: skip
    documented = {
        **_project_paths(),
        **_requirement_paths(),
        **_budget_paths(),
        **_history_paths(),
        **evidence_paths(),
    }
    return {**documented, f"{API_PREFIX}/openapi.json": own_document}


def document() -> Schema:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Readiness API",
            "version": "1.0.0",
            "description": "Read a workspace's certification projects and record gap-analysis verdicts. "
            "Create a token on your account page (or with `flask create-token`) and send it as "
            "`Authorization: Bearer <token>`; it sees exactly what you see in that workspace. "
            'Every error is JSON: `{"error": {"status": 404, "message": "..."}}`.',
        },
        "paths": paths(),
        "components": {
            "schemas": schemas(),
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearerAuth": []}],
    }
