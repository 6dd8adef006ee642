"""A quality manager downloads the gap analysis as Excel, fills in two rows offline (openpyxl stands in
for Excel), uploads the file, reads the preview (old → new, nothing saved yet), confirms, and sees the
verdicts."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.journeys import log_in, new_project
from tests.gap_workbooks import set_cells

MANAGER = "lan-gap@example.com"


def test_export_fill_in_and_import_the_gap_analysis(
    page: Page, live_server: str, live_app: Any, tmp_path: Path
):
    live_app.config["GAP_IMPORT_DIR"] = str(tmp_path / "imports")
    project_id = new_project(
        live_app, "Lan Quality", {MANAGER: ("Lan", "owner")}, "Công ty Dệt May Hòa Bình", "Xưởng 2"
    )
    log_in(page, live_server, MANAGER)
    page.goto(f"{live_server}/projects/{project_id}/gap-analysis")
    with page.expect_download() as download_info:
        page.locator("#export-gap-xlsx").click()
    download = download_info.value
    assert download.suggested_filename == f"project-{project_id}-gap-analysis.xlsx"

    workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))  # a path without .xlsx
    set_cells(workbook, "4.1", status="Met", owner="Chị Lan", notes="Xem sổ tay chất lượng")
    set_cells(workbook, "8.5.1", status="Partly met", due=datetime(2027, 2, 28))
    filled = tmp_path / "gap-filled.xlsx"
    workbook.save(filled)

    page.locator("#gap-import-link").click()
    page.set_input_files("#file", str(filled))
    page.get_by_role("button", name="Preview the import").click()
    counts = page.locator("#import-counts")
    expect(counts).to_contain_text("2 requirements will change")
    changes = page.locator("#import-changes")
    expect(changes).to_contain_text("Chị Lan")
    expect(changes).to_contain_text("28 Feb 2027")
    expect(changes.locator('tr[data-clause="4.1"]').first).to_contain_text("Not assessed")

    page.get_by_role("button", name="Save 2 changes").click()
    expect(page.locator(".alert-success")).to_contain_text("2 verdicts saved from the workbook")
    page.goto(f"{live_server}/projects/{project_id}/requirements/4.1")
    expect(page.locator("body")).to_contain_text("Chị Lan")
    page.goto(f"{live_server}/projects/{project_id}/requirements/8.5.1")
    expect(page.locator("select[name$='status'] option[selected]")).to_have_text("Partly met")
