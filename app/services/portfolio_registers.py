"""The registers of the generated projects that keep them: a document register, the site's people and their
training, an internal audit programme with its findings, and the running registers
(:mod:`app.services.portfolio_running`).

Per project: 15 to 30 documents (:func:`add_register`), 20 to 60 people with 12 training requirements and
150 to 300 attendance records (:func:`add_training`); an internal audit done (reported, or closed once the
management review stage is reached) when the project has reached its internal audit stage, with a checklist
of 8 requirements and a finding for each nonconforming line, and one planned; two more findings from other
sources. Findings stand at every step of their workflow, some actions overdue.
"""

from __future__ import annotations

import random
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
from app.services.portfolio_documents import add_register
from app.services.portfolio_progress import Planned
from app.services.portfolio_rows import insert_returning, insert_rows
from app.services.portfolio_running import add_running_registers
from app.services.portfolio_training import add_training

TRAINING_REQUIREMENTS = 12
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
    requirements = _requirements({p.standard_id for p in projects})
    for planned in projects:
        rng = random.Random(f"{planned.seed}:registers")
        add_register(planned.project_id, planned.standard_id, user_id, rng.randint(15, 30), today)
        people = rng.randint(20, 60)
        records = rng.randint(150, 300)
        add_training(
            planned.project_id, planned.site_id, user_id, people, TRAINING_REQUIREMENTS, records, today
        )
        db.session.flush()
        _add_audits(planned, requirements[planned.standard_id], rng, today)
        add_running_registers(planned, rng, user_id, today)
        db.session.flush()
        db.session.expunge_all()


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


def _add_audits(
    planned: Planned, requirements: list[tuple[int, str]], rng: random.Random, today: date
) -> None:
    people = (
        db.session.execute(
            select(Person.id)
            .where(Person.site_id == planned.site_id, Person.left_on.is_(None))
            .order_by(Person.id)
        )
        .scalars()
        .all()
    )
    lead = people[rng.randrange(len(people))] if people else None
    done = planned.progress >= AUDIT_STAGE
    start = (
        today - timedelta(days=rng.randint(20, 60)) if done else today + timedelta(days=rng.randint(10, 40))
    )
    audits = [_audit(planned.project_id, 1, start, lead, done, planned.progress >= REVIEW_STAGE)]
    audits.append(
        _audit(planned.project_id, 2, today + timedelta(days=rng.randint(60, 150)), lead, False, False)
    )
    ids = insert_returning(InternalAudit, audits)
    scope: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    for audit_id, audit in zip(ids, audits, strict=True):
        for position, (clause_id, _) in enumerate(rng.sample(requirements, min(8, len(requirements)))):
            scope.append({"audit_id": audit_id, "clause_id": clause_id})
            answered = audit["reported_on"] is not None
            result = LINE_RESULTS[position] if answered else audit_rules.LineResult.NOT_CHECKED
            lines.append(
                {
                    "audit_id": audit_id,
                    "clause_id": clause_id,
                    "position": position,
                    "prompt": "Ask for the records and sample three.",
                    "result": result.value,
                    "notes": "Records seen and sampled." if answered else "",
                }
            )
    db.session.execute(audit_scope.insert(), scope)
    line_ids = insert_returning(AuditLine, lines)
    numbers = dict(requirements)
    findings = [
        _finding(
            planned.project_id,
            nc.Source.INTERNAL_AUDIT,
            numbers[line["clause_id"]],
            line["result"],
            rng,
            today,
            audit_id=line["audit_id"],
            audit_line_id=line_id,
        )
        for line_id, line in zip(line_ids, lines, strict=True)
        if line["result"] in audit_rules.NONCONFORMING
    ]
    for source in rng.sample(OTHER_SOURCES, 2):
        findings.append(
            _finding(planned.project_id, source, rng.choice(requirements)[1], "minor", rng, today)
        )
    finding_ids = insert_returning(Finding, findings)
    checks = [
        {
            "finding_id": finding_id,
            "checked_on": row["closed_on"] or today - timedelta(days=2),
            "checked_by": "Quality lead",
            "result": nc.CheckResult.EFFECTIVE.value,
            "notes": "No repeat in the records sampled since the action.",
        }
        for finding_id, row in zip(finding_ids, findings, strict=True)
        if row["status"] in (nc.FindingState.VERIFIED, nc.FindingState.CLOSED)
    ]
    insert_rows(EffectivenessCheckRecord, checks)


def _audit(
    project_id: int, number: int, start: date, lead: int | None, done: bool, closed: bool
) -> dict[str, Any]:
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
) -> dict[str, Any]:
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
