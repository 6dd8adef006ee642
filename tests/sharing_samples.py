"""Certificates, external audits and share links written directly (committed, as a finished request would),
and the share-link values for the route walks."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import (
    Certificate,
    CertificationBody,
    CertificationProject,
    ExternalAudit,
    ShareLink,
    Site,
    Standard,
)
from app.services import sharing
from tests.evidence_samples import scope_for

TODAY = date.today()
_numbers = itertools.count(1)
SCOPE_TEXT = "Design and manufacture of stainless steel kitchen sinks."


def add_body(workspace_id: int, **fields: Any) -> CertificationBody:
    values = {
        "name": f"Vina Cert {next(_numbers)}",
        "accreditation_body": "UKAS",
        "accreditation_number": "0123",
        "website": "https://www.vinacert.example/register",
    } | fields
    body = CertificationBody(workspace_id=workspace_id, **values)
    db.session.add(body)
    db.session.commit()
    return body


def add_certificate(
    project: CertificationProject,
    body: CertificationBody | None = None,
    sites: list[Site] | None = None,
    **fields: Any,
) -> Certificate:
    """A certificate of the project's client for its site: decided 300 days ago, valid three years."""
    body = body or add_body(project.workspace_id)
    decision = TODAY - timedelta(days=300)
    values = {
        "number": f"VN-{project.id}-{body.id}-QMS",
        "scope": SCOPE_TEXT,
        "sector_codes": "17",
        "original_on": decision,
        "decision_on": decision,
        "issued_on": decision + timedelta(days=3),
        "expires_on": decision + timedelta(days=3 * 365),
    } | fields
    standard = db.session.get(Standard, project.standard_id)
    assert standard is not None
    certificate = Certificate(
        workspace_id=project.workspace_id,
        client_id=project.client_id,
        project_id=project.id,
        body_id=body.id,
        standard_id=standard.id,
        sites=sites if sites is not None else [db.session.get(Site, project.site_id)],
        **values,
    )
    db.session.add(certificate)
    db.session.commit()
    return certificate


def add_audit(
    project: CertificationProject, kind: str, ends_on: date, held: bool, **fields: Any
) -> ExternalAudit:
    audit = ExternalAudit(
        project_id=project.id,
        kind=kind,
        starts_on=ends_on - timedelta(days=1),
        ends_on=ends_on,
        held=held,
        **fields,
    )
    db.session.add(audit)
    db.session.commit()
    return audit


def add_link(
    target: Certificate | CertificationProject,
    label: str = "Buyer: Acme GmbH",
    expires_on: date | None = None,
) -> sharing.NewLink:
    """A link made through the service, as an owner would; its token is in ``.token``."""
    if isinstance(target, Certificate):
        project = db.session.get(CertificationProject, target.project_id)
        chosen = sharing.Target(certificate=target)
    else:
        project, chosen = target, sharing.Target(project=target)
    assert project is not None
    created = sharing.create_link(scope_for(None, project), chosen, label, expires_on, TODAY)
    db.session.commit()
    return created


def sharing_ids(project: CertificationProject) -> dict[str, int]:
    """A share link of the project's workspace (to the project's certificate, made if need be), for the
    route walks."""
    certificate = db.session.execute(
        select(Certificate).where(Certificate.project_id == project.id).limit(1)
    ).scalar_one_or_none() or add_certificate(project)
    return {"share_link_id": add_link(certificate, "Walk").row.id}


def sharing_call(method: str, path: str, values: dict[str, Any]) -> dict[str, Any]:
    """The request keyword arguments of a call of a share-link API route that succeeds with ``values`` (from
    :func:`sharing_ids`); none for the other routes."""
    if method != "POST" or not path.endswith("/share-links"):
        return {}
    link = db.session.get(ShareLink, values["share_link_id"])
    assert link is not None
    return {"json": {"certificate_id": link.certificate_id, "label": "Walk: new link"}}
