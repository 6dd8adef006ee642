"""The stage 2 go / no-go of a project: its facts loaded in four queries whatever the data, judged by
:mod:`app.domain.gates`, and the two thresholds a consultant may change.

``go_no_go(project, today)`` is also what the external audits call to warn when stage 1 or 2 is scheduled on
NO-GO (scheduling is never refused: the certification body decides).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.domain import gates
from app.domain.catalog import clause_sort_key
from app.domain.gates import GoCondition, GoFacts
from app.domain.next_steps import FindingAlert
from app.domain.pathway import STAGES, Stage, StageStatus
from app.domain.readiness import ClauseAssessment, ClauseStatus, Readiness, overall_readiness
from app.domain.text import _, _l
from app.extensions import db
from app.models import Assessment, CertificationProject, Clause, ProjectStage
from app.services import findings as finding_service
from app.services.changes import check_version
from app.services.coverage import covered_clauses
from app.services.errors import Invalid

STAGE_STATUS_LABELS = {"not_started": _l("Not started"), "in_progress": _l("In progress"), "done": _l("Done")}


@dataclass(frozen=True)
class StageLine:
    key: str
    title: str
    status: str
    label: str


@dataclass(frozen=True)
class GoNoGo:
    go: bool
    conditions: list[GoCondition]
    readiness: Readiness  # counts of the applicable requirements by verdict
    threshold: int
    operating_months: int
    stages: list[StageLine]
    open_majors: tuple[FindingAlert, ...]  # from any source: internal audits, the certification body, ...
    unevidenced: list[str]  # requirements assessed met without current evidence, in clause order
    documentation_done_on: date | None

    @property
    def readiness_percent(self) -> int | None:
        return self.readiness.met_percent

    @property
    def blocking(self) -> list[GoCondition]:
        """The conditions that make the answer NO-GO (advice left out)."""
        return [c for c in self.conditions if not c.met and not c.advice]

    @property
    def reasons(self) -> list[str]:
        """Why it is NO-GO, one sentence per blocking condition (for a warning elsewhere)."""
        return [c.detail for c in self.blocking]


def _stages(project: CertificationProject) -> list[ProjectStage]:
    stmt = select(ProjectStage).where(ProjectStage.project_id == project.id).order_by(ProjectStage.position)
    return list(db.session.execute(stmt).scalars())


def _assessments(project: CertificationProject) -> list[ClauseAssessment]:
    rows = db.session.execute(
        select(Clause.number, Assessment.status)
        .join(Clause, Clause.id == Assessment.clause_id)
        .where(Assessment.project_id == project.id)
    ).all()
    return [ClauseAssessment(number, ClauseStatus(status)) for number, status in rows]


def go_no_go(project: CertificationProject, today: date) -> GoNoGo:
    """GO or NO-GO for the certification audit, with every condition and the facts behind them."""
    rows = _stages(project)
    statuses = {Stage(row.key): StageStatus(row.status) for row in rows}
    documentation = next((row for row in rows if row.key == Stage.DOCUMENTATION), None)
    done_on = (
        documentation.actual_end
        if documentation is not None and documentation.status == StageStatus.DONE
        else None
    )
    clauses = _assessments(project)
    covered = covered_clauses(project.id, today)
    unevidenced = sorted(
        (c.number for c in clauses if c.status == ClauseStatus.MET and c.number not in covered),
        key=clause_sort_key,
    )
    readiness = overall_readiness(clauses)
    majors = finding_service.alerts(project, today).open_majors
    facts = GoFacts(
        readiness_percent=readiness.met_percent,
        threshold=project.readiness_threshold,
        statuses=statuses,
        open_majors=len(majors),
        unevidenced=unevidenced,
        documentation_done_on=done_on,
        operating_months=project.operating_months,
    )
    conditions = gates.go_conditions(facts, today)
    titles = {info.key.value: info.title for info in STAGES}
    return GoNoGo(
        go=gates.is_go(conditions),
        conditions=conditions,
        readiness=readiness,
        threshold=project.readiness_threshold,
        operating_months=project.operating_months,
        stages=[
            StageLine(row.key, titles[row.key], row.status, STAGE_STATUS_LABELS[row.status]) for row in rows
        ],
        open_majors=majors,
        unevidenced=unevidenced,
        documentation_done_on=done_on,
    )


def update_thresholds(
    project: CertificationProject,
    *,
    version: int | None,
    readiness_threshold: int | None,
    operating_months: int | None,
) -> None:
    """Change the go / no-go's readiness threshold and months of records, on the project as read at
    ``version``; refused whole (Invalid, by field) when either is out of its range."""
    check_version(project, version)
    errors = {
        name: message
        for name, message in (
            ("readiness_threshold", gates.threshold_error(readiness_threshold)),
            ("operating_months", gates.operating_months_error(operating_months)),
        )
        if message
    }
    if errors:
        raise Invalid(_("The thresholds were not saved."), errors)
    assert readiness_threshold is not None and operating_months is not None  # checked above
    project.readiness_threshold = readiness_threshold
    project.operating_months = operating_months
