"""The OpenAPI 3.1 document of /api/v1: its schemas are generated from the pydantic models of
:mod:`app.api.schemas` (the PATCH body's is the model the API validates with), its paths from the table of
:data:`OPERATIONS` below and the ``OPERATIONS`` of each area's own module (:data:`AREA_MODULES`: audits,
findings, management reviews and objectives), which build theirs with :class:`Operation`, :func:`query` and
:func:`paging` from here and name their path parameters in their ``PATH_PARAMETERS``.

A test checks that the documented paths and methods are exactly the API's routes.
"""

from __future__ import annotations

import copy
import importlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import core_schema

from app.api import API_PREFIX
from app.api import document_schemas as d
from app.api import schemas as s
from app.api import training_schemas as t
from app.domain.documents import DocumentType
from app.domain.evidence_rules import ReviewState
from app.domain.file_types import ALLOWED
from app.domain.ids import MAX_ID
from app.domain.readiness import ClauseStatus
from app.services.document_register import SORTS, STATUS_FILTERS
from app.services.training_matrix import STATE_FILTERS as MATRIX_STATES

Schema = dict[str, Any]
REF_TEMPLATE = "#/components/schemas/{model}"
JSON = "application/json"

REFUSALS = {
    "400": "The body is not valid JSON.",
    "401": "No token, or a token that is unknown or revoked (with WWW-Authenticate: Bearer).",
    "403": "The token's role does not allow this.",
    "404": "No such object in the token's workspace (another workspace's ids are not found either).",
    "413": "The file is larger than the site's limit (MAX_UPLOAD_MB, 25 MB by default); nothing is stored.",
    "409": "Someone else saved the same record at the same moment; nothing of this request was saved.",
    "412": "If-Match names a version the record no longer has: GET it again, then send your change.",
    "406": "The Accept header takes none of the formats this answer comes in.",
    "415": "The body is not sent as JSON.",
    "422": "A parameter or field is invalid; `fields` says which.",
}
ETAG_HEADER = {
    "ETag": {
        "description": "The version of what was answered; send it back in If-Match to change it safely.",
        "schema": {"type": "string"},
    }
}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "The ETag of the version your change is based on; a stale one is answered 412.",
    "schema": {"type": "string"},
}
EVIDENCE_REFUSALS = {
    "403": "The token's role does not allow adding evidence (viewers).",
    "404": "No such project or evidence in the token's workspace, or evidence without a file.",
    "415": "The body is not multipart/form-data or form fields, or the file's type is not accepted or its "
    "content does not match its name; the message says which.",
    "422": "A field is missing or invalid; `fields` says which.",
}
DOCUMENT_REFUSALS = {
    "403": "The token's role does not allow this: viewers change nothing, and approving needs the owner, "
    "consultant or client manager role and someone other than who uploaded or submitted the revision, "
    "unless the workspace has a single member (four eyes).",
    "404": "No such project, document or revision in the token's workspace.",
    "409": "The revision or its document is not in a state that allows this: only a draft is submitted, "
    "only a revision in review is approved (not a superseded or approved one), and a withdrawn document "
    "changes no more; the message says why.",
    "422": "A parameter or field is invalid (a code another document has, a requirement the standard does "
    "not have, a revision without a file...); `fields` says which.",
}
REVISION_UPLOAD_REFUSALS = DOCUMENT_REFUSALS | {
    "415": "The body is not multipart/form-data, or the file's type is not accepted or its content does "
    "not match its name; the message says which.",
}
TRAINING_REFUSALS = {
    "403": "The token's role does not allow recording training (viewers).",
    "404": "No such project in the token's workspace; for a training record, also a requirement of "
    "another project, a person of another site or workspace or who has left, or a revision of another "
    "document.",
    "422": "A parameter or field is invalid (a date in the future or before an attendee started, no "
    "attendee, an unknown method, a document with no approved revision...); `fields` says which.",
}
# A stored file is sent with the content type recorded for it, one of the accepted types.
FILE_CONTENT = {
    content_type: {"schema": {"type": "string", "format": "binary"}}
    for content_type in dict.fromkeys(t.content_type for t in ALLOWED.values())
}
PATH_PARAMETERS: dict[str, Schema] = {
    "project_id": {"schema": {"type": "integer"}},
    "evidence_id": {"schema": {"type": "integer"}},
    "document_id": {"schema": {"type": "integer"}},
    "revision_id": {"schema": {"type": "integer"}},
    "clause": {
        "description": "A requirement's clause number, e.g. 7.1.5.1.",
        "schema": {"type": "string", "pattern": s.NO_NUL},
    },
}


