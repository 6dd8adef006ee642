"""Context register rows built through the service (committed, as a finished request would), for the tests of
its pages and API, and the ids and calls the walks of every route need (see register_walks.py)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from app.extensions import db
from app.models import CertificationProject, ClimateDecision, ContextIssue, InterestedParty
from app.services import context as service
from app.services.context import DecisionFields, IssueFields, PartyFields
from tests.evidence_samples import scope_for

TODAY = date.today()
ISSUE_TEXT = "Export buyers ask for a certified quality system before they renew their orders."
REQUIREMENTS = "Products to the agreed specification, delivered on time with the right documents."
REASONING = "Floods in the rainy season cut the road to the plant and delay raw material deliveries."
_counter = itertools.count(1)

PATHS = (
    "/api/v1/projects/{project_id}/context-issues",
    "/api/v1/projects/{project_id}/context-issues/{issue_id}",
    "/api/v1/projects/{project_id}/interested-parties",
    "/api/v1/projects/{project_id}/interested-parties/{party_id}",
    "/api/v1/projects/{project_id}/climate-decisions",
)
API_CALLS = 8  # GET and POST of the three lists, GET of an issue and of a party
OPTIONAL_BODIES = {"ContextIssueCreate", "InterestedPartyCreate"}


def add_issue(project: CertificationProject, **fields: Any) -> ContextIssue:
    values = {
        "kind": "external",
        "category": "market",
        "description": ISSUE_TEXT,
        "effect": "",
        "owner": "Ms Lan, sales",
        "reviewed_on": TODAY - timedelta(days=30),
    } | fields
    issue = service.create_issue(scope_for(None, project), project, IssueFields(**values), TODAY)
    db.session.commit()
    return issue


def add_party(project: CertificationProject, **fields: Any) -> InterestedParty:
    values = {
        "name": f"Overseas buyers {next(_counter)}",
        "kind": "external",
        "requirements": REQUIREMENTS,
        "monitoring": "",
        "reviewed_on": TODAY - timedelta(days=30),
    } | fields
    party = service.create_party(scope_for(None, project), project, PartyFields(**values), TODAY)
    db.session.commit()
    return party


def add_decision(
    project: CertificationProject, relevant: bool = True, decided_on: date | None = None, **fields: Any
) -> ClimateDecision:
    values = {"reasoning": REASONING, "decided_by": "Mr Minh, director"} | fields
    when = decided_on or TODAY - timedelta(days=10)
    decision = service.record_decision(
        scope_for(None, project), project, DecisionFields(when, relevant, **values), TODAY
    )
    db.session.commit()
    return decision


# The walks of every route (tests/integration/test_tenancy.py, test_api.py)


def walk_values(project: CertificationProject) -> dict[str, Any]:
    """An issue and an interested party of the project."""
    return {"issue_id": add_issue(project).id, "party_id": add_party(project).id}


def call(method: str, path: str, values: dict[str, Any]) -> dict[str, Any]:
    """The request keyword arguments of a call of a context API route that succeeds (``path`` in Flask's or
    OpenAPI's spelling); none for the other routes."""
    if method != "POST":
        return {}
    if path.endswith("/context-issues"):
        return {"json": {"kind": "internal", "category": "people", "description": ISSUE_TEXT}}
    if path.endswith("/interested-parties"):
        return {
            "json": {
                "name": f"Walked party {next(_counter)}",
                "kind": "external",
                "requirements": REQUIREMENTS,
            }
        }
    if path.endswith("/climate-decisions"):
        body = {
            "decided_on": TODAY.isoformat(),
            "relevant": False,
            "reasoning": REASONING,
            "decided_by": "Ms Lan",
        }
        return {"json": body}
    return {}
