"""The management review and quality objective API, nested in the API's project blueprint (same bearer
tokens, same JSON errors); the rules are :mod:`app.domain.reviews` and :mod:`app.domain.objectives`, the
loads and saves :mod:`app.services.reviews` and :mod:`app.services.objectives`:

- ``GET /api/v1/projects/<id>/management-reviews``: every review with its counts; ``POST`` records one,
  its inputs written in from the app's records.
- ``GET .../management-reviews/<review_id>``: the review with its inputs by key and its decisions and
  actions; ``PATCH`` changes the record and any inputs (If-Match: its ETag); ``POST .../outputs`` adds a
  decision or an action.
- ``GET/POST .../objectives``, ``GET .../objectives/<objective_id>`` and ``POST .../measurements``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from pydantic import BaseModel

from app.api import ApiError
from app.api.requests import explained, model_body
from app.api.review_schemas import (
    OBJECTIVE_STATUSES,
    MeasurementCreate,
    ObjectiveCreate,
    OutputCreate,
    ReviewCreate,
    ReviewPatch,
)
from app.domain import objectives as goals
from app.domain import reviews as rules
from app.domain.permissions import Action
from app.domain.text import _
from app.models import ManagementReview, QualityObjective, ReviewOutput
from app.services import objectives as objective_service
from app.services import reviews as service
from app.services.errors import Invalid
from app.services.objectives import MeasurementFields, ObjectiveFields, ObjectiveView
from app.services.reviews import OutputFields, ReviewFields
from app.web.access import current_scope, requires
from app.web.project_request import project

bp = Blueprint("reviews", __name__)
STATUS_NAMES = dict(zip((True, False, None), OBJECTIVE_STATUSES, strict=True))


def _url(endpoint: str, **values: Any) -> str:
    return url_for(f"api.project.reviews.{endpoint}", project_id=project().id, **values)


def _body(model: type[BaseModel]) -> Any:
    return model_body(request, model)


# Reviews


def output_json(output: ReviewOutput, today: date) -> dict[str, Any]:
    is_action = output.kind == rules.OutputKind.ACTION
    return {
        "id": output.id,
        "category": output.category,
        "kind": output.kind,
        "text": output.text,
        "owner": output.owner,
        "due_date": output.due_date.isoformat() if output.due_date else None,
        "done_on": output.done_on.isoformat() if output.done_on else None,
        "state": rules.action_state(output.due_date, output.done_on, today) if is_action else None,
    }


def review_json(review: ManagementReview, today: date) -> dict[str, Any]:
    family = service.family_of(project())
    facts = service.facts_of(review)
    missing_inputs = {item.key for item in facts.missing_inputs(family)}
    missing_outputs = {item.key for item in facts.missing_outputs(family)}
    return {
        "id": review.id,
        "held_on": review.held_on.isoformat(),
        "period_start": review.period_start.isoformat(),
        "period_end": review.period_end.isoformat(),
        "attendees": rules.attendee_list(review.attendees),
        "notes": review.notes,
        "inputs": dict(facts.inputs),
        "required_inputs": [
            {"key": i.key, "ref": i.ref, "title": i.title, "recorded": i.key not in missing_inputs}
            for i in rules.review_inputs(family)
        ],
        "required_outputs": [
            {"key": o.key, "ref": o.ref, "title": o.title, "recorded": o.key not in missing_outputs}
            for o in rules.review_outputs(family)
        ],
        "outputs": [output_json(output, today) for output in review.outputs],
        "url": _url("show_review", review_id=review.id),
    }


def _review_answer(review: ManagementReview, status: int = 200) -> Response:
    response = jsonify(review_json(review, date.today()))
    response.status_code = status
    response.set_etag(f"v{review.version}")
    return response


@bp.get("/management-reviews")
def list_reviews() -> Any:
    rows = service.review_list(project(), date.today()).reviews
    items = [
        {
            "id": r.id,
            "held_on": r.held_on.isoformat(),
            "period_start": r.period_start.isoformat(),
            "period_end": r.period_end.isoformat(),
            "inputs_recorded": r.inputs_recorded,
            "inputs_required": r.inputs_required,
            "outputs": r.outputs,
            "open_actions": r.open_actions,
            "overdue_actions": r.overdue_actions,
            "url": _url("show_review", review_id=r.id),
        }
        for r in rows
    ]
    return {"items": items, "total": len(items)}


@bp.post("/management-reviews")
@requires(Action.EDIT_CONTENT)
def create_review() -> Any:
    body: ReviewCreate = _body(ReviewCreate)
    today = date.today()
    defaults = service.new_review_fields(project(), body.held_on or today)
    fields = ReviewFields(
        held_on=body.held_on,
        period_start=body.period_start or defaults.period_start,
        period_end=body.period_end or body.held_on,
        attendees="\n".join(body.attendees),
        notes=body.notes,
    )
    try:
        review = service.create_review(current_scope(), project(), fields, today)
    except Invalid as invalid:
        raise explained(invalid) from None
    return _review_answer(review, 201)


@bp.get("/management-reviews/<int:review_id>")
def show_review(review_id: int) -> Any:
    review = service.review_in(current_scope(), project(), review_id)
    return _review_answer(review).make_conditional(request)


@bp.patch("/management-reviews/<int:review_id>")
@requires(Action.EDIT_CONTENT)
def update_review(review_id: int) -> Any:
    review = service.review_in(current_scope(), project(), review_id)
    etag = f"v{review.version}"
    if request.if_match and not request.if_match.contains(etag):
        raise ApiError(
            412,
            _(
                'The review changed since you read it (its ETag is now "%(etag)s"): GET it again, then send '
                "your change.",
                etag=etag,
            ),
        )
    body: ReviewPatch = _body(ReviewPatch)
    sent = body.model_fields_set
    fields = ReviewFields(
        held_on=body.held_on if "held_on" in sent else review.held_on,
        period_start=body.period_start if "period_start" in sent else review.period_start,
        period_end=body.period_end if "period_end" in sent else review.period_end,
        attendees="\n".join(body.attendees) if "attendees" in sent else review.attendees,
        notes=body.notes if "notes" in sent else review.notes,
    )
    inputs = body.inputs if "inputs" in sent else {}
    try:
        service.update_review(current_scope(), project(), review, fields, inputs, None, date.today())
    except Invalid as invalid:
        raise explained(invalid) from None
    return _review_answer(review)


@bp.post("/management-reviews/<int:review_id>/outputs")
@requires(Action.EDIT_CONTENT)
def create_output(review_id: int) -> Any:
    review = service.review_in(current_scope(), project(), review_id)
    body: OutputCreate = _body(OutputCreate)
    fields = OutputFields(body.category, body.kind, body.text, body.owner, body.due_date)
    try:
        output = service.add_output(current_scope(), project(), review, fields)
    except Invalid as invalid:
        raise explained(invalid) from None
    return output_json(output, date.today()), 201


# Objectives


def objective_json(view: ObjectiveView, measurements: bool = False) -> dict[str, Any]:
    objective = view.objective
    found = {
        "id": objective.id,
        "title": objective.title,
        "measure": objective.measure,
        "unit": objective.unit,
        "direction": objective.direction,
        "target": goals.format_value(objective.target),
        "target_text": view.target_text,
        "owner": objective.owner,
        "due_date": objective.due_date.isoformat(),
        "notes": objective.notes,
        "latest_value": goals.format_value(view.latest.value) if view.latest else None,
        "latest_on": view.latest.measured_on.isoformat() if view.latest else None,
        "status": STATUS_NAMES[view.met],
        "url": _url("show_objective", objective_id=objective.id),
    }
    if measurements:
        found["measurements"] = [
            {
                "id": m.id,
                "measured_on": m.measured_on.isoformat(),
                "value": goals.format_value(m.value),
                "notes": m.notes,
            }
            for m in objective.measurements
        ]
    return found


def _detail(objective: QualityObjective) -> dict[str, Any]:
    return objective_json(objective_service.view_of(objective), measurements=True)


@bp.get("/objectives")
def list_objectives() -> Any:
    items = [objective_json(view) for view in objective_service.objective_views(project())]
    return {"items": items, "total": len(items)}


@bp.post("/objectives")
@requires(Action.EDIT_CONTENT)
def create_objective() -> Any:
    body: ObjectiveCreate = _body(ObjectiveCreate)
    fields = ObjectiveFields(
        title=body.title,
        measure=body.measure,
        target=str(body.target),
        owner=body.owner,
        due_date=body.due_date,
        direction=body.direction,
        unit=body.unit,
        notes=body.notes,
    )
    try:
        objective = objective_service.create_objective(current_scope(), project(), fields)
    except Invalid as invalid:
        raise explained(invalid) from None
    return _detail(objective), 201


@bp.get("/objectives/<int:objective_id>")
def show_objective(objective_id: int) -> Any:
    return _detail(objective_service.objective_in(current_scope(), project(), objective_id))


@bp.post("/objectives/<int:objective_id>/measurements")
@requires(Action.EDIT_CONTENT)
def create_measurement(objective_id: int) -> Any:
    objective = objective_service.objective_in(current_scope(), project(), objective_id)
    body: MeasurementCreate = _body(MeasurementCreate)
    fields = MeasurementFields(body.measured_on, str(body.value), body.notes)
    try:
        objective_service.add_measurement(current_scope(), objective, fields, date.today())
    except Invalid as invalid:
        raise explained(invalid) from None
    return _detail(objective), 201
