"""The nonconformity register's API, nested in the API's project blueprint (same bearer tokens, same JSON
errors); the rules are :mod:`app.domain.nonconformities`, the loads and saves :mod:`app.services.findings`:

- ``GET /api/v1/projects/<id>/findings``: the register, a page at a time, overdue first, filtered by
  ``source``, ``severity``, ``state`` ("open": anything not closed) and ``overdue``; ``POST`` raises one.
- ``GET .../findings/<finding_id>``: one finding with its checks and an ETag; ``PATCH`` changes its
  descriptive fields (If-Match: a stale ETag is 412).
- ``POST .../findings/<finding_id>/transitions``: one step (plan, implement, check, close) with its fields;
  a stale ``version`` is 409, a stale If-Match 412, a rule broken 422 naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Blueprint, jsonify, request, url_for
from pydantic import BaseModel

from app.api import ApiError
from app.api.documents import _body, _explained
from app.api.finding_schemas import FindingCreate, FindingPatch, FindingTransition
from app.api.requests import choice_param, page_params
from app.api.responses import iso
from app.domain import nonconformities as rules
from app.domain.permissions import Action
from app.domain.text import _
from app.models import Finding
from app.services import finding_register as register
from app.services import findings as service
from app.services.errors import Invalid
from app.services.finding_register import RegisterFilters, RegisterRow
from app.services.findings import FindingFields
from app.web.access import current_scope, requires
from app.web.project_request import project

bp = Blueprint("findings", __name__)

TRUE_FALSE = ("true", "false")


# Answers


def _url(endpoint: str, **values: Any) -> str:
    return url_for(f"api.project.findings.{endpoint}", project_id=project().id, **values)


def summary_json(row: RegisterRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "label": row.label,
        "source": row.source,
        "severity": row.severity,
        "state": row.state,
        "clause_number": row.clause_number,
        "action_owner": row.action_owner,
        "raised_on": iso(row.raised_on),
        "due": iso(row.due),
        "overdue": row.overdue,
        "url": _url("show_finding", finding_id=row.id),
    }


def finding_json(finding: Finding, today: date) -> dict[str, Any]:
    facts = service.finding_facts(finding)
    return summary_json(register.register_row(finding, today)) | {
        "description": finding.description,
        "containment": finding.containment,
        "root_cause_method": finding.root_cause_method,
        "root_cause": finding.root_cause,
        "corrective_action": finding.corrective_action,
        "action_due": iso(finding.action_due),
        "implemented_on": iso(finding.implemented_on),
        "effectiveness_due": iso(finding.effectiveness_due),
        "deadline": iso(finding.deadline),
        "closed_on": iso(finding.closed_on),
        "audit_id": finding.audit_id,
        "version": finding.version,
        "allowed_transitions": [str(step) for step in rules.allowed_transitions(facts)],
        "checks": [
            {
                "checked_on": iso(c.checked_on),
                "checked_by": c.checked_by,
                "result": c.result,
                "notes": c.notes,
            }
            for c in finding.checks
        ],
    }


def _etag(finding: Finding) -> str:
    return f"v{finding.version}"


def _answer(finding: Finding, status: int = 200) -> Any:
    """The finding with its ETag (its version), conditional on If-None-Match for a GET."""
    response = jsonify(finding_json(finding, date.today()))
    response.status_code = status
    response.set_etag(_etag(finding))
    return response.make_conditional(request) if request.method == "GET" else response


# Requests


def register_filters(args: Mapping[str, str]) -> RegisterFilters:
    return RegisterFilters(
        source=choice_param(args, "source", list(rules.Source)),
        severity=choice_param(args, "severity", list(rules.Severity)),
        state=choice_param(args, "state", list(rules.STATE_FILTER_LABELS)),
        overdue=choice_param(args, "overdue", TRUE_FALSE) == "true",
    )


def _check_if_match(finding: Finding) -> None:
    if request.if_match and not request.if_match.contains(_etag(finding)):
        raise ApiError(
            412,
            _(
                'Finding %(number)d changed since you read it (its ETag is now "%(etag)s"): GET it again, '
                "then send your change.",
                number=finding.id,
                etag=_etag(finding),
            ),
        )


def _sent(body: BaseModel, names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {name: getattr(body, name) for name in names if name in body.model_fields_set}


def _transition_values(body: FindingTransition) -> dict[str, Any]:
    """The step's fields; a field of another step is refused, so nothing sent is silently ignored."""
    if body.transition not in set(rules.Transition):
        steps = ", ".join(rules.Transition)
        raise ApiError(
            422, _("transition: use one of %(steps)s.", steps=steps), {"transition": _("Unknown step.")}
        )
    takes = service.TRANSITION_FIELDS[rules.Transition(body.transition)]
    others = [name for name in body.model_fields_set - {"transition", "version"} if name not in takes]
    if others:
        message = _(
            "%(transition)s takes %(fields)s; not %(others)s.",
            transition=body.transition,
            fields=", ".join(takes),
            others=", ".join(sorted(others)),
        )
        raise ApiError(
            422,
            message,
            dict.fromkeys(others, _("Not a field of %(transition)s.", transition=body.transition)),
        )
    return _sent(body, takes)


# Views


@bp.get("/findings")
def list_findings() -> Any:
    filters = register_filters(request.args)
    page, per_page = page_params(request.args)
    rows, total = register.register_page(project().id, filters, page, per_page, date.today())
    return {"items": [summary_json(r) for r in rows], "page": page, "per_page": per_page, "total": total}


@bp.post("/findings")
@requires(Action.EDIT_CONTENT)
def create_finding() -> Any:
    body: FindingCreate = _body(FindingCreate)
    fields = FindingFields(**body.model_dump() | {"clause_number": body.clause_number or ""})
    try:
        finding = service.create_finding(current_scope(), project(), fields, date.today())
    except Invalid as invalid:
        raise _explained(invalid) from None
    return _answer(finding, 201)


@bp.get("/findings/<int:finding_id>")
def show_finding(finding_id: int) -> Any:
    return _answer(service.finding_in(current_scope(), project(), finding_id))


@bp.patch("/findings/<int:finding_id>")
@requires(Action.EDIT_CONTENT)
def update_finding(finding_id: int) -> Any:
    finding = service.finding_in(current_scope(), project(), finding_id)
    _check_if_match(finding)
    body: FindingPatch = _body(FindingPatch)
    changes = _sent(body, list(FindingPatch.model_fields))
    try:
        service.update_finding(current_scope(), project(), finding, changes, date.today(), version=None)
    except Invalid as invalid:
        raise _explained(invalid) from None
    return _answer(finding)


@bp.post("/findings/<int:finding_id>/transitions")
@requires(Action.EDIT_CONTENT)  # closing a major needs more: the service applies the rule
def transition_finding(finding_id: int) -> Any:
    finding = service.finding_in(current_scope(), project(), finding_id)
    _check_if_match(finding)
    body: FindingTransition = _body(FindingTransition)
    values = _transition_values(body)
    try:
        service.transition(
            current_scope(), finding, body.transition, values, date.today(), version=body.version
        )
    except Invalid as invalid:
        raise _explained(invalid) from None
    return _answer(finding)
