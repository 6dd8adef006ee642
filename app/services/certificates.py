"""Certificates (per client, covering one or more of its sites), their cycle of surveillance and
recertification audits, and the announced transitions to a new edition of a standard. The rules are in
:mod:`app.domain.certification`.

Shared by the pages and the API. A save is checked whole before anything is set (``Invalid`` per field,
nothing half-saved): a site of another client, a project of another client, a number the body already gave
another certificate, an expiry before issue. Two saves racing past the number's check are caught by the
database's constraint and told beside the field, never with a 500.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.domain import certification as rules
from app.domain.permissions import Action
from app.domain.text import _, _l, grouped
from app.extensions import db
from app.models import (
    Certificate,
    CertificationProject,
    Client,
    EditionTransition,
    ExternalAudit,
    Site,
    Standard,
)
from app.services.changes import check_version, refused_if_taken
from app.services.errors import Invalid, NotFound, StaleVersion
from app.services.external_audits import readable_body
from app.services.scope import Scope, get_or_404_in, scoped

NOT_SAVED = _l("The certificate was not saved: correct what is marked.")
HELD, SCHEDULED = _l("Held"), _l("Scheduled")
SUSPENSIONS = ("", rules.CertificateStatus.SUSPENDED.value, rules.CertificateStatus.WITHDRAWN.value)
LIMITS = {"number": 60, "sector_codes": 200, "scope": 5_000, "notes": 20_000}
CYCLE_KINDS = (rules.AuditKind.SURVEILLANCE1, rules.AuditKind.SURVEILLANCE2, rules.AuditKind.RECERTIFICATION)


@dataclass
class CertificateFields:
    """What a user types for a certificate (the page's form, the API's body); the client is the page's."""

    site_ids: list[int]
    body_id: int | None
    standard_id: int | None
    number: str
    scope: str
    original_on: date | None
    decision_on: date | None
    issued_on: date | None
    expires_on: date | None = None  # None: three years from the decision
    project_id: int | None = None
    sector_codes: str = ""
    suspension: str = ""
    suspension_on: date | None = None
    notes: str = ""


# Lookups


def certificate_list(scope: Scope, client: Client | None = None) -> list[Certificate]:
    """The certificates the scope may see (of live clients; of ``client`` only when given), by client then
    number (five queries)."""
    stmt = scoped(scope, select(Certificate), Certificate)
    if client is not None:
        stmt = stmt.where(Certificate.client_id == client.id)
    stmt = (
        stmt.join(Client, Client.id == Certificate.client_id)
        .where(Client.deleted_at.is_(None))
        .options(
            selectinload(Certificate.client),
            selectinload(Certificate.body),
            selectinload(Certificate.standard),
            selectinload(Certificate.sites),
        )
        .order_by(Client.name, Certificate.number, Certificate.id)
    )
    return list(db.session.execute(stmt).scalars())


def certificates_of_client(client: Client) -> list[Certificate]:
    stmt = (
        select(Certificate)
        .where(Certificate.client_id == client.id)
        .options(selectinload(Certificate.standard), selectinload(Certificate.sites))
        .order_by(Certificate.decision_on.desc(), Certificate.id)
    )
    return list(db.session.execute(stmt).scalars())


def certificate_in(scope: Scope, certificate_id: int) -> Certificate:
    """A certificate the scope may see, of a live client, or 404."""
    certificate = get_or_404_in(scope, Certificate, certificate_id, selectinload(Certificate.sites))
    if certificate.client.deleted_at is not None:
        raise NotFound()
    return certificate


def clients(scope: Scope) -> list[Client]:
    """The live clients the scope may record a certificate for, by name."""
    return list(db.session.execute(scoped(scope, select(Client), Client).order_by(Client.name)).scalars())


def client_for_certificate(scope: Scope, client_id: int) -> Client:
    return get_or_404_in(scope, Client, client_id)


def live_sites(client: Client) -> list[Site]:
    stmt = (
        select(Site)
        .where(Site.client_id == client.id, Site.deleted_at.is_(None))
        .order_by(Site.name, Site.id)
    )
    return list(db.session.execute(stmt).scalars())


def live_projects(client: Client) -> list[CertificationProject]:
    stmt = (
        select(CertificationProject)
        .where(CertificationProject.client_id == client.id, CertificationProject.deleted_at.is_(None))
        .options(selectinload(CertificationProject.site), selectinload(CertificationProject.standard))
        .order_by(CertificationProject.id)
    )
    return list(db.session.execute(stmt).scalars())


