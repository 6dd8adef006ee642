"""Migration 0006: what users typed in the old free-text ``document_ref`` of documentation tasks becomes
draft entries of the project's register, so nothing typed is lost."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from app.extensions import db
from app.models import ControlledDocument, Task


def test_document_refs_become_draft_register_entries(app, make, without_catalogs):
    tree = make.tree()
    project_id = tree["project"].id
    tasks = list(
        db.session.execute(
            select(Task.id, Task.clause_number)
            .where(
                Task.project_id == project_id, Task.stage == "documentation", Task.clause_number.is_not(None)
            )
            .order_by(Task.position)
        ).all()
    )
    (scope_task, scope_clause), (policy_task, _), (third_task, _) = tasks[:3]
    db.session.remove()
    downgrade(revision="0005")
    typed = {scope_task: "QP-01 rev 2", policy_task: "qp-01 (old copy)", third_task: "Binder on shelf 3"}
    with db.engine.begin() as conn:
        for task_id, ref in typed.items():
            conn.execute(
                text("UPDATE tasks SET document_ref = :ref WHERE id = :id"), {"ref": ref, "id": task_id}
            )
    upgrade()

    documents = (
        db.session.execute(
            select(ControlledDocument)
            .where(ControlledDocument.project_id == project_id)
            .order_by(ControlledDocument.id)
        )
        .scalars()
        .all()
    )
    assert [d.code for d in documents] == ["QP-01", "DOC-001", "BINDER"]  # a taken code gets a free one
    assert [d.notes for d in documents] == [f"Recorded on the task as: {ref}" for ref in typed.values()]
    assert all(d.status == "active" and d.revisions == [] for d in documents)  # drafts: no file yet
    assert [c.number for c in documents[0].clauses] == [scope_clause]
    assert "document_ref" not in {c["name"] for c in db.inspect(db.engine).get_columns("tasks")}
