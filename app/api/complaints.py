"""The customer complaint register's API, nested in the API's project blueprint (same bearer tokens, same
JSON errors); the rules are :mod:`app.domain.complaints`, the loads and saves :mod:`app.services.complaints`:

- ``GET /api/v1/projects/<id>/complaints``: the register, a page at a time, the open complaints first,
  filtered by ``state``, ``product`` and ``reportability``; ``POST`` records one.
- ``GET .../complaints/<complaint_id>``: one complaint with its ETag.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Blueprint, jsonify, request, url_for

from app.api.complaints_schemas import ComplaintCreate
from app.api.requests import choice_param, explained, model_body, page_params
from app.api.responses import iso
from app.domain import complaints as rules
from app.domain.permissions import Action
from app.models import Complaint
from app.services import complaints as service
from app.services.complaints import ComplaintFilters, ComplaintRow
from app.services.errors import Invalid
from app.web.access import current_scope, requires
from app.web.project_request import project

bp = Blueprint("complaints", __name__)


def _url(complaint_id: int) -> str:
    return url_for(
        "api.project.complaints.show_complaint", project_id=project().id, complaint_id=complaint_id
    )


def summary_json(row: ComplaintRow, medical: bool) -> dict[str, Any]:
    return {
        "id": row.id,
        "label": row.label,
        "received_on": iso(row.received_on),
        "customer": row.customer,
        "product": row.product,
        "state": row.state,
        "closed_on": iso(row.closed_on),
        "days_open": row.days_open,
        "late": row.late,
        "reportability": row.reportability if medical else None,
        "finding_id": row.finding_id,
        "url": _url(row.id),
    }


def complaint_json(complaint: Complaint, today: date) -> dict[str, Any]:
    finding = service.linked_finding(complaint)
    linked = None
    if finding is not None:
        address = url_for("api.project.findings.show_finding", project_id=project().id, finding_id=finding.id)
        linked = {"id": finding.id, "label": finding.label, "state": finding.state, "url": address}
    return summary_json(service.row_of(complaint, today), service.is_medical(project())) | {
        "description": complaint.description,
        "investigation": complaint.investigation,
        "closure": complaint.closure,
        "reportable": complaint.reportable,
        "reportability_reason": complaint.reportability_reason,
        "authority": complaint.authority,
        "reported_on": iso(complaint.reported_on),
        "report_reference": complaint.report_reference,
        "finding": linked,
        "version": complaint.version,
    }


def _answer(complaint: Complaint, status: int = 200) -> Any:
    response = jsonify(complaint_json(complaint, date.today()))
    response.status_code = status
    response.set_etag(f"v{complaint.version}")
    return response.make_conditional(request) if request.method == "GET" else response


def list_filters(args: Mapping[str, str]) -> ComplaintFilters:
    return ComplaintFilters(
        state=choice_param(args, "state", list(rules.STATE_FILTER_LABELS)),
        product=args.get("product") or None,
        reportability=choice_param(args, "reportability", list(rules.Reportability)),
    )


@bp.get("/complaints")
def list_complaints() -> Any:
    filters = list_filters(request.args)
    page, per_page = page_params(request.args)
    rows, total = service.complaint_page(project(), filters, page, per_page, date.today())
    medical = service.is_medical(project())
    items = [summary_json(row, medical) for row in rows]
    return {"items": items, "page": page, "per_page": per_page, "total": total}


@bp.post("/complaints")
@requires(Action.EDIT_CONTENT)
def create_complaint() -> Any:
    body: ComplaintCreate = model_body(request, ComplaintCreate)
    values = rules.ComplaintValues(**body.model_dump(exclude={"finding_id"}))
    try:
        complaint = service.create_complaint(
            current_scope(), project(), values, date.today(), body.finding_id
        )
    except Invalid as invalid:
        raise explained(invalid) from None
    return _answer(complaint, 201)


@bp.get("/complaints/<int:complaint_id>")
def show_complaint(complaint_id: int) -> Any:
    return _answer(service.complaint_in(current_scope(), project(), complaint_id))
