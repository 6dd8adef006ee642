"""How far each demo factory has come: gap-analysis verdicts, stage dates and statuses, done tasks, findings.

Deterministic (no randomness), so the demo reads the same on every machine.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.domain.pathway import Stage
from app.extensions import db
from app.models import Assessment, CertificationProject, Clause, Finding, ProjectStage, Task

# Weeks each stage typically takes for a small factory (costs.md, section 4).
STAGE_WEEKS = {
    Stage.GAP_ANALYSIS: 3,
    Stage.DOCUMENTATION: 10,
    Stage.TRAINING: 4,
    Stage.INTERNAL_AUDIT: 4,
    Stage.MANAGEMENT_REVIEW: 2,
    Stage.EXTERNAL_AUDIT: 8,
}
# A repeating pattern of verdicts for assessed clauses: mostly met, some partial, a few gaps.
VERDICTS = ("met", "met", "partial", "met", "not_met", "met", "partial", "met")


def plan_stages(project: CertificationProject, start: date) -> list[ProjectStage]:
    stages = list(
        db.session.execute(
            select(ProjectStage).where(ProjectStage.project_id == project.id).order_by(ProjectStage.position)
        ).scalars()
    )
    cursor = start
    for row in stages:
        row.planned_start = cursor
        cursor = cursor + timedelta(weeks=STAGE_WEEKS[Stage(row.key)])
        row.planned_end = cursor
    return stages


def assess(project: CertificationProject, sections: set[str] | None, not_applicable: dict[str, str]) -> None:
    """Give verdicts to the clauses of ``sections`` (all when None); mark ``not_applicable`` with reasons."""
    rows = db.session.execute(
        select(Clause.number, Clause.section, Assessment)
        .join(Assessment, Assessment.clause_id == Clause.id)
        .where(Assessment.project_id == project.id)
        .order_by(Clause.position)
    ).all()
    for index, (number, section, assessment) in enumerate(rows):
        if number in not_applicable:
            assessment.status, assessment.justification = "not_applicable", not_applicable[number]
        elif sections is None or section in sections:
            assessment.status = VERDICTS[index % len(VERDICTS)]
            if assessment.status != "met":
                assessment.owner = "Quality lead"


def finish_stage(row: ProjectStage, end: date) -> None:
    row.status, row.actual_start, row.actual_end = "done", row.planned_start, end


def finish_tasks(project: CertificationProject, stages: set[str], document_prefix: str) -> None:
    tasks = db.session.execute(
        select(Task).where(Task.project_id == project.id, Task.stage.in_(stages))
    ).scalars()
    for number, task in enumerate(tasks, start=1):
        task.status = "done"
        if task.stage == Stage.DOCUMENTATION and task.clause_number:
            task.document_ref = f"{document_prefix}-{number:02d} rev 1"


def cork_factory(project: CertificationProject, today: date) -> None:
    """Vietnam: gap analysis done, documentation under way."""
    stages = plan_stages(project, today - timedelta(weeks=8))
    no_design = "Stoppers are made to the buyers' specifications; no design is done on site."
    assess(project, None, dict.fromkeys(("8.3.1", "8.3.2", "8.3.3", "8.3.4", "8.3.5", "8.3.6"), no_design))
    finish_tasks(project, {Stage.GAP_ANALYSIS}, "SCC")
    finish_stage(stages[0], today - timedelta(weeks=5))
    stages[1].status, stages[1].actual_start = "in_progress", today - timedelta(weeks=5)
    docs = db.session.execute(
        select(Task)
        .where(Task.project_id == project.id, Task.stage == Stage.DOCUMENTATION)
        .order_by(Task.position)
    ).scalars()
    for number, task in enumerate(docs, start=1):
        if number <= 3:
            task.status, task.document_ref = "done", f"SCC-QM-{number:02d} rev 1"
        elif number == 4:
            task.status, task.owner, task.due_date = "in_progress", "Ms Lan", today - timedelta(days=4)


def sachet_factory(project: CertificationProject, today: date) -> None:
    """Thailand: just started the gap analysis (sections 4 and 5 assessed)."""
    stages = plan_stages(project, today - timedelta(weeks=1))
    assess(project, {"4", "5"}, {})
    stages[0].status, stages[0].actual_start = "in_progress", today - timedelta(weeks=1)


def infusion_factory(project: CertificationProject, today: date) -> None:
    """Malaysia: documentation and training done, internal audit found a major nonconformity."""
    stages = plan_stages(project, today - timedelta(weeks=20))
    outsourced = "Sets are sterilised by a contracted EO steriliser; no installation or servicing is done."
    assess(project, None, dict.fromkeys(("7.5.2", "7.5.3", "7.5.4"), outsourced))
    finish_tasks(project, {Stage.GAP_ANALYSIS, Stage.DOCUMENTATION, Stage.TRAINING}, "PMT")
    for row, weeks_ago in zip(stages[:3], (17, 7, 3), strict=True):
        finish_stage(row, today - timedelta(weeks=weeks_ago))
    stages[3].status, stages[3].actual_start = "in_progress", today - timedelta(weeks=3)
    db.session.add(
        Finding(
            project_id=project.id,
            stage=Stage.INTERNAL_AUDIT,
            clause_number="7.5.6",
            severity="major",
            description="Sealing process for the sterile barrier pouches has no validation record.",
            raised_on=today - timedelta(days=10),
        )
    )


PROFILES = {"VN": cork_factory, "TH": sachet_factory, "MY": infusion_factory}
