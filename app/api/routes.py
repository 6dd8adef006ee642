"""The API blueprint under /api/v1: token authentication, JSON errors, and the routes that name no project
(the project list, the OpenAPI document, an evidence file by id). Everything under ``/projects/<id>`` is in
:mod:`app.api.project` and the blueprints nested in it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from werkzeug.exceptions import HTTPException, default_exceptions

from app.api import (
    API_PREFIX,
    ApiError,
    handle_api_error,
    handle_http_error,
    handle_service_error,
    openapi,
    responses,
)
from app.api.auth import load_token_scope
from app.api.requests import page_params
from app.domain.text import _
from app.extensions import csrf, talisman
from app.services import evidence_queries as queries
from app.services import project_list
from app.services.errors import NotFound, ServiceError
from app.web.access import current_scope
from app.web.download import DOWNLOAD_CSP, send_version

bp = Blueprint("api", __name__, url_prefix=API_PREFIX)
csrf.exempt(bp)  # authenticated by a bearer token, never by the session cookie
bp.before_request(load_token_scope)
bp.register_error_handler(ApiError, handle_api_error)
bp.register_error_handler(ServiceError, handle_service_error)
# By status code: Flask prefers the app's handler for a code over a blueprint's HTTPException handler.
for _code in default_exceptions:
    bp.register_error_handler(_code, handle_http_error)
bp.register_error_handler(HTTPException, handle_http_error)


@bp.get("/projects")
def list_projects() -> Any:
    page, per_page = page_params(request.args)
    rows, total = project_list.project_page(current_scope(), page, per_page)
    return {
        "items": [responses.project_summary(row) for row in rows],
        "page": page,
        "per_page": per_page,
        "total": total,
    }


@bp.get("/evidence/<int:evidence_id>/download")
@talisman(content_security_policy=DOWNLOAD_CSP)
def download_evidence(evidence_id: int) -> Any:
    item = queries.live_item(current_scope(), evidence_id)
    latest = queries.latest_version(item)
    if latest is None:
        raise NotFound(
            _("Evidence %(id)d is a %(kind)s: it has no file to download.", id=item.id, kind=item.kind)
        )
    return send_version(latest)


@bp.get("/openapi.json")
def openapi_document() -> Any:
    return openapi.shared_document()
