"""The documented-information checklist: each mandatory document and record of a project with its status."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, render_template

from app.domain.coverage import CHECKLIST_LABELS
from app.domain.registers import RegisterKey
from app.registers.links import register_url
from app.services import doc_checklist
from app.web.project_request import project

bp = Blueprint("checklist", __name__)


@bp.get("/documented-information")
def documented_information() -> Any:
    checklist = doc_checklist.documented_information(project(), date.today())
    return render_template(
        "checklist/index.html",
        project=project(),
        checklist=checklist,
        labels=CHECKLIST_LABELS,
        register_links={key: register_url(project().id, key) for key in RegisterKey},
    )
