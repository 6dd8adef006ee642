"""The external audit and certificate API (same bearer tokens, same JSON errors as the rest of /api/v1); the
rules are :mod:`app.domain.certification`, the loads and saves :mod:`app.services.external_audits` and
:mod:`app.services.certificates`:

- ``GET/POST /api/v1/projects/<id>/external-audits``: the project's audits by the certification body;
  recording one, held or scheduled (saved with its warnings: scheduled on NO-GO, outside its window).
- ``GET/PATCH .../external-audits/<external_audit_id>`` (If-Match: its ETag).
- ``GET/POST /api/v1/certificates``: the workspace's certificates; recording one for a client's sites.
- ``GET/PATCH /api/v1/certificates/<certificate_id>``: one with its cycle (If-Match: its ETag).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from pydantic import BaseModel

from app.api import ApiError
from app.api.certification_schemas import (
    CertificateCreate,
    CertificatePatch,
    ExternalAuditCreate,
    ExternalAuditPatch,
)
from app.api.requests import explained, model_body
from app.domain.permissions import Action
from app.domain.text import _, _l
from app.models import Certificate, ExternalAudit
from app.services import certificates as certificate_service
from app.services import external_audits as service
from app.services.certificates import CertificateFields, CertificateView
from app.services.errors import Invalid, NotFound
from app.services.external_audits import AuditFields, AuditRow
from app.web.access import current_scope, requires
from app.web.project_request import project

bp = Blueprint("external_audits", __name__, url_prefix="/external-audits")
certificates_bp = Blueprint("certificates", __name__, url_prefix="/certificates")


def _body(model: type[BaseModel]) -> Any:
    return model_body(request, model)


# Whole sentences per record (the article and the noun change together in other languages).
_CHANGED = {
    "audit": _l(
        'The audit changed since you read it (its ETag is now "%(etag)s"): GET it again, then send your '
        "change."
    ),
    "certificate": _l(
        'The certificate changed since you read it (its ETag is now "%(etag)s"): GET it again, then send '
        "your change."
    ),
}


def _check_etag(version: int, what: str) -> None:
    etag = f"v{version}"
    if request.if_match and not request.if_match.contains(etag):
        raise ApiError(412, _CHANGED[what] % {"etag": etag})


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# External audits


def audit_json(row: AuditRow, warnings: list[str] | None = None) -> dict[str, Any]:
    audit = row.audit
    return {
        "id": audit.id,
        "kind": audit.kind,
        "kind_label": row.label,
        "body": {"id": audit.body.id, "name": audit.body.name} if audit.body else None,
        "starts_on": audit.starts_on.isoformat(),
        "ends_on": audit.ends_on.isoformat(),
        "held": audit.held,
        "auditors": audit.auditors,
        "report": audit.report,
        "concerns_resolved_on": _iso(audit.concerns_resolved_on),
        "decision_on": _iso(audit.decision_on),
        "scheduled_on_no_go": audit.scheduled_on_no_go,
        "certificate_id": audit.certificate_id,
        "notes": audit.notes,
        "findings": row.findings,
        "warnings": list(row.warnings) if warnings is None else warnings,
        "url": url_for(
            "api.project.external_audits.show_audit", project_id=project().id, external_audit_id=audit.id
        ),
    }


def _audit_answer(audit: ExternalAudit, status: int = 200, warnings: list[str] | None = None) -> Response:
    row = service.audit_row(audit, len(service.findings_of(audit)))
    response = jsonify(audit_json(row, warnings))
    response.status_code = status
    response.set_etag(f"v{audit.version}")
    return response


@bp.get("")
def list_audits() -> Any:
    items = [audit_json(row) for row in service.audit_rows(project())]
    return {"items": items, "total": len(items)}


@bp.post("")
@requires(Action.EDIT_CONTENT)
def create_audit() -> Any:
    body: ExternalAuditCreate = _body(ExternalAuditCreate)
    fields = AuditFields(**body.model_dump())
    try:
        audit, warnings = service.create_audit(current_scope(), project(), fields, date.today())
    except Invalid as invalid:
        raise explained(invalid) from None
    return _audit_answer(audit, 201, warnings)


@bp.get("/<int:external_audit_id>")
def show_audit(external_audit_id: int) -> Any:
    audit = service.audit_in(current_scope(), project(), external_audit_id)
    return _audit_answer(audit).make_conditional(request)


def _audit_fields(audit: ExternalAudit) -> dict[str, Any]:
    names = AuditFields.__dataclass_fields__
    return {name: getattr(audit, name) for name in names}


@bp.patch("/<int:external_audit_id>")
@requires(Action.EDIT_CONTENT)
def update_audit(external_audit_id: int) -> Any:
    audit = service.audit_in(current_scope(), project(), external_audit_id)
    _check_etag(audit.version, "audit")
    body: ExternalAuditPatch = _body(ExternalAuditPatch)
    fields = AuditFields(
        **(_audit_fields(audit) | {name: getattr(body, name) for name in body.model_fields_set})
    )
    try:
        warnings = service.update_audit(current_scope(), project(), audit, fields, date.today())
    except Invalid as invalid:
        raise explained(invalid) from None
    return _audit_answer(audit, 200, warnings)


# Certificates


def certificate_json(view: CertificateView) -> dict[str, Any]:
    c = view.certificate
    return {
        "id": c.id,
        "number": c.number,
        "client": {"id": c.client.id, "name": c.client.name},
        "project_id": c.project_id,
        "body": {
            "id": c.body.id,
            "name": c.body.name,
            "accreditation_body": c.body.accreditation_body,
            "accreditation_warning": view.accreditation_warning,
        },
        "standard": {"code": c.standard.code, "name": c.standard.name, "edition": c.standard.version},
        "sites": [{"id": s.id, "name": s.name, "address": s.address, "country": s.country} for s in c.sites],
        "scope": c.scope,
        "sector_codes": c.sector_codes,
        "original_on": c.original_on.isoformat(),
        "decision_on": c.decision_on.isoformat(),
        "issued_on": c.issued_on.isoformat(),
        "expires_on": c.expires_on.isoformat(),
        "suspension": c.suspension,
        "suspension_on": _iso(c.suspension_on),
        "status": str(view.status),
        "transition": view.transition,
        "notes": c.notes,
        "url": url_for("api.certificates.show_certificate", certificate_id=c.id),
    }


def _cycle_json(view: CertificateView) -> dict[str, Any]:
    return {
        "windows": [
            {
                "kind": str(w.kind),
                "earliest": w.earliest.isoformat(),
                "latest": w.latest.isoformat(),
                "rule": w.rule,
                "held_on": _iso(w.held_on),
            }
            for w in view.windows
        ],
        "audits": [
            {
                "id": r.audit.id,
                "project_id": r.audit.project_id,
                "kind": r.audit.kind,
                "starts_on": r.audit.starts_on.isoformat(),
                "ends_on": r.audit.ends_on.isoformat(),
                "held": r.audit.held,
                "warning": r.warning,
            }
            for r in view.audits
        ],
        "next_audit": (
            {
                "kind": str(view.next_audit.kind),
                "due_by": view.next_audit.due_by.isoformat(),
                "overdue": view.next_audit.overdue,
            }
            if view.next_audit
            else None
        ),
        "last_surveillance_on": _iso(view.last_surveillance.ends_on if view.last_surveillance else None),
    }


def _certificate_answer(certificate: Certificate, status: int = 200) -> Response:
    view = certificate_service.certificate_view(certificate, date.today())
    response = jsonify(certificate_json(view) | {"cycle": _cycle_json(view)})
    response.status_code = status
    response.set_etag(f"v{certificate.version}")
    return response


@certificates_bp.get("")
def list_certificates() -> Any:
    scope = current_scope()
    rows = certificate_service.certificate_list(scope)
    items = [
        certificate_json(view)
        for view in certificate_service.brief_views(rows, scope.workspace_id, date.today())
    ]
    return {"items": items, "total": len(items)}


@certificates_bp.post("")
@requires(Action.MANAGE_PROJECTS)
def create_certificate() -> Any:
    body: CertificateCreate = _body(CertificateCreate)
    try:
        client = certificate_service.client_for_certificate(current_scope(), body.client_id)
    except NotFound:
        raise ApiError(
            422, _("client_id: no such client in this workspace."), {"client_id": _("Unknown.")}
        ) from None
    fields = CertificateFields(**body.model_dump(exclude={"client_id"}))
    try:
        certificate = certificate_service.create_certificate(current_scope(), client, fields, date.today())
    except Invalid as invalid:
        raise explained(invalid) from None
    return _certificate_answer(certificate, 201)


@certificates_bp.get("/<int:certificate_id>")
def show_certificate(certificate_id: int) -> Any:
    certificate = certificate_service.certificate_in(current_scope(), certificate_id)
    return _certificate_answer(certificate).make_conditional(request)


def _certificate_fields(certificate: Certificate) -> dict[str, Any]:
    current = {
        name: getattr(certificate, name)
        for name in CertificateFields.__dataclass_fields__
        if name != "site_ids"
    }
    return current | {"site_ids": [site.id for site in certificate.sites]}


@certificates_bp.patch("/<int:certificate_id>")
@requires(Action.MANAGE_PROJECTS)
def update_certificate(certificate_id: int) -> Any:
    certificate = certificate_service.certificate_in(current_scope(), certificate_id)
    _check_etag(certificate.version, "certificate")
    body: CertificatePatch = _body(CertificatePatch)
    sent = {name: getattr(body, name) for name in body.model_fields_set}
    fields = CertificateFields(**(_certificate_fields(certificate) | sent))
    try:
        certificate_service.update_certificate(current_scope(), certificate, fields, date.today())
    except Invalid as invalid:
        raise explained(invalid) from None
    return _certificate_answer(certificate)
