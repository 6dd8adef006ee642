"""A project's charts page: readiness, stages, timeline, history and budget, each over a table of numbers."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, current_app, render_template
from flask_login import login_required
from sqlalchemy.orm import joinedload

from app.charts import READINESS_TARGET
from app.models import CertificationProject
from app.services import charts as chart_service
from app.services.scope import current_scope, get_or_404_in

bp = Blueprint("charts", __name__)


def readiness_target() -> int:
    """The readiness % the section chart draws its target line at (config READINESS_TARGET, default 100)."""
    return int(current_app.config.get("READINESS_TARGET", READINESS_TARGET))


@bp.get("/projects/<int:project_id>/charts")
@login_required
def show(project_id: int) -> Any:
    project = get_or_404_in(
        current_scope(),
        CertificationProject,
        project_id,
        joinedload(CertificationProject.client),
        joinedload(CertificationProject.site),
        joinedload(CertificationProject.standard),
    )
    charts = chart_service.project_charts(project, date.today(), readiness_target())
    return render_template("charts/show.html", project=project, charts=charts)
