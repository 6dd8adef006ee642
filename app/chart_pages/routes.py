"""A project's charts page: readiness, stages, timeline, history, training and budget, each over a table of
numbers."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, render_template

from app.services import charts as chart_service
from app.web.project_request import project

bp = Blueprint("charts", __name__)


@bp.get("/charts")
def show() -> Any:
    charts = chart_service.project_charts(project(), date.today(), chart_service.readiness_target())
    return render_template("charts/show.html", project=project(), charts=charts)
