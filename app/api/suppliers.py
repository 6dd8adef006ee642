"""The approved-supplier API, nested in the API's project blueprint (same bearer tokens, same JSON errors);
the rules are :mod:`app.domain.suppliers`, the loads and saves :mod:`app.services.suppliers`:

- ``GET /api/v1/projects/<id>/suppliers``: the list, a page at a time, by name, filtered by ``status``
  ("overdue": the re-evaluation's day has passed) and ``risk_class``; ``POST`` adds a supplier.
- ``GET .../suppliers/<supplier_id>``: one supplier with its evaluations and an ETag.
- ``POST .../suppliers/<supplier_id>/evaluations``: records an evaluation; the answer is the supplier.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Blueprint, jsonify, request, url_for

from app.api.requests import choice_param, explained, model_body, page_params
from app.api.responses import iso
from app.api.suppliers_schemas import SupplierCreate, SupplierEvaluationCreate
from app.domain import suppliers as rules
from app.domain.permissions import Action
from app.models import Supplier
from app.services import suppliers as service
from app.services.errors import Invalid
from app.services.suppliers import EvaluationFields, ListFilters, SupplierFields, SupplierRow
from app.web.access import current_scope, requires
from app.web.project_request import project

bp = Blueprint("suppliers", __name__)


# Answers


def summary_json(row: SupplierRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "supplies": row.supplies,
        "risk_class": row.risk_class or None,
        "status": row.status,
        "last_evaluated_on": iso(row.last_evaluated_on),
        "reevaluate_months": row.reevaluate_months,
        "reevaluation_due": iso(row.due),
        "overdue": row.overdue,
        "url": url_for("api.project.suppliers.show_supplier", project_id=project().id, supplier_id=row.id),
    }


def supplier_json(supplier: Supplier, today: date) -> dict[str, Any]:
    return summary_json(service.row_of(supplier, today)) | {
        "criteria": supplier.criteria,
        "controls": supplier.controls,
        "contact": supplier.contact,
        "version": supplier.version,
        "evaluations": [
            {
                "id": e.id,
                "evaluated_on": e.evaluated_on.isoformat(),
                "evaluated_by": e.evaluated_by,
                "outcome": e.outcome,
                "score": e.score,
                "notes": e.notes,
            }
            for e in supplier.evaluations
        ],
    }


def _answer(supplier: Supplier, status: int = 200) -> Any:
    """The supplier with its ETag (its version), conditional on If-None-Match for a GET."""
    response = jsonify(supplier_json(supplier, date.today()))
    response.status_code = status
    response.set_etag(f"v{supplier.version}")
    return response.make_conditional(request) if request.method == "GET" else response


# Requests


def list_filters(args: Mapping[str, str]) -> ListFilters:
    return ListFilters(
        status=choice_param(args, "status", list(rules.STATUS_FILTER_LABELS)),
        risk_class=choice_param(args, "risk_class", list(rules.RiskClass)),
    )


# Views


@bp.get("/suppliers")
def list_suppliers() -> Any:
    filters = list_filters(request.args)
    page, per_page = page_params(request.args)
    rows, total = service.supplier_page(project().id, filters, page, per_page, date.today())
    return {"items": [summary_json(r) for r in rows], "page": page, "per_page": per_page, "total": total}


@bp.post("/suppliers")
@requires(Action.EDIT_CONTENT)
def create_supplier() -> Any:
    body: SupplierCreate = model_body(request, SupplierCreate)
    fields = SupplierFields(
        name=body.name,
        supplies=body.supplies,
        criteria=body.criteria,
        risk_class=body.risk_class or "",
        controls=body.controls,
        reevaluate_months=str(body.reevaluate_months),
        contact=body.contact,
    )
    try:
        supplier = service.create_supplier(current_scope(), project(), fields)
    except Invalid as invalid:
        raise explained(invalid) from None
    return _answer(supplier, 201)


@bp.get("/suppliers/<int:supplier_id>")
def show_supplier(supplier_id: int) -> Any:
    return _answer(service.supplier_in(current_scope(), project(), supplier_id))


@bp.post("/suppliers/<int:supplier_id>/evaluations")
@requires(Action.EDIT_CONTENT)
def create_evaluation(supplier_id: int) -> Any:
    supplier = service.supplier_in(current_scope(), project(), supplier_id)
    body: SupplierEvaluationCreate = model_body(request, SupplierEvaluationCreate)
    fields = EvaluationFields(
        evaluated_on=body.evaluated_on,
        evaluated_by=body.evaluated_by,
        outcome=body.outcome,
        score="" if body.score is None else str(body.score),
        notes=body.notes,
    )
    try:
        service.add_evaluation(current_scope(), project(), supplier, fields, date.today())
    except Invalid as invalid:
        raise explained(invalid) from None
    return _answer(supplier, 201)
