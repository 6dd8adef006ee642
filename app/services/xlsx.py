"""Writing an export (:class:`app.domain.exports.Export`) as an Excel workbook or a CSV file.

The workbook is written with openpyxl's write-only mode: rows stream into the file as they are generated,
so a portfolio of hundreds of clients never holds a worksheet of cell objects in memory. Each table is a
sheet with its header row frozen, an autofilter over its range and its columns' widths; numbers are
numbers, dates are dates (with a date format) and money a Decimal in the project's currency format. An
"About" sheet comes last with the export's facts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from app.domain.exports import Cell, Column, Export, Kind, Table, money_format, safe_text
from app.domain.text import _

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
PERCENT_FORMAT = "0.0"
INTEGER_FORMAT = "0"
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
MAX_SHEET_TITLE = 31  # Excel's limit


def _number_format(column: Column, table: Table) -> str | None:
    return {
        Kind.DATE: DATE_FORMAT,
        Kind.DATETIME: DATETIME_FORMAT,
        Kind.MONEY: money_format(table.currency, table.places),
        Kind.PERCENT: PERCENT_FORMAT,
        Kind.INTEGER: INTEGER_FORMAT,
    }.get(column.kind)


def _cell(sheet: Any, value: Cell, number_format: str | None) -> WriteOnlyCell:
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # Excel has no time zones; exports are written in UTC
    if isinstance(value, str):
        value = str(value)  # a label marked for translation (app.domain.text) in the reader's language
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text that begins with "=" stays text, never a formula
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


def _write_table(workbook: Workbook, table: Table, validations: dict[int, Sequence[str]]) -> None:
    sheet = workbook.create_sheet(str(table.title)[:MAX_SHEET_TITLE])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(table.columns, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        dimension.hidden = column.kind == Kind.HIDDEN
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font = BOLD
        header.append(cell)
    sheet.append(header)
    formats = [_number_format(column, table) for column in table.columns]
    count = 0
    for row in table.rows:
        sheet.append([_cell(sheet, value, formats[i]) for i, value in enumerate(row)])
        count += 1
    last = get_column_letter(len(table.columns))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    for index, choices in validations.items():
        letter = get_column_letter(index + 1)
        listed = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=False)
        listed.error = _("Choose a value from the list.")
        listed.add(f"{letter}2:{letter}{max(count + 1, 2)}")
        sheet.data_validations.append(listed)


def _write_about(workbook: Workbook, export: Export) -> None:
    sheet = workbook.create_sheet("About")
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 60
    for label, value in export.about:
        fmt = (
            DATETIME_FORMAT
            if isinstance(value, datetime)
            else DATE_FORMAT
            if isinstance(value, date)
            else None
        )
        label_cell = WriteOnlyCell(sheet, value=str(label))
        label_cell.font = BOLD
        sheet.append([label_cell, _cell(sheet, value, fmt)])


def workbook_bytes(export: Export, validations: dict[str, dict[int, Sequence[str]]] | None = None) -> bytes:
    """The export as an .xlsx file. ``validations``: per table title, a drop-down list of the values a
    column accepts (the gap analysis's status), by column index."""
    workbook = Workbook(write_only=True)
    for table in export.tables:
        _write_table(workbook, table, (validations or {}).get(table.title, {}))
    if export.about:
        _write_about(workbook, export)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _csv_value(value: Cell, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, int):
        return str(value)
    return safe_text(str(value))


def csv_lines(table: Table) -> Iterator[str]:
    """The table as CSV lines (a UTF-8 byte-order mark first, so Excel reads accents and Thai correctly),
    generated row by row so a large table streams."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(column.header) for column in table.columns])
    yield "\ufeff" + buffer.getvalue()
    for row in table.rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_csv_value(value, table.columns[i]) for i, value in enumerate(row)])
        yield buffer.getvalue()
