"""HTML to PDF (app/services/pdf.py): a PDF reaches only the app's static files and ``data:`` URLs, so client
data in a report can neither make the server fetch a page nor read one of its files."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from weasyprint import html as weasyprint_html

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


def test_the_user_agent_stylesheet_leaves_out_the_pseudo_elements_no_report_shows():
    lean = pdf.lean_user_agent_stylesheet(weasyprint_html.UA)
    assert lean is not None, "the installed WeasyPrint's user-agent stylesheet is no longer the one read"
    for rule in ("::footnote-call", "::footnote-marker", "::note-call", "::note-marker", "::note-callback"):
        assert rule in weasyprint_html.UA and rule not in lean
    assert "\n::marker {" not in lean and "\nli::marker, summary::marker {" in lean
    assert pdf.lean_user_agent_stylesheet("p { color: red }") is None


def test_documents_are_styled_by_the_lean_stylesheet_in_place_of_weasyprints_own():
    document = pdf.ReportHTML(string="<p>x</p>")
    assert document._ua_stylesheets() == [pdf.LEAN_USER_AGENT]
    assert document._ua_stylesheets(forms=True) == [pdf.LEAN_USER_AGENT, weasyprint_html.UA_FORM_STYLESHEET]


def test_lists_keep_their_markers_under_the_lean_stylesheet():
    document = html_to_pdf("<ul><li>Kept</li></ul><ol><li>First</li><li>Second</li></ol>")
    text = PdfReader(io.BytesIO(document)).pages[0].extract_text()
    assert "•" in text and "1." in text and "2." in text
