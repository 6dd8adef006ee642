"""Share links for buyers: created for a certificate (or, when the exporter allows it, a project not yet
certified), listed, revoked, and opened by their token on the public verification page.

Only the token's SHA-256 is stored (:func:`app.services.tokens.hash_token`); the token is shown once, when
the link is made. Links belong to a workspace; a user sees the links of the certificates and projects they
see (a client manager: those of their clients). The rules are :mod:`app.domain.sharing`.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.domain import certification as cert_rules
from app.domain import sharing as rules
from app.domain.reference import country_name
from app.domain.text import _, _l
from app.extensions import db
from app.models import Certificate, CertificationProject, Client, ExternalAudit, ShareLink, Site
from app.services import certificates
from app.services.changes import apply_changes
from app.services.errors import Invalid, NotFound
from app.services.projects import project_in
from app.services.scope import Scope, get_or_404_in, scoped
from app.services.tokens import hash_token

NOT_SHARED = _l("This project does not show its progress to buyers: turn “Show progress to buyers” on first.")
ALREADY_CERTIFIED = _l("This project holds a valid certificate: share the certificate itself.")


@dataclass(frozen=True)
class NewLink:
    row: ShareLink
    token: str  # show it once, never store it

    @property
    def fingerprint(self) -> str:
        return rules.fingerprint(self.row.token_hash)


@dataclass(frozen=True)
class Target:
    """What a link opens: a certificate, or a project's progress."""

    certificate: Certificate | None = None
    project: CertificationProject | None = None


# ------------------------------------------------------------------------------- what may be shared


def _certificate_options() -> tuple[Any, ...]:
    return (
        joinedload(Certificate.client),
        joinedload(Certificate.body),
        joinedload(Certificate.standard),
        selectinload(Certificate.sites),
    )


def sharable_certificates(scope: Scope) -> list[Certificate]:
    """The certificates the user sees (their client not deleted), by client then number."""
    stmt = (
        scoped(scope, select(Certificate), Certificate)
        .join(Client, Client.id == Certificate.client_id)
        .where(Client.deleted_at.is_(None))
        .options(*_certificate_options())
        .order_by(Client.name, Certificate.number, Certificate.id)
    )
    return list(db.session.execute(stmt).unique().scalars())


def certificate_in(scope: Scope, certificate_id: int) -> Certificate:
    certificate = get_or_404_in(scope, Certificate, certificate_id, *_certificate_options())
    if certificate.client.deleted_at is not None:
        raise NotFound()
    return certificate


def _valid_certificate_projects(project_ids: list[int], today: date) -> set[int]:
    rows = db.session.execute(
        select(
            Certificate.project_id, Certificate.expires_on, Certificate.suspension, Certificate.suspension_on
        ).where(Certificate.project_id.in_(project_ids))
    ).all()
    return {
        row.project_id
        for row in rows
        if cert_rules.certificate_status(row.expires_on, row.suspension, row.suspension_on, today)
        is cert_rules.CertificateStatus.VALID
    }


def progress_projects(scope: Scope, today: date, linked: set[int]) -> list[tuple[CertificationProject, bool]]:
    """The projects the user sees that hold no valid certificate (those may show their progress) and those
    in ``linked`` (holding a link), each with whether it is certified."""
    stmt = (
        scoped(scope, select(CertificationProject), CertificationProject)
        .join(Client, Client.id == CertificationProject.client_id)
        .where(Client.deleted_at.is_(None))
        .options(
            joinedload(CertificationProject.client),
            joinedload(CertificationProject.site),
            joinedload(CertificationProject.standard),
            joinedload(CertificationProject.body),
        )
        .order_by(Client.name, CertificationProject.id)
    )
    projects = list(db.session.execute(stmt).unique().scalars())
    certified = _valid_certificate_projects([p.id for p in projects], today)
    return [(p, p.id in certified) for p in projects if p.id not in certified or p.id in linked]


def is_certified(project: CertificationProject, today: date) -> bool:
    return bool(_valid_certificate_projects([project.id], today))


def set_progress_sharing(project: CertificationProject, show: bool, version: int | None) -> None:
    """Turn a project's progress page for buyers on or off (off hides every progress link of it)."""
    apply_changes(project, ("show_progress_to_buyers",), {"show_progress_to_buyers": show}, version)


def project_for_progress(scope: Scope, project_id: int) -> CertificationProject:
    return project_in(scope, project_id)


# ------------------------------------------------------------------------------- links


