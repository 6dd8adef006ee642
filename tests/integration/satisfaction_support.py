"""Satisfaction measures and their values stored through the service (committed, as a finished request
would), for the tests of the satisfaction pages and API, and the ids and calls the walks of every route
need (see tests/integration/register_walks.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from app.extensions import db
from app.models import CertificationProject, SatisfactionMeasure
from app.services import satisfaction as service
from app.services.satisfaction import MeasureFields, ValueFields
from tests.evidence_samples import scope_for

TODAY = date.today()
PATHS = (
    "/api/v1/projects/{project_id}/satisfaction-measures",
    "/api/v1/projects/{project_id}/satisfaction-measures/{measure_id}",
    "/api/v1/projects/{project_id}/satisfaction-measures/{measure_id}/values",
)
API_CALLS = 4  # GET and POST /satisfaction-measures, GET /<measure_id>, POST /<measure_id>/values
OPTIONAL_BODIES = {"SatisfactionMeasureCreate", "SatisfactionValueCreate"}


def add_measure(
    project: CertificationProject,
    name: str = "Yearly customer survey score",
    values: list[tuple[date, str]] | None = None,
    **fields: Any,
) -> SatisfactionMeasure:
    """A survey measure, higher is better, target 85 %, with ``values`` (period end, value as typed)."""
    given = {"kind": "survey", "unit": "%", "higher_is_better": True, "target": "85"} | fields
    scope = scope_for(None, project)
    measure = service.create_measure(scope, project, MeasureFields(name=name, **given))
    for day, value in values or []:
        service.add_value(scope, measure, ValueFields(day, value), TODAY)
    db.session.commit()
    return measure


def walk_values(project: CertificationProject) -> dict[str, Any]:
    return {"measure_id": add_measure(project, values=[(TODAY - timedelta(days=30), "88")]).id}


def call(method: str, path: str, values: dict[str, Any]) -> dict[str, Any]:
    """The JSON body of a satisfaction API call that succeeds (``path`` in Flask's or OpenAPI's spelling)."""
    if method == "POST" and path.endswith("/satisfaction-measures"):
        return {
            "json": {"name": "Walked on-time delivery", "kind": "on_time_delivery", "unit": "%", "target": 95}
        }
    if method == "POST" and "/satisfaction-measures/" in path and path.endswith("/values"):
        return {"json": {"period_end": (TODAY - timedelta(days=1)).isoformat(), "value": 96.5}}
    return {}
