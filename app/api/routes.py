"""The read API's URL map: thin views over the same services as the pages, scoped by the token."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, request
from werkzeug.exceptions import HTTPException, default_exceptions

from app.api import API_PREFIX, ApiError, handle_api_error, handle_http_error, openapi, serialise
from app.api.auth import load_token_scope
from app.domain.permissions import Action
from app.extensions import csrf, db
from app.models import CertificationProject
from app.services import assessments, pathway, summaries
from app.services.scope import Scope, current_scope, get_or_404_in

bp = Blueprint("api", __name__, url_prefix=API_PREFIX)
csrf.exempt(bp)  # authenticated by a bearer token, never by the session cookie
bp.before_request(load_token_scope)
bp.register_error_handler(ApiError, handle_api_error)
# By status code: Flask prefers the app's handler for a code over a blueprint's HTTPException handler.
for _code in default_exceptions:
    bp.register_error_handler(_code, handle_http_error)
bp.register_error_handler(HTTPException, handle_http_error)

MAX_ID = 2**31 - 1  # the id columns are 32-bit; a larger number is simply not found


def _project(scope: Scope, project_id: int) -> CertificationProject:
    if project_id > MAX_ID:
        raise ApiError(404, "No such project.")
    return get_or_404_in(scope, CertificationProject, project_id)


@bp.get("/projects")
def list_projects() -> Any:
    page, per_page = serialise.page_params(request.args)
    rows, total = summaries.project_page(current_scope(), page, per_page)
    return {
        "items": [serialise.project_summary(row) for row in rows],
        "page": page,
        "per_page": per_page,
        "total": total,
    }


@bp.get("/projects/<int:project_id>")
def show_project(project_id: int) -> Any:
    project = _project(current_scope(), project_id)
    return serialise.project_detail(pathway.project_overview(project, date.today()))


@bp.get("/projects/<int:project_id>/requirements")
def list_requirements(project_id: int) -> Any:
    project = _project(current_scope(), project_id)
    section, status = serialise.requirement_filters(request.args, project.standard)
    rows = assessments.requirements(project, section, status)
    return {"items": [serialise.requirement(row) for row in rows], "total": len(rows)}


@bp.patch("/projects/<int:project_id>/requirements/<clause>")
def update_requirement(project_id: int, clause: str) -> Any:
    scope = current_scope()
    project = _project(scope, project_id)
    if not scope.can(Action.EDIT_CONTENT):
        raise ApiError(403, "Your role in this workspace does not allow assessing requirements.")
    found = assessments.requirement(project, clause)
    if found is None:
        raise ApiError(404, f"No requirement {clause} in this project's standard.")
    changes = serialise.requirement_changes(request)
    errors = assessments.update_requirement(
        project, found, **serialise.merged_verdict(found.assessment, changes)
    )
    if errors:
        raise ApiError(422, " ".join(errors.values()), errors)
    db.session.commit()
    return serialise.requirement(found)


@bp.get("/openapi.json")
def openapi_document() -> Any:
    return openapi.document()
