"""The PDF readiness report and the portfolio PDF, read back with pypdf: every section, the project page's
figures, Thai and Vietnamese client data intact, page numbers and the contents' page numbers; another
workspace's project is not found; the API's format negotiation.

A PDF takes about a second to render, so the module builds its data and renders each PDF once (a module
fixture on the session's database, emptied when the module is done); the tests read the bytes kept.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pypdfium2
import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from app.extensions import db
from app.models import CertificationProject
from app.reports.render import SECTIONS
from app.services import report as report_service
from app.services import tokens
from app.services.scope import Scope
from tests.conftest import empty_tables
from tests.factories import Factory, login
from tests.integration.finding_support import add_finding
from tests.integration.test_gap_analysis import mark
from tests.querycount import count_queries

TODAY = date.today()
VIETNAMESE_CLIENT = "Công ty TNHH Dệt May Sài Gòn"
VIETNAMESE_SITE = "Nhà máy Bình Dương"
VIETNAMESE_OWNER = "Nguyễn Thị Hương"
# Thai with vowels above and below, tone marks, and SARA AM (ำ), drawn as two glyphs and, under a tone mark,
# out of the order typed (app/services/pdf_text.py; tests/unit/test_pdf_text.py)
THAI_CLIENT = "บริษัท สยามพลาสติก จำกัด"
THAI_SITE = "โรงงานน้ำดื่มบางนา"


@dataclass(frozen=True)
class Built:
    app: Flask
    http: FlaskClient  # logged in as the workspace's owner
    api: dict[str, str]  # the owner's token
    project: int  # Vietnamese client, with gaps and an open finding
    empty: int  # a new project, nothing assessed (Thai client)
    foreign: int  # another workspace's project
    project_page: str
    report: PdfReader
    thai_report: PdfReader  # ``project``'s, for a reader whose browser asks for Thai
    empty_report: PdfReader
    portfolio: PdfReader
    clients: list[str]


def text_of(reader: PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


def read(content: bytes) -> PdfReader:
    assert content.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(content))


@pytest.fixture(scope="module")
def built(database: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    saved = dict(database.config)
    database.config["EVIDENCE_DIR"] = str(tmp_path_factory.mktemp("report-evidence"))
    try:
        with database.app_context():
            yield _build(database)
            db.session.remove()
            empty_tables()
    finally:
        database.config.clear()
        database.config.update(saved)


def _build(app: Flask) -> Built:
    make = Factory()
    workspace = make.workspace("Mekong Quality Partners")
    client = make.client(workspace, name=VIETNAMESE_CLIENT)
    project = make.project(make.site(client, name=VIETNAMESE_SITE))
    mark(project, ["4.1", "4.2", "5.1.1"], "met")
    mark(project, ["7.1.5.1"], "not_met", owner=VIETNAMESE_OWNER, due_date=TODAY - timedelta(days=3))
    # ✅, which no font of the report draws: once it made pypdf read all of Noto Sans's text as "\x00C\x00ô"
    mark(project, ["8.4.1"], "partial", owner="Mr Tuan ✅", due_date=TODAY + timedelta(days=30))
    add_finding(project, severity="major", clause_number="7.1.5.1")
    thai = make.client(workspace, name=THAI_CLIENT, country="TH")
    empty = make.project(make.site(thai, name=THAI_SITE), currency="THB")
    plain = make.client(workspace, name="Acme Stoppers")
    make.project(make.site(plain))
    foreign = make.tree()["project"]
    user = make.user(workspace, role="owner")
    membership = user.memberships[0]
    secret = tokens.create(membership.id, "report tests").secret
    db.session.commit()
    ids = (project.id, empty.id, foreign.id)

    http = app.test_client()
    login(http, user)
    page = http.get(f"/projects/{ids[0]}").get_data(as_text=True)
    report = http.get(f"/projects/{ids[0]}/report.pdf")
    assert report.status_code == 200, report.get_data(as_text=True)[:500]
    thai_report = http.get(f"/projects/{ids[0]}/report.pdf", headers={"Accept-Language": "th"})
    empty_report = http.get(f"/projects/{ids[1]}/report.pdf")
    portfolio = http.get("/portfolio.pdf")
    assert portfolio.status_code == 200
    return Built(
        app,
        http,
        {"Authorization": f"Bearer {secret}"},
        *ids,
        page,
        read(report.data),
        read(thai_report.data),
        read(empty_report.data),
        read(portfolio.data),
        sorted([VIETNAMESE_CLIENT, THAI_CLIENT, "Acme Stoppers"], key=str.casefold),
    )


def test_the_report_has_every_section_in_its_contents_at_the_right_page(built):
    pages = text_of(built.report)
    contents = next(text for text in pages if "Contents" in text)
    for _, title in SECTIONS:
        found = re.search(rf"{re.escape(title)}\s*\.+\s*(\d+)", contents)
        assert found, f"{title} not in the contents"
        page = int(found.group(1))
        assert pages[page - 1].lstrip().startswith(title) or f"\n{title}\n" in pages[page - 1], (
            f"{title}: the contents say page {page}"
        )


def test_every_page_is_numbered(built):
    pages = text_of(built.report)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text


def test_the_report_shows_the_project_pages_readiness(built):
    shown = re.search(r'id="readiness-overall">([^<]+)<', built.project_page).group(1)
    text = "\n".join(text_of(built.report))
    assert f"{shown} ready:" in text
    cover = text_of(built.report)[0]
    assert shown in cover
    coverage = re.search(r'id="coverage-overall">([^<]+)<', built.project_page).group(1)
    assert coverage in cover


def test_the_cover_names_client_site_standard_body_and_date(built):
    cover = text_of(built.report)[0]
    for expected in (VIETNAMESE_CLIENT, VIETNAMESE_SITE, "ISO 9001", "Certification body", "Not chosen yet"):
        assert expected in cover
    assert TODAY.strftime("%d %b %Y") in cover


def test_the_gaps_list_owner_and_due_date_vietnamese_intact(built):
    text = "\n".join(text_of(built.report))
    gaps = text[text.index("\nGaps\n") :]
    assert re.search(rf"7\.1\.5\.1.*?Not met\s*{VIETNAMESE_OWNER}", gaps, re.S)
    assert (TODAY - timedelta(days=3)).strftime("%d %b %Y") + " (overdue)" in gaps
    assert re.search(r"8\.4\.1.*?Partly met\s*Mr Tuan ✅", gaps, re.S)
    findings = text[text.index("\nOpen findings and actions\n") :]
    assert re.search(r"Finding \d+ \(major\s*,\s*7\.1\.5\.1\)\s*internal audit\s*Open", findings)


def test_a_new_project_renders_with_thai_names_intact(built):
    pages = text_of(built.empty_report)
    cover = pages[0]
    assert THAI_CLIENT in cover
    assert THAI_SITE in cover
    in_chrome = pypdfium2.PdfDocument(built.empty_report.stream.getvalue())[0].get_textpage().get_text_range()
    assert THAI_CLIENT in in_chrome and THAI_SITE in in_chrome  # PDFium, Chrome's viewer
    text = "\n".join(pages)
    for _, title in SECTIONS:
        assert title in text
    assert "0% ready" in text
    assert "No requirement is assessed as not met or partly met." in text
    assert "No certificate yet" in text


def test_charts_are_vector_images_with_their_tables(built):
    # Each chart is an SVG drawn as PDF vector paths (no raster image), followed by its table's heading.
    assert all(not page.images for page in built.report.pages)
    text = "\n".join(text_of(built.report))
    for title in ("Readiness by clause section", "Stage progress", "Budget by stage", "Cumulative spend"):
        assert title in text
    assert "Clause section" in text  # an axis title, kept as text in the SVG


def test_a_charts_words_are_text_shaped_whole_in_thai(built):
    # A chart's words are set over its drawing as text. Drawn by WeasyPrint's SVG text, a letter at a
    # time, the readiness axis's Thai title lost its tone mark to a dotted circle and did not read back.
    text = "\n".join(text_of(built.thai_report))
    assert "ความพร้อมตามหมวดของมาตรฐาน" in text  # the chart's heading, "Readiness by clause section"
    assert "ความพร้อม %" in text  # its value axis's title, "Readiness %"


def test_another_workspaces_project_is_not_found(built):
    assert built.http.get(f"/projects/{built.foreign}/report.pdf").status_code == 404
    api = built.http.get(f"/api/v1/projects/{built.foreign}/report?format=pdf", headers=built.api)
    assert api.status_code == 404


def test_the_api_answers_a_pdf_when_asked(built):
    by_format = built.http.get(f"/api/v1/projects/{built.empty}/report?format=pdf", headers=built.api)
    assert by_format.status_code == 200
    assert by_format.mimetype == "application/pdf"
    assert "attachment" in by_format.headers["Content-Disposition"]
    assert THAI_CLIENT in read(by_format.data).pages[0].extract_text()
    accept = {**built.api, "Accept": "application/pdf"}
    by_accept = built.http.get(f"/api/v1/projects/{built.empty}/report", headers=accept)
    assert by_accept.mimetype == "application/pdf"
    without_accept = built.http.get(f"/api/v1/projects/{built.empty}/report", headers=built.api)
    assert without_accept.status_code == 200 and without_accept.mimetype == "application/pdf"


@pytest.mark.parametrize(
    ("query", "accept", "status"),
    [("", "application/json", 406), ("?format=xlsx", "application/pdf", 422)],
)
def test_the_api_refuses_what_it_does_not_serve(built, query, status, accept):
    response = built.http.get(
        f"/api/v1/projects/{built.empty}/report{query}", headers={**built.api, "Accept": accept}
    )
    assert response.status_code == status
    assert response.get_json()["error"]["status"] == status


def test_the_report_is_in_the_openapi_document(built):
    document = built.http.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/projects/{project_id}/report"]["get"]
    assert "application/pdf" in operation["responses"]["200"]["content"]
    assert {"404", "406", "422"} <= set(operation["responses"])


def test_the_project_page_and_list_link_the_pdfs(built):
    assert f'href="/projects/{built.project}/report.pdf"' in built.project_page
    assert 'href="/portfolio.pdf"' in built.http.get("/projects").get_data(as_text=True)
    assert 'href="/portfolio.pdf"' in built.http.get("/portfolio").get_data(as_text=True)


def test_the_portfolio_has_one_page_per_client(built):
    pages = text_of(built.portfolio)
    assert len(pages) == len(built.clients)
    for page in pages:
        assert [name for name in built.clients if name in page] != []
    assert sorted(next(name for name in built.clients if name in page) for page in pages) == built.clients
    words = " ".join(" ".join(pages).split())  # a narrow cell wraps a name over two lines
    assert THAI_SITE in words.replace(" ", "")  # Thai has no spaces between its words: wrapped, it reads one
    assert VIETNAMESE_SITE in words


def test_the_report_reads_a_fixed_number_of_queries(built):
    counts = []
    for project_id in (built.project, built.empty):
        with count_queries() as statements:
            report_service.project_report(db.session.get(CertificationProject, project_id), TODAY)
        counts.append(len(statements))
    assert counts[0] <= 40, counts
    assert abs(counts[0] - counts[1]) <= 2, counts  # gaps' titles and findings' checks: only when there are


def test_the_portfolio_reads_a_fixed_number_of_queries(built):
    project = db.session.get(CertificationProject, built.project)
    scope: Any = Scope(0, 0, project.workspace_id, "W", "owner", None)
    with count_queries() as statements:
        found = report_service.portfolio_report(scope, TODAY)
    assert found.projects == 3
    assert len(statements) <= 10, statements
