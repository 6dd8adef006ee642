"""A project's external audits (stage 1, stage 2, surveillance, recertification), the certification body's
findings raised from them into the nonconformity register, and the facts the External audit stage is judged
by. The rules are in :mod:`app.domain.certification`.

Shared by the pages and the API. A save is checked whole before anything is set (``Invalid`` per field,
nothing half-saved) and against the version the user read (``StaleVersion``). What is only advice (stage 1
or 2 scheduled while the go / no-go says NO-GO, a surveillance audit outside its window) is saved with a
warning, never refused.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, or_, select
from sqlalchemy.orm import selectinload

from app.charts.progress import TimelineEvent
from app.domain import certification as rules
from app.domain import external_audit as stage_rules
from app.domain import nonconformities as nc
from app.domain.permissions import Action
from app.domain.text import _, _l, grouped
from app.extensions import db
from app.models import Certificate, CertificationProject, ExternalAudit, Finding, Standard
from app.models.certification import certificate_sites
from app.services import bodies as body_service
from app.services import findings as finding_service
from app.services import gonogo
from app.services.changes import check_version
from app.services.errors import Conflict, Invalid, NotFound, StaleVersion
from app.services.findings import FindingFields
from app.services.scope import Scope, get_or_404_in

NOT_SAVED = _l("The audit was not saved: correct what is marked.")
NO_GO_WARNING = _l(
    "The stage 2 go / no-go says NO-GO for this project: the audit is scheduled all the same, and that is "
    "recorded. What is missing: %(reasons)s"
)
HELD, SCHEDULED = _l("Held"), _l("Scheduled")
TEXT_LIMITS = {"auditors": rules.AUDITORS_LIMIT, "report": 20_000, "notes": 20_000}


@dataclass
class AuditFields:
    """What a user types for an external audit (the page's form, the API's body)."""

    kind: str
    starts_on: date | None
    ends_on: date | None
    held: bool = False
    body_id: int | None = None  # None: the project's certification body
    auditors: str = ""
    report: str = ""  # the report's summary; for stage 1, its areas of concern
    concerns_resolved_on: date | None = None
    decision_on: date | None = None
    notes: str = ""


# The stage's facts


# The stage's statements are built once and run with the project's ids bound.
_PROJECT_ID = bindparam("project_id", type_=Integer)

_AUDIT_RECORDS = (
    select(
        ExternalAudit.id,
        ExternalAudit.kind,
        ExternalAudit.starts_on,
        ExternalAudit.ends_on,
        ExternalAudit.held,
        ExternalAudit.report,
        ExternalAudit.concerns_resolved_on,
        ExternalAudit.decision_on,
        ExternalAudit.certificate_id,
    )
    .where(ExternalAudit.project_id == _PROJECT_ID)
    .order_by(ExternalAudit.id)
)
_OPEN_MAJORS = (
    select(Finding.id, Finding.severity, Finding.clause_number, Finding.raised_on, Finding.external_audit_id)
    .where(
        Finding.project_id == _PROJECT_ID,
        Finding.source == nc.Source.EXTERNAL_AUDIT,
        Finding.severity == nc.Severity.MAJOR,
        Finding.status != nc.FindingState.CLOSED,
    )
    .order_by(Finding.id)
)


def _certificates(*columns: Any) -> Select[Any]:
    """The certificates recorded for a project, or its client's covering its site to its standard (any
    edition; the rule of :mod:`app.services.project_status`), latest decision first."""
    covers_site = select(certificate_sites.c.certificate_id).where(
        certificate_sites.c.site_id == bindparam("site_id", type_=Integer)
    )
    same_standard = select(Standard.id).where(Standard.code == bindparam("standard_code"))
    return (
        select(*columns)
        .where(
            Certificate.workspace_id == bindparam("workspace_id", type_=Integer),
            or_(
                Certificate.project_id == _PROJECT_ID,
                (Certificate.client_id == bindparam("client_id", type_=Integer))
                & Certificate.standard_id.in_(same_standard)
                & Certificate.id.in_(covers_site),
            ),
        )
        .order_by(Certificate.decision_on.desc(), Certificate.id.desc())
    )


_CERTIFICATES = _certificates(Certificate)
_CERTIFICATE_FACTS = _certificates(
    Certificate.number,
    Certificate.expires_on,
    Certificate.suspension,
    Certificate.suspension_on,
    Certificate.id,
    Certificate.decision_on,
)


def _certificate_params(project: CertificationProject) -> dict[str, Any]:
    return {
        "project_id": project.id,
        "workspace_id": project.workspace_id,
        "client_id": project.client_id,
        "site_id": project.site_id,
        "standard_code": project.standard.code,
    }


def stage_facts(
    project: CertificationProject, open_majors: tuple[stage_rules.OpenMajor, ...] | None = None
) -> stage_rules.ExternalAuditFacts:
    """The External audit stage's records (three queries; two when the register's ``open_majors`` are read
    already): the project's audits, the certification body's majors still open, and the certificates
    recorded for it (its own, or its client's covering its site to its standard)."""
    params = {"project_id": project.id}
    if open_majors is None:
        open_majors = tuple(
            stage_rules.OpenMajor(
                nc.label(m.id, m.severity, m.clause_number), m.raised_on, m.external_audit_id
            )
            for m in db.session.execute(_OPEN_MAJORS, params)
        )
    return stage_rules.ExternalAuditFacts(
        audits=tuple(
            stage_rules.AuditRecord(
                id=a.id,
                kind=rules.AuditKind(a.kind),
                starts_on=a.starts_on,
                ends_on=a.ends_on,
                held=a.held,
                concerns=bool(a.report.strip()) and a.kind == rules.AuditKind.STAGE1,
                concerns_resolved_on=a.concerns_resolved_on,
                decision_on=a.decision_on,
                certificate_id=a.certificate_id,
            )
            for a in db.session.execute(_AUDIT_RECORDS, params)
        ),
        open_majors=open_majors,
        certificates=tuple(
            stage_rules.CertificateFacts(*row)
            for row in db.session.execute(_CERTIFICATE_FACTS, _certificate_params(project))
        ),
    )


def project_certificates(project: CertificationProject) -> list[Certificate]:
    """The certificates recorded for the project, or its client's covering its site to its standard, latest
    decision first (one query)."""
    return list(db.session.execute(_CERTIFICATES, _certificate_params(project)).scalars())


# Lookups


def audits_of(project: CertificationProject) -> list[ExternalAudit]:
    """The project's external audits, earliest first, with their bodies (two queries)."""
    return list(
        db.session.execute(
            select(ExternalAudit)
            .where(ExternalAudit.project_id == project.id)
            .options(selectinload(ExternalAudit.body))
            .order_by(ExternalAudit.starts_on, ExternalAudit.id)
        ).scalars()
    )


def audit_in(scope: Scope, project: CertificationProject, audit_id: int) -> ExternalAudit:
    audit = get_or_404_in(scope, ExternalAudit, audit_id)
    if audit.project_id != project.id:
        raise NotFound()
    return audit


@dataclass(frozen=True)
class AuditRow:
    """An external audit as the pages and the API show it: its label, state, body and warnings."""

    audit: ExternalAudit
    label: str
    state: str  # "Held" or "Scheduled"
    body_name: str
    warnings: tuple[str, ...]
    findings: int = 0  # raised at it


def audit_row(audit: ExternalAudit, findings: int = 0) -> AuditRow:
    warnings = []
    if audit.scheduled_on_no_go:
        warnings.append(_("Scheduled while the go / no-go said NO-GO."))
    if warning := window_warning(audit):
        warnings.append(warning)
    return AuditRow(
        audit,
        rules.KIND_LABELS.get(rules.AuditKind(audit.kind), audit.kind),
        HELD if audit.held else SCHEDULED,
        audit.body.name if audit.body else "—",
        tuple(warnings),
        findings,
    )


def audit_rows(project: CertificationProject) -> list[AuditRow]:
    """The project's external audits, earliest first, with the findings raised at each."""
    audits = audits_of(project)
    counts = dict(
        db.session.execute(
            select(Finding.external_audit_id, func.count())
            .where(Finding.project_id == project.id, Finding.external_audit_id.is_not(None))
            .group_by(Finding.external_audit_id)
        ).all()
    )
    return [audit_row(audit, counts.get(audit.id, 0)) for audit in audits]


def findings_of(audit: ExternalAudit) -> list[Finding]:
    return list(
        db.session.execute(
            select(Finding).where(Finding.external_audit_id == audit.id).order_by(Finding.id)
        ).scalars()
    )


def readable_body(scope: Scope, body_id: int | None) -> bool:
    """Whether ``body_id`` names a certification body the scope reads (the rule of
    :mod:`app.services.bodies`: of the workspace; for a client manager, one their clients use or an unused
    one)."""
    if body_id is None:
        return False
    try:
        body_service.body_in(scope, body_id)
    except NotFound:
        return False
    return True


def cycle_certificate(project: CertificationProject) -> Certificate | None:
    """The certificate whose cycle the project's surveillance and recertification audits belong to."""
    return next(iter(project_certificates(project)), None)


def timeline_events(facts: stage_rules.ExternalAuditFacts) -> list[TimelineEvent]:
    """The project's external audits, held or scheduled, earliest first, and the window of the next audit of
    its certificate's cycle not held yet, for the timeline chart (from the stage's facts: no query)."""
    audits = sorted(facts.audits, key=lambda a: (a.starts_on, a.id))
    events = [
        TimelineEvent(
            str(rules.KIND_LABELS[a.kind]), a.starts_on, a.ends_on, "held" if a.held else "scheduled"
        )
        for a in audits
    ]
    certificate = next(iter(facts.certificates), None)  # the cycle's: the latest decision
    if certificate is not None and certificate.decision_on is not None:
        done = {a.kind for a in audits if a.held and a.certificate_id == certificate.id}
        first = next((a.ends_on for a in audits if a.held and a.kind == rules.AuditKind.SURVEILLANCE1
                      and a.certificate_id == certificate.id), None)  # fmt: skip
        due = next(
            (w for w in rules.cycle_windows(certificate.decision_on, first) if w.kind not in done), None
        )
        if due is not None:
            events.append(
                TimelineEvent(
                    _("%(audit)s due", audit=rules.KIND_LABELS[due.kind]), due.earliest, due.latest, "window"
                )
            )
    return events


# Saving


def _errors(scope: Scope, project: CertificationProject, fields: AuditFields, today: date) -> dict[str, str]:
    errors = rules.audit_errors(
        fields.kind,
        fields.starts_on,
        fields.ends_on,
        fields.held,
        today,
        fields.decision_on,
        fields.concerns_resolved_on,
    )
    if (
        fields.body_id is not None
        and fields.body_id != project.body_id
        and not readable_body(scope, fields.body_id)
    ):
        errors["body_id"] = _("Choose one of the workspace's certification bodies.")
    for name, limit in TEXT_LIMITS.items():
        if len(getattr(fields, name)) > limit:
            errors.setdefault(name, _("Use at most %(limit)s characters.", limit=grouped(limit)))
    return errors


def _checked(scope: Scope, project: CertificationProject, fields: AuditFields, today: date) -> AuditFields:
    fields = replace(
        fields,
        auditors=fields.auditors.strip(),
        report=fields.report.strip(),
        notes=fields.notes.strip(),
        body_id=fields.body_id if fields.body_id is not None else project.body_id,
    )
    errors = _errors(scope, project, fields, today)
    if errors:
        raise Invalid(str(NOT_SAVED), errors)
    return fields


def no_go_reasons(project: CertificationProject, today: date) -> list[str] | None:
    """Why the stage 2 go / no-go says NO-GO now; None when it says GO."""
    answer = gonogo.go_no_go(project, today)
    return None if answer.go else answer.reasons


def _flag_no_go(project: CertificationProject, audit: ExternalAudit, today: date) -> list[str]:
    """Stage 1 or 2 scheduled while the go / no-go says NO-GO: recorded on the audit, and the warning."""
    if audit.kind not in rules.STAGE_KINDS or audit.held:
        return []
    reasons = no_go_reasons(project, today)
    if reasons is None:
        return []
    audit.scheduled_on_no_go = True
    return [(NO_GO_WARNING % {"reasons": " ".join(reasons[:3])}).strip()]


def window_warning(audit: ExternalAudit) -> str | None:
    """A surveillance or recertification audit dated outside its window of its certificate's cycle."""
    kind = rules.AuditKind(audit.kind)
    if kind in rules.STAGE_KINDS or audit.certificate_id is None:
        return None
    certificate = db.session.get(Certificate, audit.certificate_id)
    if certificate is None:
        return None
    first = db.session.execute(
        select(ExternalAudit.ends_on)
        .where(
            ExternalAudit.certificate_id == certificate.id,
            ExternalAudit.kind == rules.AuditKind.SURVEILLANCE1,
            ExternalAudit.held.is_(True),
            ExternalAudit.id != audit.id,
        )
        .order_by(ExternalAudit.ends_on)
        .limit(1)
    ).scalar_one_or_none()
    if kind is rules.AuditKind.SURVEILLANCE1:
        first = None
    return rules.window_warning(kind, audit.starts_on, certificate.decision_on, first)


def _apply(audit: ExternalAudit, fields: AuditFields) -> None:
    for name in ("kind", "starts_on", "ends_on", "held", "body_id", "auditors", "report", "notes"):
        if getattr(audit, name) != getattr(fields, name):
            setattr(audit, name, getattr(fields, name))
    audit.concerns_resolved_on = fields.concerns_resolved_on
    audit.decision_on = fields.decision_on


def _link_cycle(project: CertificationProject, audit: ExternalAudit) -> None:
    """A surveillance or recertification audit belongs to the cycle of the project's certificate."""
    if audit.kind in rules.STAGE_KINDS:
        audit.certificate_id = None
    elif audit.certificate_id is None and (certificate := cycle_certificate(project)):
        audit.certificate_id = certificate.id


def create_audit(
    scope: Scope, project: CertificationProject, fields: AuditFields, today: date
) -> tuple[ExternalAudit, list[str]]:
    """Record an external audit, held or scheduled; the warnings to show with it."""
    scope.require(Action.EDIT_CONTENT)
    checked = _checked(scope, project, fields, today)
    audit = ExternalAudit(project_id=project.id, scheduled_on_no_go=False)
    _apply(audit, checked)
    warnings = _flag_no_go(project, audit, today)
    _link_cycle(project, audit)
    db.session.add(audit)
    db.session.flush()
    return audit, [*warnings, *filter(None, [window_warning(audit)])]


def update_audit(
    scope: Scope,
    project: CertificationProject,
    audit: ExternalAudit,
    fields: AuditFields,
    today: date,
    version: int | None = None,
) -> list[str]:
    """Save the audit as edited from the copy read at ``version``; the warnings to show with it."""
    scope.require(Action.EDIT_CONTENT)
    try:
        check_version(audit, version)
    except StaleVersion:
        raise StaleVersion(audit, "external audit") from None
    checked = _checked(scope, project, fields, today)
    before = (audit.kind, audit.starts_on, audit.held)
    _apply(audit, checked)
    rescheduled = (audit.kind, audit.starts_on, audit.held) != before
    warnings = _flag_no_go(project, audit, today) if rescheduled else []
    _link_cycle(project, audit)
    return [*warnings, *filter(None, [window_warning(audit)])]


# The certification body's findings


def raise_finding(
    scope: Scope, project: CertificationProject, audit: ExternalAudit, fields: FindingFields, today: date
) -> Finding:
    """A finding of the certification body at this audit, into the register: raised on the audit's last day,
    a major due within the body's deadline unless the body gave another day."""
    if not audit.held:
        raise Conflict(_("Record the audit as held before raising its findings."))
    fields = replace(fields, source=nc.Source.EXTERNAL_AUDIT, raised_on=audit.ends_on)
    if fields.deadline is None and fields.severity == nc.Severity.MAJOR:
        days = audit.body.major_deadline_days if audit.body else nc.DEFAULT_MAJOR_DEADLINE_DAYS
        fields.deadline = nc.external_deadline(audit.ends_on, nc.Severity.MAJOR, days)
    finding = finding_service.create_finding(scope, project, fields, today)
    finding.external_audit_id = audit.id
    return finding
