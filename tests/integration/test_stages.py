"""Stage pages: exit criteria, marking done (and the refusal that says why), dates and tasks."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.models import Assessment, Clause, Finding, ProjectStage, Task
from tests import document_samples as documents
from tests.factories import login
from tests.integration.evidence_helpers import add_evidence

STAGES = [
    "gap_analysis",
    "documentation",
    "training",
    "internal_audit",
    "management_review",
    "external_audit",
]


def stage(project: Any, key: str) -> ProjectStage:
    db.session.expire_all()
    return db.session.execute(
        select(ProjectStage).where(ProjectStage.project_id == project.id, ProjectStage.key == key)
    ).scalar_one()


def tasks(project: Any, key: str) -> list[Task]:
    return list(
        db.session.execute(select(Task).where(Task.project_id == project.id, Task.stage == key)).scalars()
    )


def done_before(project: Any, key: str) -> None:
    """Every stage before ``key`` done, so the stage order lets ``key`` start and close."""
    earlier = STAGES[: STAGES.index(key)]
    db.session.execute(
        update(ProjectStage)
        .where(ProjectStage.project_id == project.id, ProjectStage.key.in_(earlier))
        .values(status="done")
    )
    db.session.commit()


def finish_all(project: Any, key: str) -> None:
    db.session.execute(
        update(Task).where(Task.project_id == project.id, Task.stage == key).values(status="done")
    )
    db.session.commit()


@pytest.mark.parametrize("key", STAGES)
def test_every_stage_page_shows_criteria_and_checklist(client, owner, tree, key):
    response = client.get(f"/projects/{tree['project'].id}/stages/{key}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="exit-criteria"' in html
    assert html.count('data-met="no"') >= 1  # a new project meets no stage's criteria yet
    assert len(tasks(tree["project"], key)) > 0
    assert 'id="checklist"' in html


def test_unknown_stage_is_404(client, owner, tree):
    assert client.get(f"/projects/{tree['project'].id}/stages/implementation").status_code == 404
    assert client.post(f"/projects/{tree['project'].id}/stages/nope/complete").status_code == 404


def refused(client: Any, project: Any, key: str) -> str:
    """Post "Mark stage done" expecting a refusal: a redirect (303, Post/Redirect/Get) back to the stage page,
    so a reload there does not send the request again; returns that page, whose flash names the unmet
    criteria.
    """
    url = f"/projects/{project.id}/stages/{key}"
    response = client.post(f"{url}/complete")
    assert response.status_code == 303 and response.headers["Location"] == url
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "This stage cannot be marked done yet. Still to meet: " in html
    return html


def test_marking_gap_analysis_done_is_refused_with_the_reason(client, owner, tree):
    html = refused(client, tree["project"], "gap_analysis")
    assert "Still to meet: Every requirement assessed." in html  # the flash names the unmet criterion
    assert "65 requirements not yet assessed" in html  # and the exit criteria say why
    assert stage(tree["project"], "gap_analysis").status == "not_started"
    again = client.get(f"/projects/{tree['project'].id}/stages/gap_analysis").get_data(as_text=True)
    assert "cannot be marked done yet" not in again  # a reload shows the page, it does not ask again


def test_gap_analysis_done_once_every_clause_is_assessed(client, owner, tree):
    project = tree["project"]
    db.session.execute(update(Assessment).where(Assessment.project_id == project.id).values(status="met"))
    db.session.commit()
    finish_all(project, "gap_analysis")
    response = client.post(f"/projects/{project.id}/stages/gap_analysis/complete")
    assert response.status_code == 303
    row = stage(project, "gap_analysis")
    assert row.status == "done" and row.actual_end is not None


def test_ticking_every_training_task_does_not_close_the_training_stage(client, owner, tree):
    project = tree["project"]
    done_before(project, "training")
    for task in tasks(project, "training"):
        task.status = "done"
    db.session.commit()
    html = refused(client, project, "training")  # judged by the training matrix, not by ticked boxes
    assert "No active people on the staff list" in html
    assert "Still to meet: Every required training done and current; " in html  # every unmet one, named
    assert stage(project, "training").status != "done"


def maintained(project: Any) -> tuple[str, ...]:
    """The requirements whose document must be maintained ("maintain" or "both")."""
    return tuple(
        db.session.execute(
            select(Clause.number).where(
                Clause.standard_id == project.standard_id,
                Clause.is_leaf,
                Clause.is_requirement.is_(True),
                Clause.documented_information.in_(("maintain", "both")),
            )
        ).scalars()
    )


def test_documentation_needs_an_approved_register_document_for_each_mandatory_item(client, owner, tree):
    project = tree["project"]
    complete = f"/projects/{project.id}/stages/documentation/complete"
    done_before(project, "documentation")
    finish_all(project, "documentation")  # tasks done, but nothing in the register
    for number in maintained(project):
        add_evidence(project, number)  # accepted evidence is no controlled document
    assert "approved, reviewed document in the register" in refused(client, project, "documentation")
    assert stage(project, "documentation").status != "done"
    document = documents.add_document(project, owner.id, "QM-01", maintained(project))
    revision = documents.add_revision(project, owner.id, document, submit=True)
    refused(client, project, "documentation")  # waiting for approval is not approved
    assert stage(project, "documentation").status != "done"
    documents.approve(project, owner.id, document, revision)  # alone in the workspace: self-approved
    assert client.post(complete).status_code == 303
    assert stage(project, "documentation").status == "done"


def test_an_open_major_finding_blocks_the_internal_audit(client, owner, tree):
    """Any state but closed is open: a major only verified effective still blocks the stage."""
    project = tree["project"]
    done_before(project, "internal_audit")
    finding = Finding(
        project_id=project.id,
        source="internal_audit",
        severity="major",
        status="verified",
        description="No calibration records for the torque gauges.",
        raised_on=date.today(),
    )
    db.session.add(finding)
    db.session.commit()
    assert "1 major finding from internal audits still open." in refused(client, project, "internal_audit")
    finding.status = "closed"
    db.session.commit()
    assert "major finding from internal audits still open" not in refused(client, project, "internal_audit")


def test_the_audit_and_review_stages_link_their_records(client, owner, tree):
    project = tree["project"]
    audit_page = client.get(f"/projects/{project.id}/stages/internal_audit").get_data(as_text=True)
    assert f'href="/projects/{project.id}/audits"' in audit_page
    assert f'href="/projects/{project.id}/findings"' in audit_page
    review_page = client.get(f"/projects/{project.id}/stages/management_review").get_data(as_text=True)
    assert f'href="/projects/{project.id}/reviews"' in review_page
    assert f'href="/projects/{project.id}/objectives"' in review_page


def test_stage_dates_are_saved_and_checked(client, owner, tree):
    project = tree["project"]
    done_before(project, "documentation")
    url = f"/projects/{project.id}/stages/documentation"
    version = str(stage(project, "documentation").version)
    bad = client.post(
        url,
        data={
            "status": "in_progress",
            "planned_start": "2026-12-01",
            "planned_end": "2026-11-01",
            "version": version,
        },
    )
    assert bad.status_code == 422
    assert "The planned end cannot be before the planned start." in bad.get_data(as_text=True)
    assert stage(project, "documentation").planned_start is None
    good = client.post(
        url,
        data={
            "status": "in_progress",
            "planned_start": "2026-12-01",
            "planned_end": "2027-02-01",
            "version": version,
        },
    )
    assert good.status_code == 303
    row = stage(project, "documentation")
    assert (row.status, str(row.planned_end)) == ("in_progress", "2027-02-01")


def test_done_cannot_be_set_by_the_dates_form(client, owner, tree):
    response = client.post(f"/projects/{tree['project'].id}/stages/training", data={"status": "done"})
    assert response.status_code == 422
    assert stage(tree["project"], "training").status == "not_started"


def test_a_done_stage_can_be_reopened(client, owner, tree):
    project = tree["project"]
    row = stage(project, "training")
    row.status = "done"
    db.session.commit()
    url = f"/projects/{project.id}/stages/training"
    kept = {"status": "done", "planned_start": "2026-12-01", "version": str(row.version)}
    assert client.post(url, data=kept).status_code == 303
    assert stage(project, "training").status == "done"
    reopened = {"status": "in_progress", "version": str(stage(project, "training").version)}
    assert client.post(url, data=reopened).status_code == 303
    assert stage(project, "training").status == "in_progress"


def test_add_and_edit_a_task(client, owner, tree):
    project = tree["project"]
    refused = client.post(
        f"/projects/{project.id}/stages/training/tasks", data={"title": "", "status": "open"}
    )
    assert refused.status_code == 422 and "Describe the task." in refused.get_data(as_text=True)
    before = len(tasks(project, "training"))
    added = client.post(
        f"/projects/{project.id}/stages/training/tasks",
        data={"title": "Forklift refresher", "owner": "Mr Binh", "due_date": "2026-12-15", "status": "open"},
    )
    assert added.status_code == 303
    task = next(t for t in tasks(project, "training") if t.title == "Forklift refresher")
    assert len(tasks(project, "training")) == before + 1
    assert added.headers["Location"].endswith(f"#task-{task.id}")
    edited = client.post(
        f"/projects/{project.id}/tasks/{task.id}",
        data={"title": "Forklift refresher", "status": "done", "version": str(task.version)},
    )
    assert edited.status_code == 303
    db.session.refresh(task)
    assert task.status == "done"


def test_a_task_of_another_project_is_404_under_this_project(client, owner, make, tree):
    other = make.project(make.site(tree["client"]), "iso13485")
    foreign = tasks(other, "training")[0]
    assert client.get(f"/projects/{tree['project'].id}/tasks/{foreign.id}").status_code == 404


def test_viewer_sees_but_cannot_change(client, make, tree):
    login(client, make.user(tree["workspace"], role="viewer"))
    project = tree["project"]
    page = client.get(f"/projects/{project.id}/stages/training")
    assert page.status_code == 200 and "Mark stage done" not in page.get_data(as_text=True)
    task = tasks(project, "training")[0]
    assert client.get(f"/projects/{project.id}/tasks/{task.id}").status_code == 200
    for url, data in [
        (f"/projects/{project.id}/stages/training", {"status": "in_progress"}),
        (f"/projects/{project.id}/stages/training/complete", {}),
        (f"/projects/{project.id}/stages/training/tasks", {"title": "x", "status": "open"}),
        (f"/projects/{project.id}/tasks/{task.id}", {"title": "x", "status": "done"}),
    ]:
        assert client.post(url, data=data).status_code == 403, url
    assert stage(project, "training").status == "not_started"


def test_contributor_can_work_on_tasks(client, make, tree):
    login(client, make.user(tree["workspace"], role="contributor"))
    task = tasks(tree["project"], "training")[0]
    response = client.post(
        f"/projects/{tree['project'].id}/tasks/{task.id}",
        data={"title": task.title, "status": "done", "version": str(task.version)},
    )
    assert response.status_code == 303


def test_the_checklist_marks_overdue_tasks_only(client, owner, tree):
    """Open and past due: overdue. Due today, done, or without a date: not (app.domain.pathway.is_overdue)."""
    project, today = tree["project"], date.today()
    late, due_today, done, undated = tasks(project, "training")[:4]
    late.due_date = today - timedelta(days=1)
    due_today.due_date = today
    done.due_date, done.status = today - timedelta(days=5), "done"
    undated.due_date = None
    db.session.commit()
    html = client.get(f"/projects/{project.id}/stages/training").get_data(as_text=True)

    def marked(task: Task) -> bool:
        return ">overdue<" in html.split(f'id="task-{task.id}"')[1].split("</li>")[0]

    assert [marked(t) for t in (late, due_today, done, undated)] == [True, False, False, False]


def test_the_training_stage_links_the_matrix_people_and_records(client, owner, tree):
    html = client.get(f"/projects/{tree['project'].id}/stages/training").get_data(as_text=True)
    project_id = tree["project"].id
    assert 'id="matrix-link"' in html
    for path in ("training-matrix", "people", "training/sessions"):
        assert f'href="/projects/{project_id}/{path}"' in html
