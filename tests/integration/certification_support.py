"""Certification bodies, external audits and certificates stored as rows (committed, as a finished request
would), for the tests of the external audit and certificate pages and API, and the ids and calls the walks
of every route need."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.domain.certification import expiry
from app.extensions import db
from app.models import (
    Certificate,
    CertificationBody,
    CertificationProject,
    ExternalAudit,
    Site,
    Standard,
)

TODAY = date.today()
_counter = itertools.count(1)


def add_body(workspace_id: int, name: str | None = None, **fields: Any) -> CertificationBody:
    values = {"accreditation_body": "UKAS", "major_deadline_days": 60} | fields
    body = CertificationBody(workspace_id=workspace_id, name=name or f"Body {next(_counter)}", **values)
    db.session.add(body)
    db.session.commit()
    return body


def add_audit(
    project: CertificationProject,
    kind: str = "stage2",
    starts_on: date | None = None,
    days: int = 2,
    held: bool = True,
    **fields: Any,
) -> ExternalAudit:
    starts_on = starts_on or TODAY - timedelta(days=30)
    audit = ExternalAudit(
        project_id=project.id,
        kind=kind,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=days - 1),
        held=held,
        **fields,
    )
    db.session.add(audit)
    db.session.commit()
    return audit


def add_certificate(
    project: CertificationProject,
    body: CertificationBody | None = None,
    decision_on: date | None = None,
    sites: list[Site] | None = None,
    **fields: Any,
) -> Certificate:
    """A certificate of the project's client for its site (``sites`` to cover others), to its standard."""
    body = body or add_body(project.workspace_id)
    decision_on = decision_on or TODAY - timedelta(days=60)
    values = {
        "number": f"QMS-{next(_counter):05d}",
        "scope": "Manufacture of cork stoppers for wine bottles.",
        "original_on": decision_on,
        "decision_on": decision_on,
        "issued_on": decision_on,
        "expires_on": expiry(decision_on),
    } | fields
    certificate = Certificate(
        workspace_id=project.workspace_id,
        client_id=project.client_id,
        project_id=project.id,
        body_id=body.id,
        standard_id=project.standard_id,
        sites=sites or [project.site],
        **values,
    )
    db.session.add(certificate)
    db.session.commit()
    return certificate


def latest_standard(code: str = "iso9001") -> Standard:
    return db.session.execute(
        select(Standard).where(Standard.code == code).order_by(Standard.id.desc()).limit(1)
    ).scalar_one()


# The walks of every route (tests/integration/test_tenancy.py, test_api.py)


def certification_walk_values(project: CertificationProject) -> dict[str, int]:
    """A held stage 2 (to raise a finding at) and a certificate of the project."""
    audit = add_audit(project, "stage2")
    certificate = add_certificate(project)
    return {"external_audit_id": audit.id, "certificate_id": certificate.id}


def certification_call(method: str, path: str, values: dict[str, Any]) -> dict[str, Any]:
    """The request keyword arguments of a call of an external audit or certificate API route that succeeds
    with ``values`` (from :func:`certification_walk_values`); none for the other routes."""
    day = (TODAY - timedelta(days=3)).isoformat()
    if method == "POST" and path.endswith("/external-audits"):
        return {"json": {"kind": "stage1", "starts_on": day, "ends_on": day, "held": True}}
    if method == "PATCH" and "/external-audits/" in path:
        return {"json": {"auditors": "Ms Hoa (lead)"}}
    if method == "POST" and path.endswith("/certificates"):
        certificate = db.session.get(Certificate, values["certificate_id"])
        assert certificate is not None
        body = {
            "client_id": certificate.client_id,
            "site_ids": [site.id for site in certificate.sites],
            "body_id": certificate.body_id,
            "standard_id": certificate.standard_id,
            "number": f"NEW-{next(_counter):05d}",
            "scope": "Manufacture of cork stoppers.",
            "original_on": day,
            "decision_on": day,
            "issued_on": day,
        }
        return {"json": body}
    if method == "PATCH" and "/certificates/" in path:
        return {"json": {"notes": "Checked on the body's register."}}
    return {}
