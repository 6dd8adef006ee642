"""The risk-management files' API, nested in the API's project blueprint (same bearer tokens, same JSON
errors); the rules are :mod:`app.domain.risk_files`, the loads and saves :mod:`app.services.risk_files`:

- ``GET /api/v1/projects/<id>/risk-files``: the files by device family, a page at a time, with their hazard
  counts, worst residual risk and state, filtered by ``state``; ``POST`` opens one.
- ``GET .../risk-files/<risk_file_id>``: one file with its hazards; ``POST .../hazards`` adds a hazard and
  answers the file as it now stands.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Blueprint, request, url_for

from app.api import ApiError
from app.api.requests import explained, model_body, page_params
from app.api.responses import iso
from app.api.risk_files_schemas import HazardCreate, RiskFileCreate
from app.domain import risk_files as rules
from app.domain.permissions import Action
from app.domain.risk_files import FileCounts
from app.domain.text import _
from app.models import RiskFile
from app.services import risk_files as service
from app.services.errors import Invalid
from app.services.risk_files import HazardFields, HazardView, ListFilters, RiskFileFields
from app.web.access import current_scope, requires
from app.web.project_request import project

bp = Blueprint("risk_files", __name__)


def _summary(
    risk_file_id: int, device_family: str, reviewed_on: date | None, counts: FileCounts
) -> dict[str, Any]:
    return {
        "id": risk_file_id,
        "device_family": device_family,
        "reviewed_on": iso(reviewed_on),
        "hazard_count": counts.hazards,
        "uncontrolled_count": counts.uncontrolled,
        "unacceptable_count": counts.unacceptable,
        "worst_residual_level": counts.worst,
        "state": rules.file_state(counts),
        "url": url_for(
            "api.project.risk_files.show_risk_file", project_id=project().id, risk_file_id=risk_file_id
        ),
    }


def hazard_json(view: HazardView) -> dict[str, Any]:
    h, scores = view.hazard, view.scores
    return {
        "id": h.id,
        "hazard": h.hazard,
        "situation": h.situation,
        "harm": h.harm,
        "severity": h.severity,
        "probability": h.probability,
        "initial_level": scores.initial,
        "controls": h.controls,
        "residual_severity": h.residual_severity,
        "residual_probability": h.residual_probability,
        "residual_level": scores.residual,
        "verification": h.verification,
        "needs_controls": scores.needs_controls,
        "flagged": scores.flagged,
        "version": h.version,
    }


def risk_file_json(risk_file: RiskFile) -> dict[str, Any]:
    counts = service.counts_of(risk_file)
    return _summary(risk_file.id, risk_file.device_family, risk_file.reviewed_on, counts) | {
        "intended_use": risk_file.intended_use,
        "acceptability_policy": risk_file.acceptability_policy,
        "version": risk_file.version,
        "hazards": [hazard_json(view) for view in service.hazard_views(risk_file)],
    }


def list_filters(args: Mapping[str, str]) -> ListFilters:
    wanted = args.get("state")
    if wanted is not None and wanted not in set(rules.FileState):
        states = ", ".join(rules.FileState)
        message = _("Unknown state %(value)s: use one of %(states)s.", value=repr(wanted), states=states)
        raise ApiError(422, message, {"state": _("Unknown.")})
    return ListFilters(state=wanted)


@bp.get("/risk-files")
def list_risk_files() -> Any:
    filters = list_filters(request.args)
    page, per_page = page_params(request.args)
    rows, total = service.list_page(project().id, filters, page, per_page)
    items = [_summary(row.id, row.device_family, row.reviewed_on, row.counts) for row in rows]
    return {"items": items, "page": page, "per_page": per_page, "total": total}


@bp.post("/risk-files")
@requires(Action.EDIT_CONTENT)
def create_risk_file() -> Any:
    body: RiskFileCreate = model_body(request, RiskFileCreate)
    fields = RiskFileFields(**body.model_dump())
    try:
        risk_file = service.create_risk_file(current_scope(), project(), fields, date.today())
    except Invalid as invalid:
        raise explained(invalid) from None
    return risk_file_json(risk_file), 201


@bp.get("/risk-files/<int:risk_file_id>")
def show_risk_file(risk_file_id: int) -> Any:
    return risk_file_json(service.risk_file_in(current_scope(), project(), risk_file_id))


@bp.post("/risk-files/<int:risk_file_id>/hazards")
@requires(Action.EDIT_CONTENT)
def create_hazard(risk_file_id: int) -> Any:
    risk_file = service.risk_file_in(current_scope(), project(), risk_file_id)
    body: HazardCreate = model_body(request, HazardCreate)
    try:
        service.add_hazard(current_scope(), risk_file, HazardFields(**body.model_dump()))
    except Invalid as invalid:
        raise explained(invalid) from None
    return risk_file_json(risk_file), 201
