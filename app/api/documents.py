"""The document register's API, nested in the API's project blueprint (same bearer tokens, same JSON
errors); the rules are :mod:`app.domain.documents`, the loads and saves :mod:`app.services.documents`:

- ``GET /api/v1/projects/<id>/documents``: the master list, a page at a time, filtered by ``type``,
  ``status`` and ``clause``; ``POST`` adds a document (JSON).
- ``GET .../documents/<document_id>``: one document with its revisions; ``POST .../revisions`` adds a
  revision with its file (multipart), as a draft or straight into review.
- ``POST .../revisions/<revision_id>/submit`` and ``.../approve``: the revision's workflow (four eyes);
  ``GET .../revisions/<revision_id>/download``: its file.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Blueprint, request, url_for
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from app.api import ApiError
from app.api.document_schemas import DocumentCreate, RevisionApproval
from app.api.requests import _field_errors, _json_object, choice_param, explained, page_params
from app.api.responses import iso, timestamp
from app.domain import documents as rules
from app.domain.permissions import Action
from app.domain.text import _
from app.extensions import db, talisman
from app.models import ControlledDocument, DocumentRevision, User
from app.services import document_register as register
from app.services import documents as service
from app.services import evidence
from app.services.documents import DocumentFields, NewRevision, UploadRefused
from app.services.errors import Invalid
from app.services.evidence import Upload
from app.web.access import current_scope, requires
from app.web.download import DOWNLOAD_CSP, send_version
from app.web.project_request import project

UPLOAD_FIELDS = ("label", "change_note", "submit", "file")
# The service's name of a field where the API's differs.
API_FIELD_NAMES = {"doc_type": "type"}
TRUE, FALSE = ("true", "1", "on", "yes"), ("false", "0", "off", "no", "")

bp = Blueprint("documents", __name__)


# Answers


def _url(endpoint: str, **values: Any) -> str:
    return url_for(f"api.project.documents.{endpoint}", project_id=project().id, **values)


def _person(user_id: int | None) -> str | None:
    # By id rather than the relationship: one the service just set is not loaded on the revision yet.
    user = db.session.get(User, user_id) if user_id is not None else None
    return user.name if user else None


def _when(value: Any) -> str | None:
    return timestamp(value) if value is not None else None


def revision_json(revision: DocumentRevision) -> dict[str, Any]:
    return {
        "id": revision.id,
        "document_id": revision.document_id,
        "label": revision.label,
        "change_note": revision.change_note,
        "state": revision.state,
        "filename": revision.filename,
        "content_type": revision.content_type,
        "size": revision.size,
        "sha256": revision.sha256,
        "uploaded_by": _person(revision.uploaded_by_id),
        "uploaded_at": timestamp(revision.created_at),
        "submitted_by": _person(revision.submitted_by_id),
        "submitted_at": _when(revision.submitted_at),
        "approved_by": _person(revision.approved_by_id),
        "approved_at": _when(revision.approved_at),
        "effective_on": iso(revision.effective_on),
        "self_approved": revision.self_approved,
        "superseded_at": _when(revision.superseded_at),
        "download_url": _url("download_revision", revision_id=revision.id),
    }


def summary_json(row: register.RegisterRow) -> dict[str, Any]:
    pending = {"label": row.pending_label, "state": row.pending_state} if row.pending_label else None
    return {
        "id": row.id,
        "code": row.code,
        "title": row.title,
        "type": row.doc_type,
        "owner": row.owner,
        "status": row.status,
        "current_revision": row.current_label,
        "pending_revision": pending,
        "review_due": iso(row.review_due),
        "clauses": list(row.clauses),
        "url": _url("show_document", document_id=row.id),
    }


def register_row(document: ControlledDocument, today: date) -> register.RegisterRow:
    """The document as a line of the master list, from its loaded revisions (what register_page reads
    in SQL for many documents)."""
    states = {r.state for r in document.revisions}
    current = service.current_revision(document)
    waiting = (rules.RevisionState.DRAFT, rules.RevisionState.IN_REVIEW)
    pending = next((r for r in reversed(document.revisions) if r.state in waiting), None)
    return register.RegisterRow(
        id=document.id,
        code=document.code,
        title=document.title,
        doc_type=document.doc_type,
        owner=document.owner,
        status=register.row_status(
            document.status,
            rules.RevisionState.APPROVED in states,
            rules.RevisionState.IN_REVIEW in states,
            document.review_due,
            today,
        ),
        current_label=current.label if current else None,
        pending_label=pending.label if pending else None,
        pending_state=pending.state if pending else None,
        review_due=document.review_due,
        clauses=tuple(c.number for c in document.clauses),
    )


def document_json(document: ControlledDocument, today: date) -> dict[str, Any]:
    return summary_json(register_row(document, today)) | {
        "review_months": document.review_months,
        "retention_months": document.retention_months,
        "used_where": document.used_where,
        "notes": document.notes,
        "withdrawn_reason": document.withdrawn_reason,
        "revisions": [revision_json(r) for r in document.revisions],
    }


# Requests


def register_filters(args: Mapping[str, str]) -> register.RegisterFilters:
    return register.RegisterFilters(
        doc_type=choice_param(args, "type", list(rules.DocumentType)),
        status=choice_param(args, "status", register.STATUS_FILTERS),
        clause=args.get("clause") or None,
        sort=choice_param(args, "sort", list(register.SORTS)) or "code",
        descending=choice_param(args, "order", ("asc", "desc")) == "desc",
    )


def _explained(invalid: Invalid) -> Invalid:
    return explained(invalid, API_FIELD_NAMES)


def _body(model: type[BaseModel], optional: bool = False) -> Any:
    """A JSON body read with ``model``; with ``optional``, no body at all is an empty object."""
    if optional and not request.is_json and not request.get_data(cache=True):
        return model()
    try:
        return model.model_validate(_json_object(request))
    except ValidationError as error:
        fields = _field_errors(error)
        message = " ".join(f"{name}: {text}" for name, text in fields.items())
        if any(name not in model.model_fields for name in fields):
            message += " " + _("Fields you may send: %(fields)s.", fields=", ".join(model.model_fields))
        raise ApiError(422, message, fields) from None


def document_fields(body: DocumentCreate) -> DocumentFields:
    return DocumentFields(
        code=body.code,
        title=body.title,
        doc_type=body.type,
        clauses=body.clauses,
        owner=body.owner,
        review_months=body.review_months,
        retention_months=body.retention_months,
        used_where=body.used_where,
        notes=body.notes,
    )


def _flag(value: str, name: str) -> bool:
    if value.strip().lower() not in TRUE + FALSE:
        raise ApiError(422, _("%(name)s must be true or false.", name=name), {name: _("Not true or false.")})
    return value.strip().lower() in TRUE


def revision_request() -> NewRevision:
    """The posted revision, checked for shape; the label, note and file are checked by the service."""
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, _("Send the revision as multipart/form-data, with its file in the part file."))
    try:
        form, files = request.form, request.files
    except RequestEntityTooLarge:
        raise ApiError(413, evidence.too_large_message()) from None
    unknown = sorted((set(form) | set(files)) - set(UPLOAD_FIELDS))
    if unknown:
        message = _(
            "Unknown field %(unknown)s. Fields you may send: %(fields)s.",
            unknown=", ".join(unknown),
            fields=", ".join(UPLOAD_FIELDS),
        )
        raise ApiError(422, message, dict.fromkeys(unknown, _("Unknown field.")))
    if "file" in form:
        raise ApiError(422, _("Send file as a file part of a multipart body."), {"file": _("Not a file.")})
    upload = files.get("file")
    return NewRevision(
        label=form.get("label", ""),
        change_note=form.get("change_note", ""),
        upload=Upload(upload.filename or "", upload.stream) if upload else None,
        submit=_flag(form.get("submit", ""), "submit"),
    )


# Views


@bp.get("/documents")
def list_documents() -> Any:
    filters = register_filters(request.args)
    page, per_page = page_params(request.args)
    rows, total = register.register_page(project().id, filters, page, per_page, date.today())
    return {"items": [summary_json(r) for r in rows], "page": page, "per_page": per_page, "total": total}


@bp.post("/documents")
@requires(Action.EDIT_CONTENT)
def create_document() -> Any:
    fields = document_fields(_body(DocumentCreate))
    try:
        document = service.create_document(current_scope(), project(), fields)
    except Invalid as invalid:
        raise _explained(invalid) from None
    return document_json(document, date.today()), 201


@bp.get("/documents/<int:document_id>")
def show_document(document_id: int) -> Any:
    return document_json(service.document_in(current_scope(), project(), document_id), date.today())


@bp.post("/documents/<int:document_id>/revisions")
@requires(Action.EDIT_CONTENT)
def create_revision(document_id: int) -> Any:
    document = service.document_in(current_scope(), project(), document_id)
    new = revision_request()
    try:
        revision = service.add_revision(current_scope(), document, new)
    except UploadRefused as refused:
        raise ApiError(refused.status, " ".join(refused.fields.values()), refused.fields) from None
    except Invalid as invalid:
        raise _explained(invalid) from None
    return revision_json(revision), 201


@bp.post("/revisions/<int:revision_id>/submit")
@requires(Action.EDIT_CONTENT)
def submit_revision(revision_id: int) -> Any:
    revision = service.revision_by_id(current_scope(), project(), revision_id)
    service.act(current_scope(), revision.document, revision, rules.RevisionAction.SUBMIT)
    return revision_json(revision)


@bp.post("/revisions/<int:revision_id>/approve")
@requires(Action.REVIEW)
def approve_revision(revision_id: int) -> Any:
    revision = service.revision_by_id(current_scope(), project(), revision_id)
    body: RevisionApproval = _body(RevisionApproval, optional=True)
    service.act(
        current_scope(),
        revision.document,
        revision,
        rules.RevisionAction.APPROVE,
        comment=body.comment,
        effective_on=body.effective_on,
    )
    return revision_json(revision)


@bp.get("/revisions/<int:revision_id>/download")
@talisman(content_security_policy=DOWNLOAD_CSP)
def download_revision(revision_id: int) -> Any:
    return send_version(service.revision_by_id(current_scope(), project(), revision_id))
