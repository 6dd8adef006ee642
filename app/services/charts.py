"""The charts of a project: loads what they need (a fixed number of queries) and hands domain values to
:mod:`app.charts`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app

from app import charts
from app.charts import Chart, HistoryPoint, StageBar
from app.domain import budget as budget_domain
from app.domain.training import Matrix
from app.domain.training_progress import state_shares
from app.models import CertificationProject
from app.services import budget as budget_service
from app.services import external_audits, history, training_progress
from app.services.pathway import ProjectOverview, project_overview
from app.services.training import TrainingRecords, training_records


def readiness_target() -> int:
    """The readiness % the section chart draws its target line at (config READINESS_TARGET, default 100)."""
    return int(current_app.config.get("READINESS_TARGET", charts.READINESS_TARGET))


@dataclass(frozen=True)
class ProjectCharts:
    overview: ProjectOverview
    progress: list[Chart]  # readiness by section, stage progress, timeline
    history: Chart
    training: list[Chart]  # completion by department over time, required trainings by state
    budget: list[Chart]  # by stage, by category, cumulative spend

    @property
    def all(self) -> list[Chart]:
        return [*self.progress, self.history, *self.training, *self.budget]


def stage_bars(overview: ProjectOverview) -> list[StageBar]:
    return [
        StageBar(
            key=view.info.key.value,
            title=view.info.title,
            status=view.row.status,
            progress=view.progress,
            planned_start=view.row.planned_start,
            planned_end=view.row.planned_end,
            actual_start=view.row.actual_start,
            actual_end=view.row.actual_end,
            overdue=view.overdue,
        )
        for view in overview.stages
    ]


def summary_charts(overview: ProjectOverview, target: int = charts.READINESS_TARGET) -> list[Chart]:
    """The two charts of the project page (no query: the overview has loaded everything)."""
    return [
        charts.readiness_by_section_chart(overview.by_section, overview.section_titles, target),
        charts.stage_progress_chart(stage_bars(overview)),
    ]


def history_points(
    project: CertificationProject, overview: ProjectOverview, today: date
) -> list[HistoryPoint]:
    """The recorded days, ending with today's figures as they stand (recorded or not yet)."""
    points = [point for point in history.history(project) if point.taken_on != today]
    now = HistoryPoint(today, overview.overall, overview.overall.percent, overview.coverage.percent)
    return [*points, now]


def budget_charts(
    project: CertificationProject, lines: list[budget_domain.BudgetLine], today: date
) -> list[Chart]:
    unit = budget_service.minor_unit(project)
    summary = budget_service.budget_summary(project, lines)
    currency = project.currency
    return [
        charts.budget_by_stage(summary.by_stage, currency, unit),
        charts.budget_by_category(summary.by_category, currency, unit),
        charts.spend_curve(
            budget_domain.cumulative_spend(lines, unit),
            currency,
            unit,
            today,
            budget_domain.undated(lines, unit),
        ),
    ]


def training_charts(
    project: CertificationProject, matrix: Matrix, records: TrainingRecords, today: date
) -> list[Chart]:
    """Completion by department over the last twelve months (two queries besides the matrix's ``records``),
    and today's ``matrix`` by state."""
    return [
        charts.training_completion_history(training_progress.completion_history(project, today, records)),
        charts.training_states(state_shares(matrix.counts())),
    ]


def project_charts(
    project: CertificationProject, today: date, target: int = charts.READINESS_TARGET
) -> ProjectCharts:
    records = training_records(project)  # the matrix's, and the training history's
    overview = project_overview(project, today, with_next_steps=False, training_records=records)
    return ProjectCharts(
        overview=overview,
        progress=[
            *summary_charts(overview, target),
            charts.stage_timeline(
                stage_bars(overview), today, external_audits.timeline_events(overview.snapshot.external_audit)
            ),
        ],
        history=charts.readiness_history(history_points(project, overview, today)),
        training=training_charts(project, overview.snapshot.training, records, today),
        budget=budget_charts(project, budget_service.budget_lines(project), today),
    )
