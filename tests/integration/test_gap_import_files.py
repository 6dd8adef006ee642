"""Files the gap analysis import refuses whole, with a clear message beside the field and nothing saved:
not a workbook, a zip bomb, 100,000 rows, formulas, macros, merged cells, moved or renamed columns, another
project's or standard's sheet, a file over the upload limit."""

from __future__ import annotations

import gc
import io
import time
import warnings
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import Workbook

from app.extensions import db
from app.models import Assessment
from tests.gap_workbooks import COLUMN, export_gap, set_cells, to_bytes, upload

GAP_PART = "xl/worksheets/sheet1.xml"  # the export's first sheet


@pytest.fixture(autouse=True)
def _imports_in_tmp(app: Any, tmp_path: Any) -> None:
    app.config["GAP_IMPORT_DIR"] = str(tmp_path / "imports")


@pytest.fixture
def exported(client: FlaskClient, owner: Any, tree: dict[str, Any]) -> bytes:
    """The project's export with one real change, so only the refusal stands between it and a save."""
    workbook = export_gap(client, tree["project"].id)
    set_cells(workbook, "8.5.1", status="Met")
    return to_bytes(workbook)


def _rezipped(
    data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item.filename, (replace or {}).get(item.filename, source.read(item.filename)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def _huge_sheet(rows: int, dimension: bool) -> bytes:
    head = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main">' + (f'<dimension ref="A1:I{rows}"/>' if dimension else "") + "<sheetData>"
    )
    body = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>4.1</t></is></c></row>' for n in range(1, rows + 1)
    )
    return (head + body + "</sheetData></worksheet>").encode()


def _edit(workbook_edit: Callable[[Workbook], None]) -> Callable[[FlaskClient, int], bytes]:
    def made(http: FlaskClient, project_id: int) -> bytes:
        workbook = export_gap(http, project_id)
        set_cells(workbook, "8.5.1", status="Met")
        workbook_edit(workbook)
        return to_bytes(workbook)

    return made


def _formula(workbook: Workbook) -> None:
    workbook["Gap analysis"].cell(3, COLUMN["Notes"]).value = "=1+1"


def _merged(workbook: Workbook) -> None:
    workbook["Gap analysis"].merge_cells("D2:E2")


def _moved(workbook: Workbook) -> None:
    sheet = workbook["Gap analysis"]
    owner, notes = COLUMN["Owner"], COLUMN["Notes"]
    for row in sheet.iter_rows():
        row[owner - 1].value, row[notes - 1].value = row[notes - 1].value, row[owner - 1].value


def _renamed(workbook: Workbook) -> None:
    workbook["Gap analysis"].cell(1, COLUMN["Status"]).value = "State"


def _other_standard(workbook: Workbook) -> None:
    for row in workbook["About"].iter_rows():
        if row[0].value == "Standard code":
            row[1].value = "iso13485"


def _no_about(workbook: Workbook) -> None:
    del workbook["About"]


EDITS = {
    "formula": (_edit(_formula), "holds a formula"),
    "merged cells": (_edit(_merged), "merged cells"),
    "moved columns": (_edit(_moved), "columns were moved, renamed"),
    "renamed column": (_edit(_renamed), "columns were moved, renamed"),
    "another standard": (_edit(_other_standard), "against another standard"),
    "no About sheet": (_edit(_no_about), "has no “Gap analysis” and “About” sheets"),
}


@pytest.mark.parametrize("case", list(EDITS))
def test_a_workbook_edited_out_of_shape_is_refused(
    client: FlaskClient, owner: Any, tree: dict[str, Any], case: str
) -> None:
    make_file, message = EDITS[case]
    project = tree["project"]
    _refused(client, project.id, make_file(client, project.id), message)


def _refused(http: FlaskClient, project_id: int, data: bytes, message: str, status: int = 422) -> None:
    with warnings.catch_warnings():
        # werkzeug's test client spools a body over 500 KB to a temporary file that it leaves open
        warnings.simplefilter("ignore", ResourceWarning)
        response = upload(http, project_id, data)
        code, html = response.status_code, response.get_data(as_text=True)
        del response
        if len(data) > 500 * 1024:
            gc.collect()
    assert code == status, html[-2000:]
    assert message in html
    assert 'id="import-preview"' not in html
    assert 'id="file-errors"' in html  # beside the field
    assert db.session.query(Assessment).filter(Assessment.status != "not_assessed").count() == 0


def test_not_a_workbook(client: FlaskClient, exported: bytes, tree: dict[str, Any]) -> None:
    project_id = tree["project"].id
    _refused(client, project_id, b"Clause,Status\n4.1,Met\n", "This is not an Excel workbook (.xlsx)")
    _refused(client, project_id, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Excel .xls file")
    _refused(client, project_id, b"PK\x03\x04 truncated", "damaged or not a workbook")
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("notes.txt", "hello")
    _refused(client, project_id, plain_zip.getvalue(), "it has no workbook inside")


def test_zip_bombs_are_refused_from_the_zip_directory(
    client: FlaskClient, exported: bytes, tree: dict[str, Any]
) -> None:
    project_id = tree["project"].id
    _refused(
        client,
        project_id,
        _rezipped(exported, add={"xl/media/pad.bin": b"\0" * (2 * 1024 * 1024)}),
        "zip bomb",
    )
    big = _rezipped(exported, add={f"xl/media/pad{n}.bin": b"\1" * (11 * 1024 * 1024) for n in range(5)})
    _refused(client, project_id, big, "unpacks to more than 50 MB")


def test_macros_are_refused(client: FlaskClient, exported: bytes, tree: dict[str, Any]) -> None:
    project_id = tree["project"].id
    _refused(client, project_id, _rezipped(exported, add={"xl/vbaProject.bin": b"macro"}), "contains macros")
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        types = archive.read("[Content_Types].xml").replace(
            b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml"
        )
    _refused(
        client, project_id, _rezipped(exported, replace={"[Content_Types].xml": types}), "contains macros"
    )


@pytest.mark.parametrize("dimension", [True, False])
def test_a_hundred_thousand_rows_are_refused_fast(
    client: FlaskClient, exported: bytes, tree: dict[str, Any], dimension: bool
) -> None:
    data = _rezipped(exported, replace={GAP_PART: _huge_sheet(100_001, dimension)})
    started = time.perf_counter()
    _refused(client, tree["project"].id, data, "rows")
    assert time.perf_counter() - started < 5  # refused from the declared size, or after 5,001 rows


def test_another_projects_export_is_refused(
    client: FlaskClient, owner: Any, tree: dict[str, Any], make: Any
) -> None:
    workspace = db.session.merge(tree["workspace"])
    other = make.project(make.site(make.client(workspace)))
    workbook = export_gap(client, other.id)
    set_cells(workbook, "8.5.1", status="Met")
    _refused(client, tree["project"].id, to_bytes(workbook), "exported from another project")


def test_a_file_over_the_size_limits_is_refused(
    client: FlaskClient, exported: bytes, tree: dict[str, Any]
) -> None:
    project_id = tree["project"].id
    _refused(client, project_id, exported + b"\0" * (5 * 1024 * 1024), "larger than 5 MB")
    client.application.config["MAX_CONTENT_LENGTH"] = 4096
    _refused(client, project_id, exported, "larger than this site accepts", status=413)
