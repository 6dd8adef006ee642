"""The cautious rules chosen for issue 8, item 13, through the pages: contributors propose and consultants
decide (closing a major finding, marking a stage done); a client manager edits only their own client's
record; Office files with macros are refused; a PDF with script is stored but only ever downloaded."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Client, EvidenceItem, Finding
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


FINDING = {
    "severity": "major",
    "status": "open",
    "description": "No calibration records",
    "clause_number": "7.1.5.2",
    "raised_on": "2026-10-01",
    "corrective_action": "",
}
CLOSED = {
    "status": "closed",
    "closed_on": "2026-10-20",
    "corrective_action": "Gauges calibrated; schedule set",
}


def findings_url(project: Any) -> str:
    return f"/projects/{project.id}/stages/internal_audit/findings"


def the_finding() -> Finding:
    db.session.expire_all()
    return db.session.execute(select(Finding)).scalar_one()


def edit(client: Any, project: Any, **changes: str) -> int:
    finding = the_finding()
    data = FINDING | {"version": str(finding.version)} | changes
    return client.post(f"/projects/{project.id}/findings/{finding.id}", data=data).status_code


def test_a_contributor_raises_a_major_finding_and_proposes_but_does_not_close_it(client, make, tree):
    project = tree["project"]
    login(client, make.user(tree["workspace"], role="contributor"))
    assert client.post(findings_url(project), data=FINDING).status_code == 303
    assert edit(client, project, corrective_action="Gauges sent for calibration") == 303
    refused = client.post(
        f"/projects/{project.id}/findings/{the_finding().id}",
        data=FINDING | CLOSED | {"version": str(the_finding().version)},
    )
    assert refused.status_code == 403 and "ask one of them to close it" in refused.get_data(as_text=True)
    assert edit(client, project, severity="minor") == 403  # lowering it would lift the same block
    assert (the_finding().severity, the_finding().status) == ("major", "open")
    assert the_finding().corrective_action == "Gauges sent for calibration"
    closed_at_once = FINDING | CLOSED
    assert client.post(findings_url(project), data=closed_at_once).status_code == 403


@pytest.mark.parametrize("role", ["owner", "consultant", "client_manager"])
def test_owners_consultants_and_client_managers_close_it(client, make, tree, role):
    project = tree["project"]
    clients = [tree["client"]] if role == "client_manager" else []
    login(client, make.user(tree["workspace"], role=role, clients=clients))
    assert client.post(findings_url(project), data=FINDING).status_code == 303
    assert edit(client, project, **CLOSED) == 303
    assert the_finding().status == "closed"


def test_a_contributor_closes_a_minor_finding_and_reopens_a_major_one(client, make, tree):
    project = tree["project"]
    db.session.add(
        Finding(
            project_id=project.id,
            stage="internal_audit",
            severity="minor",
            description="x",
            raised_on=FINDING_DAY,
        )
    )
    db.session.commit()
    login(client, make.user(tree["workspace"], role="contributor"))
    assert edit(client, project, severity="minor", status="closed", closed_on="2026-10-20") == 303
    finding = the_finding()
    finding.severity = "major"
    db.session.commit()
    assert edit(client, project, status="open") == 303  # reopening is always allowed


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
