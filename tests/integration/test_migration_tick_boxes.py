"""Migration 0009: the tick-box tasks that judged the Internal audit and Management review stages go; what
they carried is written into their stage's notes, and one with evidence attached stays as a plain task."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from app.extensions import db
from app.models import EvidenceItem, ProjectStage, Task
from tests.evidence_samples import add_file


def test_retired_tick_boxes_leave_their_text_in_the_stage_notes(app, make, without_catalogs):
    tree = make.tree()
    project_id = tree["project"].id
    evidence_id = add_file(tree["project"]).id
    db.session.remove()
    downgrade(revision="0008")
    with db.engine.begin() as conn:
        first = conn.execute(text("SELECT MAX(position) FROM tasks")).scalar() or 0
        rows = [
            ("internal_audit", "internal_audit.section.4", "Audit section 4: Context", "done", "Mai",
             "Audited with the plant manager, see report IA-1."),
            ("internal_audit", "internal_audit.section.5", "Audit section 5: Leadership", "open", "", ""),
            ("management_review", "management_review.input.resources", "Prepare input (d): Resources",
             "in_progress", "", ""),
            ("management_review", "management_review.outputs", "Record the minutes", "open", "", ""),
        ]  # fmt: skip
        ids = []
        for position, (stage, key, title, status, owner, notes) in enumerate(rows, start=first + 1):
            ids.append(
                conn.execute(
                    text(
                        "INSERT INTO tasks (project_id, stage, key, position, title, hint, owner, status, "
                        "notes, version, created_at) "
                        "VALUES (:p, :s, :k, :pos, :t, '', :o, :st, :n, 1, CURRENT_TIMESTAMP) RETURNING id"
                    ),
                    {
                        "p": project_id,
                        "s": stage,
                        "k": key,
                        "pos": position,
                        "t": title,
                        "o": owner,
                        "st": status,
                        "n": notes,
                    },
                ).scalar_one()
            )
        conn.execute(
            text("UPDATE evidence_items SET task_id = :t WHERE id = :e"), {"t": ids[2], "e": evidence_id}
        )
    upgrade()

    notes = dict(
        db.session.execute(
            select(ProjectStage.key, ProjectStage.notes).where(ProjectStage.project_id == project_id)
        ).all()
    )
    assert (
        "- Audit section 4: Context (done; owner Mai): Audited with the plant manager, see report IA-1."
        in (notes["internal_audit"])
    )
    assert "Leadership" not in notes["internal_audit"]  # an untouched tick-box carried nothing
    assert "- Prepare input (d): Resources (in progress)" in notes["management_review"]
    remaining = db.session.execute(select(Task.id, Task.key).where(Task.id.in_(ids))).all()
    assert remaining == [(ids[2], None)]  # the one with evidence stays, as a plain task
    assert db.session.get(EvidenceItem, evidence_id).task_id == ids[2]
