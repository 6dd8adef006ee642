"""The internal audit programme of a project: loading it as domain facts, planning and editing audits, their
checklists, and the steps planned -> in progress -> reported -> closed (the rules are in
:mod:`app.domain.audits`).

Shared by the pages and the API. A report turns each nonconforming checklist line into a finding of the
nonconformity register (:mod:`app.domain.nonconformities`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Integer, bindparam, delete, insert, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import flag_modified

from app.domain import audits as rules
from app.domain.ids import is_id_in_range
from app.domain.nonconformities import FindingState, Source, label
from app.domain.permissions import Action
from app.domain.readiness import ClauseStatus
from app.domain.text import _, grouped
from app.domain.training import qualified_auditors
from app.extensions import db
from app.models import (
    Assessment,
    AuditLine,
    CertificationProject,
    Clause,
    EvidenceItem,
    Finding,
    InternalAudit,
    Person,
    audit_line_evidence,
    audit_scope,
    audit_team,
)
from app.services.changes import check_version
from app.services.errors import Conflict, Invalid, NotFound
from app.services.scope import Scope, get_or_404_in
from app.services.training import active_people, load_matrix
from app.services.training_records import attendee_choices

# The programme's statements are built once and run with the project bound.
_PROJECT_ID = bindparam("project_id", type_=Integer)

_AUDITS = (  # each audit with each requirement in its scope, in catalog order (one row with none for none)
    select(
        InternalAudit.id,
        InternalAudit.title,
        InternalAudit.status,
        InternalAudit.planned_start,
        InternalAudit.departments,
        InternalAudit.independence_reason,
        InternalAudit.reported_on,
        Clause.number,
    )
    .outerjoin(audit_scope, audit_scope.c.audit_id == InternalAudit.id)
    .outerjoin(Clause, Clause.id == audit_scope.c.clause_id)
    .where(InternalAudit.project_id == _PROJECT_ID)
    .order_by(InternalAudit.planned_start, InternalAudit.id, Clause.position)
)
_TEAMS = (
    select(audit_team.c.audit_id, Person.id, Person.name, Person.department)
    .join(Person, Person.id == audit_team.c.person_id)
    .join(InternalAudit, InternalAudit.id == audit_team.c.audit_id)
    .where(InternalAudit.project_id == _PROJECT_ID)
    .union_all(
        select(InternalAudit.id, Person.id, Person.name, Person.department)
        .join(Person, Person.id == InternalAudit.lead_auditor_id)
        .where(InternalAudit.project_id == _PROJECT_ID)
    )
)


def programme_facts(project: CertificationProject, qualified: Iterable[int]) -> list[rules.AuditFacts]:
    """Every audit of the project as :class:`~app.domain.audits.AuditFacts`, in two queries whatever their
    number; ``qualified`` holds the ids of the people with a passed internal-auditor training."""
    passed = set(qualified)
    params = {"project_id": project.id}
    audits: dict[int, Any] = {}
    scope: dict[int, list[str]] = {}
    for row in db.session.execute(_AUDITS, params):
        audits.setdefault(row.id, row)
        numbers = scope.setdefault(row.id, [])
        if row.number is not None:
            numbers.append(row.number)
    people: dict[int, list[rules.Auditor]] = {}
    for audit_id, person_id, name, department in db.session.execute(_TEAMS, params):
        found = people.setdefault(audit_id, [])
        if all(a.person_id != person_id for a in found):
            found.append(rules.Auditor(person_id, name, department, person_id in passed))
    return [
        rules.AuditFacts(
            id=audit.id,
            title=audit.title,
            status=rules.AuditStatus(audit.status),
            planned_start=audit.planned_start,
            scope=tuple(scope[audit.id]),
            auditors=tuple(people.get(audit.id, ())),
            departments=rules.departments_of(audit.departments),
            independence_reason=audit.independence_reason,
            reported_on=audit.reported_on,
        )
        for audit in audits.values()
    ]


# Planning, editing and working through an audit (shared by the pages and the API). Each function changes
# the session and flushes; it raises Invalid (by field), Conflict or StaleVersion without having changed
# anything, and NotFound for another project's (or workspace's) audit, line or evidence.

AUDIT = "audit"
LINE = "checklist line"


@dataclass
class AuditFields:
    """What a user gives for an audit's plan; ``scope`` holds clause or section numbers ("8", "7.5")."""

    title: str = ""
    planned_start: date | None = None
    planned_end: date | None = None
    scope: list[str] = field(default_factory=list)
    departments: str = ""
    lead_auditor_id: int | None = None
    team_ids: list[int] = field(default_factory=list)
    independence_reason: str = ""
    notes: str = ""