def standards() -> list[Standard]:
    return list(db.session.execute(select(Standard).order_by(Standard.code, Standard.version)).scalars())


# Saving


def _number_taken(body_id: int, number: str, client: Client, other_than: int | None) -> str | None:
    stmt = select(Certificate.client_id).where(Certificate.body_id == body_id, Certificate.number == number)
    if other_than is not None:
        stmt = stmt.where(Certificate.id != other_than)
    owner = db.session.execute(stmt.limit(1)).scalar_one_or_none()
    if owner is None:
        return None
    return _taken_message(number, owner != client.id)


def _taken_message(number: str, other_client: bool = True) -> str:
    if other_client:
        return _(
            "This certification body's number %(number)s is already used for another client.", number=number
        )
    return _(
        "This certification body's number %(number)s is already used for another certificate of this client.",
        number=number,
    )


def _site_errors(client: Client, site_ids: Sequence[int]) -> tuple[list[Site], str | None]:
    if not site_ids:
        return [], _("Tick at least one site the certificate covers.")
    sites = {site.id: site for site in live_sites(client)}
    strangers = [site_id for site_id in site_ids if site_id not in sites]
    if strangers:
        return [], _("Only sites of %(client)s can be covered by its certificate.", client=client.name)
    return [sites[site_id] for site_id in dict.fromkeys(site_ids)], None


