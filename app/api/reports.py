"""``GET /api/v1/projects/<id>/report``: the project's PDF readiness report, as the page sends it.

The report is a PDF: asked for with ``?format=pdf`` or an ``Accept`` that takes ``application/pdf`` (or
anything: ``*/*``, or no ``Accept`` at all). Another ``format`` is invalid (422); an ``Accept`` that takes
no PDF is answered 406.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, request

from app.api import ApiError
from app.domain.text import _
from app.reports import render
from app.web.access import current_scope
from app.web.project_request import project

bp = Blueprint("reports", __name__)
FORMATS = ("pdf",)


def wants_pdf() -> bool:
    """Whether the request asks for the PDF; raises ApiError when it asks for a format not served."""
    asked = request.args.get("format")
    if asked is not None:
        if asked not in FORMATS:
            raise ApiError(422, _("Unknown format: ask for format=pdf."), {"format": _("Choose pdf.")})
        return True
    accepted = request.accept_mimetypes
    return not accepted or accepted.quality(render.PDF) > 0  # no Accept header: any type will do (RFC 9110)


@bp.get("/report")
def report() -> Any:
    if not wants_pdf():
        raise ApiError(406, _("The report is a PDF: send Accept: application/pdf, or ask for ?format=pdf."))
    today = date.today()
    content = render.project_pdf(project(), current_scope().workspace_name, today)
    return render.pdf_response(content, render.project_filename(project(), today))
