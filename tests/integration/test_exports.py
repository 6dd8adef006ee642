"""The Excel and CSV exports of the demo's projects, opened with openpyxl and the csv module: numbers are
numbers, dates are dates, money keeps its currency format, the header row is frozen, the autofilter covers the
table, widths are set; each page links its export. The demo is built once for the module, which only reads."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from app.extensions import db
from app.models import BudgetLine, CertificationProject, Finding
from app.services.demo import DEMO_EMAIL, DEMO_PASSWORD
from app.services.xlsx import XLSX_TYPE
from tests.conftest import demo_built

TODAY = date.today()


@pytest.fixture(scope="module")
def demo_app(database: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with demo_built(database, tmp_path_factory.mktemp("demo-evidence"), TODAY) as app:
        yield app


@pytest.fixture(scope="module")
def http(demo_app: Flask) -> FlaskClient:
    client = demo_app.test_client()
    answer = client.post("/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert answer.status_code == 302
    return client


@pytest.fixture(scope="module")
def project(demo_app: Flask) -> CertificationProject:
    """A demo project with budget lines and findings."""
    stmt = (
        select(CertificationProject)
        .join(BudgetLine, BudgetLine.project_id == CertificationProject.id)
        .join(Finding, Finding.project_id == CertificationProject.id)
        .order_by(CertificationProject.id)
    )
    found = db.session.execute(stmt).scalars().first()
    assert found is not None
    return found


def _workbook(http: FlaskClient, url: str) -> object:
    answer = http.get(url)
    assert answer.status_code == 200, url
    assert answer.mimetype == XLSX_TYPE
    assert "attachment" in answer.headers["Content-Disposition"]
    return load_workbook(io.BytesIO(answer.data))


def _check_table(sheet: object, headers: list[str]) -> None:
    assert [cell.value for cell in sheet[1]] == headers  # type: ignore[index]
    assert sheet.freeze_panes == "A2"  # type: ignore[attr-defined]
    last = get_column_letter(len(headers))
    assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"  # type: ignore[attr-defined]
    assert all(sheet.column_dimensions[get_column_letter(i + 1)].width > 5 for i in range(len(headers)))  # type: ignore[attr-defined]


def _column(sheet: object, header: str) -> list[object]:
    headers = [cell.value for cell in sheet[1]]  # type: ignore[index]
    index = headers.index(header)
    return [row[index] for row in sheet.iter_rows(min_row=2)]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("what", "sheet", "date_header"),
    [
        ("gap", "Gap analysis", None),  # the demo sets no due dates: see the round trip's test
        ("documents", "Document register", "Next review"),
        ("training", "Training by person", "Last trained"),
        ("findings", "Nonconformities", "Raised on"),
        ("budget", "Budget lines", "Date"),
    ],
)
def test_each_export_is_a_typed_filtered_frozen_workbook(
    http: FlaskClient, project: CertificationProject, what: str, sheet: str, date_header: str | None
) -> None:
    workbook = _workbook(http, f"/projects/{project.id}/{what}.xlsx")
    table = workbook[sheet]  # type: ignore[index]
    headers = [cell.value for cell in table[1]]
    _check_table(table, headers)
    assert table.max_row > 1, what
    dated = [cell for cell in _column(table, date_header) if cell.value is not None] if date_header else []
    assert dated or not date_header, f"{what}: no date in {date_header}"
    assert all(isinstance(cell.value, datetime) and cell.number_format == "yyyy-mm-dd" for cell in dated)
    about = {row[0].value: row[1].value for row in workbook["About"].iter_rows()}  # type: ignore[index]
    assert about["Project id"] == project.id
    assert about["Standard code"] == project.standard.code
    assert isinstance(about["Exported at (UTC)"], datetime)

    answer = http.get(f"/projects/{project.id}/{what}.csv")
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).removeprefix("\ufeff"))))
    first = workbook[workbook.sheetnames[0]]  # type: ignore[index]
    assert rows[0] == [cell.value for cell in first[1]]
    assert len(rows) == first.max_row


def test_budget_amounts_are_numbers_in_the_projects_currency(
    http: FlaskClient, project: CertificationProject
) -> None:
    workbook = _workbook(http, f"/projects/{project.id}/budget.xlsx")
    lines = workbook["Budget lines"]  # type: ignore[index]
    planned = _column(lines, "Planned")
    assert all(isinstance(cell.value, int | float) for cell in planned)
    assert all(f'"{project.currency}"' in cell.number_format for cell in planned)
    total = workbook["Total"]  # type: ignore[index]
    assert [row[0].value for row in total.iter_rows(min_row=2)] == ["Total", "Forecast at completion"]
    saved = db.session.execute(
        select(BudgetLine.planned).where(BudgetLine.project_id == project.id, BudgetLine.deleted_at.is_(None))
    ).scalars()
    assert round(sum(cell.value for cell in planned), 3) == round(float(sum(saved)), 3)
    spent = [cell for cell in _column(lines, "Spent (%)") if cell.value is not None]
    assert all(isinstance(cell.value, int | float) for cell in spent)


def test_the_gap_export_carries_each_rows_hidden_version(
    http: FlaskClient, project: CertificationProject
) -> None:
    workbook = _workbook(http, f"/projects/{project.id}/gap.xlsx")
    sheet = workbook["Gap analysis"]  # type: ignore[index]
    last = get_column_letter(sheet.max_column)
    assert sheet.column_dimensions[last].hidden
    assert all(str(cell.value).startswith("v") for cell in _column(sheet, "Row version (do not edit)"))
    about = {row[0].value: row[1].value for row in workbook["About"].iter_rows()}  # type: ignore[index]
    assert len(about["Fingerprint"]) == 32
    assert sheet.data_validations.dataValidation[0].formula1.startswith('"Not assessed,')


def test_the_portfolio_lists_every_project(http: FlaskClient, demo_app: Flask) -> None:
    workbook = _workbook(http, "/portfolio.xlsx")
    sheet = workbook["Portfolio"]  # type: ignore[index]
    _check_table(sheet, [cell.value for cell in sheet[1]])
    count = db.session.execute(select(CertificationProject.id)).all()
    assert sheet.max_row - 1 == len(count)
    assert all(isinstance(cell.value, int) for cell in _column(sheet, "Met"))
    readiness = [cell.value for cell in _column(sheet, "Readiness (%)") if cell.value is not None]
    assert readiness and all(isinstance(value, int) for value in readiness)
    answer = http.get("/portfolio.csv")
    assert answer.status_code == 200
    assert len(answer.get_data(as_text=True).strip().splitlines()) == len(count) + 1


@pytest.mark.parametrize(
    ("page", "links"),
    [
        ("gap-analysis", ("export-gap-xlsx", "export-gap-csv", "gap-import-link")),
        ("documents", ("export-documents-xlsx", "export-documents-csv")),
        ("training-matrix", ("export-training-xlsx",)),
        ("findings", ("export-findings-xlsx",)),
        ("budget", ("export-budget-xlsx", "export-budget-csv")),
    ],
)
def test_each_page_links_its_export(
    http: FlaskClient, project: CertificationProject, page: str, links: tuple[str, ...]
) -> None:
    html = http.get(f"/projects/{project.id}/{page}").get_data(as_text=True)
    for link in links:
        assert f'id="{link}"' in html, link
    assert 'id="export-portfolio-xlsx"' in http.get("/projects").get_data(as_text=True)
