"""The customer satisfaction register's API, nested in the API's project blueprint (same bearer tokens, same
JSON errors); the rules are :mod:`app.domain.satisfaction`, the loads and saves
:mod:`app.services.satisfaction`:

- ``GET /api/v1/projects/<id>/satisfaction-measures``: the measures, a page at a time, with their latest
  value, trend and target, filtered by ``kind`` and ``status``; ``POST`` adds one.
- ``GET .../satisfaction-measures/<measure_id>``: one measure with its values and its ETag.
- ``POST .../satisfaction-measures/<measure_id>/values``: record a value.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, jsonify, request, url_for

from app.api.requests import choice_param, explained, model_body, page_params
from app.api.responses import iso
from app.api.satisfaction_schemas import SatisfactionMeasureCreate, SatisfactionValueCreate
from app.domain import satisfaction as rules
from app.domain.permissions import Action
from app.models import SatisfactionMeasure
from app.services import satisfaction as service
from app.services.errors import Invalid
from app.services.satisfaction import MeasureFields, MeasureFilters, MeasureView, ValueFields
from app.web.access import current_scope, requires
from app.web.project_request import project

bp = Blueprint("satisfaction", __name__)


def _number(value: Any) -> str | None:
    return None if value is None else rules.value_text(value, "")


def measure_json(view: MeasureView) -> dict[str, Any]:
    measure = view.measure
    return {
        "id": measure.id,
        "name": measure.name,
        "kind": measure.kind,
        "unit": measure.unit,
        "higher_is_better": measure.higher_is_better,
        "target": _number(measure.target),
        "target_text": view.target_text,
        "latest_value": _number(view.latest.value if view.latest else None),
        "latest_period_end": iso(view.latest.period_end if view.latest else None),
        "trend": view.trend,
        "meets_target": view.met,
        "stale": view.stale,
        "url": url_for(
            "api.project.satisfaction.show_measure", project_id=project().id, measure_id=measure.id
        ),
    }


def _answer(measure: SatisfactionMeasure, status: int = 200) -> Any:
    detail = measure_json(service.view_of(measure, date.today())) | {
        "values": [
            {"id": v.id, "period_end": v.period_end.isoformat(), "value": _number(v.value), "notes": v.notes}
            for v in sorted(measure.values, key=lambda v: (v.period_end, v.id))
        ],
        "version": measure.version,
    }
    response = jsonify(detail)
    response.status_code = status
    response.set_etag(f"v{measure.version}")
    return response.make_conditional(request) if request.method == "GET" else response


@bp.get("/satisfaction-measures")
def list_measures() -> Any:
    filters = MeasureFilters(
        kind=choice_param(request.args, "kind", list(rules.MeasureKind)),
        status=choice_param(request.args, "status", list(rules.STATUS_FILTER_LABELS)),
    )
    page, per_page = page_params(request.args)
    views, total = service.measure_page(project(), filters, page, per_page, date.today())
    return {"items": [measure_json(v) for v in views], "page": page, "per_page": per_page, "total": total}


@bp.post("/satisfaction-measures")
@requires(Action.EDIT_CONTENT)
def create_measure() -> Any:
    body: SatisfactionMeasureCreate = model_body(request, SatisfactionMeasureCreate)
    target = "" if body.target is None else str(body.target)
    fields = MeasureFields(body.name, body.kind, body.unit, body.higher_is_better, target)
    try:
        measure = service.create_measure(current_scope(), project(), fields)
    except Invalid as invalid:
        raise explained(invalid) from None
    return _answer(measure, 201)


@bp.get("/satisfaction-measures/<int:measure_id>")
def show_measure(measure_id: int) -> Any:
    return _answer(service.measure_in(current_scope(), project(), measure_id))


@bp.post("/satisfaction-measures/<int:measure_id>/values")
@requires(Action.EDIT_CONTENT)
def create_value(measure_id: int) -> Any:
    measure = service.measure_in(current_scope(), project(), measure_id)
    body: SatisfactionValueCreate = model_body(request, SatisfactionValueCreate)
    try:
        service.add_value(
            current_scope(), measure, ValueFields(body.period_end, str(body.value), body.notes), date.today()
        )
    except Invalid as invalid:
        raise explained(invalid) from None
    return _answer(measure, 201)
