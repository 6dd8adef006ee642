"""The evidence part of the OpenAPI document: three paths and their schemas.

Kept apart from ``openapi.py`` (which merges it in) so neither module grows past a screenful of
concerns; it builds plain dicts and imports nothing from ``openapi.py``, so there is no import cycle.
"""

from __future__ import annotations

from typing import Any

from app.api import API_PREFIX
from app.api.requests import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE
from app.domain.evidence_rules import NOTE_MAX_LENGTH, TITLE_MAX_LENGTH, URL_MAX_LENGTH, ReviewState
from app.domain.file_types import ALLOWED

Schema = dict[str, Any]

STRING: Schema = {"type": "string"}
NULLABLE_STRING: Schema = {"type": ["string", "null"]}
NULLABLE_INTEGER: Schema = {"type": ["integer", "null"]}
ERROR = {"$ref": "#/components/schemas/Error"}

REFUSALS = {
    "401": "No token, or a token that is unknown or revoked (with WWW-Authenticate: Bearer).",
    "403": "The token's role does not allow adding evidence (viewers).",
    "404": "No such project or evidence in the token's workspace, or evidence without a file.",
    "413": "The file is larger than the site's limit (MAX_UPLOAD_MB, 25 MB by default); nothing is stored.",
    "415": "The body is not multipart/form-data or form fields, or the file's type is not accepted or its "
    "content does not match its name; the message says which.",
    "422": "A field is missing or invalid; `fields` says which.",
}


def _closed(properties: dict[str, Schema]) -> Schema:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _item_schema() -> Schema:
    return _closed(
        {
            "id": {"type": "integer"},
            "project_id": {"type": "integer"},
            "kind": {"type": "string", "enum": ["file", "link", "note"]},
            "title": STRING,
            "clause": {**NULLABLE_STRING, "description": "The requirement, e.g. 7.1.5.1."},
            "task_id": NULLABLE_INTEGER,
            "url": {**STRING, "description": "For a link; empty otherwise."},
            "note": {**STRING, "description": "For a note; empty otherwise."},
            "valid_until": {"type": ["string", "null"], "format": "date"},
            "review_state": {"type": "string", "enum": list(ReviewState)},
            "reviewer_comment": STRING,
            "added_by": NULLABLE_STRING,
            "created_at": {"type": "string", "format": "date-time"},
            "version": {
                **NULLABLE_INTEGER,
                "description": "The latest file version; null for links and notes.",
            },
            "filename": {
                **NULLABLE_STRING,
                "description": "The sanitised name the file is downloaded under.",
            },
            "content_type": {**NULLABLE_STRING, "description": "Decided from the content, not the name."},
            "size": {**NULLABLE_INTEGER, "description": "Bytes."},
            "sha256": {**NULLABLE_STRING, "description": "SHA-256 of the stored bytes, hex."},
            "download_url": NULLABLE_STRING,
        }
    )


def _upload_schema() -> Schema:
    return {
        "type": "object",
        "description": "Exactly one of file, url or note; a clause, a task or both.",
        "properties": {
            "title": {"type": "string", "maxLength": TITLE_MAX_LENGTH},
            "file": {
                "type": "string",
                "contentMediaType": "application/octet-stream",
                "description": f"Accepted: .{', .'.join(ALLOWED)}, checked on content; not empty.",
            },
            "url": {"type": "string", "maxLength": URL_MAX_LENGTH, "description": "http or https only."},
            "note": {"type": "string", "maxLength": NOTE_MAX_LENGTH},
            "clause": {
                "type": "string",
                "description": "A requirement of the project's standard, e.g. 7.1.5.1.",
            },
            "task": {"type": "integer", "description": "A task id of the project."},
            "valid_until": {"type": "string", "format": "date"},
        },
        "required": ["title"],
        "additionalProperties": False,
    }


def evidence_schemas() -> dict[str, Schema]:
    page = _closed(
        {
            "items": {"type": "array", "items": _ref("EvidenceItem")},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "total": {"type": "integer", "minimum": 0},
        }
    )
    return {"EvidenceItem": _item_schema(), "EvidenceList": page, "EvidenceUpload": _upload_schema()}


def _json(schema: Schema, description: str) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _refusals(*codes: str) -> dict[str, Schema]:
    return {code: _json(ERROR, REFUSALS[code]) for code in ("401", *codes)}


def _query(name: str, schema: Schema, description: str) -> Schema:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def _path_id(name: str) -> Schema:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def _list_operation() -> Schema:
    return {
        "operationId": "listEvidence",
        "summary": "The project's evidence (not deleted), newest first.",
        "parameters": [
            _path_id("project_id"),
            _query("clause", STRING, "Only evidence for this requirement, e.g. 7.1.5.1."),
            _query("task", {"type": "integer"}, "Only evidence for this task id."),
            _query("state", {"type": "string", "enum": list(ReviewState)}, "Only this review state."),
            _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}, "Page."),
            _query(
                "per_page",
                {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
                "Items per page.",
            ),
        ],
        "responses": {"200": _json(_ref("EvidenceList"), "One page of evidence."), **_refusals("404", "422")},
    }


def _create_operation() -> Schema:
    body = {"schema": _ref("EvidenceUpload")}
    return {
        "operationId": "createEvidence",
        "summary": "Add a file, a link or a note as draft evidence for a requirement and/or a task.",
        "parameters": [_path_id("project_id")],
        "requestBody": {
            "required": True,
            "content": {"multipart/form-data": body, "application/x-www-form-urlencoded": body},
        },
        "responses": {
            "201": _json(_ref("EvidenceItem"), "The evidence as stored, with the file's sha256 and size."),
            **_refusals("403", "404", "413", "415", "422"),
        },
    }


def evidence_paths() -> dict[str, Schema]:
    download = {
        "operationId": "downloadEvidence",
        "summary": "The exact bytes of the latest file version, as an attachment.",
        "parameters": [_path_id("evidence_id")],
        "responses": {
            "200": {
                "description": "The file, with its recorded content type, as an attachment.",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            },
            **_refusals("404"),
        },
    }
    return {
        f"{API_PREFIX}/projects/{{project_id}}/evidence": {
            "get": _list_operation(),
            "post": _create_operation(),
        },
        f"{API_PREFIX}/evidence/{{evidence_id}}/download": {"get": download},
    }
