"""HTML to PDF (app/services/pdf.py): a PDF reaches only the app's static files and ``data:`` URLs, so client
data in a report can neither make the server fetch a page nor read one of its files."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from app.services import pdf
from app.services.pdf import LocalFetcher, html_to_pdf


def test_the_fetcher_serves_static_files_and_refuses_everything_else(tmp_path):
    served = LocalFetcher().fetch(f"file://{pdf.STATIC / 'css' / 'report.css'}")
    assert b"@page" in served.read()
    outside = tmp_path / "secret.txt"
    outside.write_text("not for a report")
    for url in (
        f"file://{outside}",
        "http://169.254.169.254/latest/meta-data",
        f"file://{pdf.STATIC}/../app",
    ):
        with pytest.raises(ValueError, match="reaches only the app's static files"):
            LocalFetcher().fetch(url)


def test_a_refused_image_is_left_out_and_the_pdf_still_made():
    document = html_to_pdf('<p>Before</p><img src="http://example.invalid/x.png"><p>After</p>')
    text = PdfReader(io.BytesIO(document)).pages[0].extract_text()
    assert "Before" in text and "After" in text
