"""The External audit stage's criteria, from the certification body's audits and the certificates recorded:
stage 1 held and its areas of concern resolved, stage 2 held, no major of the body still open (one open past
``certification.stage2_reverify_by`` means a new stage 2), the certification decision recorded, and a valid
certificate. The cycle's rules themselves live in :mod:`app.domain.certification`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.certification import (
    DECISION_KINDS,
    AuditKind,
    CertificateStatus,
    certificate_status,
    stage2_reverify_by,
)
from app.domain.pathway import Criterion, describe_list
from app.domain.pathway import check_criterion as check
from app.domain.text import _, _l, ngettext

# Whole sentences per stage (the article and the audit's name change together in other languages).
_SCHEDULED = {
    AuditKind.STAGE1: _l("The stage 1 audit is scheduled for %(day)s; it has not been held yet."),
    AuditKind.STAGE2: _l("The stage 2 audit is scheduled for %(day)s; it has not been held yet."),
}
_NOT_HELD = {
    AuditKind.STAGE1: _l("No stage 1 audit is recorded as held yet: record it under External audits."),
    AuditKind.STAGE2: _l("No stage 2 audit is recorded as held yet: record it under External audits."),
}
# A certificate that is not valid, by its status.
_NOT_VALID = {
    CertificateStatus.SUSPENDED: _l("%(number)s is suspended"),
    CertificateStatus.WITHDRAWN: _l("%(number)s is withdrawn"),
    CertificateStatus.EXPIRED: _l("%(number)s is expired"),
    CertificateStatus.VALID: _l("%(number)s is valid"),
}


@dataclass(frozen=True)
class AuditRecord:
    """An external audit of a project as the External audit stage sees it; ``concerns``: stage 1 recorded
    areas of concern to resolve before stage 2."""

    id: int
    kind: AuditKind
    starts_on: date
    ends_on: date
    held: bool
    concerns: bool = False
    concerns_resolved_on: date | None = None
    decision_on: date | None = None
    certificate_id: int | None = None  # the certificate whose cycle a surveillance or recertification is of


@dataclass(frozen=True)
class OpenMajor:
    """A major finding of the certification body not closed, and the audit it was raised at (if recorded)."""

    label: str
    raised_on: date
    external_audit_id: int | None = None


@dataclass(frozen=True)
class CertificateFacts:
    number: str
    expires_on: date
    suspension: str = ""
    suspension_on: date | None = None
    id: int | None = None
    decision_on: date | None = None  # the decision the certificate's cycle runs from

    def status(self, today: date) -> CertificateStatus:
        return certificate_status(self.expires_on, self.suspension, self.suspension_on, today)


@dataclass(frozen=True)
class ExternalAuditFacts:
    """The records the External audit stage is judged by: the project's external audits, the certification
    body's majors still open, and the certificates recorded for the project."""

    audits: tuple[AuditRecord, ...] = ()
    open_majors: tuple[OpenMajor, ...] = ()
    certificates: tuple[CertificateFacts, ...] = ()

    def latest(self, kind: AuditKind, held: bool = True) -> AuditRecord | None:
        found = [a for a in self.audits if a.kind is kind and a.held == held]
        return max(found, key=lambda a: (a.ends_on, a.id), default=None)


def _not_held(facts: ExternalAuditFacts, kind: AuditKind) -> str:
    planned = facts.latest(kind, held=False)
    if planned:
        return _SCHEDULED[kind] % {"day": planned.starts_on.isoformat()}
    return str(_NOT_HELD[kind])


def _stage1_missing(facts: ExternalAuditFacts) -> str | None:
    stage1 = facts.latest(AuditKind.STAGE1)
    if stage1 is None:
        return _not_held(facts, AuditKind.STAGE1)
    if stage1.concerns and stage1.concerns_resolved_on is None:
        return _(
            "Stage 1 (ended %(day)s) raised areas of concern: record the day they were resolved, before "
            "stage 2.",
            day=stage1.ends_on.isoformat(),
        )
    return None


