"""Management reviews, quality objectives, internal audits and findings stored as rows (committed, as a
finished request would), for the tests of the review and objective pages and API, and the ids and calls the
walks of every route need."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.domain.pathway import standard_family
from app.domain.reviews import review_inputs
from app.extensions import db
from app.models import (
    AuditLine,
    CertificationProject,
    Clause,
    Finding,
    InternalAudit,
    ManagementReview,
    ObjectiveMeasurement,
    QualityObjective,
    ReviewInputEntry,
    ReviewOutput,
)

TODAY = date.today()
SENTENCE = "The team discussed this input and recorded what it showed in detail."
_counter = itertools.count(1)


def add_review(
    project: CertificationProject,
    held_on: date | None = None,
    period: tuple[date, date] | None = None,
    texts: dict[str, str] | None = None,
    attendees: str = "Mr Minh, director\nMs Lan, quality manager",
) -> ManagementReview:
    """A review with a row per required input (``texts`` by key, the others empty)."""
    held_on = held_on or TODAY - timedelta(days=5)
    start, end = period or (held_on - timedelta(days=365), held_on)
    family = standard_family(project.standard.code)
    review = ManagementReview(
        project_id=project.id,
        held_on=held_on,
        period_start=start,
        period_end=end,
        attendees=attendees,
        inputs=[
            ReviewInputEntry(key=i.key, text=(texts or {}).get(i.key, "")) for i in review_inputs(family)
        ],
    )
    db.session.add(review)
    db.session.commit()
    return review


def every_input(project: CertificationProject) -> dict[str, str]:
    return {i.key: f"{SENTENCE} ({i.ref})" for i in review_inputs(standard_family(project.standard.code))}


def add_output(
    review: ManagementReview,
    category: str,
    kind: str = "action",
    text: str | None = None,
    owner: str = "Ms Lan",
    due_date: date | None = None,
    done_on: date | None = None,
) -> ReviewOutput:
    output = ReviewOutput(
        review_id=review.id,
        category=category,
        kind=kind,
        text=text or f"Carry out improvement number {next(_counter)} across the site",
        owner=owner if kind == "action" else "",
        due_date=(due_date or TODAY + timedelta(days=30)) if kind == "action" else None,
        done_on=done_on,
    )
    db.session.add(output)
    db.session.commit()
    return output


def add_objective(
    project: CertificationProject,
    title: str = "Deliver orders on time",
    target: str = "95",
    direction: str = "at_least",
    unit: str = "%",
    values: Sequence[tuple[date, str]] = (),
) -> QualityObjective:
    objective = QualityObjective(
        project_id=project.id,
        title=title,
        measure="Orders shipped on the promised date / all orders, each month",
        unit=unit,
        direction=direction,
        target=Decimal(target),
        owner="Mr Hung, logistics",
        due_date=TODAY + timedelta(days=200),
        measurements=[ObjectiveMeasurement(measured_on=day, value=Decimal(v)) for day, v in values],
    )
    db.session.add(objective)
    db.session.commit()
    return objective


def add_reported_audit(
    project: CertificationProject,
    reported_on: date,
    results: Sequence[str],
    title: str = "Audit of production",
) -> InternalAudit:
    """A reported internal audit with a checklist line per result, on the standard's first requirements."""
    clauses = db.session.execute(
        select(Clause.id)
        .where(Clause.standard_id == project.standard_id, Clause.is_leaf)
        .order_by(Clause.position)
        .limit(len(results))
    ).scalars()
    audit = InternalAudit(
        project_id=project.id,
        title=title,
        planned_start=reported_on - timedelta(days=3),
        planned_end=reported_on - timedelta(days=2),
        status="reported",
        started_on=reported_on - timedelta(days=3),
        reported_on=reported_on,
        lines=[
            AuditLine(clause_id=clause_id, position=position, result=result)
            for position, (clause_id, result) in enumerate(zip(clauses, results, strict=True))
        ],
    )
    db.session.add(audit)
    db.session.commit()
    return audit


def add_finding(
    project: CertificationProject,
    severity: str = "minor",
    raised_on: date | None = None,
    status: str = "open",
    **fields: Any,
) -> Finding:
    finding = Finding(
        project_id=project.id,
        source=fields.pop("source", "internal_audit"),
        severity=severity,
        status=status,
        description="The calibration records of scale 3 were missing for March.",
        raised_on=raised_on or TODAY - timedelta(days=20),
        **fields,
    )
    db.session.add(finding)
    db.session.commit()
    return finding


# The walks of every route (tests/integration/test_tenancy.py, test_api.py)


def review_walk_values(project: CertificationProject) -> dict[str, int]:
    """A review with an open action (to mark done) and an objective."""
    review = add_review(project)
    action = add_output(review, "improvement" if "9001" in project.standard.code else "system_improvement")
    return {"review_id": review.id, "output_id": action.id, "objective_id": add_objective(project).id}


def review_call(method: str, path: str, values: dict[str, Any]) -> dict[str, Any]:
    """The request keyword arguments of a call of a review or objective API route that succeeds with
    ``values`` (from :func:`review_walk_values`); none for the other routes."""
    day = (TODAY - timedelta(days=1)).isoformat()
    if method == "POST" and path.endswith("/management-reviews"):
        return {"json": {"held_on": day, "attendees": ["Mr Minh, director"]}}
    if method == "PATCH" and "/management-reviews/" in path:
        return {"json": {"notes": "Held in the meeting room."}}
    if method == "POST" and path.endswith("/outputs"):
        body = {"category": "resources", "kind": "decision", "text": "Hire one more quality inspector now."}
        return {"json": body}
    if method == "POST" and path.endswith("/objectives"):
        body = {"title": "Deliver on time", "measure": "On time / all", "target": 95, "owner": "Mr Hung",
                "due_date": (TODAY + timedelta(days=90)).isoformat()}  # fmt: skip
        return {"json": body}
    if method == "POST" and path.endswith("/measurements"):
        return {"json": {"measured_on": day, "value": 96.5}}
    return {}
