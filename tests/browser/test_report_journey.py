"""A consultant downloads the PDF readiness report from the project page: the browser saves a PDF whose
cover names the client (Vietnamese, intact), the site and the standard."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from playwright.sync_api import Page
from pypdf import PdfReader

from tests.browser.journeys import log_in, new_project

CONSULTANT = "hoa-report@example.com"
CLIENT = "Công ty Cổ phần Gốm Sứ Minh Long"
SITE = "Nhà máy Bình Dương"


def test_download_the_pdf_report_from_the_project_page(page: Page, live_server: str, live_app: Any):
    project_id = new_project(live_app, "Hoa Quality Consulting", {CONSULTANT: ("Hoa", "owner")}, CLIENT, SITE)
    log_in(page, live_server, CONSULTANT)
    page.goto(f"{live_server}/projects/{project_id}")
    # The process's first PDF also loads matplotlib and the fonts: a few seconds, more on a busy machine.
    with page.expect_download(timeout=120_000) as download_info:
        page.get_by_role("link", name="Download PDF report").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert download.suggested_filename.startswith("readiness-cong-ty-co-phan-gom-su-minh-long-iso-9001")
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF-")
    cover = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert CLIENT in cover
    assert SITE in cover
    assert "ISO 9001" in cover
