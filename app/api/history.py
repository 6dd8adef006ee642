"""GET /api/v1/projects/<id>/history: the project's daily readiness snapshots, oldest first.

Importing this module adds the route to the ``api`` blueprint (``register_blueprints`` does so before it
registers that blueprint), so it shares the token authentication and the JSON errors. Only recorded days
are listed: a day is recorded when a verdict changes and by ``flask snapshot-readiness`` (cron).
"""

from __future__ import annotations

from typing import Any

from app.api.routes import bp
from app.models import CertificationProject, ReadinessSnapshot
from app.services import history
from app.services.scope import current_scope, get_or_404_in


def snapshot(row: ReadinessSnapshot) -> dict[str, Any]:
    return {
        "date": row.taken_on.isoformat(),
        "readiness_percent": row.readiness,
        "coverage_percent": row.coverage,
        **{name: getattr(row, name) for name in history.COUNTED},
    }


@bp.get("/projects/<int:project_id>/history")
def project_history(project_id: int) -> Any:
    project = get_or_404_in(current_scope(), CertificationProject, project_id)
    rows = history.snapshots(project)
    return {"items": [snapshot(row) for row in rows], "total": len(rows)}
