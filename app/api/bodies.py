"""The certification body and quote API (same bearer tokens, same JSON errors as the rest of /api/v1); the
rules are :mod:`app.domain.certification_bodies`, the loads and saves :mod:`app.services.bodies` and
:mod:`app.services.quotes`:

- ``GET /api/v1/certification-bodies``: the workspace's bodies; ``POST`` adds one.
- ``GET .../certification-bodies/<body_id>``: one body with its accreditation warning; ``PATCH`` changes it
  (If-Match: its ETag).
- ``GET /api/v1/projects/<id>/quotes``: the project's quotes against the IAF audit days; ``POST`` records
  one; ``POST .../quotes/<quote_id>/accept`` accepts it (the project's body, budget lines, once).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from pydantic import BaseModel

from app.api import ApiError
from app.api.body_schemas import BodyCreate, BodyPatch, QuoteCreate
from app.api.requests import explained, model_body
from app.domain.audit_days import format_days
from app.domain.certification import find_accreditation_body
from app.domain.certification_bodies import format_sector_codes
from app.domain.money import format_amount
from app.domain.permissions import Action
from app.models import BudgetLine, CertificationBody
from app.services import bodies as service
from app.services import quotes as quote_service
from app.services.bodies import BodyFields
from app.services.budget import minor_unit
from app.services.errors import Invalid
from app.services.quotes import QuoteFields, QuoteView
from app.web.access import current_scope, requires
from app.web.project_request import project

bp = Blueprint("bodies", __name__, url_prefix="/certification-bodies")
quotes_bp = Blueprint("quotes", __name__, url_prefix="/quotes")


def _body(model: type[BaseModel]) -> Any:
    return model_body(request, model)


# Certification bodies


def body_json(body: CertificationBody) -> dict[str, Any]:
    found = find_accreditation_body(body.accreditation_body)
    return {
        "id": body.id,
        "name": body.name,
        "accreditation_body": body.accreditation_body,
        "accreditation_body_name": found.label if found else None,
        "on_iaf_mla": found is not None,
        "accreditation_warning": service.warning_of(body),
        "accreditation_number": body.accreditation_number,
        "sector_codes": [int(code) for code in body.sector_codes.split(",") if code.strip().isdigit()],
        "contact_name": body.contact_name,
        "contact_email": body.contact_email,
        "website": body.website,
        "major_deadline_days": body.major_deadline_days,
        "notes": body.notes,
        "version": body.version,
        "url": url_for("api.bodies.show_body", body_id=body.id),
    }


def _body_answer(body: CertificationBody, status: int = 200) -> Response:
    response = jsonify(body_json(body))
    response.status_code = status
    response.set_etag(f"v{body.version}")
    return response


@bp.get("")
def list_bodies() -> Any:
    items = [body_json(body) for body in service.bodies_of(current_scope())]
    return {"items": items, "total": len(items)}


@bp.post("")
@requires(Action.MANAGE_PROJECTS)
def create_body() -> Any:
    sent: BodyCreate = _body(BodyCreate)
    values = sent.model_dump()
    values["sector_codes"] = format_sector_codes(tuple(sorted(set(sent.sector_codes))))
    try:
        body = service.create_body(current_scope(), BodyFields(**values))
    except Invalid as invalid:
        raise explained(invalid) from None
    return _body_answer(body, 201)


@bp.get("/<int:body_id>")
def show_body(body_id: int) -> Any:
    return _body_answer(service.body_in(current_scope(), body_id)).make_conditional(request)


@bp.patch("/<int:body_id>")
@requires(Action.MANAGE_PROJECTS)
def update_body(body_id: int) -> Any:
    scope = current_scope()
    body = service.body_in(scope, body_id)
    etag = f"v{body.version}"
    if request.if_match and not request.if_match.contains(etag):
        raise ApiError(
            412,
            f'The certification body changed since you read it (its ETag is now "{etag}"): GET it again, '
            "then send your change.",
        )
    sent: BodyPatch = _body(BodyPatch)
    changes = {name: getattr(sent, name) for name in sent.model_fields_set}
    if "sector_codes" in changes:
        changes["sector_codes"] = format_sector_codes(tuple(sorted(set(changes["sector_codes"]))))
    try:
        service.update_body(scope, body, replace(service.fields_of(body), **changes))
    except Invalid as invalid:
        raise explained(invalid) from None
    return _body_answer(body)


# Quotes


def _amount(value: Decimal) -> str:
    """An amount as a decimal string with the project's currency's places (as saved or as read)."""
    return format_amount(value, minor_unit(project())).replace(",", "")


def quote_json(view: QuoteView) -> dict[str, Any]:
    quote = view.quote
    expected = view.check.expected
    return {
        "id": quote.id,
        "body": {"id": quote.body.id, "name": quote.body.name, "accreditation_warning": view.body.warning},
        "received_on": quote.received_on.isoformat(),
        "audit_days": format_days(quote.audit_days),
        "surveillance_days": format_days(quote.surveillance_days) if quote.surveillance_days else None,
        "day_rate": _amount(quote.day_rate),
        "fees": _amount(quote.fees),
        "travel": _amount(quote.travel),
        "currency": project().currency,
        "total": _amount(view.total),
        "surveillance_total": _amount(view.surveillance_total)
        if view.surveillance_total is not None
        else None,
        "expected_audit_days": format_days(expected) if expected is not None else None,
        "expected_basis": view.check.basis,
        "warning": view.check.warning,
        "status": quote.status,
        "accepted_on": quote.accepted_on.isoformat() if quote.accepted_on else None,
        "notes": quote.notes,
        "version": quote.version,
        "url": url_for("project.quotes.show", project_id=project().id, quote_id=quote.id),
    }


def _line_json(line: BudgetLine) -> dict[str, Any]:
    return {
        "id": line.id,
        "stage": line.stage,
        "category": line.category,
        "description": line.description,
        "planned": _amount(line.planned),
        "spent_on": line.spent_on.isoformat() if line.spent_on else None,
    }


def _figure(value: Any) -> str:
    return "" if value is None else str(value)


@quotes_bp.get("")
def list_quotes() -> Any:
    items = [quote_json(view) for view in quote_service.quote_views(project())]
    return {"items": items, "total": len(items)}


@quotes_bp.post("")
@requires(Action.EDIT_CONTENT)
def create_quote() -> Any:
    sent: QuoteCreate = _body(QuoteCreate)
    fields = QuoteFields(
        body_id=sent.body_id,
        received_on=sent.received_on,
        audit_days=_figure(sent.audit_days),
        surveillance_days=_figure(sent.surveillance_days),
        day_rate=_figure(sent.day_rate),
        fees=_figure(sent.fees),
        travel=_figure(sent.travel),
        notes=sent.notes,
    )
    try:
        quote = quote_service.create_quote(current_scope(), project(), fields, date.today())
    except Invalid as invalid:
        raise explained(invalid) from None
    return quote_json(quote_service.view_of(project(), quote)), 201


@quotes_bp.post("/<int:quote_id>/accept")
@requires(Action.MANAGE_PROJECTS)
def accept_quote(quote_id: int) -> Any:
    quote = quote_service.quote_in(current_scope(), project(), quote_id)
    lines = quote_service.accept_quote(current_scope(), project(), quote, date.today())
    return {
        "quote": quote_json(quote_service.view_of(project(), quote)),
        "budget_lines_added": [_line_json(line) for line in lines],
    }
