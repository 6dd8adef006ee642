"""The cautious rules chosen for issue 8, item 13, through the pages: contributors propose and consultants
decide (closing a major finding, marking a stage done); a client manager edits only their own client's
record; Office files with macros are refused; a PDF with script is stored but only ever downloaded."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Client, EvidenceItem
from tests import evidence_samples as samples
from tests.factories import login
from tests.integration.evidence_support import evidence_url, upload, user_as

FINDING_DAY = date(2026, 10, 1)
JAVASCRIPT_PDF = (
    b"%PDF-1.7\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def macro_docx() -> bytes:
    """A Word document whose VBA project is not called vbaProject.bin: its content type gives it away."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types><Override PartName="/word/macros.bin" '
            'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
        )
        archive.writestr("word/document.xml", "<document/>")
        archive.writestr("word/macros.bin", samples.OLE2)
    return buffer.getvalue()


def test_marking_a_stage_done_is_for_those_who_manage_projects(client, make, tree):
    project = tree["project"]
    url = f"/projects/{project.id}/stages/gap_analysis"
    contributor, _ = user_as(client.application, make, tree, "contributor")
    page = contributor.get(url).get_data(as_text=True)
    assert 'id="complete-stage"' not in page and 'id="complete-stage-note"' in page
    assert contributor.post(f"{url}/complete").status_code == 403
    consultant, _ = user_as(client.application, make, tree, "consultant")
    assert 'id="complete-stage"' in consultant.get(url).get_data(as_text=True)
    refused = consultant.post(f"{url}/complete")  # allowed; the criteria decide, and a new project meets none
    assert refused.status_code == 303 and refused.headers["Location"] == url


def test_a_client_manager_edits_their_own_clients_record_only(client, make):
    make.standards()
    workspace = make.workspace()
    mine, other = make.tree(workspace), make.tree(workspace)
    login(client, make.user(workspace, role="client_manager", clients=[mine["client"]]))
    record = {"name": "Renamed Co", "country": "VN", "contact_name": "Lan", "contact_email": "", "notes": ""}
    row = mine["client"]
    saved = client.post(f"/clients/{row.id}/edit", data=record | {"version": str(row.version)})
    assert saved.status_code in (302, 303)
    db.session.expire_all()
    assert db.session.get(Client, row.id).name == "Renamed Co"
    theirs = other["client"]
    assert (
        client.post(f"/clients/{theirs.id}/edit", data=record | {"version": str(theirs.version)}).status_code
        == 404
    )
    assert client.get("/clients/new").status_code == 403


def test_an_office_file_with_a_macro_part_is_refused(client, owner, tree):
    response = upload(client, tree["project"], macro_docx(), "procedure.docx")
    assert response.status_code == 415
    assert "with macros are not accepted" in response.get_data(as_text=True)
    assert db.session.execute(select(EvidenceItem)).first() is None


def test_a_pdf_with_javascript_is_stored_but_never_shown_inline(app, make, tree):
    viewer, _ = user_as(app, make, tree, "viewer")
    scripted = samples.add_file(tree["project"], data=JAVASCRIPT_PDF, name="form.pdf")
    plain = samples.add_file(tree["project"], data=samples.pdf(), name="scan.pdf")
    for item, disposition in ((scripted, "attachment"), (plain, "inline")):
        url = evidence_url(tree["project"], item.id, "versions/1/download?inline=1")
        response = viewer.get(url, buffered=True)
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith(f"{disposition}; filename=")