def create_link(scope: Scope, target: Target, label: str, expires_on: date | None, today: date) -> NewLink:
    """A new link to ``target`` (already loaded in the scope). The caller commits, then shows the token."""
    errors = rules.link_errors(label, expires_on, today)
    project = target.project
    if project is not None and not project.show_progress_to_buyers:
        errors["target"] = str(NOT_SHARED)
    elif project is not None and is_certified(project, today):
        errors["target"] = str(ALREADY_CERTIFIED)
    if errors:
        raise Invalid(_("The link was not created."), errors)
    token = rules.new_token()
    row = ShareLink(
        workspace_id=scope.workspace_id,
        certificate_id=target.certificate.id if target.certificate else None,
        project_id=project.id if project else None,
        token_hash=hash_token(token),
        label=label.strip(),
        created_by_id=scope.user_id or None,
        expires_at=rules.expires_at(expires_on) if expires_on else None,
    )
    db.session.add(row)
    db.session.flush()  # the caller names the new link by its id
    return NewLink(row, token)


def _visible_links(scope: Scope) -> ColumnElement[bool]:
    """Links of certificates and projects the scope sees."""
    certificates = scoped(scope, select(Certificate.id), Certificate)
    projects = scoped(scope, select(CertificationProject.id), CertificationProject)
    return or_(ShareLink.certificate_id.in_(certificates), ShareLink.project_id.in_(projects))


def links_of(scope: Scope) -> list[ShareLink]:
    """Every link the user sees, newest first."""
    stmt = (
        select(ShareLink)
        .where(ShareLink.workspace_id == scope.workspace_id, _visible_links(scope))
        .order_by(ShareLink.created_at.desc(), ShareLink.id.desc())
    )
    return list(db.session.execute(stmt).scalars())


def link_in(scope: Scope, link_id: int) -> ShareLink:
    """One link the user sees, else :class:`NotFound` (another workspace's or client's, as if none)."""
    if not 0 < link_id <= 2**31 - 1:
        raise NotFound(_("No such share link."))
    stmt = select(ShareLink).where(
        ShareLink.id == link_id, ShareLink.workspace_id == scope.workspace_id, _visible_links(scope)
    )
    link = db.session.execute(stmt).scalar_one_or_none()
    if link is None:
        raise NotFound(_("No such share link."))
    return link


def certificate_numbers(links: list[ShareLink]) -> dict[int, str]:
    """The number of each linked certificate, by id, in one query."""
    ids = {link.certificate_id for link in links if link.certificate_id is not None}
    if not ids:
        return {}
    rows = db.session.execute(select(Certificate.id, Certificate.number).where(Certificate.id.in_(ids)))
    return {row.id: row.number for row in rows}


def revoke(link: ShareLink, now: datetime) -> None:
    """The link stops opening at once (revoking it again changes nothing). The caller commits."""
    if link.revoked_at is None:
        link.revoked_at = now


def state_of(link: ShareLink, now: datetime) -> rules.LinkState:
    return rules.link_state(link.revoked_at, link.expires_at, now)


# ------------------------------------------------------------------------------- the public page


def _active_link(token: str, now: datetime) -> ShareLink | None:
    if not rules.may_be_token(token):
        return None
    digest = hash_token(token)
    link = db.session.execute(select(ShareLink).where(ShareLink.token_hash == digest)).scalar_one_or_none()
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return None
    return link if state_of(link, now) is rules.LinkState.ACTIVE else None


def public_page(
    token: str, today: date, now: datetime
) -> rules.BuyerCertificate | rules.BuyerProgress | None:
    """What the link ``token`` shows today; None for an unknown, revoked or expired link, or one whose
    certificate's client was deleted or whose project no longer shows its progress (all alike)."""
    link = _active_link(token, now)
    if link is None:
        return None
    if link.certificate_id is not None:
        certificate = _certificate(select(Certificate).where(Certificate.id == link.certificate_id))
        return buyer_certificate(certificate, today) if certificate else None
    project = db.session.get(CertificationProject, link.project_id) if link.project_id else None
    if project is None or project.deleted_at is not None or not project.show_progress_to_buyers:
        return None
    if project.client.deleted_at is not None or project.site.deleted_at is not None:
        return None
    # Certified since the link was made: the buyer sees the certificate itself.
    latest = _certificate(
        select(Certificate)
        .where(Certificate.project_id == project.id)
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())
        .limit(1)
    )
    if latest is not None:
        return buyer_certificate(latest, today)
    return buyer_progress(project, today)


def _certificate(stmt: Select[Any]) -> Certificate | None:
    found = db.session.execute(stmt.options(*_certificate_options())).unique().scalar_one_or_none()
    certificate: Certificate | None = found
    if certificate is None or certificate.client.deleted_at is not None:
        return None
    return certificate


def _sites(sites: list[Site]) -> tuple[rules.BuyerSite, ...]:
    return tuple(
        rules.BuyerSite(s.name, s.address, s.country, country_name(s.country))
        for s in sites
        if s.deleted_at is None
    )


def _standard(certificate_or_project: Certificate | CertificationProject) -> rules.BuyerStandard:
    standard = certificate_or_project.standard
    return rules.buyer_standard(standard.code, standard.name, standard.version)