@dataclass
class LineFields:
    """A checklist line's answer: a :class:`~app.domain.audits.LineResult`, notes, linked evidence ids."""

    result: str = rules.LineResult.NOT_CHECKED
    notes: str = ""
    evidence_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ReportValues:
    reported_on: date | None = None
    summary: str = ""


def fields_of(audit: InternalAudit) -> AuditFields:
    return AuditFields(
        title=audit.title,
        planned_start=audit.planned_start,
        planned_end=audit.planned_end,
        scope=[clause.number for clause in audit.scope],
        departments=audit.departments,
        lead_auditor_id=audit.lead_auditor_id,
        team_ids=[person.id for person in audit.team],
        independence_reason=audit.independence_reason,
        notes=audit.notes,
    )


def _changed(row: InternalAudit | AuditLine) -> None:
    """Bump the row's version even when only its links changed (team, scope, evidence)."""
    flag_modified(row, "notes")


# Lookups


def audit_in(
    scope: Scope, project: CertificationProject, audit_id: int, lines: bool = False
) -> InternalAudit:
    """An audit of this project the scope may see, with its lead, team and scope (and its checklist lines
    with their clauses when ``lines``), or 404; a fixed number of queries."""
    options: list[Any] = [
        joinedload(InternalAudit.lead_auditor),
        selectinload(InternalAudit.team),
        selectinload(InternalAudit.scope),
    ]
    if lines:
        options.append(selectinload(InternalAudit.lines).joinedload(AuditLine.clause))
    audit = get_or_404_in(scope, InternalAudit, audit_id, *options)
    if audit.project_id != project.id:
        raise NotFound()
    return audit


def line_in(audit: InternalAudit, line_id: int) -> AuditLine:
    line = next((line for line in audit.lines if line.id == line_id), None)
    if line is None:
        raise NotFound()
    return line


def auditor_choices(project: CertificationProject, today: date) -> list[tuple[str, list[Person]]]:
    """The site's active people by department (then name): who may lead or join an audit."""
    return attendee_choices(project, today)


def qualified_ids(project: CertificationProject, today: date) -> frozenset[int]:
    """The people with a passed internal-auditor training (the training matrix's four queries)."""
    return frozenset(person.id for person in qualified_auditors(load_matrix(project, today)))


@dataclass(frozen=True)
class Catalog:
    """The project's standard as the plan and the checklist need it (two queries)."""

    clauses: dict[str, Clause]  # every clause, by number
    requirements: list[str]  # the leaf requirements, in catalog order
    not_applicable: frozenset[str]  # marked not applicable in the gap analysis

    def prompt(self, number: str) -> str:
        clause = self.clauses[number]
        return rules.line_prompt(clause.evidence_examples or [], clause.summary)


def _catalog(project: CertificationProject) -> Catalog:
    clauses = list(
        db.session.execute(
            select(Clause).where(Clause.standard_id == project.standard_id).order_by(Clause.position)
        ).scalars()
    )
    skipped = db.session.execute(
        select(Clause.number)
        .join(Assessment, Assessment.clause_id == Clause.id)
        .where(Assessment.project_id == project.id, Assessment.status == ClauseStatus.NOT_APPLICABLE)
    ).scalars()
    return Catalog(
        {c.number: c for c in clauses},
        [c.number for c in clauses if c.is_leaf and c.is_requirement],
        frozenset(skipped),
    )


