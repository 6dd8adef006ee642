"""The registers of the generated projects that keep them: a document register, the site's people and their
training, an internal audit programme with its findings, and the running registers
(:mod:`app.services.generator.running`).

Per project: 15 to 30 documents (:func:`add_register`), 20 to 60 people with 12 training requirements and
150 to 300 attendance records (:func:`add_training`); an internal audit done (reported, or closed once the
management review stage is reached) when the project has reached its internal audit stage, with a checklist
of 8 requirements and a finding for each nonconforming line, and one planned; two more findings from other
sources. Findings stand at every step of their workflow, some actions overdue.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.domain import audits as audit_rules
from app.domain import nonconformities as nc
from app.domain.pathway import Stage
from app.extensions import db
from app.models import (
    AuditLine,
    Clause,
    EffectivenessCheckRecord,
    Finding,
    InternalAudit,
    Person,
    audit_scope,
)
from app.services.generator.documents import add_register
from app.services.generator.progress import Planned
from app.services.generator.rows import Batch, Row
from app.services.generator.running import add_running_registers
from app.services.generator.training import add_training

TRAINING_REQUIREMENTS = 12
FLUSH_EVERY = 20  # projects whose documents and training are written before the session forgets them
AUDIT_STAGE = list(Stage).index(Stage.INTERNAL_AUDIT)
REVIEW_STAGE = list(Stage).index(Stage.MANAGEMENT_REVIEW)
LINE_RESULTS = (  # checklist answers of a done audit, in turn
    audit_rules.LineResult.CONFORMING,
    audit_rules.LineResult.CONFORMING,
    audit_rules.LineResult.MINOR,
    audit_rules.LineResult.CONFORMING,
    audit_rules.LineResult.OBSERVATION,
    audit_rules.LineResult.CONFORMING,
    audit_rules.LineResult.CONFORMING,
    audit_rules.LineResult.MAJOR,
)
STATES = (
    nc.FindingState.OPEN,
    nc.FindingState.ACTION_PLANNED,
    nc.FindingState.IMPLEMENTED,
    nc.FindingState.VERIFIED,
    nc.FindingState.CLOSED,
)
OTHER_SOURCES = (nc.Source.PROCESS, nc.Source.SUPPLIER, nc.Source.CUSTOMER_COMPLAINT, nc.Source.PRODUCT)


def add_registers(projects: list[Planned], user_id: int, today: date) -> None:
    """Every register of each of ``projects``; the caller flushes."""
    for number, planned in enumerate(projects, start=1):
        rng = random.Random(f"{planned.seed}:registers")
        add_register(planned.project_id, planned.standard_id, user_id, rng.randint(15, 30), today)
        people, records = rng.randint(20, 60), rng.randint(150, 300)
        add_training(
            planned.project_id, planned.site_id, user_id, people, TRAINING_REQUIREMENTS, records, today
        )
        if number % FLUSH_EVERY == 0:
            db.session.flush()
            db.session.expunge_all()
    db.session.flush()
    db.session.expunge_all()
    _add_audits(projects, today)
    add_running_registers(projects, user_id, today)


def _requirements(standard_ids: set[int]) -> dict[int, list[tuple[int, str]]]:
    """(clause id, number) of each standard's requirements, in the catalog's order."""
    rows = db.session.execute(
        select(Clause.standard_id, Clause.id, Clause.number)
        .where(Clause.standard_id.in_(standard_ids), Clause.is_leaf, Clause.is_requirement)
        .order_by(Clause.position)
    ).all()
    found: dict[int, list[tuple[int, str]]] = {standard_id: [] for standard_id in standard_ids}
    for standard_id, clause_id, number in rows:
        found[standard_id].append((clause_id, number))
    return found


def _add_audits(projects: list[Planned], today: date) -> None:
    """Each project's audits with their checklists, then the findings of their nonconforming lines and two
    from other sources (with the checks of those verified), a few statements for all the projects."""
    requirements = _requirements({p.standard_id for p in projects})
    auditors = _auditors([p.site_id for p in projects])
    batch = Batch()
    for planned in projects:
        rng = random.Random(f"{planned.seed}:audits")
        lead = rng.choice(auditors[planned.site_id]) if auditors[planned.site_id] else None
        done = planned.progress >= AUDIT_STAGE
        start = today + timedelta(days=-rng.randint(20, 60) if done else rng.randint(10, 40))
        later = today + timedelta(days=rng.randint(60, 150))
        audits = [
            _audit(planned.project_id, 1, start, lead, done, planned.progress >= REVIEW_STAGE),
            _audit(planned.project_id, 2, later, lead, False, False),
        ]
        scope = requirements[planned.standard_id]
        families = [(audit, _lines(audit, rng.sample(scope, min(8, len(scope))))) for audit in audits]
        batch.add_families(InternalAudit, families, AuditLine, "audit_id")
    audit_ids = [audit_id for _, audit_id in batch.write()[InternalAudit]]
    _add_findings(projects, audit_ids, requirements, today)


def _add_findings(
    projects: list[Planned], audit_ids: list[int], requirements: dict[int, list[tuple[int, str]]], today: date
) -> None:
    lines = db.session.execute(
        select(
            AuditLine.id, AuditLine.audit_id, AuditLine.clause_id, AuditLine.result, InternalAudit.project_id
        )
        .join(InternalAudit, InternalAudit.id == AuditLine.audit_id)
        .where(AuditLine.audit_id.in_(audit_ids))
        .order_by(AuditLine.audit_id, AuditLine.position)
    ).all()
    batch = Batch()
    batch.add(audit_scope, [{"audit_id": line.audit_id, "clause_id": line.clause_id} for line in lines])
    raised: defaultdict[int, list[Any]] = defaultdict(list)  # nonconforming lines, by project
    for line in lines:
        if line.result in audit_rules.NONCONFORMING:
            raised[line.project_id].append(line)
    for planned in projects:
        rng = random.Random(f"{planned.seed}:findings")
        numbers = dict(requirements[planned.standard_id])
        findings = [
            _finding(planned.project_id, nc.Source.INTERNAL_AUDIT, numbers[line.clause_id], line.result, rng,
                     today, audit_id=line.audit_id, audit_line_id=line.id)
            for line in raised[planned.project_id]
        ]  # fmt: skip
        for source in rng.sample(OTHER_SOURCES, 2):
            clause = rng.choice(requirements[planned.standard_id])[1]
            findings.append(_finding(planned.project_id, source, clause, "minor", rng, today))
        families = [(row, _checks(row, today)) for row in findings]
        batch.add_families(Finding, families, EffectivenessCheckRecord, "finding_id")
    batch.write()


def _auditors(site_ids: list[int]) -> dict[int, list[int]]:
    """The people still working at each site, who may lead its audits."""
    rows = db.session.execute(
        select(Person.site_id, Person.id)
        .where(Person.site_id.in_(site_ids), Person.left_on.is_(None))
        .order_by(Person.id)
    ).all()
    found: dict[int, list[int]] = {site_id: [] for site_id in site_ids}
    for site_id, person_id in rows:
        found[site_id].append(person_id)
    return found


def _lines(audit: Row, scope: list[tuple[int, str]]) -> list[Row]:
    """The audit's checklist, one line per requirement in scope, answered once it is reported."""
    answered = audit["reported_on"] is not None
    return [
        {
            "clause_id": clause_id,
            "position": position,
            "prompt": "Ask for the records and sample three.",
            "result": (LINE_RESULTS[position] if answered else audit_rules.LineResult.NOT_CHECKED).value,
            "notes": "Records seen and sampled." if answered else "",
        }
        for position, (clause_id, _) in enumerate(scope)
    ]


