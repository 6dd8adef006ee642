"""The internal audit API, nested in the API's project blueprint (same bearer tokens, same JSON errors); the
rules are :mod:`app.domain.audits`, the loads and saves :mod:`app.services.audits`:

- ``GET /api/v1/projects/<id>/audits``: the programme and its coverage of the cycle; ``POST`` plans an
  audit (its checklist is made from its scope).
- ``GET .../audits/<audit_id>``: one audit with its team, checklist and findings (ETag: its version);
  ``PATCH`` changes a planned audit's plan (If-Match, or ``version`` in the body).
- ``POST .../audits/<audit_id>/transitions``: start, report (raising a finding per nonconforming line) or
  close.
- ``PATCH .../audits/<audit_id>/lines/<line_id>``: answer a checklist line (If-Match, or ``version``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from pydantic import BaseModel

from app.api import ApiError
from app.api.audit_schemas import AuditCreate, AuditLinePatch, AuditPatch, AuditTransition
from app.api.requests import explained, model_body
from app.api.responses import iso
from app.domain.nonconformities import label
from app.domain.permissions import Action
from app.domain.text import _l
from app.models import AuditLine, InternalAudit
from app.services import audit_pages as pages
from app.services import audits as service
from app.services.errors import Invalid
from app.web.access import current_scope, requires
from app.web.project_request import project

bp = Blueprint("audits", __name__)

# The service's name of a field where the API's differs.
API_FIELD_NAMES = {"team": "team_ids", "evidence": "evidence_ids"}


# Answers


def _url(audit_id: int) -> str:
    return url_for("api.project.audits.show_audit", project_id=project().id, audit_id=audit_id)


def _etag(row: InternalAudit | AuditLine) -> str:
    return f"v{row.version}"


def _with_etag(body: dict[str, Any], row: InternalAudit | AuditLine, status: int = 200) -> Response:
    response = jsonify(body)
    response.status_code = status
    response.set_etag(_etag(row))
    return response


def programme_json(programme: pages.Programme) -> dict[str, Any]:
    coverage = programme.coverage
    return {
        "items": [
            {
                "id": row.audit.id,
                "title": row.audit.title,
                "status": row.audit.status.value,
                "planned_start": row.audit.planned_start.isoformat(),
                "planned_end": row.planned_end.isoformat(),
                "reported_on": iso(row.audit.reported_on),
                "lead_auditor": row.lead,
                "sections": row.sections,
                "findings": row.findings,
                "url": _url(row.audit.id),
            }
            for row in programme.rows
        ],
        "total": len(programme.rows),
        "cycle_start": programme.cycle_start.isoformat(),
        "coverage": [
            {
                "section": section,
                "title": programme.section_titles.get(section, ""),
                "covered": bool(coverage.reported.get(section)),
                "reported": [a.id for a in coverage.reported.get(section, ())],
                "planned": [a.id for a in coverage.planned.get(section, ())],
            }
            for section in coverage.sections
        ],
    }


def line_json(line: AuditLine, evidence_ids: list[int]) -> dict[str, Any]:
    return {
        "id": line.id,
        "clause": line.clause.number,
        "title": line.clause.title,
        "section": line.clause.section,
        "position": line.position,
        "prompt": line.prompt,
        "result": line.result,
        "notes": line.notes,
        "evidence_ids": evidence_ids,
        "version": line.version,
    }


def audit_json(audit: InternalAudit, today: date) -> dict[str, Any]:
    """The audit as answered (``audit`` loaded with its lines)."""
    view = pages.audit_view(project(), audit, today)
    evidence = service.line_evidence(line.id for line in audit.lines)
    return {
        "id": audit.id,
        "title": audit.title,
        "status": audit.status,
        "planned_start": audit.planned_start.isoformat(),
        "planned_end": audit.planned_end.isoformat(),
        "started_on": iso(audit.started_on),
        "reported_on": iso(audit.reported_on),
        "closed_on": iso(audit.closed_on),
        "scope": [clause.number for clause in audit.scope],
        "sections": view.sections,
        "departments": audit.departments,
        "lead_auditor_id": audit.lead_auditor_id,
        "team": [
            {
                "id": member.person.id,
                "name": member.person.name,
                "department": member.person.department,
                "lead": member.lead,
                "qualified": member.qualified,
                "own_department": member.own_department,
            }
            for member in view.team
        ],
        "independence_reason": audit.independence_reason,
        "summary": audit.summary,
        "notes": audit.notes,
        "version": audit.version,
        "allowed_transitions": [step.value for step in view.transitions],
        "lines": [line_json(line, [item.id for item in evidence.get(line.id, [])]) for line in audit.lines],
        "findings": [
            {
                "id": finding.id,
                "label": label(finding.id, finding.severity, finding.clause_number),
                "clause_number": finding.clause_number,
                "severity": finding.severity,
                "status": finding.status,
                "description": finding.description,
            }
            for finding in view.findings
        ],
        "url": _url(audit.id),
    }


# Requests


def _body(model: type[BaseModel]) -> Any:
    return model_body(request, model)


def _explained(invalid: Invalid) -> Invalid:
    return explained(invalid, API_FIELD_NAMES, repeat=False)


# Whole sentences per record (the article and the noun change together in other languages).
_CHANGED = {
    "audit": _l(
        'The audit changed since you read it (its ETag is now "%(etag)s"): GET it again, then send your '
        "change."
    ),
    "checklist line": _l(
        'The checklist line changed since you read it (its ETag is now "%(etag)s"): GET it again, then send '
        "your change."
    ),
}


def _check_if_match(row: InternalAudit | AuditLine, what: str) -> None:
    if request.if_match and not request.if_match.contains(_etag(row)):
        raise ApiError(412, _CHANGED[what] % {"etag": _etag(row)})


def _sent(body: BaseModel) -> dict[str, Any]:
    return {name: getattr(body, name) for name in body.model_fields_set if name != "version"}


def _audit(audit_id: int) -> InternalAudit:
    return service.audit_in(current_scope(), project(), audit_id, lines=True)


# Views


@bp.get("/audits")
def list_audits() -> Any:
    return programme_json(pages.programme(project(), date.today()))


@bp.post("/audits")
@requires(Action.EDIT_CONTENT)
def create_audit() -> Any:
    body: AuditCreate = _body(AuditCreate)
    fields = service.AuditFields(**body.model_dump())
    try:
        created = service.plan_audit(current_scope(), project(), fields)
    except Invalid as invalid:
        raise _explained(invalid) from None
    audit = _audit(created.id)
    return _with_etag(audit_json(audit, date.today()), audit, 201)


@bp.get("/audits/<int:audit_id>")
def show_audit(audit_id: int) -> Any:
    audit = _audit(audit_id)
    return _with_etag(audit_json(audit, date.today()), audit)


@bp.patch("/audits/<int:audit_id>")
@requires(Action.EDIT_CONTENT)
def update_audit(audit_id: int) -> Any:
    audit = _audit(audit_id)
    _check_if_match(audit, "audit")
    body: AuditPatch = _body(AuditPatch)
    fields = replace(service.fields_of(audit), **_sent(body))
    try:
        service.update_audit(current_scope(), project(), audit, fields, version=body.version)
    except Invalid as invalid:
        raise _explained(invalid) from None
    return _with_etag(audit_json(audit, date.today()), audit)


@bp.post("/audits/<int:audit_id>/transitions")
@requires(Action.EDIT_CONTENT)
def transition_audit(audit_id: int) -> Any:
    audit = _audit(audit_id)
    body: AuditTransition = _body(AuditTransition)
    values = service.ReportValues(body.reported_on, body.summary)
    try:
        service.take_step(current_scope(), audit, body.action, values, version=body.version)
    except Invalid as invalid:
        raise _explained(invalid) from None
    return _with_etag(audit_json(audit, date.today()), audit)


@bp.patch("/audits/<int:audit_id>/lines/<int:line_id>")
@requires(Action.EDIT_CONTENT)
def update_line(audit_id: int, line_id: int) -> Any:
    audit = _audit(audit_id)
    line = service.line_in(audit, line_id)
    _check_if_match(line, "checklist line")
    body: AuditLinePatch = _body(AuditLinePatch)
    saved = [item.id for item in service.line_evidence([line.id]).get(line.id, [])]
    current = service.LineFields(line.result, line.notes, saved)
    fields = replace(current, **_sent(body))
    try:
        service.update_line(current_scope(), project(), audit, line, fields, version=body.version)
    except Invalid as invalid:
        raise _explained(invalid) from None
    evidence = [item.id for item in service.line_evidence([line.id]).get(line.id, [])]
    return _with_etag(line_json(line, evidence), line)
