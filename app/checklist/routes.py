"""The documented-information checklist: each mandatory document and record of a project with its status."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, render_template

from app.domain.coverage import ChecklistStatus
from app.projects.area import project
from app.services import doc_checklist

bp = Blueprint("checklist", __name__)

CHECKLIST_LABELS = {
    ChecklistStatus.MISSING: "Missing",
    ChecklistStatus.DRAFT: "Draft",
    ChecklistStatus.SUBMITTED: "Awaiting review",
    ChecklistStatus.ACCEPTED: "Accepted",
    ChecklistStatus.EXPIRED: "Expired",
    ChecklistStatus.NOT_APPLICABLE: "Not applicable",
}


@bp.get("/documented-information")
def documented_information() -> Any:
    today = date.today()
    checklist = doc_checklist.documented_information(project(), today)
    return render_template(
        "checklist/index.html", project=project(), checklist=checklist, labels=CHECKLIST_LABELS, today=today
    )