def _field_errors(
    scope: Scope, client: Client, fields: CertificateFields, today: date, other_than: int | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name, limit in LIMITS.items():
        if len(getattr(fields, name)) > limit:
            errors[name] = _("Use at most %(limit)s characters.", limit=grouped(limit))
    if not fields.number:
        errors["number"] = _("Give the certificate's number, as printed on it.")
    if not fields.scope:
        errors["scope"] = _("Copy the scope as the certificate words it.")
    if rules.parse_sector_codes(fields.sector_codes) is None:
        errors["sector_codes"] = _("IAF sector codes are numbers from 1 to 39, e.g. “14, 19”.")
    if not readable_body(scope, fields.body_id):
        errors["body_id"] = _("Choose the certification body that issued it.")
    if fields.standard_id is None or db.session.get(Standard, fields.standard_id) is None:
        errors["standard_id"] = _("Choose the standard the certificate is to.")
    if fields.project_id is not None and fields.project_id not in {p.id for p in live_projects(client)}:
        errors["project_id"] = _("Choose one of %(client)s's projects, or none.", client=client.name)
    required = {"original_on": _l("Give the date of the original certification."),
                "decision_on": _l("Give the date of the certification decision."),
                "issued_on": _l("Give the date of the issue.")}  # fmt: skip
    for name, message in required.items():
        if getattr(fields, name) is None:
            errors[name] = str(message)
    errors |= _suspension_errors(fields, today)
    days = {name: getattr(fields, name) for name in (*required, "expires_on", "suspension_on")}
    dates = rules.date_errors(days, today)
    if not dates:
        expires = fields.expires_on or (rules.expiry(fields.decision_on) if fields.decision_on else None)
        errors |= {
            k: v
            for k, v in rules.certificate_errors(
                fields.issued_on, fields.decision_on, expires, fields.original_on
            ).items()
            if k not in errors
        }
    errors |= dates
    if "number" not in errors and "body_id" not in errors and fields.body_id is not None:
        taken = _number_taken(fields.body_id, fields.number, client, other_than)
        errors |= {"number": taken} if taken else {}
    return errors


def _suspension_errors(fields: CertificateFields, today: date) -> dict[str, str]:
    if fields.suspension not in SUSPENSIONS:
        return {"suspension": _("Choose suspended, withdrawn or neither.")}
    if fields.suspension and fields.suspension_on is None:
        return {"suspension_on": _("Give the day the certification body suspended or withdrew it.")}
    if not fields.suspension and fields.suspension_on is not None:
        return {"suspension_on": _("A day is given only for a suspension or a withdrawal.")}
    return {}


def _checked(
    scope: Scope, client: Client, fields: CertificateFields, today: date, other_than: int | None = None
) -> tuple[dict[str, object], list[Site]]:
    for name in ("number", "scope", "sector_codes", "notes"):
        setattr(fields, name, getattr(fields, name).strip())
    errors = _field_errors(scope, client, fields, today, other_than)
    sites, site_error = _site_errors(client, fields.site_ids)
    if site_error:
        errors["site_ids"] = site_error
    if errors:
        raise Invalid(str(NOT_SAVED), errors)
    assert fields.decision_on is not None  # checked above
    codes = rules.parse_sector_codes(fields.sector_codes) or ()
    values: dict[str, object] = {
        "project_id": fields.project_id,
        "body_id": fields.body_id,
        "standard_id": fields.standard_id,
        "number": fields.number,
        "scope": fields.scope,
        "sector_codes": ", ".join(str(code) for code in codes),
        "original_on": fields.original_on,
        "decision_on": fields.decision_on,
        "issued_on": fields.issued_on,
        "expires_on": fields.expires_on or rules.expiry(fields.decision_on),
        "suspension": fields.suspension,
        "suspension_on": fields.suspension_on,
        "notes": fields.notes,
    }
    return values, sites


def _unique_number(number: str) -> AbstractContextManager[None]:
    return refused_if_taken(str(NOT_SAVED), "number", _taken_message(number))


def create_certificate(scope: Scope, client: Client, fields: CertificateFields, today: date) -> Certificate:
    scope.require(Action.MANAGE_PROJECTS)
    values, sites = _checked(scope, client, fields, today)
    certificate = Certificate(workspace_id=client.workspace_id, client_id=client.id, **values)
    with _unique_number(fields.number):
        certificate.sites = sites
        db.session.add(certificate)
    return certificate


def update_certificate(
    scope: Scope, certificate: Certificate, fields: CertificateFields, today: date, version: int | None = None
) -> None:
    """Save the certificate as edited from the copy read at ``version`` (its client stays)."""
    scope.require(Action.MANAGE_PROJECTS)
    try:
        check_version(certificate, version)
    except StaleVersion:
        raise StaleVersion(certificate, "certificate") from None
    values, sites = _checked(scope, certificate.client, fields, today, other_than=certificate.id)
    with _unique_number(fields.number):
        for name, value in values.items():
            if getattr(certificate, name) != value:
                setattr(certificate, name, value)
        if [s.id for s in certificate.sites] != [s.id for s in sites]:
            certificate.sites = sites


# What a certificate's page shows


@dataclass(frozen=True)
class CycleAuditRow:
    audit: ExternalAudit
    label: str
    state: str  # "Held" or "Scheduled"
    warning: str | None


@dataclass(frozen=True)
class WindowRow:
    kind: rules.AuditKind
    label: str
    earliest: date
    latest: date
    rule: str
    held_on: date | None


@dataclass(frozen=True)
class CertificateView:
    certificate: Certificate
    status: rules.CertificateStatus
    status_label: str
    accreditation_warning: str | None
    transition: str | None
    windows: list[WindowRow] = field(default_factory=list)
    audits: list[CycleAuditRow] = field(default_factory=list)
    next_audit: rules.NextAudit | None = None
    last_surveillance: ExternalAudit | None = None

    @property
    def next_label(self) -> str | None:
        return rules.KIND_LABELS[self.next_audit.kind] if self.next_audit else None


def cycle_audits(certificate: Certificate) -> list[ExternalAudit]:
    """The surveillance and recertification audits of the certificate's cycle: linked to it, or of its
    project (one query)."""
    linked = ExternalAudit.certificate_id == certificate.id
    condition = linked
    if certificate.project_id is not None:
        condition = or_(linked, ExternalAudit.project_id == certificate.project_id)
    stmt = (
        select(ExternalAudit)
        .where(condition, ExternalAudit.kind.in_([k.value for k in CYCLE_KINDS]))
        .order_by(ExternalAudit.starts_on, ExternalAudit.id)
    )
    return list(db.session.execute(stmt).scalars())


def _cycle_facts(audits: Sequence[ExternalAudit]) -> list[rules.CycleAudit]:
    return [rules.CycleAudit(rules.AuditKind(a.kind), a.ends_on, a.held) for a in audits]


def transition_note(
    standard: Standard, announced: Mapping[str, EditionTransition], today: date
) -> str | None:
    """The note of an announced new edition, when the certificate's standard is of an older one."""
    found = announced.get(standard.code)
    if found is None or not rules.is_older_edition(standard.version, found.edition):
        return None
    return rules.transition_note(found.edition, found.deadline, today)


def brief_view(
    certificate: Certificate, today: date, announced: Mapping[str, EditionTransition] | None = None
) -> CertificateView:
    """The certificate with its status and warnings; ``announced`` the workspace's new editions by standard
    code (read when not given)."""
    if announced is None:
        announced = {t.standard_code: t for t in transitions(certificate.workspace_id)}
    status = rules.certificate_status(
        certificate.expires_on, certificate.suspension, certificate.suspension_on, today
    )
    return CertificateView(
        certificate,
        status,
        rules.STATUS_LABELS[status],
        rules.accreditation_warning(certificate.body.accreditation_body),
        transition_note(certificate.standard, announced, today),
    )


def brief_views(certificates: Sequence[Certificate], workspace_id: int, today: date) -> list[CertificateView]:
    announced = {t.standard_code: t for t in transitions(workspace_id)}
    return [brief_view(c, today, announced) for c in certificates]


def certificate_view(certificate: Certificate, today: date) -> CertificateView:
    """The certificate with its status, warnings and cycle: windows, audits (each warned when outside its
    window), the next audit due and the last surveillance."""
    audits = cycle_audits(certificate)
    facts = _cycle_facts(audits)
    first = next((a.ends_on for a in audits if a.held and a.kind == rules.AuditKind.SURVEILLANCE1), None)
    windows = rules.cycle_windows(certificate.decision_on, first)
    held = {
        kind: max((a.ends_on for a in facts if a.held and a.kind is kind), default=None)
        for kind in CYCLE_KINDS
    }
    rows = [
        CycleAuditRow(
            audit,
            rules.KIND_LABELS[rules.AuditKind(audit.kind)],
            HELD if audit.held else SCHEDULED,
            rules.window_warning(
                rules.AuditKind(audit.kind),
                audit.starts_on,
                certificate.decision_on,
                None if audit.kind == rules.AuditKind.SURVEILLANCE1 else first,
            ),
        )
        for audit in audits
    ]
    last = rules.last_surveillance(facts)
    base = brief_view(certificate, today)
    return CertificateView(
        **{name: getattr(base, name) for name in ("certificate", "status", "status_label")},
        accreditation_warning=base.accreditation_warning,
        transition=base.transition,
        windows=[
            WindowRow(w.kind, rules.KIND_LABELS[w.kind], w.earliest, w.latest, w.rule, held[w.kind])
            for w in windows
        ],
        audits=rows,
        next_audit=rules.next_audit(certificate.decision_on, facts, today),
        last_surveillance=next(
            (a for a in audits if last and a.held and a.ends_on == last.ends_on and a.kind == last.kind), None
        ),
    )


# Announced editions


@dataclass
class TransitionFields:
    standard_code: str
    edition: str
    published_on: date | None
    deadline: date | None


def transitions(workspace_id: int) -> list[EditionTransition]:
    stmt = (
        select(EditionTransition)
        .where(EditionTransition.workspace_id == workspace_id)
        .order_by(EditionTransition.standard_code)
    )
    return list(db.session.execute(stmt).scalars())


def standard_codes() -> list[tuple[str, str]]:
    """(code, name) of each standard the catalog has, the latest name per code."""
    names: dict[str, str] = {}
    for standard in standards():
        names[standard.code] = standard.name
    return sorted(names.items())


def record_transition(scope: Scope, fields: TransitionFields, today: date) -> EditionTransition:
    """Record (or correct) the announced new edition of a standard for the workspace: an owner's."""
    scope.require(Action.MANAGE_WORKSPACE)
    fields.edition = fields.edition.strip()
    errors = rules.transition_errors(fields.edition, fields.published_on, fields.deadline)
    errors |= rules.date_errors({"published_on": fields.published_on, "deadline": fields.deadline}, today)
    if fields.standard_code not in dict(standard_codes()):
        errors["standard_code"] = _("Choose a standard of the catalog.")
    if errors:
        raise Invalid(_("The new edition was not recorded: correct what is marked."), errors)
    found = db.session.execute(
        select(EditionTransition).where(
            EditionTransition.workspace_id == scope.workspace_id,
            EditionTransition.standard_code == fields.standard_code,
        )
    ).scalar_one_or_none()
    values = {"edition": fields.edition, "published_on": fields.published_on, "deadline": fields.deadline}
    if found is None:
        found = EditionTransition(workspace_id=scope.workspace_id, standard_code=fields.standard_code)
        try:
            with db.session.begin_nested():
                for name, value in values.items():
                    setattr(found, name, value)
                db.session.add(found)
                db.session.flush()
        except IntegrityError as exc:
            message = _("Someone recorded this standard's new edition at the same moment: look again.")
            raise Invalid(message, {"standard_code": message}) from exc
        return found
    for name, value in values.items():
        setattr(found, name, value)
    return found
