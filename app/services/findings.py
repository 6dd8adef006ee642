"""The nonconformity and corrective action register of a project: raising and editing findings, their
transitions (plan, implement, check, close), the register's list and the figures of a period, and the
alerts the stages and next steps read. The rules are in :mod:`app.domain.nonconformities`.

Shared by the pages and the API. Every change is checked against the version of the finding the user saw
(a stale copy raises :class:`~app.services.errors.StaleVersion`, nothing saved) and against the rules as a
whole before anything is set, raising :class:`~app.services.errors.Invalid` per field (422) or
:class:`~app.services.errors.Refused` (403): nothing is ever half-saved.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Integer, bindparam, select
from sqlalchemy.orm import selectinload

from app.domain import nonconformities as rules
from app.domain.external_audit import OpenMajor
from app.domain.next_steps import FindingAlert
from app.domain.permissions import Action, action_to_change_finding
from app.domain.text import _, _l
from app.extensions import db
from app.models import CertificationProject, Clause, EffectivenessCheckRecord, Finding, InternalAudit
from app.services.changes import check_version
from app.services.errors import Invalid, NotFound, Refused
from app.services.scope import Scope, get_or_404_in

ALERT_COLUMNS = (
    Finding.id,
    Finding.source,
    Finding.severity,
    Finding.status,
    Finding.clause_number,
    Finding.raised_on,
    Finding.action_due,
    Finding.effectiveness_due,
    Finding.deadline,
)
LIFTING_A_MAJOR = _l(
    "Closing a major finding, or lowering its severity while it is open, is for an owner, consultant or "
    "client manager: record the corrective action and its check, and ask one of them to close it."
)
NOT_SAVED = _l("Nothing was saved: correct what is marked.")
# The values each transition reads.
TRANSITION_FIELDS: Mapping[rules.Transition, tuple[str, ...]] = {
    rules.Transition.PLAN: (
        "root_cause_method",
        "root_cause",
        "corrective_action",
        "action_owner",
        "action_due",
        "effectiveness_due",
    ),
    rules.Transition.IMPLEMENT: ("implemented_on",),
    rules.Transition.CHECK: ("checked_on", "checked_by", "result", "notes"),
    rules.Transition.CLOSE: ("corrective_action",),
}


# Facts


def facts_of(row: object) -> rules.FindingFacts:
    """The dates and state of a finding row (or a row of ``ALERT_COLUMNS``), without its checks."""
    return rules.FindingFacts(
        severity=rules.Severity(row.severity),  # type: ignore[attr-defined]
        state=rules.FindingState(row.status),  # type: ignore[attr-defined]
        raised_on=row.raised_on,  # type: ignore[attr-defined]
        action_due=row.action_due,  # type: ignore[attr-defined]
        effectiveness_due=row.effectiveness_due,  # type: ignore[attr-defined]
        deadline=row.deadline,  # type: ignore[attr-defined]
    )


def finding_facts(finding: Finding) -> rules.FindingFacts:
    """A finding as the rules see it, with its root cause, action and every effectiveness check."""
    return rules.FindingFacts(
        severity=rules.Severity(finding.severity),
        state=rules.FindingState(finding.status),
        raised_on=finding.raised_on,
        root_cause_method=finding.root_cause_method,
        root_cause=finding.root_cause,
        corrective_action=finding.corrective_action,
        action_owner=finding.action_owner,
        action_due=finding.action_due,
        implemented_on=finding.implemented_on,
        effectiveness_due=finding.effectiveness_due,
        deadline=finding.deadline,
        checks=tuple(
            rules.EffectivenessCheck(c.checked_on, c.checked_by, rules.CheckResult(c.result), c.notes)
            for c in finding.checks
        ),
    )


@dataclass(frozen=True)
class RegisterAlerts:
    """What the stages and next steps need from the register, read in one query; ``external_majors``: the
    certification body's majors still open, as the External audit stage reads them."""

    open_majors_by_source: dict[str, int]
    overdue: tuple[FindingAlert, ...]
    open_majors: tuple[FindingAlert, ...]
    external_majors: tuple[OpenMajor, ...] = ()


_OPEN_ALERTS = select(*ALERT_COLUMNS, Finding.external_audit_id).where(
    Finding.project_id == bindparam("project_id", type_=Integer), Finding.status != rules.FindingState.CLOSED
)  # built once: building costs more than running it


