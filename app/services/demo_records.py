"""Writing a demo factory's audit programme and nonconformity register (the data of
:mod:`app.services.demo_record_plans`), then its objectives and management review (:mod:`.demo_reviews`).

The rows are written directly, each checked by the rules the app applies to what a user records
(:mod:`app.domain.audits`, :mod:`app.domain.nonconformities`): an audit's dates, scope and independent,
qualified team, its checklist one line per applicable requirement in scope, answered once it is under way and
fully before it is reported; every finding's description and every step of its corrective action, in the
workflow's order. A plan breaking a rule is a mistake in the demo: it raises ValueError, so the demo never
holds a record the app would refuse.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from sqlalchemy import select

from app.domain import audits, reviews
from app.domain import nonconformities as nc
from app.domain.pathway import standard_family
from app.domain.training import qualified_auditors
from app.extensions import db
from app.models import (
    Assessment,
    AuditLine,
    CertificationProject,
    Clause,
    EffectivenessCheckRecord,
    Finding,
    InternalAudit,
    Person,
)
from app.services import training
from app.services.demo_record_plans import (
    AuditPlan,
    Checked,
    FindingPlan,
    Implemented,
    Planned,
    Records,
    Step,
)
from app.services.demo_reviews import add_objective, add_review, day_before, refuse


def add_records(project: CertificationProject, today: date, plan: Records) -> None:
    """Write ``plan``'s objectives, audits, findings and review into the project; its people and training
    must already be there (the audit team is on the site's staff list, the lead a qualified auditor)."""
    family = standard_family(project.standard.code)
    goals = [add_objective(project, spec, today) for spec in plan.objectives]
    reported: list[tuple[InternalAudit, dict[str, int]]] = []
    register: list[Raised] = []
    for spec in plan.audits:
        audit = _audit(project, spec, today)
        if audit.reported_on is not None:
            reported.append((audit, _counts(audit)))
            register += [_audit_finding(project, audit, f, today) for f in spec.findings]
    for finding in plan.findings:
        raised = Raised(finding, day_before(today, finding.raised_days_ago or 0))
        register.append(_write_finding(project, raised, today, {"description": finding.description}))
    if plan.review:
        held_on = day_before(today, plan.review.held_days_ago)
        start = held_on - timedelta(days=plan.review.period_days)
        last_report = max((a.reported_on for a, _ in reported if a.reported_on), default=None)
        known = _prefill_facts(start, held_on, today, reported, register)
        add_review(project, family, plan.review, today, known, last_report, goals)
    db.session.flush()


# The audit programme


def _requirements(project: CertificationProject) -> tuple[dict[str, Clause], set[str]]:
    """The standard's leaf requirements by number (in the catalog's order), and those the gap analysis
    marked not applicable."""
    rows = db.session.execute(
        select(Clause, Assessment.status)
        .outerjoin(Assessment, (Assessment.clause_id == Clause.id) & (Assessment.project_id == project.id))
        .where(Clause.standard_id == project.standard_id, Clause.is_leaf, Clause.is_requirement)
        .order_by(Clause.position)
    ).all()
    return {c.number: c for c, _ in rows}, {c.number for c, status in rows if status == "not_applicable"}


def _people(project: CertificationProject, names: Sequence[str]) -> list[Person]:
    found = {
        p.name: p
        for p in db.session.execute(
            select(Person).where(Person.site_id == project.site_id, Person.name.in_(names))
        ).scalars()
    }
    if missing := [n for n in names if n not in found]:
        raise ValueError(f"The demo staff list has no {', '.join(missing)}.")
    return [found[n] for n in names]


def _plan_errors(project: CertificationProject, spec: AuditPlan, people: Sequence[Person], today: date,
                 requirements: Sequence[str]) -> dict[str, str]:  # fmt: skip
    """What the audit pages check of a plan: dates, scope, an independent team; and here, because the demo
    audits are meant to count, qualified auditors."""
    start = day_before(today, spec.start_days_ago)
    qualified = {p.id for p in qualified_auditors(training.load_matrix(project, today))}
    auditors = [audits.Auditor(p.id, p.name, p.department, p.id in qualified) for p in people]
    known = db.session.execute(select(Clause.number).where(Clause.standard_id == project.standard_id))
    employees = project.site.employee_count
    errors = {
        **audits.date_errors(start, start + timedelta(days=spec.days - 1)),
        **audits.scope_errors(spec.scope, known.scalars(), project.standard.code),
        **audits.independence_errors(auditors, audits.departments_of(spec.departments), employees, ""),
    }
    errors = audits.empty_scope_errors(spec.scope, requirements, project.standard.code) | errors
    if unqualified := audits.unqualified(auditors):
        errors["team"] = f"no passed internal-auditor training: {[a.name for a in unqualified]}"
    return errors


def _status(spec: AuditPlan, lines: int, today: date) -> tuple[audits.AuditStatus, dict[str, str]]:
    """The audit's status after the transitions its dates imply (started on its first day, then reported)."""
    steps = [audits.Transition.START] if day_before(today, spec.start_days_ago) <= today else []
    steps += [audits.Transition.REPORT] if spec.reported_days_ago is not None else []
    status, errors = audits.AuditStatus.PLANNED, audits.start_errors(lines) if steps else {}
    for step in steps:
        if problem := audits.transition_error(status, step):
            errors["status"] = problem
        status = audits.status_after(step)
    return status, errors


def _audit(project: CertificationProject, spec: AuditPlan, today: date) -> InternalAudit:
    start = day_before(today, spec.start_days_ago)
    reported_on = None if spec.reported_days_ago is None else day_before(today, spec.reported_days_ago)
    requirements, not_applicable = _requirements(project)
    numbers = audits.checklist_numbers(list(requirements), spec.scope, not_applicable)
    people = _people(project, [spec.lead, *spec.team])
    errors = _plan_errors(project, spec, people, today, list(requirements))
    status, problems = _status(spec, len(numbers), today)
    errors |= problems
    found = {f.clause: f for f in spec.findings}
    if strays := (found.keys() | spec.notes.keys()) - set(numbers):
        errors["lines"] = f"no checklist line for {sorted(strays)}"
    answered = status is not audits.AuditStatus.PLANNED
    lines = [_line(requirements[n], position, found.get(n), spec.notes.get(n, ""), answered)
             for position, n in enumerate(numbers, start=1)]  # fmt: skip
    for line in lines:
        errors |= audits.line_errors(line.result, line.notes)
    if reported_on is not None:
        results = [audits.LineResult(line.result) for line in lines]
        undescribed = sum(audits.line_needs_notes(r, ln.notes) for r, ln in zip(results, lines, strict=True))
        errors |= audits.report_errors(results, undescribed, start, reported_on, today)
        if problem := audits.summary_error(spec.summary):
            errors["summary"] = problem
    refuse(f"audit {spec.title}", errors)
    lead, *team = people
    audit = InternalAudit(
        project_id=project.id,
        title=spec.title,
        planned_start=start,
        planned_end=start + timedelta(days=spec.days - 1),
        status=status,
        departments="\n".join(audits.departments_of(spec.departments)),
        lead_auditor=lead,
        team=team,
        started_on=start if answered else None,
        reported_on=reported_on,
        summary=spec.summary,
        scope=_clauses(project, spec.scope),
        lines=lines,
    )
    db.session.add(audit)
    db.session.flush()
    return audit


def _line(
    clause: Clause, position: int, finding: FindingPlan | None, notes: str, answered: bool
) -> AuditLine:
    """A checklist line as the audits area writes it; once the audit is under way, answered: the finding's
    result and description, else conforming (with the auditor's notes, if any)."""
    if not answered:
        result, notes = audits.LineResult.NOT_CHECKED, ""
    elif finding is not None:
        result, notes = audits.LineResult(finding.severity), finding.description
    else:
        result = audits.LineResult.CONFORMING
    prompt = audits.line_prompt(clause.evidence_examples or (), clause.summary)
    return AuditLine(clause_id=clause.id, position=position, prompt=prompt, result=result, notes=notes)


def _clauses(project: CertificationProject, numbers: Sequence[str]) -> list[Clause]:
    return list(
        db.session.execute(
            select(Clause)
            .where(Clause.standard_id == project.standard_id, Clause.number.in_(numbers))
            .order_by(Clause.position)
        ).scalars()
    )


def _counts(audit: InternalAudit) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in audit.lines:
        counts[line.result] = counts.get(line.result, 0) + 1
    return counts


# The nonconformity register


@dataclass(frozen=True)
class Walk:
    """A finding after the steps of its corrective action up to a day: its facts, the columns its plan and
    implementation set, and the day it closed."""

    facts: nc.FindingFacts
    columns: Mapping[str, object] = field(default_factory=dict)
    closed_on: date | None = None


@dataclass(frozen=True)
class Raised:
    spec: FindingPlan
    raised_on: date


def _transition(step: Step, today: date) -> tuple[nc.Transition, dict[str, object]]:
    day = day_before(today, step.days_ago)
    if isinstance(step, Planned):
        return nc.Transition.PLAN, {
            "root_cause_method": step.method,
            "root_cause": step.root_cause,
            "corrective_action": step.action,
            "action_owner": step.owner,
            "action_due": day_before(today, step.due_days_ago),
            "effectiveness_due": None
            if step.check_due_days_ago is None
            else day_before(today, step.check_due_days_ago),
        }
    if isinstance(step, Implemented):
        return nc.Transition.IMPLEMENT, {"implemented_on": day}
    if isinstance(step, Checked):
        result = nc.CheckResult.EFFECTIVE if step.effective else nc.CheckResult.INEFFECTIVE
        return nc.Transition.CHECK, {"checked_on": day, "checked_by": step.by, "result": result,
                                     "notes": step.notes}  # fmt: skip
    return nc.Transition.CLOSE, {}


def walk(raised: Raised, today: date, until: date | None = None) -> Walk:
    """The finding after its steps dated up to ``until`` (today), each checked by the workflow's rules."""
    spec, last = raised.spec, raised.raised_on
    done = Walk(nc.FindingFacts(nc.Severity(spec.severity), nc.FindingState.OPEN, raised.raised_on))
    for step in spec.steps:
        day = day_before(today, step.days_ago)
        if day > (until or today):
            break
        facts, (transition, values) = done.facts, _transition(step, today)
        errors = nc.transition_errors(facts, transition, values, today)
        if day < last:
            errors["date"] = f"{transition} on {day}, before the step it follows ({last})"
        refuse(f"finding on {spec.clause} ({transition})", errors)
        state = nc.state_after(facts, transition, values)
        if transition is nc.Transition.CHECK:
            check = nc.EffectivenessCheck(
                day, str(values["checked_by"]), nc.CheckResult(str(values["result"])), str(values["notes"])
            )
            done = Walk(replace(facts, state=state, checks=(*facts.checks, check)), done.columns)
        elif transition is nc.Transition.CLOSE:
            done = Walk(replace(facts, state=state), done.columns, day)
        else:
            done = Walk(replace(facts, state=state, **values), {**done.columns, **values})  # type: ignore[arg-type]
        last = day
    return done


def _write_finding(
    project: CertificationProject, raised: Raised, today: date, extra: Mapping[str, object]
) -> Raised:
    done, spec = walk(raised, today), raised.spec
    described = {
        "source": spec.source,
        "severity": spec.severity,
        "clause_number": spec.clause,
        "containment": spec.containment,
        "raised_on": raised.raised_on,
        "description": spec.description,
        **extra,
    }
    refuse(f"finding on {spec.clause}", nc.field_errors(described, today))
    finding = Finding(
        project_id=project.id,
        status=done.facts.state,
        closed_on=done.closed_on,
        checks=[
            EffectivenessCheckRecord(
                checked_on=c.checked_on, checked_by=c.checked_by, result=c.result, notes=c.notes
            )
            for c in done.facts.checks
        ],
        **done.columns,
        **described,
    )
    db.session.add(finding)
    return raised


def _audit_finding(
    project: CertificationProject, audit: InternalAudit, spec: FindingPlan, today: date
) -> Raised:
    """The finding raised from the audit's nonconforming line on ``spec.clause`` when it was reported."""
    [line] = [ln for ln in audit.lines if ln.clause.number == spec.clause]
    if audit.reported_on is None:
        raise ValueError(f"Demo audit {audit.title} is not reported: it raised no finding.")
    extra = {"audit_id": audit.id, "audit_line_id": line.id, "description": line.notes}
    return _write_finding(project, Raised(spec, audit.reported_on), today, extra)


# What the management review knew


def _prefill_facts(
    start: date,
    end: date,
    today: date,
    reported: Sequence[tuple[InternalAudit, dict[str, int]]],
    register: Sequence[Raised],
) -> reviews.PrefillFacts:
    """What the app knew on the day of the review: the audits reported and the register as it stood."""
    then = [walk(r, today, until=end) for r in register if r.raised_on <= end]
    open_then = [w for w in then if w.closed_on is None or w.closed_on > end]
    by_severity: dict[str, int] = {}
    for w in open_then:
        by_severity[w.facts.severity] = by_severity.get(w.facts.severity, 0) + 1
    return reviews.PrefillFacts(
        start=start,
        end=end,
        audits=tuple(
            reviews.AuditResult(a.title, a.reported_on, counts)
            for a, counts in reported
            if a.reported_on and start <= a.reported_on <= end
        ),
        open_findings=by_severity,
        findings_raised=sum(1 for w in then if w.facts.raised_on >= start),
        findings_closed=sum(1 for w in then if w.closed_on and start <= w.closed_on <= end),
        findings_overdue=sum(1 for w in open_then if nc.is_overdue(w.facts, end)),
    )
