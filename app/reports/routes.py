"""The PDF downloads: a project's readiness report (nested under the project, which is loaded and scoped
by its parent blueprint) and the portfolio of every client the user sees."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint
from flask_login import login_required

from app.reports import render
from app.web.access import current_scope
from app.web.project_request import project

bp = Blueprint("reports", __name__)  # nested in the project blueprint: /projects/<id>/report.pdf
portfolio_bp = Blueprint("portfolio_pdf", __name__)


@bp.get("/report.pdf")
def project_report() -> Any:
    today = date.today()
    content = render.project_pdf(project(), current_scope().workspace_name, today)
    return render.pdf_response(content, render.project_filename(project(), today))


@portfolio_bp.get("/portfolio.pdf")
@login_required
def portfolio() -> Any:
    today = date.today()
    content = render.portfolio_pdf(current_scope(), today)
    name = render.filename("portfolio", current_scope().workspace_name, today.isoformat())
    return render.pdf_response(content, name)
