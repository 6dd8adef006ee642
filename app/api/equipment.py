"""The measuring equipment register's API, nested in the API's project blueprint (same bearer tokens, same
JSON errors); the rules are :mod:`app.domain.calibration`, the loads and saves :mod:`app.services.equipment`:

- ``GET /api/v1/projects/<id>/instruments``: the register, a page at a time, most urgent first, filtered by
  ``status`` and ``location``; ``POST`` adds an instrument.
- ``GET .../instruments/<instrument_id>``: one instrument with its calibrations and an ETag.
- ``POST .../instruments/<instrument_id>/calibrations``: records a calibration (its next due one interval on
  when not given); a rule broken is 422 naming the field and the rule.
- ``POST .../instruments/<instrument_id>/calibrations/<calibration_id>/assessment``: the assessment of the
  results measured before a calibration found the instrument out of tolerance; a stale version is 409.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Blueprint, jsonify, request, url_for

from app.api import ApiError
from app.api.equipment_schemas import AssessmentCreate, CalibrationCreate, InstrumentCreate
from app.api.requests import explained, model_body, page_params
from app.api.responses import iso
from app.domain import calibration as rules
from app.domain.permissions import Action
from app.domain.text import _
from app.models import Calibration, Instrument
from app.services import equipment as service
from app.services.equipment import (
    AssessmentFields,
    CalibrationFields,
    InstrumentFields,
    InstrumentRow,
    RegisterFilters,
)
from app.services.errors import Invalid
from app.web.access import current_scope, requires
from app.web.project_request import project

bp = Blueprint("equipment", __name__)


# Answers


def _url(instrument_id: int) -> str:
    return url_for(
        "api.project.equipment.show_instrument", project_id=project().id, instrument_id=instrument_id
    )


def summary_json(row: InstrumentRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "code": row.code,
        "description": row.description,
        "location": row.location,
        "measuring_range": row.measuring_range,
        "accuracy": row.accuracy,
        "interval_months": row.interval_months,
        "last_calibrated_on": iso(row.last_calibrated_on),
        "next_due": iso(row.next_due),
        "out_of_service": row.out_of_service,
        "status": str(row.status),
        "statuses": [str(s) for s in row.statuses],
        "url": _url(row.id),
    }


def calibration_json(calibration: Calibration) -> dict[str, Any]:
    return {
        "id": calibration.id,
        "calibrated_on": iso(calibration.calibrated_on),
        "next_due": iso(calibration.next_due),
        "result": calibration.result,
        "performed_by": calibration.performed_by,
        "certificate_ref": calibration.certificate_ref,
        "notes": calibration.notes,
        "needs_assessment": rules.needs_assessment(calibration.result, calibration.assessed_on),
        "assessed_on": iso(calibration.assessed_on),
        "assessment": calibration.assessment,
        "assessment_action": calibration.assessment_action,
        "version": calibration.version,
    }


def instrument_json(instrument: Instrument, today: date) -> dict[str, Any]:
    return summary_json(service.row_of(instrument, today)) | {
        "traceability": instrument.traceability,
        "version": instrument.version,
        "calibrations": [calibration_json(c) for c in instrument.calibrations],
    }


def _answer(instrument: Instrument, status: int = 200) -> Any:
    """The instrument with its ETag (its version), conditional on If-None-Match for a GET."""
    response = jsonify(instrument_json(instrument, date.today()))
    response.status_code = status
    response.set_etag(f"v{instrument.version}")
    return response.make_conditional(request) if request.method == "GET" else response


# Requests


def register_filters(args: Mapping[str, str]) -> RegisterFilters:
    status, location = args.get("status"), args.get("location")
    if status is not None and status not in set(rules.Status):
        statuses = ", ".join(rules.Status)
        message = _(
            "Unknown status %(status)s: use one of %(statuses)s.", status=repr(status), statuses=statuses
        )
        raise ApiError(422, message, {"status": _("Unknown.")})
    if location is not None and len(location) > rules.LOCATION_MAX_LENGTH:
        message = _("location: use at most %(limit)d characters.", limit=rules.LOCATION_MAX_LENGTH)
        raise ApiError(422, message, {"location": _("Too long.")})
    return RegisterFilters(rules.Status(status) if status else None, location or None)


def _instrument(instrument_id: int) -> Instrument:
    return service.instrument_in(current_scope(), project(), instrument_id)


# Views


@bp.get("/instruments")
def list_instruments() -> Any:
    filters = register_filters(request.args)
    page, per_page = page_params(request.args)
    rows, total = service.register_page(project().id, filters, page, per_page, date.today())
    return {"items": [summary_json(r) for r in rows], "page": page, "per_page": per_page, "total": total}


@bp.post("/instruments")
@requires(Action.EDIT_CONTENT)
def create_instrument() -> Any:
    body: InstrumentCreate = model_body(request, InstrumentCreate)
    try:
        instrument = service.create_instrument(
            current_scope(), project(), InstrumentFields(**body.model_dump())
        )
    except Invalid as invalid:
        raise explained(invalid) from None
    return _answer(instrument, 201)


@bp.get("/instruments/<int:instrument_id>")
def show_instrument(instrument_id: int) -> Any:
    return _answer(_instrument(instrument_id))


@bp.post("/instruments/<int:instrument_id>/calibrations")
@requires(Action.EDIT_CONTENT)
def calibrate_instrument(instrument_id: int) -> Any:
    instrument = _instrument(instrument_id)
    body: CalibrationCreate = model_body(request, CalibrationCreate)
    try:
        service.add_calibration(
            current_scope(), instrument, CalibrationFields(**body.model_dump()), date.today()
        )
    except Invalid as invalid:
        raise explained(invalid) from None
    return _answer(instrument, 201)


@bp.post("/instruments/<int:instrument_id>/calibrations/<int:calibration_id>/assessment")
@requires(Action.EDIT_CONTENT)
def assess_calibration(instrument_id: int, calibration_id: int) -> Any:
    instrument = _instrument(instrument_id)
    calibration = service.calibration_of(instrument, calibration_id)
    body: AssessmentCreate = model_body(request, AssessmentCreate)
    fields = AssessmentFields(body.assessed_on, body.assessment, body.assessment_action)
    try:
        service.record_assessment(
            current_scope(), instrument, calibration, fields, date.today(), body.version
        )
    except Invalid as invalid:
        raise explained(invalid) from None
    return _answer(instrument)
