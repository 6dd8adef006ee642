"""The OpenAPI document's word on the lists answered as files (:mod:`app.api.exports`): each such operation
gets the ``format`` parameter and its answer the Excel and CSV media types besides JSON."""

from __future__ import annotations

import copy

from app.api import API_PREFIX
from app.api.exports import FORMAT_VALUES
from app.api.openapi import Schema, query
from app.services.xlsx import XLSX_TYPE

# path -> method of the lists that have an export
EXPORTABLE = (
    "/projects",
    "/projects/{project_id}/requirements",
    "/projects/{project_id}/budget",
    "/projects/{project_id}/documents",
    "/projects/{project_id}/training-matrix",
    "/projects/{project_id}/findings",
)
FORMAT = query(
    "format",
    {"type": "string", "enum": list(FORMAT_VALUES), "default": "json"},
    "json (default), or the whole list as a file: xlsx (an Excel workbook, one sheet per table and an About "
    "sheet) or csv (the first table). A file holds every row: filters and paging apply to JSON only. An "
    "Accept header that prefers one of the file types to application/json asks for it too.",
)
FILES = {
    XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
    "text/csv": {"schema": {"type": "string"}},
}


def with_export_formats(paths: dict[str, Schema]) -> dict[str, Schema]:
    """``paths`` with the format parameter and the file answers on each exportable list."""
    for path in EXPORTABLE:
        operation = paths.get(API_PREFIX + path, {}).get("get")
        if operation is None:
            continue
        operation["parameters"] = [*operation.get("parameters", []), copy.deepcopy(FORMAT)]
        answer = operation["responses"]["200"]
        answer["content"] = {**answer["content"], **copy.deepcopy(FILES)}
        answer["description"] += " Or the whole list as an Excel workbook or CSV file (format)."
        if "422" not in operation["responses"]:
            operation["responses"]["422"] = copy.deepcopy(operation["responses"]["401"]) | {
                "description": "An unknown format (`fields` names it)."
            }
    return paths
