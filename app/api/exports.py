"""The API's lists as files: ``?format=xlsx`` or ``?format=csv`` (or an ``Accept`` header that prefers
either to JSON) on the project list, the requirements, the budget, the document register, the training
matrix and the findings answers the whole table as the pages' export does, filters and paging aside.

Two hooks (registered in :mod:`app.blueprints`, after the token's scope and the project are loaded) answer
those requests before the JSON view runs, so each list keeps one view and the export one place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Response, request

from app.api import ApiError
from app.api.requests import page_params
from app.domain.exports import Export
from app.domain.text import _
from app.exports.responses import FORMATS, export_response
from app.models import CertificationProject
from app.services import export_tables, portfolio_export
from app.services.xlsx import XLSX_TYPE
from app.web.access import current_scope
from app.web.project_request import project

JSON = "application/json"
CSV = "text/csv"
MEDIA_TYPES = {XLSX_TYPE: "xlsx", CSV: "csv"}
FORMAT_VALUES = ("json", *FORMATS)

# endpoint -> the export of the project the URL names
PROJECT_EXPORTS: dict[str, Callable[[CertificationProject, date], Export]] = {
    "api.project.list_requirements": lambda p, _today: export_tables.gap_export(p),
    "api.project.budget.show_budget": lambda p, _today: export_tables.budget_export(p),
    "api.project.documents.list_documents": export_tables.documents_export,
    "api.project.training.show_matrix": export_tables.training_export,
    "api.project.findings.list_findings": export_tables.findings_export,
}
PORTFOLIO_ENDPOINT = "api.list_projects"


def asked_format() -> str | None:
    """``xlsx`` or ``csv`` when the request asks for a file, None for JSON. ``format=`` wins over Accept;
    an Accept of ``*/*`` (or none) is JSON. A file is the whole table, but the list's paging parameters
    are still checked: a request the JSON list refuses is refused as a file too."""
    given = request.args.get("format")
    if given is not None:
        if given not in FORMAT_VALUES:
            message = _(
                "Unknown format %(given)r: use one of %(formats)s.",
                given=given,
                formats=", ".join(FORMAT_VALUES),
            )
            raise ApiError(422, message, {"format": message})
        fmt = None if given == "json" else given
    else:
        best = request.accept_mimetypes.best_match([JSON, XLSX_TYPE, CSV], default=JSON)
        fmt = MEDIA_TYPES.get(best or JSON)
    if fmt is not None:
        page_params(request.args)
    return fmt


def answer_project_export() -> Response | None:
    """The project list's file when one is asked for; None lets the JSON view answer."""
    make = PROJECT_EXPORTS.get(request.endpoint or "")
    fmt = asked_format() if make is not None else None
    if make is None or fmt is None:
        return None
    return export_response(make(project(), date.today()), fmt)


def answer_portfolio_export() -> Any:
    if request.endpoint != PORTFOLIO_ENDPOINT:
        return None
    fmt = asked_format()
    if fmt is None:
        return None
    return export_response(portfolio_export.portfolio_export(current_scope(), date.today()), fmt)
