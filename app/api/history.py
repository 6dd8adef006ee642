"""GET /api/v1/projects/<id>/history: the project's daily readiness snapshots, oldest first.

Nested in the API's project blueprint, so it shares the token authentication, the project loader and the
JSON errors. Only recorded days
are listed: a day is recorded when a verdict changes and by ``flask snapshot-readiness`` (cron).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from app.models import ReadinessSnapshot
from app.services import history
from app.web.project_request import project

bp = Blueprint("history", __name__)


def snapshot(row: ReadinessSnapshot) -> dict[str, Any]:
    return {
        "date": row.taken_on.isoformat(),
        "readiness_percent": row.readiness,
        "coverage_percent": row.coverage,
        **{name: getattr(row, name) for name in history.COUNTED},
    }


@bp.get("/history")
def project_history() -> Any:
    rows = history.snapshots(project())
    return {"items": [snapshot(row) for row in rows], "total": len(rows)}
