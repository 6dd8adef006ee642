"""The documented-information checklist: each mandatory document and record of a project with its status."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, render_template, url_for

from app.domain.coverage import CHECKLIST_LABELS
from app.domain.registers import RegisterKey
from app.registers.links import register_url
from app.services import doc_checklist
from app.web.project_request import project

bp = Blueprint("checklist", __name__)

# A value that ends a built address, taken off again to leave the address up to where a row's value goes.
_MARKER = "0"


def _prefix(endpoint: str, project_id: int, name: str) -> str:
    """``endpoint``'s address up to the value of ``name``, which the row appends. Built once for the page (a
    url_for per row and per evidence item was a third of its template time); the values appended are
    clause numbers (digits and dots) and ids: nothing to quote."""
    values: dict[str, Any] = {name: _MARKER}
    return url_for(endpoint, project_id=project_id, **values).removesuffix(_MARKER)


def _row_links(project_id: int) -> dict[str, str]:
    return {
        "requirement": _prefix("project.gap.requirement", project_id, "clause"),
        "documents": _prefix("project.documents.index", project_id, "clause"),
        "new_document": _prefix("project.documents.new", project_id, "clause"),
        "new_evidence": _prefix("project.evidence.new", project_id, "clause"),
        "evidence": _prefix("project.evidence.show", project_id, "evidence_id"),
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
