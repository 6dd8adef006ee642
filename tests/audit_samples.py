"""Internal audits for the tests, built through the services and committed (as a finished request would).

- :func:`qualified_auditors` adds people to a site with a passed internal-auditor training (course done,
  effectiveness check passed), so the training matrix counts them as qualified.
- :func:`plan` plans an audit; :func:`start`, :func:`answer` and :func:`report` move it on.
- :func:`audit_ids` gives the URL walks an audit, a checklist line and a step; :func:`audit_walk_values`
  and :func:`audit_call` give the API walks theirs, with a body that succeeds.
- :func:`reported_audit` does it all at once: an audit of ``scope`` by a qualified lead from another
  department, every line conforming except those given in ``results``, reported ``days_ago`` days ago.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.domain import audits as rules
from app.extensions import db
from app.models import CertificationProject, InternalAudit, Person
from app.services import audits as service
from tests.evidence_samples import scope_for
from tests.training_samples import add_person, add_requirement, add_role, check, record

AUDITOR_COURSE = "Internal auditor course (ISO 19011)"
_batches = itertools.count(1)
NOTES = "The calibration record of scale 3 was missing from the file."


def qualified_auditors(
    project: CertificationProject, names: Iterable[str] = ("Tran Thi Lan",), department: str = "Quality"
) -> list[Person]:
    """People of the project's site in ``department`` who passed the internal-auditor course (their job
    role requires it), held 60 days ago, with its effectiveness check passed."""
    batch = next(_batches)
    role = f"Internal auditor {batch}"
    people = [add_person(project.site, name, job_role=role, department=department) for name in names]
    course = add_requirement(project, f"{AUDITOR_COURSE} {batch}", qualifies_auditor=True)
    add_role(project, role, [course])
    session = record(project, course, people, held_on=date.today() - timedelta(days=60))
    for attendance in session.attendance:
        check(project, attendance, "pass")
    return people


def plan(
    project: CertificationProject,
    lead: Person,
    scope: Iterable[str] = ("4", "5"),
    team: Iterable[Person] = (),
    departments: str = "Production",
    start: date | None = None,
    **fields: Any,
) -> InternalAudit:
    start = start or date.today() - timedelta(days=30)
    values = {"title": "Context and leadership", "independence_reason": "", "notes": ""} | fields
    audit = service.plan_audit(
        scope_for(None, project),
        project,
        service.AuditFields(
            planned_start=start,
            planned_end=start + timedelta(days=1),
            scope=list(scope),
            departments=departments,
            lead_auditor_id=lead.id,
            team_ids=[person.id for person in team],
            **values,
        ),
    )
    db.session.commit()
    return audit


def _step(
    project: CertificationProject, audit: InternalAudit, step: str, on: date | None = None, **values: Any
) -> None:
    loaded = service.audit_in(scope_for(None, project), project, audit.id, lines=True)
    service.take_step(scope_for(None, project), loaded, step, service.ReportValues(**values), today=on)
    db.session.commit()


def start(project: CertificationProject, audit: InternalAudit, on: date | None = None) -> None:
    """Start the audit, as if on ``on`` (today by default)."""
    _step(project, audit, rules.Transition.START, on)


def answer(
    project: CertificationProject,
    audit: InternalAudit,
    results: Mapping[str, str] | None = None,
    notes: str = NOTES,
) -> None:
    """Answer every line: conforming, or the result ``results`` gives its clause number (with ``notes``)."""
    results = results or {}
    loaded = service.audit_in(scope_for(None, project), project, audit.id, lines=True)
    for line in loaded.lines:
        result = results.get(line.clause.number, rules.LineResult.CONFORMING)
        fields = service.LineFields(result, notes if rules.nonconforming(result) else "")
        service.update_line(scope_for(None, project), project, loaded, line, fields)
    db.session.commit()


def report(
    project: CertificationProject, audit: InternalAudit, reported_on: date | None = None, summary: str = ""
) -> None:
    _step(
        project,
        audit,
        rules.Transition.REPORT,
        reported_on=reported_on or date.today(),
        summary=summary or "The system in scope works as planned, with the findings listed.",
    )


def reported_audit(
    project: CertificationProject,
    scope: Iterable[str] = ("4", "5"),
    results: Mapping[str, str] | None = None,
    days_ago: int = 1,
    lead: Person | None = None,
    **fields: Any,
) -> InternalAudit:
    """A reported audit of ``scope`` by a qualified lead of the Quality department (made if not given)."""
    lead = lead or qualified_auditors(project, [f"Auditor {next(_batches)}"])[0]
    audit = plan(project, lead, scope, start=date.today() - timedelta(days=days_ago + 2), **fields)
    start(project, audit, audit.planned_start)
    answer(project, audit, results)
    report(project, audit, date.today() - timedelta(days=days_ago))
    db.session.expire_all()
    found = db.session.get(InternalAudit, audit.id)
    assert found is not None
    return found


def audit_ids(project: CertificationProject) -> dict[str, Any]:
    """A planned audit of ``project`` (made the first time) and its first checklist line, and a step of its
    workflow, for the walks of every URL."""
    audit = db.session.execute(
        select(InternalAudit)
        .where(InternalAudit.project_id == project.id)
        .order_by(InternalAudit.id)
        .limit(1)
    ).scalar_one_or_none()
    if audit is None:
        lead = add_person(project.site, f"Walk auditor {project.id}", department="Quality")
        audit = plan(project, lead, ("4.1",), title="Walk audit")
    return {"audit_id": audit.id, "audit_line_id": audit.lines[0].id, "step": rules.Transition.START.value}


def audit_walk_values(project: CertificationProject) -> dict[str, int]:
    """For the walks of every API route: a planned audit (to change), another (to start), an audit in
    progress with a checklist line (to answer) and a person of the site (to lead a new audit), so the calls
    succeed in any order."""
    lead = add_person(project.site, f"API walk auditor {next(_batches)}", department="Quality")
    planned = plan(project, lead, ("4.1",), title="API walk")
    startable = plan(project, lead, ("4.1",), title="API walk to start")
    running = plan(project, lead, ("4.2",), title="API walk in progress")
    start(project, running)
    return {
        "audit_id": planned.id,
        "audit_lead_id": lead.id,
        "startable_audit_id": startable.id,
        "running_audit_id": running.id,
        "line_id": running.lines[0].id,
    }


def audit_call(method: str, path: str, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(path values, request keyword arguments) of a call of an audit API route that succeeds with
    ``values`` (from :func:`audit_walk_values`); ``path`` in Flask's or OpenAPI's spelling. Other routes get
    ``values`` back and no keyword arguments."""
    if "/audits" not in path or method == "GET":
        return values, {}
    if "/lines/" in path:
        return values | {"audit_id": values["running_audit_id"]}, {"json": {"result": "conforming"}}
    if path.endswith("/transitions"):
        return values | {"audit_id": values["startable_audit_id"]}, {"json": {"action": "start"}}
    if path.endswith("/audits"):
        body = {
            "title": "Walk",
            "planned_start": date.today().isoformat(),
            "planned_end": date.today().isoformat(),
            "scope": ["4.1"],
            "departments": "Production",
            "lead_auditor_id": values["audit_lead_id"],
        }
        return values, {"json": body}
    return values, {"json": {"title": "Walked"}}