def buyer_certificate(certificate: Certificate, today: date) -> rules.BuyerCertificate:
    """The certificate as its public page shows it. Its status, cycle (the last surveillance held and the
    next audit due) and announced new edition are the certificate pages' own
    (:func:`app.services.certificates.certificate_view`), so both always agree."""
    view = certificates.certificate_view(certificate, today)
    last = view.last_surveillance
    held = cert_rules.CycleAudit(cert_rules.AuditKind(last.kind), last.ends_on, True) if last else None
    valid = view.status is cert_rules.CertificateStatus.VALID
    body = certificate.body
    return rules.BuyerCertificate(
        company=certificate.client.name,
        sites=_sites(certificate.sites),
        standard=_standard(certificate),
        number=certificate.number,
        scope=certificate.scope,
        sector_codes_text=certificate.sector_codes,
        sector_codes=rules.sector_codes(certificate.sector_codes),
        body_name=body.name,
        body_website=rules.web_link(body.website),
        body_website_text=body.website,
        accreditation=rules.accreditation(body.accreditation_body),
        accreditation_number=body.accreditation_number,
        status=str(view.status),
        status_label=view.status_label,
        original_on=certificate.original_on,
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        last_surveillance=rules.held_mention(held),
        next_audit=rules.due_mention(view.next_audit) if valid else None,
        transition_note=view.transition,
    )


def planned_audits(projects: list[CertificationProject]) -> dict[int, list[rules.PlannedAudit]]:
    """The stage 2 audits of ``projects`` (scheduled or held), by project, with their body's name (the
    project's body when the audit names none)."""
    stmt = (
        select(ExternalAudit)
        .where(
            ExternalAudit.project_id.in_([p.id for p in projects]),
            ExternalAudit.kind == str(cert_rules.AuditKind.STAGE2),
        )
        .options(joinedload(ExternalAudit.body))
    )
    bodies = {p.id: p.body.name if p.body else "" for p in projects}
    found: dict[int, list[rules.PlannedAudit]] = {p.id: [] for p in projects}
    for audit in db.session.execute(stmt).scalars():
        name = audit.body.name if audit.body else bodies[audit.project_id]
        found[audit.project_id].append(rules.PlannedAudit(audit.starts_on, audit.held, name))
    return found


def buyer_progress(
    project: CertificationProject, today: date, planned: list[rules.PlannedAudit] | None = None
) -> rules.BuyerProgress:
    if planned is None:
        planned = planned_audits([project])[project.id]
    audit = rules.next_certification_audit(planned, today)
    standard = _standard(project)
    return rules.BuyerProgress(
        company=project.client.name,
        sites=_sites([project.site]),
        standard=standard,
        statement=rules.progress_statement(standard.name, audit),
        audit=audit,
    )


# ------------------------------------------------------------------------------- the management page


@dataclass(frozen=True)
class LinkRow:
    link: ShareLink
    fingerprint: str
    state: rules.LinkState
    state_label: str
    badge: str
    expires_on: date | None


@dataclass(frozen=True)
class CertificateRow:
    certificate: Certificate
    status_label: str
    badge: str
    links: list[LinkRow]


@dataclass(frozen=True)
class ProjectRow:
    project: CertificationProject
    certified: bool  # then its links show its certificate
    statement: str  # what a buyer reads while it is not certified
    links: list[LinkRow]


@dataclass(frozen=True)
class SharingPage:
    certificates: list[CertificateRow]
    projects: list[ProjectRow]


def link_row(link: ShareLink, now: datetime) -> LinkRow:
    state = state_of(link, now)
    return LinkRow(
        link,
        rules.fingerprint(link.token_hash),
        state,
        rules.LINK_STATE_LABELS[state],
        rules.LINK_STATE_BADGES[state],
        rules.expiry_day(link.expires_at),
    )


def management_page(scope: Scope, today: date, now: datetime) -> SharingPage:
    """The certificates and uncertified projects the user sees, each with its links (newest first)."""
    links = links_of(scope)
    by_certificate: dict[int, list[LinkRow]] = {}
    by_project: dict[int, list[LinkRow]] = {}
    for link in links:
        rows = by_certificate if link.certificate_id is not None else by_project
        key = link.certificate_id if link.certificate_id is not None else link.project_id
        rows.setdefault(key or 0, []).append(link_row(link, now))
    certificates = []
    for certificate in sharable_certificates(scope):
        status = cert_rules.certificate_status(
            certificate.expires_on, certificate.suspension, certificate.suspension_on, today
        )
        certificates.append(
            CertificateRow(
                certificate,
                cert_rules.STATUS_LABELS[status],
                rules.STATUS_BADGES[str(status)],
                by_certificate.get(certificate.id, []),
            )
        )
    found = progress_projects(scope, today, set(by_project))
    planned = planned_audits([p for p, _ in found])
    projects = [
        ProjectRow(p, certified, buyer_progress(p, today, planned[p.id]).statement, by_project.get(p.id, []))
        for p, certified in found
    ]
    return SharingPage(certificates, projects)
