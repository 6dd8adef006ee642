"""HTML to PDF with WeasyPrint, offline: the one way the app turns a rendered page into a PDF.

:func:`html_to_pdf` takes an HTML string (a Jinja template rendered by the caller) and returns the PDF's
bytes. Everything the document reaches is local: stylesheets named by their path under ``static/`` are
read from disk, a relative ``src`` or ``href`` resolves under ``static/`` too, and ``data:`` URLs are read
in place. Any other URL (``http:``, ``https:``, ``file:`` outside ``static/``) is refused, so client data
in a report can neither make the server fetch a page nor read one of its files.

Fonts are the system's, through fontconfig (Pango): a stylesheet names them (``static/css/report.css``
names Noto Sans and Noto Sans Thai, from Debian's fonts-noto-core and fonts-thai-tlwg, which the Makefile
installs when missing), so Vietnamese and Thai text in client data renders, and is extracted intact.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML
from weasyprint import html as weasyprint_html
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from app.services import pdf_text

pdf_text.install()  # each glyph copies as the character it draws, wherever first drawn (Thai ำ)

STATIC = Path(__file__).resolve().parent.parent.parent / "static"

# The pseudo-elements of WeasyPrint's user-agent stylesheet that no report shows: footnotes and notes
# (``float: footnote``), and a ``::marker`` on anything but a list item. Their rules name every element,
# so WeasyPrint computed six pseudo-elements' styles for each: 85% of the fullest demo report's styles.
UNUSED_PSEUDO_RULES = re.compile(
    r"^::(?:footnote-call|footnote-marker|note-call|note-marker|note-callback) \{[^}]*\}$", re.M
)
EVERY_MARKER = "\n::marker {"
LIST_MARKERS = "\nli::marker, summary::marker {"


def lean_user_agent_stylesheet(text: str) -> str | None:
    """WeasyPrint's user-agent stylesheet ``text`` without the rules of :data:`UNUSED_PSEUDO_RULES`, its
    ``::marker`` rule kept for list items (and ``<summary>``); None when the stylesheet is not the one
    these rules were read from (another WeasyPrint), so the documents keep WeasyPrint's own."""
    lean, removed = UNUSED_PSEUDO_RULES.subn("", text)
    if removed != 5 or lean.count(EVERY_MARKER) != 1:
        return None
    return lean.replace(EVERY_MARKER, LIST_MARKERS)


_LEAN_TEXT = lean_user_agent_stylesheet(weasyprint_html.UA)
LEAN_USER_AGENT = (
    CSS(string=_LEAN_TEXT, counter_style=weasyprint_html.UA_COUNTER_STYLE) if _LEAN_TEXT else None
)


class ReportHTML(HTML):
    """A document styled by :data:`LEAN_USER_AGENT` in place of WeasyPrint's user-agent stylesheet
    (:meth:`HTML._ua_stylesheets` is where WeasyPrint takes it): the same pages, 4% fewer instructions
    for the fullest demo report (callgrind)."""

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        sheets: list[CSS] = super()._ua_stylesheets(forms)
        if LEAN_USER_AGENT is None:
            return sheets
        return [LEAN_USER_AGENT if sheet is weasyprint_html.UA_STYLESHEET else sheet for sheet in sheets]


class LocalFetcher(URLFetcher):
    """Serves files under ``static/`` and ``data:`` URLs; refuses everything else (WeasyPrint logs the
    refusal and leaves the resource out)."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file:"):
            path = Path(url.removeprefix("file://").split("?")[0].split("#")[0]).resolve()
            if path.is_relative_to(STATIC) and path.is_file():
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        raise ValueError(f"Refused to fetch {url!r}: a PDF reaches only the app's static files.")


def html_to_pdf(html: str, stylesheets: Sequence[str] = ()) -> bytes:
    """The PDF of ``html``, styled by ``stylesheets`` (paths under ``static/``, e.g. ``"css/report.css"``).

    The document's ``<title>`` and ``<html lang>`` become the PDF's title and language. Paged-media CSS
    (``@page`` sizes and margins, ``counter(page)``, ``target-counter()`` for a table of contents, running
    headers with ``string-set``) works as WeasyPrint documents it. Rendering takes the calling thread for
    its whole time (a long report: a second or more); memory is about that of the laid-out pages.
    """
    fetcher = LocalFetcher()
    fonts = FontConfiguration()
    styles = [
        CSS(filename=str(STATIC / name), url_fetcher=fetcher, font_config=fonts) for name in stylesheets
    ]
    document = ReportHTML(string=html, base_url=f"{STATIC}/", url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(stylesheets=styles, font_config=fonts)
    return pdf
