"""The OpenAPI document is consistent on its own: references resolve, refusals are documented."""

from __future__ import annotations

import json
from typing import Any

from app.api.openapi import REF_TEMPLATE, DocumentSchema, document
from app.api.schemas import RequirementPatch
from app.domain.assessment import DUE_DATE_YEARS_AHEAD, EARLIEST_DUE_DATE, OWNER_MAX_LENGTH, TEXT_MAX_LENGTH
from app.domain.documents import CODE_MAX_LENGTH, REVIEW_MONTHS, DocumentType, RevisionState
from app.domain.pathway import Stage
from app.domain.readiness import ClauseStatus
from app.domain.training import METHODS, RESULTS, CellState
from app.services.document_register import STATUS_FILTERS
from app.services.training_matrix import STATE_FILTERS
from app.services.training_records import DURATION_MINUTES, TRAINER_MAX_LENGTH
from tests.integration.register_walks import optional_bodies


def refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if "$ref" in node else set()
        return found.union(*(refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(refs(value) for value in node))
    return set()


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in document()["paths"].items() for method, op in ops.items()]


def test_the_document_is_plain_json():
    doc = document()
    assert json.loads(json.dumps(doc)) == doc
    assert doc["openapi"] == "3.1.0"


def test_every_reference_resolves_and_every_schema_is_used():
    doc = document()
    schemas = doc["components"]["schemas"]
    used = {ref.removeprefix("#/components/schemas/") for ref in refs(doc)}
    assert all(ref.startswith("#/components/schemas/") for ref in refs(doc))
    assert used == set(schemas)


def test_every_operation_but_the_document_needs_the_bearer_token():
    doc = document()
    assert doc["components"]["securitySchemes"] == {"bearerAuth": {"type": "http", "scheme": "bearer"}}
    assert doc["security"] == [{"bearerAuth": []}]
    public = [path for path, _, op in operations() if op.get("security") == []]
    assert public == ["/api/v1/openapi.json"]
    for path, _, op in operations():
        if path not in public:
            assert op["responses"]["401"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }


def test_operations_with_an_id_document_404_and_the_patch_documents_its_refusals():
    for path, method, op in operations():
        if "{" in path:
            assert "404" in op["responses"], f"{method} {path}"
        parameters = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
        assert parameters == {part[1:-1] for part in path.split("/") if part.startswith("{")}
    patch = document()["paths"]["/api/v1/projects/{project_id}/requirements/{clause}"]["patch"]
    assert {"400", "403", "404", "415", "422"} <= set(patch["responses"])


def test_enums_follow_the_domain():
    schemas = document()["components"]["schemas"]
    assert schemas["Requirement"]["properties"]["status"]["enum"] == list(ClauseStatus)
    assert schemas["Stage"]["properties"]["key"]["enum"] == list(Stage)
    assert set(schemas["RequirementPatch"]["properties"]) == {
        "status",
        "notes",
        "owner",
        "due_date",
        "justification",
    }


def test_the_patch_body_is_documented_by_the_model_the_api_validates_with():
    schema = document()["components"]["schemas"]["RequirementPatch"]
    generated = RequirementPatch.model_json_schema(ref_template=REF_TEMPLATE, schema_generator=DocumentSchema)
    assert schema == generated
    assert schema["additionalProperties"] is False
    assert "required" not in schema  # any of the fields; the ones left out keep their values
    properties = schema["properties"]
    assert all("default" not in value for value in properties.values())
    assert properties["status"]["enum"] == list(ClauseStatus)
    assert properties["owner"]["maxLength"] == OWNER_MAX_LENGTH
    assert properties["notes"]["maxLength"] == properties["justification"]["maxLength"] == TEXT_MAX_LENGTH
    assert EARLIEST_DUE_DATE.isoformat() in properties["due_date"]["description"]
    assert f"{DUE_DATE_YEARS_AHEAD} years" in properties["due_date"]["description"]