def scope_choices(project: CertificationProject) -> list[tuple[str, str]]:
    """(number, "number title") of the standard's sections and their clauses, for the scope field's help."""
    rows = db.session.execute(
        select(Clause.number, Clause.title, Clause.level)
        .where(Clause.standard_id == project.standard_id, Clause.level <= 2)
        .order_by(Clause.position)
    ).all()
    return [(number, f"{number} {title}") for number, title, _level in rows]


# The plan


def _text_errors(fields: AuditFields) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not fields.title:
        errors["title"] = _("Give the audit a title, e.g. “Production and purchasing”.")
    elif len(fields.title) > rules.TITLE_MAX_LENGTH:
        errors["title"] = _("Use at most %(limit)s characters.", limit=grouped(rules.TITLE_MAX_LENGTH))
    if not rules.departments_of(fields.departments):
        errors["departments"] = _(
            "Name the departments (or processes) the audit visits: the independence check compares them "
            "with the auditors' departments."
        )
    for name in ("departments", "independence_reason", "notes"):
        if len(getattr(fields, name)) > rules.TEXT_MAX_LENGTH:
            errors[name] = _("Use at most %(limit)s characters.", limit=grouped(rules.TEXT_MAX_LENGTH))
    return errors


def _scope(
    project: CertificationProject, catalog: Catalog, numbers: list[str]
) -> tuple[list[Clause], dict[str, str]]:
    """The scope's clauses in catalog order, or why the scope is refused."""
    wanted = list(dict.fromkeys(n.strip().rstrip(".") for n in numbers if n.strip()))
    name = project.standard.name
    problem = rules.scope_errors(wanted, catalog.clauses, name) or rules.empty_scope_errors(
        wanted, catalog.requirements, name
    )
    if problem:
        return [], problem
    return sorted((catalog.clauses[n] for n in wanted), key=lambda c: c.position), {}


def _people(
    project: CertificationProject, fields: AuditFields, today: date
) -> tuple[Person | None, list[Person], dict[str, str]]:
    """The lead and the team, active people of the project's site, or why they are refused: anyone else
    is refused on the field they were given in (a person of another site or workspace is never named)."""
    lead_id = fields.lead_auditor_id
    team_ids = [i for i in dict.fromkeys(fields.team_ids) if i != lead_id]
    wanted = [i for i in (lead_id, *team_ids) if i is not None and is_id_in_range(i)]
    found = {
        person.id: person
        for person in db.session.execute(
            select(Person).where(Person.id.in_(wanted), _active(project, today))
        ).scalars()
    }
    errors: dict[str, str] = {}
    site = project.site.name
    if lead_id is None:
        errors["lead_auditor_id"] = _("Choose the lead auditor.")
    elif lead_id not in found:
        errors["lead_auditor_id"] = _(
            "Choose someone on the staff list of %(site)s who still works there.", site=site
        )
    if any(i not in found for i in team_ids):
        errors["team"] = _("Choose auditors on the staff list of %(site)s who still work there.", site=site)
    if errors:
        return None, [], errors
    return found.get(lead_id) if lead_id is not None else None, [found[i] for i in team_ids], {}


def _active(project: CertificationProject, today: date) -> ColumnElement[bool]:
    return active_people(project.site_id, today)


def auditor_of(person: Person, qualified: frozenset[int] = frozenset()) -> rules.Auditor:
    return rules.Auditor(person.id, person.name, person.department, person.id in qualified)


def _checked(
    project: CertificationProject, fields: AuditFields, today: date
) -> tuple[list[Clause], Person | None, list[Person], Catalog]:
    """Every refusal of the plan at once (text, dates, scope, people, independence), by field."""
    catalog = _catalog(project)
    clauses, scope_problems = _scope(project, catalog, fields.scope)
    lead, team, people_problems = _people(project, fields, today)
    errors = _text_errors(fields) | rules.date_errors(fields.planned_start, fields.planned_end)
    errors |= scope_problems | people_problems
    if lead is not None:
        errors |= rules.independence_errors(
            [auditor_of(p) for p in (lead, *team)],
            rules.departments_of(fields.departments),
            project.site.employee_count,
            fields.independence_reason,
        )
    if errors:
        raise Invalid(_("The audit was not saved."), errors)
    return clauses, lead, team, catalog


