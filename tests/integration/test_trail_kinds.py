"""Each tracked kind of change writes exactly one trail entry, with who, what and the old and new values; a
rolled-back change writes none; nothing can change or delete an entry."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import click
import pytest
from sqlalchemy import delete, select, update

from app.extensions import db
from app.models import AuditEntry, BudgetLine, Certificate, CertificationProject, Invitation, Membership, Task
from app.services.trail import TrailIsAppendOnly
from tests.integration.certification_support import add_certificate
from tests.integration.document_support import add_document, add_revision
from tests.integration.evidence_helpers import add_evidence
from tests.integration.finding_support import add_finding, to_state
from tests.integration.test_trail_recording import entries


def changes(entry: AuditEntry) -> dict[str, tuple[str, str]]:
    return {field: (old, new) for field, old, new in entry.changes}


def test_evidence_review(app, client, make, tree, owner):
    item = add_evidence(tree["project"], "4.1", state="submitted")
    url = f"/projects/{tree['project'].id}/evidence/{item.id}/review"
    response = client.post(
        url, data={"decision": "reject", "comment": "Wrong scale", "version": item.version}
    )
    assert response.status_code == 303, response.text
    [entry] = entries(kind="evidence", action="changed")
    assert (entry.object_id, entry.action, entry.actor_id) == (item.id, "changed", owner.id)
    assert changes(entry)["review_state"] == ("submitted", "rejected")
    assert changes(entry)["reviewer_comment"] == ("", "Wrong scale")
    assert changes(entry)["reviewed_by_id"] == ("", owner.name)  # the reviewer's name, not an id


def test_evidence_deleted_and_restored(client, tree, owner):
    item = add_evidence(tree["project"], "4.1", state="draft")
    base = f"/projects/{tree['project'].id}/evidence/{item.id}"
    assert client.post(f"{base}/delete", data={"version": item.version}).status_code == 303
    assert client.post(f"{base}/restore").status_code == 303
    assert [e.action for e in entries(kind="evidence")] == ["created", "deleted", "restored"]


def test_a_document_and_its_revisions(client, make, tree, owner):
    project = tree["project"]
    author = make.user(tree["workspace"], role="contributor")
    document = add_document(project, user_id=author.id)
    revision = add_revision(project, document, user_id=author.id, submit=True)
    url = f"/projects/{project.id}/documents/{document.id}/revisions/{revision.id}/approve"
    effective = (date.today() + timedelta(days=3)).isoformat()
    data = {
        f"approve-{revision.id}-version": str(revision.version),
        f"approve-{revision.id}-effective_on": effective,
    }
    assert client.post(url, data=data).status_code == 303
    rows = entries(kind="document")
    assert {e.object_id for e in rows} == {document.id}  # a revision's entries are its document's history
    assert [e.action for e in rows[:2]] == ["created", "created"]
    approval = next(e for e in rows if changes(e).get("state", ("", ""))[1] == "approved")
    assert changes(approval)["state"] == ("in_review", "approved")
    assert changes(approval)["approved_by_id"] == ("", owner.name)
    assert "revision A" in approval.object_label and approval.actor_id == owner.id


def test_a_finding_and_its_corrective_action(tree):
    finding = add_finding(tree["project"], severity="major")
    to_state(finding, "verified")
    rows = entries(kind="finding")
    assert {e.object_id for e in rows} == {finding.id}
    assert rows[0].action == "created" and changes(rows[0])["severity"] == ("", "major")
    plan = rows[1]
    assert changes(plan)["status"][0] == "open"
    assert changes(plan)["action_owner"] == ("", "Ms Lan (QA)")
    check = next(e for e in rows if "result" in changes(e))
    assert check.action == "created" and "effectiveness check" in check.object_label


def test_budget_lines_through_their_pages(client, tree, owner):
    project = tree["project"]
    base = f"/projects/{project.id}/budget/lines"
    valid = {"stage": "training", "category": "training", "description": "Auditor course", "vendor": "",
             "planned": "1,200.50", "actual": "", "spent_on": ""}  # fmt: skip
    assert client.post(f"{base}/new", data=valid).status_code == 303
    line = db.session.execute(select(BudgetLine).filter_by(project_id=project.id)).scalar_one()
    edited = valid | {"planned": "1200.5", "actual": "1300", "version": str(line.version)}
    assert client.post(f"{base}/{line.id}", data=edited).status_code == 303
    assert client.post(f"{base}/{line.id}/delete").status_code == 303
    assert client.post(f"/trash/budget-lines/{line.id}/restore").status_code == 303
    created, changed, deleted, restored = entries(kind="budget")
    assert changes(created)["planned"] == ("", "1200.5")
    assert changes(changed) == {"actual": ("", "1300")}  # 1200.50 and 1200.5 are the same amount
    assert (deleted.action, restored.action) == ("deleted", "restored")
    assert {e.actor_id for e in (created, changed, deleted, restored)} == {owner.id}


def test_a_certificate(tree):
    certificate = add_certificate(tree["project"])
    certificate.suspension, certificate.suspension_on = "suspended", date(2026, 11, 30)
    db.session.commit()
    created, changed = entries(kind="certificate")
    assert created.action == "created" and created.object_label == certificate.number
    assert changes(changed) == {"suspension": ("", "suspended"), "suspension_on": ("", "2026-11-30")}


def test_a_members_role_and_an_invitation(client, make, tree, owner):
    viewer = make.user(tree["workspace"], role="viewer")
    member = db.session.execute(select(Membership).filter_by(user_id=viewer.id)).scalar_one()
    assert client.post(f"/members/{member.id}", data={"role": "consultant"}).status_code == 303
    change = entries(kind="member", object_id=member.id)[-1]
    assert changes(change) == {"role": ("viewer", "consultant")} and change.actor_id == owner.id
    assert change.client_id is None and change.project_id is None
    manager = make.user(tree["workspace"], role="client_manager", clients=[tree["client"]])
    created = entries(kind="member")[-1]
    assert changes(created)["clients"] == ("", tree["client"].name)
    assert manager.id  # the membership's entry names the user
    invitation = Invitation(workspace_id=tree["workspace"].id, email="new@example.com", role="viewer",
                            token_hash="x" * 64, expires_at=db.func.now())  # fmt: skip
    db.session.add(invitation)
    db.session.commit()
    assert client.post(f"/members/invitations/{invitation.id}/revoke").status_code in (302, 303)
    created, revoked = entries(kind="invitation")
    assert created.action == "created" and "revoked_at" in changes(revoked)


def test_a_projects_status_and_target_date(tree):
    project = db.session.get(CertificationProject, tree["project"].id)
    project.status, project.target_date = "on_hold", date(2027, 9, 30)
    db.session.commit()
    [change] = entries(kind="project", action="changed")
    assert changes(change) == {"status": ("planning", "on_hold"), "target_date": ("2027-06-30", "2027-09-30")}


def test_a_change_rolled_back_after_its_flush_leaves_no_entry(tree):
    task = db.session.execute(select(Task).filter_by(project_id=tree["project"].id)).scalars().first()
    task.status = "done"
    db.session.flush()
    assert len(entries(kind="task")) == 1  # written in the change's transaction...
    db.session.rollback()
    assert entries(kind="task") == []  # ...and gone with it


def test_a_savepoint_rolled_back_takes_its_entry(tree):
    task = db.session.execute(select(Task).filter_by(project_id=tree["project"].id)).scalars().first()
    with pytest.raises(RuntimeError), db.session.begin_nested():
        task.owner = "Ms Lan"
        db.session.flush()
        raise RuntimeError
    db.session.commit()
    assert entries(kind="task") == []


def test_a_command_is_named_as_the_actor(tree):
    with click.Context(click.Command("import-tasks"), info_name="import-tasks"):
        task = db.session.execute(select(Task).filter_by(project_id=tree["project"].id)).scalars().first()
        task.owner = "Mr Binh"
        db.session.commit()
    [entry] = entries(kind="task")
    assert (entry.actor_id, entry.actor_name) == (None, "flask import-tasks")


def test_an_unchanged_save_writes_nothing(tree):
    task = db.session.execute(select(Task).filter_by(project_id=tree["project"].id)).scalars().first()
    task.title = str(task.title)
    task.notes = "".join(task.notes)
    db.session.commit()
    assert entries(kind="task") == []


def test_entries_cannot_be_changed_or_deleted(tree):
    [entry] = entries()
    entry.actor_name = "Somebody else"
    with pytest.raises(TrailIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(entries()[0])
    with pytest.raises(TrailIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(TrailIsAppendOnly):
        db.session.execute(update(AuditEntry).values(actor_name="x"))
    with pytest.raises(TrailIsAppendOnly):
        db.session.execute(delete(AuditEntry))
    db.session.rollback()
    assert entries()[0].actor_name == "system"


def test_no_route_changes_an_entry(app):
    for rule in app.url_map.iter_rules():
        if "activity" in rule.endpoint:
            assert rule.methods - {"GET", "HEAD", "OPTIONS"} == set(), rule


def test_the_history_section_on_an_object_page(client, tree, owner):
    task = db.session.execute(select(Task).filter_by(project_id=tree["project"].id)).scalars().first()
    task.owner = "Ms Lan"
    db.session.commit()
    page = client.get(f"/projects/{tree['project'].id}/tasks/{task.id}").text
    assert 'id="history"' in page and "Ms Lan" in page and "owner:" in page


def test_the_certificate_page_shows_its_history_without_another_workspaces(client, make, tree, owner):
    certificate = add_certificate(tree["project"])
    other: Any = make.tree()
    theirs = add_certificate(other["project"])
    page = client.get(f"/certificates/{certificate.id}").text
    assert 'id="history"' in page and certificate.number in db.session.get(Certificate, certificate.id).number
    assert client.get(f"/certificates/{theirs.id}").status_code == 404
