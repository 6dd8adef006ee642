"""The risk register's test support: risks, context issues and interested parties made in one call, and its
share of the walks of every route (see tests/integration/register_walks.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from app.extensions import db
from app.models import CertificationProject, ContextIssue, InterestedParty, Risk

TODAY = date.today()
DESCRIPTION = "The only cork bark supplier delivers late in the harvest season and the line stops."
ACTION = "Approve a second bark supplier in Portugal and keep four weeks of safety stock."
REVIEW_NOTES = "No line stop in the last season; the safety stock covered two late deliveries."
PATHS = ("/api/v1/projects/{project_id}/risks", "/api/v1/projects/{project_id}/risks/{risk_id}")
API_CALLS = 3  # GET and POST /risks, GET /risks/<risk_id>
OPTIONAL_BODIES = {"RiskCreate"}


def add_risk(project: CertificationProject, recorded_days_ago: int = 30, **fields: Any) -> Risk:
    """A risk of ``project`` (committed), recorded ``recorded_days_ago``; unacted and high by default."""
    values = {"kind": "risk", "description": DESCRIPTION, "likelihood": 3, "impact": 4} | fields
    recorded = datetime.combine(TODAY - timedelta(days=recorded_days_ago), datetime.min.time())
    risk = Risk(project_id=project.id, created_at=recorded, **values)
    db.session.add(risk)
    db.session.commit()
    return risk


def acted(**fields: Any) -> dict[str, Any]:
    """The fields of a risk with an action due in a fortnight."""
    return {"action": ACTION, "owner": "Ms Lan, purchasing", "due_date": TODAY + timedelta(days=14)} | fields


def add_issue(
    project: CertificationProject, description: str = "Export buyers ask for certified suppliers."
) -> Any:
    issue = ContextIssue(project_id=project.id, kind="external", category="market", description=description)
    db.session.add(issue)
    db.session.commit()
    return issue


def add_party(project: CertificationProject, name: str = "Wineries in France and Chile") -> Any:
    party = InterestedParty(project_id=project.id, name=name, kind="external", requirements="TCA-free corks.")
    db.session.add(party)
    db.session.commit()
    return party


def walk_values(project: CertificationProject) -> dict[str, Any]:
    """A risk with an action, so that its page, its edit and its review all have something to work on."""
    return {"risk_id": add_risk(project, **acted()).id}


def call(method: str, path: str, values: dict[str, Any]) -> dict[str, Any]:
    """The request keyword arguments of a call of a risk API route that succeeds; none for other routes."""
    if method == "POST" and path.endswith("/risks"):
        body = {"kind": "opportunity", "description": "Certified buyers open tenders to certified plants.",
                "likelihood": 4, "impact": 4}  # fmt: skip
        return {"json": body}
    return {}
