"""Helpers of the gap analysis export and import tests: download the export, edit it with openpyxl as a
person would offline, and upload it back."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook

from app.domain.exports import GAP_HEADERS, GAP_SHEET

COLUMN = {header: index + 1 for index, header in enumerate(GAP_HEADERS)}


def export_gap(http: FlaskClient, project_id: int) -> Workbook:
    response = http.get(f"/projects/{project_id}/gap.xlsx")
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(response.data))


def row_of(workbook: Workbook, clause: str) -> int:
    sheet = workbook[GAP_SHEET]
    for number in range(2, sheet.max_row + 1):
        if sheet.cell(number, 1).value == clause:
            return number
    raise AssertionError(f"no row for {clause}")


def set_cells(workbook: Workbook, clause: str, /, **values: Any) -> None:
    """Set a row's fields by header: status="Met", owner=..., due=..., notes=..., justification=..."""
    names = {
        "status": "Status",
        "owner": "Owner",
        "due": "Due date",
        "notes": "Notes",
        "justification": "Justification (for not applicable)",
        "token": "Row version (do not edit)",
        "clause": "Clause",
    }
    number = row_of(workbook, clause)
    for name, value in values.items():
        workbook[GAP_SHEET].cell(number, COLUMN[names[name]]).value = value


def to_bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(http: FlaskClient, project_id: int, data: bytes, name: str = "gap.xlsx") -> Any:
    return http.post(
        f"/projects/{project_id}/gap/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def hidden(html: str, name: str) -> str:
    marker = f'name="{name}" type="hidden" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def confirm(http: FlaskClient, project_id: int, preview_html: str) -> Any:
    return http.post(
        f"/projects/{project_id}/gap/import/confirm",
        data={"token": hidden(preview_html, "token"), "digest": hidden(preview_html, "digest")},
    )


Edit = Callable[[Workbook], None]
