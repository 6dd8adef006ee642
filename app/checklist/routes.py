"""The documented-information checklist: each mandatory document and record of a project with its status."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, render_template

from app.documents.words import RowUrl, row_url
from app.domain.coverage import CHECKLIST_LABELS
from app.domain.registers import RegisterKey
from app.registers.links import register_url
from app.services import doc_checklist
from app.web.project_request import project

bp = Blueprint("checklist", __name__)


def _row_links(project_id: int) -> dict[str, RowUrl]:
    """The rows' links, each routed once for the page (a url_for per row and per evidence item was a third
    of its template time)."""
    return {
        "requirement": row_url("project.gap.requirement", "clause", project_id=project_id),
        "documents": row_url("project.documents.index", "clause", project_id=project_id),
        "new_document": row_url("project.documents.new", "clause", project_id=project_id),
        "new_evidence": row_url("project.evidence.new", "clause", project_id=project_id),
        "evidence": row_url("project.evidence.show", "evidence_id", project_id=project_id),
    }


@bp.get("/documented-information")
def documented_information() -> Any:
    checklist = doc_checklist.documented_information(project(), date.today())
    return render_template(
        "checklist/index.html",
        project=project(),
        checklist=checklist,
        labels=CHECKLIST_LABELS,
        register_links={key: register_url(project().id, key) for key in RegisterKey},
        links=_row_links(project().id),
    )
