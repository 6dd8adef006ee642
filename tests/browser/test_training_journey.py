"""A quality lead imports the factory's staff list (a preview first: the rows with problems are left out, and
a second import adds nobody twice), records one session on the line clearance procedure for three operators,
and sees their cells done on the matrix; a new revision of the procedure is uploaded and a consultant approves
it (four eyes); the three cells turn outdated at once, the matrix shows them under "Outdated", and the next
steps say to retrain them. The strict CSP holds throughout."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.domain.documents import RevisionAction
from app.extensions import db
from app.models import CertificationProject, JobRole, Membership, TrainingRequirement, User
from app.services import documents
from app.services.evidence import Upload
from app.services.scope import Scope
from tests.browser.journeys import log_in, new_project
from tests.evidence_samples import pdf

LEAD = "lan-training@example.com"
CONSULTANT = "minh-training@example.com"
PROCEDURE = "QP-05 Line clearance"
TRAINED = ("Vo Thi Hoa", "Dang Van Dung", "Bui Thi Thao")
STAFF_CSV = (
    "name,job role,department,start date\n"
    "Vo Thi Hoa,Machine operator,Production,2021-03-15\n"
    "Dang Van Dung,Machine operator,Production,2022-07-01\n"
    "Bui Thi Thao,Line leader,Production,2019-11-04\n"
    "Ngo Thi Linh,Machine operator,Production,2024-02-20\n"
    ",Machine operator,Production,2023-01-01\n"
    "Le Van Nam,Forklift driver,Warehouse,2020-05-05\n"
)


def scope_of(email: str) -> Scope:
    membership = db.session.execute(
        select(Membership).join(User, User.id == Membership.user_id).where(User.email == email)
    ).scalar_one()
    return Scope.of(membership)


def make_project(live_app: Any) -> tuple[int, int]:
    """A project whose register holds the line clearance procedure at an approved revision A, which two
    job roles require; (project id, document id)."""
    members = {LEAD: ("Lan", "owner"), CONSULTANT: ("Minh", "consultant")}
    project_id = new_project(live_app, "Song Be Quality Partners", members, "Tan Uyen Packaging", "Tan Uyen")
    with live_app.app_context():
        project = db.session.get(CertificationProject, project_id)
        lead, consultant = scope_of(LEAD), scope_of(CONSULTANT)
        fields = documents.DocumentFields("QP-05", "Line clearance", "procedure", ["8.5.1"])
        document = documents.create_document(lead, project, fields)
        upload = Upload("QP-05 rev A.pdf", io.BytesIO(pdf()))
        first = documents.add_revision(
            lead, document, documents.NewRevision("A", "First issue.", upload, True)
        )
        documents.act(consultant, document, first, RevisionAction.APPROVE)
        requirement = TrainingRequirement(project_id=project_id, name=PROCEDURE, document=document)
        for role in ("Machine operator", "Line leader"):
            db.session.add(JobRole(project_id=project_id, name=role, requirements=[requirement]))
        db.session.commit()
        return project_id, document.id


def no_csp_violations(page: Page) -> None:
    assert page.evaluate("window.cspViolations") == []


def import_staff(page: Page, project_url: str) -> None:
    page.goto(f"{project_url}/people/import")
    page.get_by_label("Staff list (CSV)").set_input_files(
        {"name": "staff.csv", "mimeType": "text/csv", "buffer": STAFF_CSV.encode()}
    )
    page.get_by_role("button", name="Preview").click()


def cell(page: Page, person: str, column: int) -> Any:
    row = page.locator("#training-matrix tbody tr", has=page.get_by_text(person, exact=True))
    return row.locator("td").nth(column)


def test_import_train_revise_and_the_cells_turn_outdated(
    page: Page, browser: Browser, live_server: str, live_app: Any
):
    project_id, document_id = make_project(live_app)
    project_url = f"{live_server}/projects/{project_id}"
    log_in(page, live_server, LEAD, watch_csp=True)

    # The staff list: a preview first, the rows with problems left out; nothing saved until confirmed.
    import_staff(page, project_url)
    expect(page.locator("#import-summary")).to_contain_text("4 ready to import")
    expect(page.locator("#import-rows tr[data-clean='no']")).to_have_count(2)
    expect(page.locator("#import-rows tr[data-line='6']")).to_contain_text("The name is empty.")
    expect(page.locator("#import-rows tr[data-line='7']")).to_contain_text("Unknown job role")
    page.get_by_role("button", name="Import 4 clean rows").click()
    expect(page.locator("#people tbody tr")).to_have_count(4)
    expect(page.locator("#count-active")).to_have_text("4 active")
    import_staff(page, project_url)  # the same file again adds nobody twice
    expect(page.locator("#nothing-to-import")).to_be_visible()
    no_csp_violations(page)

    # One session on the procedure for three of the four operators.
    page.goto(f"{project_url}/training/sessions/new")
    page.get_by_label("Training on").select_option(label=PROCEDURE)
    page.get_by_label("Date").fill(date.today().isoformat())
    page.get_by_label("Method").select_option(label="Classroom")
    page.get_by_label("Duration (minutes)").fill("45")
    page.get_by_label("Trainer").fill("Nguyen Thi Lan")
    for name in TRAINED:
        page.get_by_role("checkbox", name=re.compile(f"^{name}")).check()
    page.get_by_role("button", name="Record the training").click()
    expect(page.get_by_text("Training recorded for 3 people.")).to_be_visible()

    page.goto(f"{project_url}/training-matrix")
    expect(page.locator("#training-matrix tbody tr")).to_have_count(4)
    for name in TRAINED:
        expect(cell(page, name, 0)).to_have_class(re.compile("cell-done"))
        expect(cell(page, name, 0)).to_contain_text("rev A")
    expect(cell(page, "Ngo Thi Linh", 0)).to_have_class(re.compile("cell-due"))
    no_csp_violations(page)

    # Revision B of the procedure: uploaded by the lead, approved by the consultant (not its author).
    document_url = f"{project_url}/documents/{document_id}"
    page.goto(document_url)
    page.get_by_role("textbox", name="Revision").fill("B")
    page.get_by_label("What changed").fill("Adds the second check of the label stock")
    page.get_by_label("File", exact=True).set_input_files(
        {"name": "QP-05 rev B.pdf", "mimeType": "application/pdf", "buffer": pdf()}
    )
    page.get_by_label("Send it for approval now").check()
    page.get_by_role("button", name="Upload revision").click()
    expect(page.locator("#document-revisions tr[data-state='in_review']")).to_have_count(1)
    approver = browser.new_page()
    try:
        log_in(approver, live_server, CONSULTANT, watch_csp=True)
        approver.goto(document_url)
        approver.get_by_role("button", name="Approve revision B").click()
        expect(approver.locator("#document-revisions tr[data-state='approved']")).to_contain_text("B")
        expect(approver.locator("#document-revisions tr[data-state='superseded']")).to_have_count(1)
        no_csp_violations(approver)
        approver.wait_for_load_state("networkidle")
    finally:
        approver.close()

    # Everyone trained on revision A is outdated at once; the untrained operator is still due.
    page.goto(f"{project_url}/training-matrix")
    expect(page.locator("#training-matrix thead")).to_contain_text("rev B")
    for name in TRAINED:
        expect(cell(page, name, 0)).to_have_class(re.compile("cell-outdated"))
        expect(cell(page, name, 0)).to_contain_text("trained on rev A")
    expect(cell(page, "Ngo Thi Linh", 0)).to_have_class(re.compile("cell-due"))
    outdated = page.locator(".matrix-state[data-state='outdated']")
    expect(outdated).to_contain_text("3")
    outdated.click()
    expect(page.locator("#training-matrix tbody tr")).to_have_count(3)
    no_csp_violations(page)

    # The next steps say whom to retrain, and lead back to the same cells.
    page.goto(project_url)
    retrain = page.locator("#next-steps").get_by_role("link", name=f"Retrain 3 people on {PROCEDURE}")
    expect(retrain).to_be_visible()
    retrain.click()
    expect(page.locator("#training-matrix tbody tr")).to_have_count(3)
    no_csp_violations(page)
