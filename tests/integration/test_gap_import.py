"""The gap analysis round trip: export, edit offline, upload, preview (nothing saved), confirm (one
transaction, through the gap form's service, recorded in the audit trail), and every refusal."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.models import Assessment, Clause, Workspace
from app.models.history import AuditEntry
from app.services import assessments
from tests.factories import Factory, login
from tests.gap_workbooks import COLUMN, confirm, export_gap, hidden, row_of, set_cells, to_bytes, upload


@pytest.fixture(autouse=True)
def _imports_in_tmp(app: Any, tmp_path: Any) -> None:
    app.config["GAP_IMPORT_DIR"] = str(tmp_path / "imports")


def _clause(project: Any, excludable: bool) -> str:
    return (
        db.session.execute(
            select(Clause.number)
            .join(Assessment, Assessment.clause_id == Clause.id)
            .where(Assessment.project_id == project.id, Clause.may_be_not_applicable.is_(excludable))
            .order_by(Clause.position)
        )
        .scalars()
        .first()
    )


def _saved(project: Any, clause: str) -> Assessment:
    db.session.expire_all()
    found = assessments.requirement(project, clause)
    assert found is not None
    return found.assessment


def test_round_trip_previews_then_saves_two_rows(
    client: FlaskClient, owner: Any, tree: dict[str, Any]
) -> None:
    project = tree["project"]
    workbook = export_gap(client, project.id)
    first, second = _clause(project, False), "8.5.1"
    set_cells(
        workbook, first, status="Met", owner="Ms Lan", due=datetime(2027, 3, 31), notes="Checked on site"
    )
    set_cells(workbook, second, status="partly met")  # a status is read by its label in any case
    before = _saved(project, first).version

    preview = upload(client, project.id, to_bytes(workbook))
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200, html
    assert "2</strong> requirements will change" in html
    assert "Ms Lan" in html and "31 Mar 2027" in html and "Not assessed" in html
    assert _saved(project, first).status == "not_assessed"  # the preview saved nothing

    done = confirm(client, project.id, html)
    assert done.status_code == 303
    saved = _saved(project, first)
    assert (saved.status, saved.owner, saved.due_date, saved.notes) == (
        "met",
        "Ms Lan",
        date(2027, 3, 31),
        "Checked on site",
    )
    assert saved.version == before + 1
    assert _saved(project, second).status == "partial"
    exported = export_gap(client, project.id)["Gap analysis"]
    due = exported.cell(row_of(exported.parent, first), COLUMN["Due date"])
    assert (due.value, due.number_format) == (datetime(2027, 3, 31), "yyyy-mm-dd")  # a date, typed as one
    trail = db.session.execute(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.project_id == project.id)
    ).scalar_one()
    assert trail >= 2  # recorded like any other change
    again = confirm(client, project.id, html)  # the kept file is gone once applied
    assert again.status_code == 404


def test_every_row_refusal_is_listed_and_nothing_is_saved(
    client: FlaskClient, owner: Any, tree: dict[str, Any]
) -> None:
    project = tree["project"]
    workbook = export_gap(client, project.id)
    fixed, excludable = _clause(project, False), _clause(project, True)
    every = [row[0].value for row in workbook["Gap analysis"].iter_rows(min_row=2)]
    clauses = [number for number in every if number not in (fixed, excludable)]
    changed_here, edited_token = clauses[-1], clauses[-2]
    set_cells(workbook, fixed, status="Not applicable", justification="We do not do this")
    set_cells(workbook, excludable, status="Not applicable", justification="")
    set_cells(workbook, clauses[2], status="Done-ish")
    set_cells(workbook, clauses[3], clause="99.9")
    set_cells(workbook, clauses[4], due="next week", status="Met")
    set_cells(workbook, changed_here, status="Met")
    set_cells(workbook, edited_token, status="Met", token="v1.0000000000000000")
    sheet = workbook["Gap analysis"]
    sheet.append([cell.value for cell in sheet[3]])  # the sheet's second requirement, a second time
    sheet.cell(sheet.max_row, 3).value = "Met"
    duplicate = sheet.cell(3, 1).value
    # Someone saves a verdict in the app after the export.
    found = assessments.requirement(project, changed_here)
    assert found is not None
    assessments.update_requirement(
        project, found, status="not_met", notes="", owner="", due_date=None, justification=""
    )
    db.session.commit()

    preview = upload(client, project.id, to_bytes(workbook))
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    reasons = {
        fixed: "cannot be left out",
        excludable: "Explain why this requirement does not apply",
        clauses[2]: "Unknown status “Done-ish”",
        "99.9": "Unknown clause 99.9",
        clauses[4]: "Due date “next week” is not a date",
        changed_here: "Changed in the app since the export",
        edited_token: "hidden row version is missing or was edited",
        duplicate: "appears twice",
    }
    for clause, reason in reasons.items():
        assert f'data-clause="{clause}"' in html, clause
        assert reason in html, reason
    assert "0</strong> requirements will change" in html
    assert 'id="import-confirm"' not in html  # nothing to confirm
    assert _saved(project, fixed).status == "not_assessed"


def test_a_verdict_saved_between_preview_and_confirm_stops_the_import(
    client: FlaskClient, owner: Any, tree: dict[str, Any]
) -> None:
    project = tree["project"]
    workbook = export_gap(client, project.id)
    one, other = _clause(project, False), "8.5.1"
    set_cells(workbook, one, status="Met")
    set_cells(workbook, other, status="Met")
    html = upload(client, project.id, to_bytes(workbook)).get_data(as_text=True)
    found = assessments.requirement(project, other)
    assert found is not None
    assessments.update_requirement(
        project, found, status="not_met", notes="x", owner="", due_date=None, justification=""
    )
    db.session.commit()

    answer = confirm(client, project.id, html)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 409
    assert "changed since the preview" in page
    assert "Changed in the app since the export" in page  # the new preview refuses that row
    assert _saved(project, one).status == "not_assessed"  # nothing of the first preview was applied
    assert _saved(project, other).status == "not_met"
    assert confirm(client, project.id, page).status_code == 303  # the new preview applies the rest
    assert _saved(project, one).status == "met"
    assert _saved(project, other).status == "not_met"


def test_another_workspaces_project_and_roles(
    client: FlaskClient, owner: Any, tree: dict[str, Any], make: Factory
) -> None:
    project = tree["project"]
    other = make.tree()["project"]
    assert client.get(f"/projects/{other.id}/gap.xlsx").status_code == 404
    assert client.get(f"/projects/{other.id}/gap/import").status_code == 404
    assert upload(client, other.id, b"PK\x03\x04").status_code == 404
    html = upload(client, project.id, to_bytes(_edited(client, project))).get_data(as_text=True)
    token = hidden(html, "token")
    data = {"token": token, "digest": hidden(html, "digest")}
    assert client.post(f"/projects/{other.id}/gap/import/confirm", data=data).status_code == 404

    workspace = db.session.get(Workspace, tree["workspace"].id)
    viewer_http = client.application.test_client()
    login(viewer_http, make.user(workspace, role="viewer"))
    assert viewer_http.get(f"/projects/{project.id}/gap.xlsx").status_code == 200  # viewers may export
    assert viewer_http.get(f"/projects/{project.id}/gap/import").status_code == 403
    assert viewer_http.post(f"/projects/{project.id}/gap/import/confirm", data=data).status_code == 403
    colleague = client.application.test_client()
    login(colleague, make.user(workspace, role="contributor"))
    assert (
        colleague.post(f"/projects/{project.id}/gap/import/confirm", data=data).status_code == 404
    )  # not theirs


def _edited(client: FlaskClient, project: Any) -> Any:
    workbook = export_gap(client, project.id)
    set_cells(workbook, "8.5.1", status="Met")
    return workbook
