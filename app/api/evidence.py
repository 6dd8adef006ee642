"""The evidence API, nested in the API's project blueprint (same bearer tokens, same JSON errors):

- ``POST /api/v1/projects/<id>/evidence``: multipart with one of ``file``, ``url`` or ``note``, plus
  ``title`` and optionally ``clause``, ``task`` and ``valid_until``; 201 with the item and its ``sha256``.
- ``GET /api/v1/projects/<id>/evidence``: the project's evidence, a page at a time.

The download of a file (``GET /api/v1/evidence/<id>/download``) names no project: see
:mod:`app.api.routes`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Blueprint, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from app.api import ApiError
from app.api.requests import choice_param, page_params
from app.api.responses import iso, timestamp
from app.api.schemas import ISO_DATE
from app.domain.evidence_rules import STATE_LABELS, is_id
from app.domain.permissions import Action
from app.domain.text import _
from app.models import EvidenceItem
from app.services import evidence as service
from app.services import evidence_queries as queries
from app.services.evidence import EvidenceRefused, NewEvidence, Upload
from app.services.evidence_queries import Filters
from app.web.access import current_scope, requires
from app.web.project_request import project

CONTENT_FIELDS = ("file", "url", "note")
FIELDS = ("title", "clause", "task", "valid_until", *CONTENT_FIELDS)
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")

bp = Blueprint("evidence", __name__)


def evidence_json(item: EvidenceItem) -> dict[str, Any]:
    latest = queries.latest_version(item)
    return {
        "id": item.id,
        "project_id": item.project_id,
        "kind": item.kind,
        "title": item.title,
        "clause": item.clause.number if item.clause else None,
        "task_id": item.task_id,
        "url": item.url,
        "note": item.note,
        "valid_until": iso(item.valid_until),
        "review_state": item.review_state,
        "reviewer_comment": item.reviewer_comment,
        "added_by": item.added_by.name if item.added_by else None,
        "created_at": timestamp(item.created_at),
        "version": latest.number if latest else None,
        "filename": latest.filename if latest else None,
        "content_type": latest.content_type if latest else None,
        "size": latest.size if latest else None,
        "sha256": latest.sha256 if latest else None,
        "download_url": url_for("api.download_evidence", evidence_id=item.id) if latest else None,
    }


def _optional_int(value: str | None, name: str) -> int | None:
    if not value:
        return None
    if not is_id(value):
        message = _("%(name)s must be a task id (a whole number).", name=name)
        raise ApiError(422, message, {name: _("Not a whole number.")})
    return int(value)


def _optional_date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        message = _("%(name)s must be an ISO date (YYYY-MM-DD).", name=name)
        raise ApiError(422, message, {name: _("Not a date.")}) from None


def _form_parts() -> tuple[Mapping[str, str], Mapping[str, Any]]:
    if request.mimetype not in FORM_TYPES:
        raise ApiError(415, _("Send the evidence as multipart/form-data (a file) or as form fields."))
    try:
        return request.form, request.files
    except RequestEntityTooLarge:
        raise ApiError(413, service.too_large_message()) from None


def evidence_request() -> NewEvidence:
    """The posted evidence, checked for shape; what it refers to is checked by the service."""
    form, files = _form_parts()
    unknown = sorted((set(form) | set(files)) - set(FIELDS))
    if unknown:
        message = _(
            "Unknown field %(unknown)s. Fields you may send: %(fields)s.",
            unknown=", ".join(unknown),
            fields=", ".join(FIELDS),
        )
        raise ApiError(422, message, dict.fromkeys(unknown, _("Unknown field.")))
    if "file" in form:
        raise ApiError(422, _("Send file as a file part of a multipart body."), {"file": _("Not a file.")})
    sent = [name for name in CONTENT_FIELDS if files.get(name) or form.get(name, "").strip()]
    if len(sent) != 1:
        one = _("Send exactly one of file, url or note.")
        raise ApiError(422, one, dict.fromkeys(CONTENT_FIELDS, one))
    upload = files.get("file")
    return NewEvidence(
        kind=sent[0] if sent[0] != "url" else "link",
        title=form.get("title", "").strip(),
        clause=form.get("clause", "").strip() or None,
        task_id=_optional_int(form.get("task"), "task"),
        valid_until=_optional_date(form.get("valid_until"), "valid_until"),
        url=form.get("url", "").strip(),
        note=form.get("note", "").strip(),
        upload=Upload(upload.filename or "", upload.stream) if upload else None,
    )


def _page_params(args: Mapping[str, str]) -> tuple[int, int]:
    # requests.page_params trusts str.isdigit(), which "²" passes and int() then refuses.
    for name in ("page", "per_page"):
        if name in args and not is_id(args[name]):
            raise ApiError(
                422, _("%(name)s must be a whole number.", name=name), {name: _("Not a whole number.")}
            )
    return page_params(args)


def evidence_filters(args: Mapping[str, str]) -> Filters:
    state = choice_param(args, "state", STATE_LABELS) if args.get("state") else None  # "": no filter
    return Filters(
        clause=args.get("clause") or None, task_id=_optional_int(args.get("task"), "task"), state=state
    )


@bp.post("/evidence")
@requires(Action.EDIT_CONTENT)
def create_evidence() -> Any:
    new = evidence_request()
    try:
        item = service.create_item(current_scope(), project(), new)
    except EvidenceRefused as refused:
        raise ApiError(refused.status, str(refused), refused.errors) from None
    return evidence_json(item), 201


@bp.get("/evidence")
def list_evidence() -> Any:
    filters = evidence_filters(request.args)
    page, per_page = _page_params(request.args)
    items, total = queries.evidence_page(project(), filters, page, per_page)
    return {"items": [evidence_json(i) for i in items], "page": page, "per_page": per_page, "total": total}
