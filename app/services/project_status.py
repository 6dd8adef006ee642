"""A project's status as shown: "certified" while a valid certificate covers it (app.domain.gates), else the
status its team set. One query for any number of projects."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import bindparam, or_, select

from app.domain import gates
from app.domain.certification import CertificateStatus, certificate_status
from app.extensions import db
from app.models import Certificate, CertificationProject, Standard, certificate_sites

# Built once (every project page asks), the projects' ids bound as lists.
_CERTIFICATES = (
    select(
        Certificate.project_id,
        certificate_sites.c.site_id,
        Standard.code,
        Certificate.expires_on,
        Certificate.suspension,
        Certificate.suspension_on,
    )
    .join(Standard, Standard.id == Certificate.standard_id)
    .outerjoin(certificate_sites, certificate_sites.c.certificate_id == Certificate.id)
    .where(
        Certificate.workspace_id.in_(bindparam("workspace_ids", expanding=True)),
        or_(
            Certificate.project_id.in_(bindparam("project_ids", expanding=True)),
            certificate_sites.c.site_id.in_(bindparam("site_ids", expanding=True)),
        ),
    )
)


def certified_ids(projects: Sequence[CertificationProject], today: date) -> frozenset[int]:
    """The projects a valid certificate covers: one recorded for the project, or one covering its site for
    the same standard (a multi-site certificate). The status is the domain's rule, decided here in Python.
    The projects' standards must be loaded (the project pages and the list load them with the project)."""
    if not projects:
        return frozenset()
    rows = db.session.execute(
        _CERTIFICATES,
        {
            "workspace_ids": list({p.workspace_id for p in projects}),
            "project_ids": [p.id for p in projects],
            "site_ids": list({p.site_id for p in projects}),
        },
    ).all()
    valid = [
        row
        for row in rows
        if certificate_status(row.expires_on, row.suspension, row.suspension_on, today)
        == CertificateStatus.VALID
    ]
    return frozenset(
        p.id
        for p in projects
        if any(
            row.project_id == p.id or (row.site_id == p.site_id and row.code == p.standard.code)
            for row in valid
        )
    )


def status_of(project: CertificationProject, today: date) -> str:
    """The status a project shows (one query)."""
    return gates.project_status(project.status, project.id in certified_ids([project], today))


def statuses_of(projects: Sequence[CertificationProject], today: date) -> dict[int, str]:
    """The status each of ``projects`` shows, by id (one query)."""
    certified = certified_ids(projects, today)
    return {p.id: gates.project_status(p.status, p.id in certified) for p in projects}
