"""The API's parent of everything under ``/api/v1/projects/<id>``: the project is loaded once, scoped by the
token, into ``g.project`` (the same loader as the pages); the project itself and its requirements are here,
its budget, evidence and history in the blueprints nested in :data:`bp`."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, g, request

from app.api import responses
from app.api.requests import merged_verdict, requirement_changes, requirement_filters
from app.domain.permissions import Action
from app.models import CertificationProject
from app.services import assessments, pathway
from app.services.errors import Invalid, NotFound
from app.services.projects import project_in
from app.web.access import current_scope, requires

bp = Blueprint("project", __name__, url_prefix="/projects/<int:project_id>")


@bp.url_value_preprocessor
def take_project_id(endpoint: str | None, values: dict[str, Any] | None) -> None:
    g.project_id = values.pop("project_id") if values else None


@bp.before_request
def load_project() -> None:
    g.project = project_in(current_scope(), g.project_id)


def project() -> CertificationProject:
    loaded: CertificationProject = g.project
    return loaded


def _requirement(clause: str) -> assessments.Requirement:
    found = assessments.requirement(project(), clause)
    if found is None:
        raise NotFound(f"No requirement {clause} in this project's standard.")
    return found


@bp.get("")
def show() -> Any:
    return responses.project_detail(pathway.project_overview(project(), date.today()))


@bp.get("/requirements")
def list_requirements() -> Any:
    section, status = requirement_filters(request.args, project().standard)
    rows = assessments.requirements(project(), section, status)
    return {"items": [responses.requirement(row) for row in rows], "total": len(rows)}


@bp.get("/requirements/<clause>")
def show_requirement(clause: str) -> Any:
    return responses.requirement(_requirement(clause))


@bp.patch("/requirements/<clause>")
@requires(Action.EDIT_CONTENT)
def update_requirement(clause: str) -> Any:
    found = _requirement(clause)
    changes = requirement_changes(request)
    errors = assessments.update_requirement(project(), found, **merged_verdict(found.assessment, changes))
    if errors:
        raise Invalid(" ".join(errors.values()), errors)
    return responses.requirement(found)
