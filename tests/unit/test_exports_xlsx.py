"""Writing an export (app.services.xlsx) without an app: text stays text (never a formula), money keeps its
Decimal value and currency format, dates are dates, and the CSV quotes what a spreadsheet would run."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from app.domain import text
from app.domain.exports import Column, Export, Kind, Table
from app.services.xlsx import csv_lines, workbook_bytes

TABLE = Table(
    "Lines",
    (Column("Text"), Column("Amount", Kind.MONEY), Column("Day", Kind.DATE), Column("Count", Kind.INTEGER)),
    [['=HYPERLINK("http://x")', Decimal("1234.50"), date(2027, 1, 31), 3], ["Nhà máy", None, None, 0]],
    currency="EUR",
    places=2,
)


def test_text_stays_text_and_numbers_and_dates_keep_their_formats() -> None:
    workbook = load_workbook(io.BytesIO(workbook_bytes(Export("x", (TABLE,), (("Project id", 4),)))))
    sheet = workbook["Lines"]
    text, amount, day, count = sheet[2]
    assert (text.value, text.data_type) == ('=HYPERLINK("http://x")', "s")
    assert (amount.value, amount.number_format) == (1234.5, '#,##0.00 "EUR"')
    assert (day.value.date(), day.number_format) == (date(2027, 1, 31), "yyyy-mm-dd")
    assert count.value == 3
    assert sheet["A3"].value == "Nhà máy" and sheet["B3"].value is None
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("A2", "A1:D3")
    assert workbook["About"]["B1"].value == 4


def test_the_csv_has_a_byte_order_mark_and_quotes_formulas() -> None:
    text = "".join(csv_lines(TABLE))
    assert text.startswith("\ufeffText,Amount,Day,Count")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[1] == ['\'=HYPERLINK("http://x")', "1234.50", "2027-01-31", "3"]
    assert rows[2] == ["Nhà máy", "", "", "0"]


def test_a_label_marked_for_translation_is_written_as_the_readers_words(monkeypatch) -> None:
    words = {"Met": "Đạt", "Status": "Trạng thái"}
    monkeypatch.setattr(text, "_gettext", lambda english: words.get(english, english))
    table = Table(text._l("Status"), (Column(text._l("Status")),), [[text._l("Met")]])
    workbook = load_workbook(io.BytesIO(workbook_bytes(Export("x", (table,), ()))))
    assert [cell.value for cell in workbook["Trạng thái"]["A"]] == ["Trạng thái", "Đạt"]
    assert "".join(csv_lines(table)) == "\ufeffTrạng thái\r\nĐạt\r\n"
