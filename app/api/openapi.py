"""The OpenAPI 3.1 document of /api/v1, built in code so its enums follow the domain's.

Response schemas forbid properties they do not list, so a test that validates real responses against
this document pins both: the API answers what the document says, and nothing more.
"""

from __future__ import annotations

from typing import Any

from app.api import API_PREFIX
from app.api.serialise import (
    DEFAULT_PER_PAGE,
    MAX_PAGE,
    MAX_PER_PAGE,
    OWNER_MAX_LENGTH,
    TEXT_MAX_LENGTH,
)
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
        "ProjectDetail": obj(
            project | {"stages": {"type": "array", "items": ref("Stage")}, "readiness": ref("Readiness")}
        ),
        **_requirement_schemas(),
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
            "summary": "A project's stages, exit criteria and readiness.",
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


def paths() -> dict[str, Schema]:
    own_document = {"get": {
        "operationId": "getOpenApiDocument",
        "summary": "This document.",
        "security": [],
        "responses": {"200": {"description": "The OpenAPI document.",
                              "content": {"application/json": {"schema": {"type": "object"}}}}},
    }}  # fmt: skip
    return {**_project_paths(), **_requirement_paths(), f"{API_PREFIX}/openapi.json": own_document}


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
