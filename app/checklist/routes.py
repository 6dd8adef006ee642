"""The documented-information checklist: each mandatory document and record of a project with its status."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, render_template
from flask_login import login_required
from sqlalchemy.orm import joinedload

from app.domain.coverage import ChecklistStatus
from app.models import CertificationProject
from app.services import doc_checklist
from app.services.scope import current_scope, get_or_404_in

bp = Blueprint("checklist", __name__, url_prefix="/projects/<int:project_id>")

STATUS_LABELS = {
    ChecklistStatus.MISSING: "Missing",
    ChecklistStatus.DRAFT: "Draft",
    ChecklistStatus.SUBMITTED: "Awaiting review",
    ChecklistStatus.ACCEPTED: "Accepted",
    ChecklistStatus.EXPIRED: "Expired",
    ChecklistStatus.NOT_APPLICABLE: "Not applicable",
}


@bp.get("/documented-information")
@login_required
def documented_information(project_id: int) -> Any:
    project = get_or_404_in(
        current_scope(),
        CertificationProject,
        project_id,
        joinedload(CertificationProject.client),
        joinedload(CertificationProject.site),
        joinedload(CertificationProject.standard),
    )
    today = date.today()
    checklist = doc_checklist.documented_information(project, today)
    return render_template(
        "checklist/index.html", project=project, checklist=checklist, labels=STATUS_LABELS, today=today
    )
