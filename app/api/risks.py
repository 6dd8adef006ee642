"""The risk and opportunity register's API, nested in the API's project blueprint (same bearer tokens, same
JSON errors); the rules are :mod:`app.domain.risks`, the loads and saves :mod:`app.services.risks`:

- ``GET /api/v1/projects/<id>/risks``: the register, a page at a time, overdue and unacted ones first, then
  by score; filtered by ``kind``, ``level`` and ``state``. ``POST`` records one.
- ``GET .../risks/<risk_id>``: one risk or opportunity with its effectiveness review and an ETag.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Blueprint, jsonify, request, url_for

from app.api.requests import choice_param, explained, model_body, page_params
from app.api.responses import iso
from app.api.risks_schemas import RiskCreate
from app.domain import risks as rules
from app.domain.permissions import Action
from app.models import CertificationProject, Risk
from app.services import risks as service
from app.services.errors import Invalid
from app.services.risks import RegisterFilters, RiskFields, RiskRow
from app.web.access import current_scope, requires
from app.web.project_request import project

bp = Blueprint("risks", __name__)


def _url(endpoint: str, **values: Any) -> str:
    return url_for(f"api.project.risks.{endpoint}", project_id=project().id, **values)


def summary_json(row: RiskRow) -> dict[str, Any]:
    source = row.source
    return {
        "id": row.id,
        "kind": row.kind,
        "source": {"kind": source.kind, "id": source.id, "label": source.label} if source else None,
        "description": row.description,
        "likelihood": row.likelihood,
        "impact": row.impact,
        "score": row.score,
        "level": row.level,
        "action": row.action,
        "owner": row.owner,
        "due_date": iso(row.due_date),
        "state": row.state,
        "url": _url("show_risk", risk_id=row.id),
    }


def risk_json(risk: Risk, owner: CertificationProject, today: date) -> dict[str, Any]:
    residual = rules.residual(risk.residual_likelihood, risk.residual_impact, owner.risk_scale)
    return summary_json(service.row_of(risk, owner.risk_scale, today)) | {
        "reviewed_on": iso(risk.reviewed_on),
        "effective": risk.effective,
        "review_notes": risk.review_notes,
        "residual_likelihood": risk.residual_likelihood,
        "residual_impact": risk.residual_impact,
        "residual_score": residual.score if residual else None,
        "residual_level": residual.level if residual else None,
        "starter_key": risk.starter_key,
        "scale": owner.risk_scale,
        "version": risk.version,
    }


def _answer(risk: Risk, status: int = 200) -> Any:
    """The risk with its ETag (its version), conditional on If-None-Match for a GET."""
    response = jsonify(risk_json(risk, project(), date.today()))
    response.status_code = status
    response.set_etag(f"v{risk.version}")
    return response.make_conditional(request) if request.method == "GET" else response


def register_filters(args: Mapping[str, str]) -> RegisterFilters:
    return RegisterFilters(
        kind=choice_param(args, "kind", list(rules.RiskKind)),
        level=choice_param(args, "level", list(rules.Level)),
        state=choice_param(args, "state", list(rules.RiskState)),
    )


@bp.get("/risks")
def list_risks() -> Any:
    filters = register_filters(request.args)
    page, per_page = page_params(request.args)
    rows, total = service.register_page(project(), filters, page, per_page, date.today())
    items = [summary_json(row) for row in rows]
    return {"items": items, "page": page, "per_page": per_page, "total": total, "scale": project().risk_scale}


@bp.post("/risks")
@requires(Action.EDIT_CONTENT)
def create_risk() -> Any:
    body: RiskCreate = model_body(request, RiskCreate)
    fields = RiskFields(**body.model_dump())
    try:
        risk = service.create_risk(current_scope(), project(), fields, date.today())
    except Invalid as invalid:
        raise explained(invalid) from None
    return _answer(risk, 201)


@bp.get("/risks/<int:risk_id>")
def show_risk(risk_id: int) -> Any:
    return _answer(service.risk_in(current_scope(), project(), risk_id))