class DocumentSchema(GenerateJsonSchema):
    """pydantic's JSON Schema without a title per property (the name says it) and without defaults: a
    field left out of a PATCH keeps its value rather than taking a default."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> Schema:
        return self.generate_inner(schema["schema"])


def query(name: str, schema: Schema, description: str = "") -> Schema:
    parameter = {"name": name, "in": "query", "required": False, "schema": schema}
    return parameter | ({"description": description} if description else {})


def paging(what: str) -> tuple[Schema, ...]:
    return (
        query("page", {"type": "integer", "minimum": 1, "maximum": s.MAX_PAGE, "default": 1}, "Page number."),
        query(
            "per_page",
            {"type": "integer", "minimum": 1, "maximum": s.MAX_PER_PAGE, "default": s.DEFAULT_PER_PAGE},
            f"{what} per page.",
        ),
    )


STAFF_FILTERS = (
    query("department", {"type": "string", "pattern": s.NO_NUL}, "Only this department (exact name)."),
    query("job_role", {"type": "string", "pattern": s.NO_NUL}, "Only this job role (exact name)."),
)


@dataclass(frozen=True)
class Operation:
    """One method on one path. ``answer`` is the model of the success body (JSON) unless ``content`` gives
    the body otherwise; ``refusals`` are the error statuses besides 401, described by ``REFUSALS`` unless
    ``notes`` says more for this operation."""

    method: str
    path: str
    operation_id: str
    summary: str
    answer: type[BaseModel] | None
    described: str
    refusals: tuple[str, ...] = ()
    parameters: tuple[Schema, ...] = ()
    body: type[BaseModel] | None = None
    body_types: tuple[str, ...] = (JSON,)
    body_required: bool = True
    status: int = 200
    content: Schema | None = None
    notes: Mapping[str, str] = field(default_factory=dict)
    public: bool = False
    etag: bool = False  # the answer carries an ETag (single objects)


PROJECT = "/projects/{project_id}"
OPERATIONS = (
    Operation("get", "/projects", "listProjects",
              "The workspace's projects with current stage and readiness, by id.",
              s.ProjectList, "One page of projects.", ("422",), paging("Projects")),
    Operation("get", PROJECT, "getProject",
              "A project's stages, exit criteria, readiness and evidence coverage.",
              s.ProjectDetail, "The project.", ("404",), etag=True),
    Operation("get", f"{PROJECT}/requirements", "listRequirements",
              "Every requirement (leaf clause) of the project's standard and its verdict.",
              s.RequirementList, "The requirements in catalog order.", ("404", "422"),
              (query("section", {"type": "string"}, "Only this section, e.g. 7."),
               query("status", {"type": "string", "enum": list(ClauseStatus)}))),
    Operation("get", f"{PROJECT}/requirements/{{clause}}", "getRequirement",
              "One requirement of the project's standard and its verdict (as an item of the list).",
              s.Requirement, "The requirement.", ("404",), etag=True),
    Operation("patch", f"{PROJECT}/requirements/{{clause}}", "updateRequirement",
              "Set a requirement's status, notes, owner, due date or justification; send the ETag you read "
              "in If-Match so that a change made meanwhile by someone else is never overwritten.",
              s.Requirement, "The requirement as saved.", ("400", "403", "404", "409", "412", "415", "422"),
              (IF_MATCH,), body=s.RequirementPatch, etag=True),
    Operation("get", f"{PROJECT}/budget", "getBudget",
              "A project's budget lines with planned, actual, variance and percent spent by stage, by "
              "category and in total, and the forecast at completion; amounts as decimal strings.",
              s.Budget, "The budget.", ("404",)),
    Operation("get", f"{PROJECT}/history", "getReadinessHistory",
              "A project's daily readiness snapshots, oldest first: recorded when a verdict changes and "
              "each day by `flask snapshot-readiness`.",
              s.History, "The recorded days.", ("404",)),
    Operation("get", f"{PROJECT}/evidence", "listEvidence",
              "The project's evidence (not deleted), newest first.",
              s.EvidenceList, "One page of evidence.", ("404", "422"),
              (query("clause", {"type": "string", "pattern": s.NO_NUL},
                     "Only evidence for this requirement, e.g. 7.1.5.1."),
               query("task", {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                     "Only evidence for this task id."),
               query("state", {"type": "string", "enum": list(ReviewState)}, "Only this review state."),
               *paging("Items")),
              notes=EVIDENCE_REFUSALS),
    Operation("post", f"{PROJECT}/evidence", "createEvidence",
              "Add a file, a link or a note as draft evidence for a requirement and/or a task.",
              s.EvidenceItem, "The evidence as stored, with the file's sha256 and size.",
              ("403", "404", "413", "415", "422"), body=s.EvidenceUpload,
              body_types=("multipart/form-data", "application/x-www-form-urlencoded"), status=201,
              notes=EVIDENCE_REFUSALS),
    Operation("get", "/evidence/{evidence_id}/download", "downloadEvidence",
              "The exact bytes of the latest file version, as an attachment.",
              None, "The file, with its recorded content type, as an attachment.", ("404",),
              content=FILE_CONTENT,
              notes=EVIDENCE_REFUSALS),
    Operation("get", f"{PROJECT}/documents", "listDocuments",
              "The project's document register (the master list), by code unless sorted otherwise.",
              d.DocumentList, "One page of documents.", ("404", "422"),
              (query("type", {"type": "string", "enum": list(DocumentType)}, "Only documents of this type."),
               query("status", {"type": "string", "enum": list(STATUS_FILTERS)}, d.STATUS_DESCRIPTION),
               query("clause", {"type": "string", "pattern": s.NO_NUL},
                     "Only documents linked to this requirement, e.g. 7.5.1."),
               query("sort", {"type": "string", "enum": list(SORTS), "default": "code"},
                     "review: by next review date, documents never approved last."),
               query("order", {"type": "string", "enum": ["asc", "desc"], "default": "asc"}),
               *paging("Documents")),
              notes=DOCUMENT_REFUSALS),
    Operation("post", f"{PROJECT}/documents", "createDocument",
              "Add a document to the register; then post its revisions with their files.",
              d.DocumentDetail, "The document as stored, with no revision yet.",
              ("400", "403", "404", "415", "422"), body=d.DocumentCreate, status=201,
              notes=DOCUMENT_REFUSALS),
    Operation("get", f"{PROJECT}/documents/{{document_id}}", "getDocument",
              "One document of the register with all its revisions, oldest first.",
              d.DocumentDetail, "The document.", ("404",), notes=DOCUMENT_REFUSALS),
    Operation("post", f"{PROJECT}/documents/{{document_id}}/revisions", "createRevision",
              "Add a revision with its file, as a draft or (submit) straight into review; an approved "
              "revision's file never changes, so a change is a new revision.",
              d.Revision, "The revision as stored, with the file's sha256 and size.",
              ("403", "404", "409", "413", "415", "422"), body=d.RevisionUpload,
              body_types=("multipart/form-data",), status=201, notes=REVISION_UPLOAD_REFUSALS),
    Operation("post", f"{PROJECT}/revisions/{{revision_id}}/submit", "submitRevision",
              "Send a draft revision for approval.",
              d.Revision, "The revision, now in review.", ("403", "404", "409"), notes=DOCUMENT_REFUSALS),
    Operation("post", f"{PROJECT}/revisions/{{revision_id}}/approve", "approveRevision",
              "Approve a revision in review: it becomes the document's current revision, the one approved "
              "before is superseded, and the next review falls due one review interval from today.",
              d.Revision, "The revision, now approved, with who approved it and whether they approved "
              "their own (self_approved).", ("400", "403", "404", "409", "415", "422"),
              body=d.RevisionApproval, body_required=False, notes=DOCUMENT_REFUSALS),
    Operation("get", f"{PROJECT}/revisions/{{revision_id}}/download", "downloadRevision",
              "The exact bytes of a revision's file, as an attachment.",
              None, "The file, with its recorded content type, as an attachment.", ("404",),
              content=FILE_CONTENT,
              notes=DOCUMENT_REFUSALS),
    Operation("get", f"{PROJECT}/people", "listPeople",
              "The staff list of the project's site, by name (those who have left too, unless filtered).",
              t.PersonList, "One page of people.", ("404", "422"),
              (*STAFF_FILTERS,
               query("active", {"type": "string", "enum": ["true", "false"]},
                     "true: only the people still working at the site today; false: only those who left."),
               *paging("People")),
              notes=TRAINING_REFUSALS),
    Operation("get", f"{PROJECT}/training-matrix", "getTrainingMatrix",
              "The training matrix: the site's active people, the project's training requirements and "
              "every cell with its state, the latest training's date and the revision it was on.",
              t.TrainingMatrix, "The matrix as of today.", ("404", "422"),
              (*STAFF_FILTERS,
               query("state", {"type": "string", "enum": list(MATRIX_STATES)},
                     "Only the people with at least one cell in this state.")),
              notes=TRAINING_REFUSALS),
    Operation("post", f"{PROJECT}/training-records", "createTrainingRecord",
              "Record a training given to one or more people of the site at once (a topic, or a document "
              "on its current approved revision); each attendee's effectiveness check starts pending.",
              t.TrainingRecord, "The training as recorded, with its attendees.",
              ("400", "403", "404", "415", "422"), body=t.TrainingRecordCreate, status=201,
              notes=TRAINING_REFUSALS),
    Operation("get", "/openapi.json", "getOpenApiDocument", "This document.",
              None, "The OpenAPI document.", content={JSON: {"schema": {"type": "object"}}}, public=True),
)  # fmt: skip


# The areas that describe their own operations (imported when the document is built, so that they may
# import this module's helpers).
AREA_MODULES = (
    "app.api.activity_openapi",
    "app.api.audits_openapi",
    "app.api.findings_openapi",
    "app.api.reviews_openapi",
    "app.api.bodies_openapi",
    "app.api.sharing_openapi",
    "app.api.certification_openapi",
    "app.api.context_openapi",
    "app.api.risks_openapi",
    "app.api.equipment_openapi",
    "app.api.suppliers_openapi",
    "app.api.complaints_openapi",
    "app.api.satisfaction_openapi",
    "app.api.risk_files_openapi",
    "app.api.software_openapi",
    "app.api.audit_pack_openapi",
    "app.api.reports_openapi",
)


def _areas() -> list[Any]:
    return [importlib.import_module(name) for name in AREA_MODULES]


def all_operations() -> tuple[Operation, ...]:
    return (*OPERATIONS, *(op for area in _areas() for op in area.OPERATIONS))


def _path_parameter(name: str) -> Schema:
    known = dict(PATH_PARAMETERS)
    for area in _areas():
        known.update(area.PATH_PARAMETERS)
    return known[name]


def ref(model: type[BaseModel]) -> Schema:
    return {"$ref": REF_TEMPLATE.format(model=model.__name__)}


def _json(schema: Schema, description: str) -> Schema:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _path_parameters(path: str) -> list[Schema]:
    names = re.findall(r"\{(\w+)\}", path)
    return [{"name": name, "in": "path", "required": True, **_path_parameter(name)} for name in names]


def _operation(op: Operation) -> Schema:
    content = op.content
    if content is None and op.answer is not None:
        content = {JSON: {"schema": ref(op.answer)}}
    responses: Schema = {str(op.status): {"description": op.described, "content": content}}
    if op.etag:
        responses[str(op.status)]["headers"] = ETAG_HEADER
    for code in () if op.public else ("401", *op.refusals):
        responses[code] = _json(ref(s.Error), op.notes.get(code, REFUSALS[code]))
    built: Schema = {"operationId": op.operation_id, "summary": op.summary}
    parameters = [*_path_parameters(op.path), *op.parameters]
    if parameters:
        built["parameters"] = parameters
    if op.body is not None:
        body = {"schema": ref(op.body)}
        built["requestBody"] = {"required": op.body_required, "content": dict.fromkeys(op.body_types, body)}
    if op.public:
        built["security"] = []
    return built | {"responses": responses}


def paths() -> dict[str, Schema]:
    documented: dict[str, Schema] = {}
    for op in all_operations():
        documented.setdefault(API_PREFIX + op.path, {})[op.method] = _operation(op)
    # the lists that also answer as Excel or CSV files (?format=): their parameter and media types
    exports = importlib.import_module("app.api.exports_openapi")
    return exports.with_export_formats(documented)


def schemas() -> dict[str, Schema]:
    """Every model an operation names, and the models they contain, by name."""
    operations = all_operations()
    named = {model for op in operations for model in (op.answer, op.body) if model is not None} | {s.Error}
    found: dict[str, Schema] = {}
    for model in sorted(named, key=lambda m: m.__name__):
        schema = model.model_json_schema(ref_template=REF_TEMPLATE, schema_generator=DocumentSchema)
        found.update(schema.pop("$defs", {}))
        found[model.__name__] = schema
    return dict(sorted(found.items()))


@cache
def shared_document() -> Schema:
    """The document, built once per process and shared: read it, never change it (``document()`` gives a copy
    to change)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Readiness API",
            "version": "1.0.0",
            "description": "Read a workspace's certification projects, record gap-analysis verdicts, add "
            "evidence, keep the document register, read the staff list and the training matrix, and record "
            "training. "
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


def document() -> Schema:
    """The document (built once per process: nothing in it changes while the app runs); a copy, so a
    caller may change it."""
    return copy.deepcopy(shared_document())