def alerts(project: CertificationProject, today: date) -> RegisterAlerts:
    rows = db.session.execute(_OPEN_ALERTS, {"project_id": project.id}).all()
    majors: Counter[str] = Counter()
    overdue, open_majors, external = [], [], []
    for row in sorted(rows, key=lambda r: r.id):
        facts = facts_of(row)
        alert = FindingAlert(
            row.id, rules.label(row.id, row.severity, row.clause_number), rules.due_date(facts)
        )
        if rules.is_overdue(facts, today):
            overdue.append(alert)
        if facts.severity is rules.Severity.MAJOR:
            majors[row.source] += 1
            open_majors.append(alert)
            if row.source == rules.Source.EXTERNAL_AUDIT:
                external.append(OpenMajor(alert.label, row.raised_on, row.external_audit_id))
    return RegisterAlerts(dict(majors), tuple(overdue), tuple(open_majors), tuple(external))


# Lookups


def finding_in(scope: Scope, project: CertificationProject, finding_id: int) -> Finding:
    """A finding of this project the scope may see, with its checks (2 queries), or 404."""
    finding = get_or_404_in(scope, Finding, finding_id, selectinload(Finding.checks))
    if finding.project_id != project.id:
        raise NotFound()
    return finding


@dataclass(frozen=True)
class AuditRef:
    id: int
    title: str


def source_audit(finding: Finding) -> AuditRef | None:
    """The internal audit the finding was raised in, if any."""
    if finding.audit_id is None:
        return None
    row = db.session.execute(
        select(InternalAudit.id, InternalAudit.title).where(InternalAudit.id == finding.audit_id)
    ).first()
    return AuditRef(row.id, row.title) if row else None


def _clause_error(project: CertificationProject, number: str | None) -> str | None:
    if not number:
        return None
    stmt = select(Clause.id).where(Clause.standard_id == project.standard_id, Clause.number == number)
    if db.session.execute(stmt.limit(1)).first() is None:
        return f"{project.standard.name} has no clause {number}."
    return None


# Raising and editing


@dataclass
class FindingFields:
    """What a user types for a new finding (the page's form, the API's body)."""

    source: str
    severity: str
    description: str
    raised_on: date | None
    clause_number: str = ""
    containment: str = ""
    deadline: date | None = None  # left empty: a certification body's major gets the default
    action_owner: str = ""
    action_due: date | None = None


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    """Texts trimmed; an empty clause is none."""
    cleaned = {name: value.strip() if isinstance(value, str) else value for name, value in values.items()}
    if "clause_number" in cleaned:
        cleaned["clause_number"] = cleaned["clause_number"] or None
    return cleaned


def _default_deadline(
    source: str, severity: str, raised_on: date, deadline: date | None, project: CertificationProject
) -> date | None:
    """A certification body's major finding always has a deadline: the project's body's days (90 without a
    body) unless the body gave another day."""
    if deadline is None and source == rules.Source.EXTERNAL_AUDIT and severity in set(rules.Severity):
        days = project.body.major_deadline_days if project.body else rules.DEFAULT_MAJOR_DEADLINE_DAYS
        return rules.external_deadline(raised_on, rules.Severity(severity), days)
    return deadline


def _require(scope: Scope, before: tuple[str, str] | None, after: tuple[str, str], field: str) -> None:
    if not scope.can(action_to_change_finding(before, after)):
        raise Refused(str(LIFTING_A_MAJOR), {field: str(LIFTING_A_MAJOR)})


def create_finding(
    scope: Scope,
    project: CertificationProject,
    fields: FindingFields,
    today: date,
    *,
    audit_id: int | None = None,
    audit_line_id: int | None = None,
) -> Finding:
    """Raise a finding, open. ``audit_id`` and ``audit_line_id`` are set only by the audit programme."""
    scope.require(Action.EDIT_CONTENT)
    values = _clean(asdict(fields))
    _require(scope, None, (values["severity"], rules.FindingState.OPEN), "severity")
    errors = rules.field_errors(values, today)
    if "clause_number" not in errors and (problem := _clause_error(project, values["clause_number"])):
        errors["clause_number"] = problem
    if errors:
        raise Invalid(str(NOT_SAVED), errors)
    values["deadline"] = _default_deadline(
        values["source"], values["severity"], values["raised_on"], values["deadline"], project
    )
    finding = Finding(
        project_id=project.id,
        audit_id=audit_id,
        audit_line_id=audit_line_id,
        status=rules.FindingState.OPEN,
        **values,
    )
    db.session.add(finding)
    db.session.flush()  # its id, for the link to it
    return finding


