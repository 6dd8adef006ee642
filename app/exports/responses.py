"""An export as a download: the workbook or CSV bytes with safe headers (shared by the pages and the API)."""

from __future__ import annotations

from flask import Response

from app.domain.assessment import VERDICT_LABELS
from app.domain.exports import GAP_HEADERS, GAP_SHEET, Export
from app.services import xlsx
from app.web.download import content_disposition

FORMATS = ("xlsx", "csv")


def export_response(export: Export, fmt: str) -> Response:
    """The export as an attachment; CSV holds its first table (the one the page lists)."""
    if fmt == "csv":
        body = "".join(xlsx.csv_lines(export.tables[0])).encode("utf-8")
        response = Response(body, mimetype=xlsx.CSV_TYPE)
    else:
        response = Response(xlsx.workbook_bytes(export, _validations(export)), mimetype=xlsx.XLSX_TYPE)
    response.headers["Content-Disposition"] = content_disposition("attachment", f"{export.name}.{fmt}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _validations(export: Export) -> dict[str, dict[int, list[str]]]:
    """The gap analysis's status column offers the statuses as a drop-down list."""
    if not any(table.title == GAP_SHEET for table in export.tables):
        return {}
    return {GAP_SHEET: {GAP_HEADERS.index("Status"): list(VERDICT_LABELS.values())}}