def test_every_answer_is_closed_and_lists_every_property_as_required():
    # Bodies sent, and error.fields
    with_optional_fields = {
        "RequirementPatch",
        "EvidenceUpload",
        "DocumentCreate",
        "RevisionUpload",
        "RevisionApproval",
        "TrainingRecordCreate",
        "ReviewCreate",
        "ReviewPatch",
        "OutputCreate",
        "ObjectiveCreate",
        "MeasurementCreate",
        "AuditCreate",
        "AuditPatch",
        "AuditTransition",
        "AuditLinePatch",
        "FindingCreate",
        "FindingPatch",
        "FindingTransition",
        "ExternalAuditCreate",
        "ExternalAuditPatch",
        "CertificateCreate",
        "CertificatePatch",
        "ShareLinkCreate",
        "BodyCreate",
        "BodyPatch",
        "QuoteCreate",
        "ErrorBody",
    } | optional_bodies()
    for name, schema in document()["components"]["schemas"].items():
        assert schema["additionalProperties"] is False, name
        if name not in with_optional_fields:
            assert schema["required"] == list(schema["properties"]), name
    assert document()["components"]["schemas"]["ErrorBody"]["required"] == ["status", "message"]


def test_the_document_is_built_once_and_handed_out_as_a_copy():
    first = document()
    first["paths"].clear()
    assert document()["paths"]


def test_the_document_register_follows_the_domain():
    doc = document()
    schemas = doc["components"]["schemas"]
    assert schemas["DocumentSummary"]["properties"]["type"]["enum"] == list(DocumentType)
    assert schemas["DocumentSummary"]["properties"]["status"]["enum"] == list(STATUS_FILTERS)
    assert schemas["Revision"]["properties"]["state"]["enum"] == list(RevisionState)
    create = schemas["DocumentCreate"]
    assert create["required"] == ["code", "title", "type", "clauses"]
    assert create["properties"]["code"]["maxLength"] == CODE_MAX_LENGTH
    review = create["properties"]["review_months"]
    assert (review["minimum"], review["maximum"]) == (REVIEW_MONTHS.start, REVIEW_MONTHS.stop - 1)
    assert schemas["RevisionUpload"]["required"] == ["label", "change_note", "file"]
    paths = doc["paths"]
    upload = paths["/api/v1/projects/{project_id}/documents/{document_id}/revisions"]["post"]
    assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]
    assert {"413", "415", "422"} <= set(upload["responses"])
    approve = paths["/api/v1/projects/{project_id}/revisions/{revision_id}/approve"]["post"]
    assert approve["requestBody"]["required"] is False  # no body approves, effective today
    assert {"403", "409"} <= set(approve["responses"])


def test_the_training_operations_follow_the_domain():
    doc = document()
    schemas = doc["components"]["schemas"]
    assert schemas["MatrixCell"]["properties"]["state"]["enum"] == list(CellState)
    assert set(schemas["StateCounts"]["properties"]) == set(CellState)
    assert schemas["TrainingRecord"]["properties"]["method"]["enum"] == list(METHODS)
    assert schemas["Attendee"]["properties"]["result"]["enum"] == list(RESULTS)
    create = schemas["TrainingRecordCreate"]
    assert create["required"] == ["requirement_id", "held_on", "method", "attendee_ids"]
    assert create["properties"]["method"]["enum"] == list(METHODS)
    assert create["properties"]["attendee_ids"]["minItems"] == 1
    assert create["properties"]["trainer"]["maxLength"] == TRAINER_MAX_LENGTH
    duration = create["properties"]["duration_minutes"]["anyOf"][0]
    assert (duration["minimum"], duration["maximum"]) == (DURATION_MINUTES.start, DURATION_MINUTES.stop - 1)
    paths = doc["paths"]
    matrix = paths["/api/v1/projects/{project_id}/training-matrix"]["get"]
    state = next(p for p in matrix["parameters"] if p["name"] == "state")
    assert state["schema"]["enum"] == list(STATE_FILTERS) and "not_required" not in state["schema"]["enum"]
    people = paths["/api/v1/projects/{project_id}/people"]["get"]
    assert {p["name"] for p in people["parameters"]} >= {"department", "job_role", "active", "page"}
    record = paths["/api/v1/projects/{project_id}/training-records"]["post"]
    assert {"201", "403", "404", "415", "422"} <= set(record["responses"])
    assert list(record["requestBody"]["content"]) == ["application/json"]