def update_finding(
    scope: Scope,
    project: CertificationProject,
    finding: Finding,
    changes: Mapping[str, Any],
    today: date,
    *,
    version: int | None,
) -> None:
    """Change a finding's descriptive fields (:func:`rules.editable_fields` of its state) from the copy
    read at ``version``; a field its state keeps as it was is refused if it would change."""
    scope.require(Action.EDIT_CONTENT)
    unknown = set(changes) - set(rules.EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not a field of a finding that may be edited: {', '.join(sorted(unknown))}")
    check_version(finding, version)
    state = rules.FindingState(finding.status)
    allowed = rules.editable_fields(state)
    changes = _clean(changes)
    errors = {
        name: f"A closed finding keeps its {name.replace('_', ' ')} as it was when it closed."
        for name, value in changes.items()
        if name not in allowed and value != getattr(finding, name)
    }
    saved = {name: getattr(finding, name) for name in allowed}
    merged = saved | {name: value for name, value in changes.items() if name in allowed}
    # What was saved before these rules (an older register's data) is not the user's to answer for.
    already = rules.field_errors(saved, today, finding.raised_on)
    for name, text in rules.field_errors(merged, today, finding.raised_on).items():
        if name not in errors and not (merged[name] == saved[name] and already.get(name) == text):
            errors[name] = text
    changed_clause = merged.get("clause_number", finding.clause_number) != finding.clause_number
    problem = _clause_error(project, merged["clause_number"]) if changed_clause else None
    if problem and "clause_number" not in errors:
        errors["clause_number"] = problem
    if errors:
        raise Invalid(str(NOT_SAVED), errors)
    severity = merged.get("severity", finding.severity)
    _require(scope, (finding.severity, finding.status), (severity, finding.status), "severity")
    if "deadline" in merged:
        merged["deadline"] = _default_deadline(
            finding.source, severity, finding.raised_on, merged["deadline"], project
        )
    for name, value in merged.items():
        if getattr(finding, name) != value:
            setattr(finding, name, value)
    db.session.flush()  # the new version, for the API's ETag


# Transitions


def transition(
    scope: Scope,
    finding: Finding,
    name: str,
    values: Mapping[str, Any],
    today: date,
    *,
    version: int | None,
) -> rules.FindingState:
    """Take one step of the workflow from the copy of the finding read at ``version``: refused whole
    (stale, not allowed to the role, or breaking a rule), or recorded whole. Returns the new state."""
    scope.require(Action.EDIT_CONTENT)
    if name not in set(rules.Transition):
        known = ", ".join(rules.Transition)
        raise Invalid(
            _("No step %(step)r: use one of %(steps)s.", step=name, steps=known),
            {"transition": _("Unknown step.")},
        )
    step = rules.Transition(name)
    check_version(finding, version)
    facts = finding_facts(finding)
    names = TRANSITION_FIELDS[step]
    if step is rules.Transition.CLOSE and not _closes_with_response(facts):
        names = ()  # the corrective action of a verified finding is the one planned, never replaced here
    values = _clean({key: values.get(key) for key in names})
    after = rules.state_after(facts, step, values)
    _require(scope, (finding.severity, finding.status), (finding.severity, after), "state")
    errors = rules.transition_errors(facts, step, values, today)
    if errors:
        raise Invalid(errors.get("state", str(NOT_SAVED)), errors)
    _record(finding, step, values, today)
    finding.status = after
    db.session.flush()  # the new version, for the API's ETag
    return after


def _closes_with_response(facts: rules.FindingFacts) -> bool:
    """An observation still open closes with the response decided (kept as its corrective action)."""
    return facts.severity is rules.Severity.OBSERVATION and facts.state is rules.FindingState.OPEN


def _record(finding: Finding, step: rules.Transition, values: Mapping[str, Any], today: date) -> None:
    if step is rules.Transition.PLAN:
        for key, value in values.items():
            is_day = key in ("action_due", "effectiveness_due")
            setattr(finding, key, value if is_day else value or "")
    elif step is rules.Transition.IMPLEMENT:
        finding.implemented_on = values["implemented_on"]
    elif step is rules.Transition.CHECK:
        finding.checks.append(
            EffectivenessCheckRecord(
                checked_on=values["checked_on"],
                checked_by=values["checked_by"],
                result=values["result"],
                notes=values["notes"] or "",
            )
        )
        if values["result"] == rules.CheckResult.INEFFECTIVE:
            # The check stays as history; the action is carried out again, on a day recorded anew.
            finding.implemented_on = None
    else:
        if values.get("corrective_action"):  # an observation's response
            finding.corrective_action = values["corrective_action"]
        finding.closed_on = today