def _stage2_of(major: OpenMajor, facts: ExternalAuditFacts) -> AuditRecord | None:
    """The stage 2 a major came from: the audit it was raised at, else the last stage 2 held by that day."""
    held = [a for a in facts.audits if a.kind is AuditKind.STAGE2 and a.held]
    linked = next((a for a in held if a.id == major.external_audit_id), None)
    if linked or major.external_audit_id is not None:
        return linked
    before = [a for a in held if a.ends_on <= major.raised_on]
    return max(before, key=lambda a: (a.ends_on, a.id), default=None)


def new_stage2_needed(facts: ExternalAuditFacts, today: date) -> OpenMajor | None:
    """A major of a stage 2 still open past :func:`stage2_reverify_by` with no stage 2 held since: the
    certification body holds a new stage 2."""
    for major in facts.open_majors:
        stage2 = _stage2_of(major, facts)
        if stage2 is None or today <= stage2_reverify_by(stage2.ends_on):
            continue
        since = [
            a for a in facts.audits if a.kind is AuditKind.STAGE2 and a.held and a.ends_on > stage2.ends_on
        ]
        if not since:
            return major
    return None


def _majors_missing(facts: ExternalAuditFacts, today: date) -> str | None:
    majors = facts.open_majors
    if not majors:
        return None
    text = ngettext(
        "%(num)d major finding from the certification body still open: %(names)s.",
        "%(num)d major findings from the certification body still open: %(names)s.",
        len(majors),
        names=describe_list([m.label for m in majors], 3),
    )
    late = new_stage2_needed(facts, today)
    if late is not None:
        stage2 = _stage2_of(late, facts)
        assert stage2 is not None  # new_stage2_needed found it
        new_stage2 = _(
            "%(finding)s was not verified closed by %(day)s, six months after stage 2 ended on %(ended)s: a "
            "new stage 2 is needed.",
            finding=late.label,
            day=stage2_reverify_by(stage2.ends_on).isoformat(),
            ended=stage2.ends_on.isoformat(),
        )
        text = f"{text} {new_stage2}"
    return text


def _decision_missing(facts: ExternalAuditFacts) -> str | None:
    decided = [a for a in facts.audits if a.kind in DECISION_KINDS and a.held and a.decision_on]
    if decided:
        return None
    if facts.latest(AuditKind.STAGE2) is None:
        return _("The certification decision follows a stage 2 audit held.")
    return _("The certification body's decision is not recorded: give its date on the stage 2 audit.")


def _certificate_missing(facts: ExternalAuditFacts, today: date) -> str | None:
    if not facts.certificates:
        return _("No certificate is recorded for this project yet.")
    statuses = [(c, c.status(today)) for c in facts.certificates]
    if any(status is CertificateStatus.VALID for _, status in statuses):
        return None
    shown = "; ".join(_NOT_VALID[status] % {"number": c.number} for c, status in statuses[:3])
    return _("No valid certificate: %(certificates)s.", certificates=shown)


def external_audit_criteria(facts: ExternalAuditFacts, today: date) -> list[Criterion]:
    """The External audit stage's criteria, from its records: stage 1 held and its concerns resolved,
    stage 2 held, no major of the certification body open (one open past six months after its stage 2
    means a new stage 2), the certification decision recorded, and a valid certificate recorded."""
    return [
        check("external_audit.stage1", _("Stage 1 held and its concerns resolved"), _stage1_missing(facts),
              _("Stage 1 was held and any concern it raised is resolved.")),
        check("external_audit.stage2", _("Stage 2 held"), None if facts.latest(AuditKind.STAGE2)
              else _not_held(facts, AuditKind.STAGE2), _("The stage 2 audit was held.")),
        check("external_audit.no_open_major", _("No open major finding from the certification body"),
              _majors_missing(facts, today), _("No major finding from the certification body is open.")),
        check("external_audit.decision", _("Certification decision recorded"), _decision_missing(facts),
              _("The certification body's decision is recorded.")),
        check("external_audit.certificate", _("Certificate recorded"), _certificate_missing(facts, today),
              _("A valid certificate is recorded.")),
    ]  # fmt: skip
