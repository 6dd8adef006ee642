"""Findings of the nonconformity register built through the services (committed, as a finished request
would), each step of their workflow, and the calls of the findings API routes that succeed, for the tests
that walk every API route."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from app.domain import nonconformities as rules
from app.extensions import db
from app.models import CertificationProject, Finding
from app.services import findings as service
from app.services.findings import FindingFields
from tests.evidence_samples import scope_for

TODAY = date.today()
ROOT_CAUSE = "The calibration interval of the scale was never entered in the maintenance plan."
ACTION = "Add every measuring instrument to the maintenance plan with its calibration interval."
CHECK_NOTES = "Three months of calibration records were sampled and every scale was on time."
RESPONSE = "We will add a reminder to the weekly production meeting agenda for this point."


def add_finding(
    project: CertificationProject, severity: str = "minor", source: str = "internal_audit", **fields: Any
) -> Finding:
    values = {
        "description": "Scale 3 had no calibration record for the last year.",
        "raised_on": TODAY - timedelta(days=30),
        "clause_number": "7.1.5.1",
    } | fields
    finding = service.create_finding(
        scope_for(None, project), project, FindingFields(source=source, severity=severity, **values), TODAY
    )
    db.session.commit()
    return finding


def plan_values(**fields: Any) -> dict[str, Any]:
    return {
        "root_cause_method": "five_whys",
        "root_cause": ROOT_CAUSE,
        "corrective_action": ACTION,
        "action_owner": "Ms Lan (QA)",
        "action_due": TODAY + timedelta(days=14),
    } | fields


def step(finding: Finding, name: str, **values: Any) -> Finding:
    """Take one step through the service, as an owner, and commit."""
    project = db.session.get(CertificationProject, finding.project_id)
    assert project is not None
    service.transition(scope_for(None, project), finding, name, values, TODAY, version=finding.version)
    db.session.commit()
    return finding


def to_state(finding: Finding, state: str) -> Finding:
    """Walk a finding along its workflow up to ``state`` (implemented ten days ago, checked five)."""
    order = [s.value for s in rules.FindingState]
    if order.index(state) >= order.index("action_planned"):
        step(finding, "plan", **plan_values())
    if order.index(state) >= order.index("implemented"):
        step(finding, "implement", implemented_on=TODAY - timedelta(days=10))
    if order.index(state) >= order.index("verified"):
        values = {"checked_by": "Mr Binh", "result": "effective", "notes": CHECK_NOTES}
        step(finding, "check", checked_on=TODAY - timedelta(days=5), **values)
    if state == "closed":
        step(finding, "close")
    return finding


def finding_walk_values(project: CertificationProject) -> dict[str, int]:
    """Ids for the findings routes: a major finding of an internal audit, open."""
    return {"finding_id": add_finding(project, "major").id}


def finding_call(method: str, path: str) -> dict[str, Any]:
    """The request keyword arguments of a call of a findings API route that succeeds (``path`` in Flask's
    or OpenAPI's spelling); none for the other routes."""
    if method == "POST" and path.endswith("/findings"):
        body = {
            "source": "customer_complaint",
            "severity": "minor",
            "description": "A customer received a box with the wrong label.",
            "raised_on": TODAY.isoformat(),
        }
        return {"json": body}
    if method == "PATCH" and "/findings/" in path:
        return {"json": {"containment": "Stock in the warehouse checked and relabelled."}}
    if method == "POST" and path.endswith("/transitions"):
        plan = plan_values(action_due=plan_values()["action_due"].isoformat())
        return {"json": {"transition": "plan", **plan}}
    return {}
