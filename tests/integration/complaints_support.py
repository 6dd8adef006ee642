"""Complaints stored through the service (committed, as a finished request would), for the tests of the
complaint pages and API, and the ids and calls the walks of every route need (see
tests/integration/register_walks.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from app.domain.complaints import ComplaintValues
from app.extensions import db
from app.models import CertificationProject, Complaint
from app.services import complaints as service
from tests.evidence_samples import scope_for

TODAY = date.today()
DESCRIPTION = "Twelve cartons of stoppers arrived with mould spots on the outer face."
INVESTIGATION = "The warehouse humidity log showed eighty percent for a week in the rainy season."
CLOSURE = "Credit note issued and the dehumidifier now runs on a timer in the warehouse."
REASON = "No injury occurred and the defect cannot lead to a serious deterioration of health."

PATHS = (
    "/api/v1/projects/{project_id}/complaints",
    "/api/v1/projects/{project_id}/complaints/{complaint_id}",
)
API_CALLS = 3  # GET and POST /complaints, GET /complaints/<complaint_id>
OPTIONAL_BODIES = {"ComplaintCreate"}


def add_complaint(project: CertificationProject, **fields: Any) -> Complaint:
    """A complaint received ten days ago (``fields`` change any value; ``finding_id`` links one)."""
    finding_id = fields.pop("finding_id", None)
    values = {
        "received_on": TODAY - timedelta(days=10),
        "customer": "Vinamilk",
        "product": "Natural cork 45x24",
        "description": DESCRIPTION,
    } | fields
    complaint = service.create_complaint(
        scope_for(None, project), project, ComplaintValues(**values), TODAY, finding_id
    )
    db.session.commit()
    return complaint


def walk_values(project: CertificationProject) -> dict[str, Any]:
    """An open complaint, investigated, so that every route of its page finds it."""
    return {"complaint_id": add_complaint(project, investigation=INVESTIGATION).id}


def new_complaint() -> dict[str, Any]:
    return {
        "received_on": (TODAY - timedelta(days=1)).isoformat(),
        "customer": "Walk customer",
        "product": "Walk product",
        "description": DESCRIPTION,
    }


def call(method: str, path: str, values: dict[str, Any]) -> dict[str, Any]:
    """The JSON body of a complaint API call that succeeds (``path`` in Flask's or OpenAPI's spelling)."""
    if method == "POST" and path.endswith("/complaints"):
        return {"json": new_complaint()}
    return {}
