"""The QMS software list's API, nested in the API's project blueprint (same bearer tokens, same JSON
errors); the rules are :mod:`app.domain.software`, the loads and saves :mod:`app.services.software`:

- ``GET /api/v1/projects/<id>/software``: the applications, a page at a time, what needs validating first,
  filtered by ``state`` and ``risk``; ``POST`` adds one.
- ``GET .../software/<software_id>``: one application with its validation.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Blueprint, request, url_for

from app.api.requests import choice_param, explained, model_body, page_params
from app.api.responses import iso
from app.api.software_schemas import SoftwareCreate
from app.domain import software as rules
from app.domain.permissions import Action
from app.models import SoftwareValidation
from app.services import software as service
from app.services.errors import Invalid
from app.services.software import ListFilters, SoftwareFields, SoftwareRow
from app.web.access import current_scope, requires
from app.web.project_request import project

bp = Blueprint("software", __name__)


def summary_json(row: SoftwareRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "version_label": row.version_label,
        "risk": row.risk,
        "state": row.state,
        "validated_on": iso(row.validated_on),
        "validated_version": row.validated_version,
        "revalidate_by": iso(row.revalidate_by),
        "url": url_for("api.project.software.show_software", project_id=project().id, software_id=row.id),
    }


def software_json(software: SoftwareValidation) -> dict[str, Any]:
    return summary_json(service.row_of(software, date.today())) | {
        "intended_use": software.intended_use,
        "approach": software.approach,
        "result": software.result,
        "retired": software.retired,
        "version": software.version,
    }


def list_filters(args: Mapping[str, str]) -> ListFilters:
    return ListFilters(
        state=choice_param(args, "state", list(rules.SoftwareState)),
        risk=choice_param(args, "risk", list(rules.Risk)),
    )


@bp.get("/software")
def list_software() -> Any:
    filters = list_filters(request.args)
    page, per_page = page_params(request.args)
    rows, total = service.list_page(project().id, filters, page, per_page, date.today())
    return {"items": [summary_json(r) for r in rows], "page": page, "per_page": per_page, "total": total}


@bp.post("/software")
@requires(Action.EDIT_CONTENT)
def create_software() -> Any:
    body: SoftwareCreate = model_body(request, SoftwareCreate)
    try:
        software = service.create_software(current_scope(), project(), SoftwareFields(**body.model_dump()))
    except Invalid as invalid:
        raise explained(invalid) from None
    return software_json(software), 201


@bp.get("/software/<int:software_id>")
def show_software(software_id: int) -> Any:
    return software_json(service.software_in(current_scope(), project(), software_id))
