"""A small portfolio of three projects in different states, built directly, for the portfolio and review
queue tests: Alpha on track, Bravo at risk (an overdue task, an open major, overspent), Charlie late."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from app.extensions import db
from app.models import (
    Assessment,
    BudgetLine,
    Certificate,
    CertificationBody,
    Finding,
    ProjectStage,
    Task,
)
from tests.factories import Factory
from tests.integration.review_support import add_output, add_review

TODAY = date.today()


def first_task(project: Any) -> Task:
    return (
        db.session.execute(select(Task).where(Task.project_id == project.id).order_by(Task.position, Task.id))
        .scalars()
        .first()
    )


def set_verdicts(project: Any, met: int) -> None:
    """The first ``met`` requirements (by id) met, the others not assessed."""
    ids = db.session.execute(
        select(Assessment.id).where(Assessment.project_id == project.id).order_by(Assessment.id).limit(met)
    ).scalars()
    db.session.execute(update(Assessment).where(Assessment.id.in_(list(ids))).values(status="met"))
    db.session.commit()


def finish_stages(project: Any, count: int) -> None:
    """The first ``count`` stages done; the next one's planned end in 40 days plus the count."""
    stages = (
        db.session.execute(
            select(ProjectStage).where(ProjectStage.project_id == project.id).order_by(ProjectStage.position)
        )
        .scalars()
        .all()
    )
    for stage in stages[:count]:
        stage.status = "done"
    if count < len(stages):
        stages[count].status = "in_progress"
        stages[count].planned_end = TODAY + timedelta(days=40 + count)
    db.session.commit()


def add_major(project: Any, **fields: Any) -> Finding:
    finding = Finding(
        project_id=project.id, source="internal_audit", severity="major", status="open",
        description="No calibration records for the scales.", raised_on=TODAY - timedelta(days=20), **fields,
    )  # fmt: skip
    db.session.add(finding)
    db.session.commit()
    return finding


def add_budget(project: Any, planned: str, actual: str | None) -> None:
    db.session.add(BudgetLine(
        project_id=project.id, stage="gap_analysis", category="consulting", description="Gap analysis days",
        planned=Decimal(planned), actual=Decimal(actual) if actual is not None else None,
    ))  # fmt: skip
    db.session.commit()


def build(make: Factory, workspace: Any = None, suffix: str = "") -> dict[str, Any]:
    """Three clients with a project each in ``workspace`` (a new consultancy by default); ``suffix`` tells
    the names of a second set in one workspace apart."""
    workspace = workspace or make.workspace()
    body = CertificationBody(workspace_id=workspace.id, name=f"Bureau Zeta{suffix}")
    db.session.add(body)
    db.session.commit()
    alpha = make.project(
        make.site(make.client(workspace, name=f"Alpha Foods{suffix}", country="VN"), name="Alpha Plant"),
        target_date=TODAY + timedelta(days=300),
    )
    bravo = make.project(
        make.site(make.client(workspace, name=f"Bravo Metals{suffix}", country="DE"), name="Bravo Works"),
        target_date=TODAY + timedelta(days=200),
    )
    charlie = make.project(
        make.site(make.client(workspace, name=f"Charlie Devices{suffix}", country="TH"), name="Charlie Site"),
        "iso13485",
        target_date=TODAY - timedelta(days=1),
        body_id=body.id,
    )
    set_verdicts(alpha, 30)
    set_verdicts(bravo, 10)
    set_verdicts(charlie, 20)
    finish_stages(alpha, 2)
    finish_stages(bravo, 1)
    task = first_task(bravo)
    task.status, task.owner, task.due_date = "open", "Quality lead", TODAY - timedelta(days=3)
    db.session.commit()
    add_major(bravo, action_owner="Production manager", action_due=TODAY + timedelta(days=2),
              corrective_action="Calibrate every scale and keep the records.")  # fmt: skip
    add_budget(alpha, "1000", "200")
    add_budget(bravo, "1000", "1500")
    review = add_review(charlie)
    add_output(review, "improvement", owner="Managing director", due_date=TODAY + timedelta(days=60))
    db.session.add(Certificate(
        workspace_id=workspace.id, client_id=charlie.client_id, project_id=charlie.id, body_id=body.id,
        standard_id=charlie.standard_id, number=f"ZC-4711{suffix}", scope="Design of infusion pumps",
        original_on=TODAY - timedelta(days=100), decision_on=TODAY - timedelta(days=100),
        issued_on=TODAY - timedelta(days=99), expires_on=TODAY + timedelta(days=900),
    ))  # fmt: skip
    db.session.commit()
    return {"workspace": workspace, "body": body, "alpha": alpha, "bravo": bravo, "charlie": charlie}