def _sync_lines(audit: InternalAudit, catalog: Catalog) -> None:
    """One line per applicable requirement in scope, in catalog order; lines already there are kept (a
    planned audit's lines are not answered yet), the others added or removed."""
    numbers = rules.checklist_numbers(
        catalog.requirements, [c.number for c in audit.scope], catalog.not_applicable
    )
    existing = {line.clause_id: line for line in audit.lines}
    lines = []
    for position, number in enumerate(numbers):
        clause = catalog.clauses[number]
        line = existing.get(clause.id) or AuditLine(clause=clause)
        line.position, line.prompt = position, catalog.prompt(number)
        lines.append(line)
    audit.lines = lines


def plan_audit(
    scope: Scope, project: CertificationProject, fields: AuditFields, today: date | None = None
) -> InternalAudit:
    scope.require(Action.EDIT_CONTENT)
    clauses, lead, team, catalog = _checked(project, fields, today or date.today())
    audit = InternalAudit(
        project_id=project.id,
        status=rules.AuditStatus.PLANNED,
        title=fields.title,
        planned_start=fields.planned_start,
        planned_end=fields.planned_end,
        departments=fields.departments,
        independence_reason=fields.independence_reason,
        notes=fields.notes,
        summary="",
        lead_auditor=lead,
        team=team,
        scope=clauses,
    )
    db.session.add(audit)
    _sync_lines(audit, catalog)
    db.session.flush()
    return audit


def update_audit(
    scope: Scope,
    project: CertificationProject,
    audit: InternalAudit,
    fields: AuditFields,
    version: int | None = None,
    today: date | None = None,
) -> InternalAudit:
    """Change a planned audit's plan (its checklist follows its scope); ``version`` is the audit's as read."""
    scope.require(Action.EDIT_CONTENT)
    status = rules.AuditStatus(audit.status)
    if not rules.is_editable(status):
        raise Conflict(
            _(
                "Only a planned audit's plan changes; this audit is %(status)s.",
                status=str(rules.STATUS_LABELS[status]).lower(),
            )
        )
    check_version(audit, version, AUDIT)
    clauses, lead, team, catalog = _checked(project, fields, today or date.today())
    for name in ("title", "planned_start", "planned_end", "departments", "independence_reason", "notes"):
        setattr(audit, name, getattr(fields, name))
    audit.lead_auditor, audit.team = lead, team
    if [c.id for c in clauses] != [c.id for c in audit.scope]:
        audit.scope = clauses
        _sync_lines(audit, catalog)
    _changed(audit)
    db.session.flush()
    return audit


# The steps: start, report, close


def open_findings(audit: InternalAudit) -> list[Finding]:
    return list(
        db.session.execute(
            select(Finding)
            .where(Finding.audit_id == audit.id, Finding.status != FindingState.CLOSED)
            .order_by(Finding.id)
        ).scalars()
    )


def _report(audit: InternalAudit, values: ReportValues, today: date) -> list[Finding]:
    results = [rules.LineResult(line.result) for line in audit.lines]
    undescribed = sum(
        1 for line in audit.lines if rules.line_needs_notes(rules.LineResult(line.result), line.notes)
    )
    start = audit.started_on or audit.planned_start
    errors = rules.report_errors(results, undescribed, start, values.reported_on, today)
    if problem := rules.summary_error(values.summary):
        errors["summary"] = problem
    if errors or values.reported_on is None:
        raise Invalid(_("The audit was not reported."), errors)
    audit.reported_on, audit.summary = values.reported_on, values.summary
    raised = [
        Finding(
            project_id=audit.project_id,
            source=Source.INTERNAL_AUDIT,
            audit_id=audit.id,
            audit_line_id=line.id,
            clause_number=line.clause.number,
            severity=line.result,
            status=FindingState.OPEN,
            description=line.notes,
            raised_on=values.reported_on,
        )
        for line in audit.lines
        if rules.nonconforming(line.result)
    ]
    db.session.add_all(raised)
    return raised


