"""What the app already knows for a management review, gathered as :class:`app.domain.reviews.PrefillFacts`
for :func:`app.domain.reviews.prefill` to write into the review's inputs.

:func:`prefill_facts` runs a fixed number of queries whatever the number of reviews, audits, findings,
requirements, people or budget lines: the earlier reviews' actions, the internal audits reported in the period
with their checklist results counted in one GROUP BY, the nonconformity register, the gap-analysis verdicts,
the evidence coverage, the training matrix (four), the budget, the quality objectives (two) and the running
registers' states (one or two each, :mod:`app.services.register_states`).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.domain import nonconformities as findings
from app.domain import objectives as goals
from app.domain import reviews as rules
from app.domain.audits import DONE_STATUSES
from app.domain.budget import Totals
from app.domain.money import format_money
from app.domain.readiness import ClauseAssessment, ClauseStatus, overall_readiness
from app.domain.training_progress import completion
from app.extensions import db
from app.models import (
    Assessment,
    AuditLine,
    CertificationProject,
    Finding,
    InternalAudit,
    ManagementReview,
    QualityObjective,
    ReviewOutput,
)
from app.services import budget, register_states, training
from app.services.coverage import project_coverage
from app.services.findings import facts_of


def previous_actions(project: CertificationProject, held_on: date) -> tuple[rules.ActionStatus, ...]:
    """The actions decided at the project's reviews held up to ``held_on`` (the new review is not saved
    yet), oldest review first (one query)."""
    rows = db.session.execute(
        select(ReviewOutput.text, ReviewOutput.owner, ReviewOutput.due_date, ReviewOutput.done_on)
        .join(ManagementReview, ManagementReview.id == ReviewOutput.review_id)
        .where(
            ManagementReview.project_id == project.id,
            ManagementReview.held_on <= held_on,
            ReviewOutput.kind == rules.OutputKind.ACTION,
        )
        .order_by(ManagementReview.held_on, ManagementReview.id, ReviewOutput.id)
    ).all()
    return tuple(rules.ActionStatus(text, owner, due, done) for text, owner, due, done in rows)


def audits_reported(project: CertificationProject, start: date, end: date) -> tuple[rules.AuditResult, ...]:
    """The internal audits reported between ``start`` and ``end`` with their checklist lines counted by
    result (two queries)."""
    audits = db.session.execute(
        select(InternalAudit.id, InternalAudit.title, InternalAudit.reported_on)
        .where(
            InternalAudit.project_id == project.id,
            InternalAudit.status.in_([str(status) for status in DONE_STATUSES]),
            InternalAudit.reported_on.between(start, end),
        )
        .order_by(InternalAudit.reported_on, InternalAudit.id)
    ).all()
    counts: dict[int, dict[str, int]] = {}
    if audits:
        for audit_id, result, count in db.session.execute(
            select(AuditLine.audit_id, AuditLine.result, func.count(AuditLine.id))
            .where(AuditLine.audit_id.in_([audit.id for audit in audits]))
            .group_by(AuditLine.audit_id, AuditLine.result)
        ):
            counts.setdefault(audit_id, {})[result] = count
    return tuple(
        rules.AuditResult(audit.title, audit.reported_on, counts.get(audit.id, {})) for audit in audits
    )


def finding_figures(
    project: CertificationProject, start: date, end: date, today: date
) -> findings.RegisterFigures:
    """Open findings by severity, overdue ones, and those raised and closed in the period (one query)."""
    rows = db.session.execute(
        select(
            Finding.severity,
            Finding.status,
            Finding.raised_on,
            Finding.closed_on,
            Finding.action_due,
            Finding.effectiveness_due,
            Finding.deadline,
        ).where(Finding.project_id == project.id)
    ).all()
    open_by_severity: Counter[str] = Counter()
    overdue = 0
    for row in rows:
        if findings.is_open(row.status):
            open_by_severity[row.severity] += 1
            overdue += findings.is_overdue(facts_of(row), today)
    return findings.RegisterFigures(
        open_by_severity=dict(open_by_severity),
        overdue=overdue,
        closed_in_period=sum(1 for r in rows if r.closed_on is not None and start <= r.closed_on <= end),
        raised_in_period=sum(1 for r in rows if start <= r.raised_on <= end),
    )


def readiness_percent(project: CertificationProject) -> Decimal | None:
    """The gap analysis's overall readiness (one query)."""
    statuses = db.session.execute(
        select(Assessment.status).where(Assessment.project_id == project.id)
    ).scalars()
    found = overall_readiness(ClauseAssessment("", ClauseStatus(status)) for status in statuses).percent
    return None if found is None else Decimal(found)


def _percent(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _money(project: CertificationProject, total: Totals, unit: Decimal) -> tuple[str, str]:
    return format_money(total.planned, project.currency, unit), format_money(
        total.actual, project.currency, unit
    )


def objective_statuses(project: CertificationProject) -> tuple[rules.ObjectiveStatus, ...]:
    """Each quality objective with its latest value against its target (two queries)."""
    rows = db.session.execute(
        select(QualityObjective)
        .where(QualityObjective.project_id == project.id)
        .options(selectinload(QualityObjective.measurements))
        .order_by(QualityObjective.due_date, QualityObjective.id)
    ).scalars()
    statuses = []
    for row in rows:
        values = [goals.Measurement(m.measured_on, m.value) for m in row.measurements]
        last = goals.latest(values)
        unit = f" {row.unit}" if row.unit else ""
        statuses.append(
            rules.ObjectiveStatus(
                title=row.title,
                target=goals.target_text(row.direction, row.target, row.unit),
                latest=f"{goals.format_value(last.value)}{unit}" if last else None,
                met=goals.status(goals.Direction(row.direction), row.target, values),
            )
        )
    return tuple(statuses)


def prefill_facts(
    project: CertificationProject, held_on: date, start: date, end: date, today: date
) -> rules.PrefillFacts:
    """Everything the app can say for a review held on ``held_on`` of the period ``start``..``end``."""
    figures = finding_figures(project, start, end, today)
    lines = budget.all_lines(project)
    planned, actual = _money(project, lines.summary.total, lines.unit) if lines.lines else (None, None)
    matrix = training.load_matrix(project, today)
    return rules.PrefillFacts(
        start=start,
        end=end,
        previous_actions=previous_actions(project, held_on),
        audits=audits_reported(project, start, end),
        open_findings=figures.open_by_severity,
        findings_raised=figures.raised_in_period,
        findings_closed=figures.closed_in_period,
        findings_overdue=figures.overdue,
        readiness_percent=readiness_percent(project),
        coverage_percent=_percent(project_coverage(project, today).percent),
        training_percent=_percent(completion(matrix.counts()).percent),
        budget_planned=planned,
        budget_actual=actual,
        objectives=objective_statuses(project),
        registers=tuple(register_states.states_of(project, today)),
    )
