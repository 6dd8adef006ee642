"""The API's parent of everything under ``/api/v1/projects/<id>``: the project is loaded once, scoped by the
token, into ``g.project`` (the same loader as the pages); the project itself and its requirements are here,
its budget, evidence, history and document register in the blueprints nested in :data:`bp`."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, jsonify, request

from app.api import ApiError, responses
from app.api.requests import merged_verdict, requirement_changes, requirement_filters
from app.domain.permissions import Action
from app.domain.text import _
from app.services import assessments, pathway, project_status
from app.services.errors import Invalid, NotFound
from app.web.access import requires
from app.web.project_request import load_project, project, take_project_id

bp = Blueprint("project", __name__, url_prefix="/projects/<int:project_id>")


bp.url_value_preprocessor(take_project_id)
bp.before_request(load_project)  # the token's scope was set by the api blueprint's hook, which runs first


def _requirement(clause: str) -> assessments.Requirement:
    found = assessments.requirement(project(), clause)
    if found is None:
        raise NotFound(_("No requirement %(clause)s in this project's standard.", clause=clause))
    return found


def _with_etag(body: dict[str, Any], etag: str | None = None) -> Response:
    """The answer with its ETag (the record's version, or a digest of the body), conditional on
    If-None-Match: an unchanged object is answered 304 with no body."""
    response = jsonify(body)
    if etag is None:
        response.add_etag()
    else:
        response.set_etag(etag)
    return response.make_conditional(request)


def _requirement_etag(found: assessments.Requirement) -> str:
    return f"v{found.assessment.version}"


@bp.get("")
def show() -> Any:
    overview = pathway.project_overview(project(), date.today(), with_next_steps=False)  # not in the body
    status = project_status.status_of(project(), date.today())
    return _with_etag(responses.project_detail(overview, status))


@bp.get("/requirements")
def list_requirements() -> Any:
    section, status = requirement_filters(request.args, project().standard)
    rows = assessments.requirements(project(), section, status)
    return {"items": [responses.requirement(row) for row in rows], "total": len(rows)}


@bp.get("/requirements/<clause>")
def show_requirement(clause: str) -> Any:
    found = _requirement(clause)
    return _with_etag(responses.requirement(found), _requirement_etag(found))


@bp.patch("/requirements/<clause>")
@requires(Action.EDIT_CONTENT)
def update_requirement(clause: str) -> Any:
    found = _requirement(clause)
    if request.if_match and not request.if_match.contains(_requirement_etag(found)):
        raise ApiError(
            412,
            _(
                'Requirement %(clause)s changed since you read it (its ETag is now "%(etag)s"): '
                "GET it again, then send your change.",
                clause=clause,
                etag=_requirement_etag(found),
            ),
        )
    changes = requirement_changes(request)
    errors = assessments.update_requirement(project(), found, **merged_verdict(found.assessment, changes))
    if errors:
        raise Invalid(" ".join(errors.values()), errors)
    return _with_etag(responses.requirement(found), _requirement_etag(found))
