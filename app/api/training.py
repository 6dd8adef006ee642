"""The people and training API, nested in the API's project blueprint (same bearer tokens, same JSON errors);
the rules are :mod:`app.domain.training`, the loads and saves :mod:`app.services.staff_list`,
:mod:`app.services.training_matrix` and :mod:`app.services.training_records`:

- ``GET /api/v1/projects/<id>/people``: the staff list of the project's site, a page at a time, filtered by
  ``department``, ``job_role`` and ``active``.
- ``GET .../training-matrix``: the active people, the training requirements and every cell with its state,
  date and revision, filtered by ``department``, ``job_role`` and ``state`` as the matrix page is.
- ``POST .../training-records``: a training given to several people at once (JSON), each with a pending
  effectiveness check.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Blueprint, request
from pydantic import ValidationError

from app.api import ApiError
from app.api.requests import _field_errors, _json_object, choice_param, explained, page_params
from app.api.responses import iso
from app.api.training_schemas import TrainingRecordCreate
from app.domain import training as rules
from app.domain.permissions import Action
from app.domain.text import _
from app.domain.training_progress import completion
from app.extensions import db
from app.models import TrainingSession, User
from app.services import staff_list
from app.services import training_matrix as matrices
from app.services.errors import Invalid
from app.services.training_records import NewSession, record_session
from app.web.access import current_scope, requires
from app.web.project_request import project

BOOLEANS = {"true": True, "false": False}

bp = Blueprint("training", __name__)


# Answers


def person_json(line: staff_list.PersonLine) -> dict[str, Any]:
    return {
        "id": line.id,
        "name": line.name,
        "job_role": line.job_role,
        "department": line.department,
        "started_on": iso(line.started_on),
        "left_on": iso(line.left_on),
        "active": line.active,
        "account": line.account,
    }


def _label(labels: Mapping[int, str], revision_id: int | None) -> str | None:
    return labels.get(revision_id) if revision_id is not None else None


def matrix_json(page: matrices.MatrixPage, today: date) -> dict[str, Any]:
    matrix, labels = page.matrix, page.revision_labels
    people = []
    for person in matrix.people:
        done = completion(matrix.row_counts(person.id))
        people.append(
            {
                "id": person.id,
                "name": person.name,
                "department": person.department,
                "job_role": person.job_role,
            }
            | {"done": done.done, "required": done.required}
        )
    requirements = []
    for r in matrix.requirements:
        done = completion(matrix.column_counts(r.id))
        requirements.append(
            {
                "id": r.id,
                "name": r.name,
                "kind": "document" if r.is_document else "topic",
                "current_revision": _label(labels, r.current_revision_id),
                "refresher_months": r.refresher_months,
                "everyone": r.everyone,
                "qualifies_auditor": r.qualifies_auditor,
                "done": done.done,
                "required": done.required,
            }
        )
    cells = []
    for person in matrix.people:
        for r in matrix.requirements:
            found = matrix.at(person.id, r.id)
            record = found.record
            cells.append(
                {
                    "person_id": person.id,
                    "requirement_id": r.id,
                    "state": found.state.value,
                    "held_on": iso(record.held_on) if record else None,
                    "revision": _label(labels, record.revision_id) if record else None,
                    "result": record.result if record else None,
                }
            )
    counts = {state.value: page.counts.get(state, 0) for state in rules.CellState}
    return {
        "as_of": today.isoformat(),
        "people": people,
        "requirements": requirements,
        "cells": cells,
        "counts": counts,
    }


def _person(user_id: int | None) -> str | None:
    user = db.session.get(User, user_id) if user_id is not None else None
    return user.name if user else None


def record_json(session: TrainingSession) -> dict[str, Any]:
    revision = session.revision
    return {
        "id": session.id,
        "requirement_id": session.requirement_id,
        "requirement": session.requirement.name,
        "revision_id": session.revision_id,
        "revision": revision.label if revision else None,
        "held_on": session.held_on.isoformat(),
        "trainer": session.trainer,
        "method": session.method,
        "duration_minutes": session.duration_minutes,
        "notes": session.notes,
        "created_by": _person(session.created_by_id),
        "attendees": [
            {
                "person_id": a.person_id,
                "name": a.person.name,
                "result": a.result,
                "check_method": a.check_method,
                "checked_on": iso(a.checked_on),
            }
            for a in sorted(session.attendance, key=lambda a: (a.person.name, a.person_id))
        ],
    }


# Requests


def _text_filter(args: Mapping[str, str], name: str) -> str | None:
    return args.get(name) or None


def people_filters(args: Mapping[str, str]) -> staff_list.PeopleFilters:
    active = args.get("active")
    if active is not None and active not in BOOLEANS:
        raise ApiError(
            422, _("%(name)s must be true or false.", name="active"), {"active": _("Not true or false.")}
        )
    status = "all" if active is None else ("active" if BOOLEANS[active] else "left")
    return staff_list.PeopleFilters(
        department=_text_filter(args, "department"), job_role=_text_filter(args, "job_role"), status=status
    )


def matrix_request(args: Mapping[str, str]) -> matrices.MatrixRequest:
    state = choice_param(args, "state", matrices.STATE_FILTERS)
    return matrices.MatrixRequest(
        department=_text_filter(args, "department"),
        job_role=_text_filter(args, "job_role"),
        state=rules.CellState(state) if state else None,
    )


def record_request() -> NewSession:
    """The posted record, checked for shape; its values are checked by the service."""
    try:
        body = TrainingRecordCreate.model_validate(_json_object(request))
    except ValidationError as error:
        fields = _field_errors(error)
        message = " ".join(f"{name}: {text}" for name, text in fields.items())
        if any(name not in TrainingRecordCreate.model_fields for name in fields):
            sent = ", ".join(TrainingRecordCreate.model_fields)
            message += " " + _("Fields you may send: %(fields)s.", fields=sent)
        raise ApiError(422, message, fields) from None
    return NewSession(
        requirement_id=body.requirement_id,
        held_on=body.held_on,
        trainer=body.trainer,
        method=body.method,
        duration_minutes=body.duration_minutes,
        notes=body.notes,
        attendee_ids=body.attendee_ids,
        revision_id=body.revision_id,
    )


# Views


@bp.get("/people")
def list_people() -> Any:
    filters = people_filters(request.args)
    page, per_page = page_params(request.args)
    lines, total = staff_list.people_page(project(), filters, page, per_page, date.today())
    return {
        "items": [person_json(line) for line in lines],
        "page": page,
        "per_page": per_page,
        "total": total,
    }


@bp.get("/training-matrix")
def show_matrix() -> Any:
    today = date.today()
    return matrix_json(matrices.matrix_page(project(), today, matrix_request(request.args)), today)


@bp.post("/training-records")
@requires(Action.EDIT_CONTENT)
def create_record() -> Any:
    new = record_request()
    try:
        session = record_session(current_scope(), project(), new)
    except Invalid as invalid:
        raise explained(invalid) from None
    return record_json(session), 201