def take_step(
    scope: Scope,
    audit: InternalAudit,
    step: str,
    values: ReportValues | None = None,
    version: int | None = None,
    today: date | None = None,
) -> list[Finding]:
    """Move the audit one step (``start``, ``report`` or ``close``); answers the findings a report raised.
    ``audit`` must be loaded with its lines (``audit_in(..., lines=True)``)."""
    scope.require(Action.EDIT_CONTENT)
    today = today or date.today()
    try:
        transition = rules.Transition(step)
    except ValueError:
        steps = ", ".join(rules.Transition)
        raise Invalid(
            _("Unknown step %(step)r: use one of %(steps)s.", step=step, steps=steps),
            {"action": _("Unknown step.")},
        ) from None
    check_version(audit, version, AUDIT)
    order = rules.transition_error(rules.AuditStatus(audit.status), transition)
    if order:
        raise Invalid(order, {"status": order})
    raised: list[Finding] = []
    if transition is rules.Transition.START:
        if errors := rules.start_errors(len(audit.lines)):
            raise Invalid(_("The audit was not started."), errors)
        audit.started_on = today
    elif transition is rules.Transition.REPORT:
        raised = _report(audit, values or ReportValues(), today)
    else:
        labels = [label(f.id, f.severity, f.clause_number) for f in open_findings(audit)]
        if errors := rules.close_errors(labels):
            raise Invalid(errors["status"], errors)
        audit.closed_on = today
    audit.status = rules.status_after(transition)
    db.session.flush()
    return raised


# The checklist


def _evidence(project: CertificationProject, ids: list[int]) -> list[int] | None:
    """The ids if each is evidence of this project (not deleted); None otherwise."""
    wanted = list(dict.fromkeys(ids))
    if not all(is_id_in_range(i) for i in wanted):
        return None
    found = set(
        db.session.execute(
            select(EvidenceItem.id).where(
                EvidenceItem.id.in_(wanted),
                EvidenceItem.project_id == project.id,
                EvidenceItem.deleted_at.is_(None),
            )
        ).scalars()
    )
    return wanted if found == set(wanted) else None


def line_evidence(line_ids: Iterable[int]) -> dict[int, list[EvidenceItem]]:
    """The evidence (not deleted) each line was checked against, by line id, in one query."""
    ids = list(line_ids)
    rows = db.session.execute(
        select(audit_line_evidence.c.line_id, EvidenceItem)
        .join(EvidenceItem, EvidenceItem.id == audit_line_evidence.c.evidence_id)
        .where(audit_line_evidence.c.line_id.in_(ids), EvidenceItem.deleted_at.is_(None))
        .order_by(EvidenceItem.title, EvidenceItem.id)
    ).all()
    found: dict[int, list[EvidenceItem]] = {}
    for line_id, item in rows:
        found.setdefault(line_id, []).append(item)
    return found


def update_line(
    scope: Scope,
    project: CertificationProject,
    audit: InternalAudit,
    line: AuditLine,
    fields: LineFields,
    version: int | None = None,
) -> AuditLine:
    """Answer one checklist line of an audit in progress; ``version`` is the line's as read."""
    scope.require(Action.EDIT_CONTENT)
    if problem := rules.checklist_error(rules.AuditStatus(audit.status)):
        raise Invalid(problem, {"status": problem})
    check_version(line, version, LINE)
    errors = rules.line_errors(fields.result, fields.notes)
    evidence = _evidence(project, fields.evidence_ids)
    if evidence is None:
        errors["evidence"] = _("Choose evidence of this project (evidence in the bin cannot be linked).")
    if errors or evidence is None:
        raise Invalid(_("The checklist line was not saved."), errors)
    # The links first: their statements flush the session, and the line is then updated once.
    kept = select(EvidenceItem.id).where(EvidenceItem.deleted_at.is_(None))  # links to binned evidence stay
    db.session.execute(
        delete(audit_line_evidence).where(
            audit_line_evidence.c.line_id == line.id, audit_line_evidence.c.evidence_id.in_(kept)
        )
    )
    if evidence:
        db.session.execute(
            insert(audit_line_evidence), [{"line_id": line.id, "evidence_id": i} for i in evidence]
        )
    line.result, line.notes = fields.result, fields.notes
    _changed(line)
    db.session.flush()
    return line


# What the pages and the API show
