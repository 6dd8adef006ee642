"""The audit trail records every kind of change once, in the change's own transaction (app.services.trail)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Assessment, AuditEntry, Clause, ProjectStage, Task


def entries(**where: Any) -> list[AuditEntry]:
    db.session.expire_all()
    stmt = select(AuditEntry).filter_by(**where).order_by(AuditEntry.id)
    return list(db.session.execute(stmt).scalars())


def verdict(project: Any, number: str) -> Assessment:
    stmt = select(Assessment).join(Clause).where(Assessment.project_id == project.id, Clause.number == number)
    return db.session.execute(stmt).scalar_one()


def test_a_new_project_writes_one_entry_for_its_whole_setup(tree):
    rows = entries()
    assert [(e.kind, e.action, e.object_id) for e in rows] == [("project", "created", tree["project"].id)]
    assert rows[0].actor_name == "system" and rows[0].actor_id is None
    assert rows[0].client_id == tree["client"].id and rows[0].workspace_id == tree["workspace"].id


def test_a_verdict_saved_through_its_page(client, owner, tree):
    project = tree["project"]
    row = verdict(project, "4.1")
    data = {
        "clause-4-1-status": "partial",
        "clause-4-1-owner": "Ms Lan",
        "clause-4-1-due_date": "2027-01-15",
        "clause-4-1-notes": "",
        "clause-4-1-justification": "",
        "clause-4-1-version": str(row.version),
    }
    response = client.post(f"/projects/{project.id}/requirements/4.1", data=data)
    assert response.status_code in (200, 303), response.text
    [entry] = entries(kind="verdict")
    assert (entry.object_id, entry.action, entry.project_id) == (row.id, "changed", project.id)
    assert entry.actor_id == owner.id and entry.actor_name == owner.name
    assert entry.object_label.startswith("4.1 ")
    assert entry.changes == [
        ["status", "not_assessed", "partial"],
        ["owner", "", "Ms Lan"],
        ["due_date", "", "2027-01-15"],
    ]


def test_a_refused_save_writes_nothing(client, owner, tree):
    project = tree["project"]
    row = verdict(project, "4.1")
    stale = {"clause-4-1-status": "met", "clause-4-1-version": str(row.version + 5)}
    response = client.post(f"/projects/{project.id}/requirements/4.1", data=stale)
    assert response.status_code >= 400 or "changed" in response.text
    assert entries(kind="verdict") == []


def test_stage_dates_and_a_task(client, owner, tree):
    project = tree["project"]
    stage = db.session.execute(
        select(ProjectStage).filter_by(project_id=project.id, key="gap_analysis")
    ).scalar_one()
    response = client.post(
        f"/projects/{project.id}/stages/gap_analysis",
        data={
            "status": "in_progress",
            "planned_start": "2026-12-01",
            "planned_end": "2027-02-01",
            "version": str(stage.version),
        },
    )
    assert response.status_code == 303, response.text
    [entry] = entries(kind="stage")
    assert entry.object_id == stage.id and entry.object_label == "Gap analysis"
    changes = {field: (old, new) for field, old, new in entry.changes}
    assert changes["status"] == ("not_started", "in_progress")
    assert changes["planned_end"] == ("", "2027-02-01")
    added = client.post(
        f"/projects/{project.id}/stages/training/tasks",
        data={"title": "Forklift refresher", "owner": "Mr Binh", "due_date": "2026-12-15", "status": "open"},
    )
    assert added.status_code == 303
    stmt = select(Task).filter_by(project_id=project.id, title="Forklift refresher")
    task = db.session.execute(stmt).scalar_one()
    edited = client.post(
        f"/projects/{project.id}/tasks/{task.id}",
        data={
            "title": "Forklift refresher",
            "owner": "Mr Binh",
            "due_date": "2026-12-15",
            "status": "done",
            "version": str(task.version),
        },
    )
    assert edited.status_code == 303
    created, changed = entries(kind="task")
    assert created.action == "created" and ["title", "", "Forklift refresher"] in created.changes
    assert changed.action == "changed" and changed.changes == [["status", "open", "done"]]