def _checks(finding: Row, today: date) -> list[Row]:
    """The effectiveness check of a verified or closed finding; none for the others."""
    if finding["status"] not in (nc.FindingState.VERIFIED, nc.FindingState.CLOSED):
        return []
    return [
        {
            "checked_on": finding["closed_on"] or today - timedelta(days=2),
            "checked_by": "Quality lead",
            "result": nc.CheckResult.EFFECTIVE.value,
            "notes": "No repeat in the records sampled since the action.",
        }
    ]


def _audit(project_id: int, number: int, start: date, lead: int | None, done: bool, closed: bool) -> Row:
    status = (
        audit_rules.AuditStatus.CLOSED
        if closed
        else audit_rules.AuditStatus.REPORTED
        if done
        else audit_rules.AuditStatus.PLANNED
    )
    return {
        "project_id": project_id,
        "title": f"Internal audit {number}: " + ("sections 4 to 7" if number == 1 else "operations"),
        "planned_start": start,
        "planned_end": start + timedelta(days=1),
        "status": status.value,
        "departments": "Production\nWarehouse",
        "lead_auditor_id": lead,
        "independence_reason": "",
        "started_on": start if done else None,
        "reported_on": start + timedelta(days=5) if done else None,
        "closed_on": start + timedelta(days=15) if closed else None,
        "summary": "The system is implemented; the findings below need corrective action." if done else "",
        "notes": "",
    }


def _finding(
    project_id: int, source: str, clause: str, severity: str, rng: random.Random, today: date, **links: int
) -> Row:
    state = rng.choice(STATES)
    step = STATES.index(state)
    raised = today - timedelta(days=rng.randint(10, 120))
    planned = step >= 1
    return {
        "project_id": project_id,
        "source": str(source),
        "audit_id": links.get("audit_id"),
        "external_audit_id": None,
        "audit_line_id": links.get("audit_line_id"),
        "clause_number": clause,
        "severity": severity,
        "status": state.value,
        "description": f"Records required by {clause} were not kept for the last two batches sampled.",
        "containment": "The missing records were completed from the batch sheets." if planned else "",
        "root_cause_method": nc.RootCauseMethod.FIVE_WHYS.value if planned else "",
        "root_cause": "The form does not ask for it and nobody was trained on the change." if planned else "",
        "corrective_action": "Revise the form and brief the shift leaders on it." if planned else "",
        "action_owner": "Quality lead" if planned else "",
        "action_due": raised + timedelta(days=rng.randint(14, 60)) if planned else None,
        "implemented_on": raised + timedelta(days=7) if step >= 2 else None,
        "effectiveness_due": raised + timedelta(days=40) if step >= 2 else None,
        "deadline": None,
        "raised_on": raised,
        "closed_on": min(today, raised + timedelta(days=9)) if step >= 4 else None,
    }
