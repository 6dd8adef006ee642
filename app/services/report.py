"""What the PDF readiness report of a project and the consultant's portfolio PDF show, gathered from the
services the pages use, in a fixed number of queries whatever the data.

:func:`project_report` reads the project's overview (stages judged with their criteria, readiness,
coverage: the project page's figures), the charts page's charts, the gaps, the open findings, the
documented-information checklist, the document register, the budget and the certificate's cycle.
:func:`portfolio_report` reads every project of the caller's workspace as the portfolio page does (its
service), grouped by client (one page each in the PDF). Rendering is :mod:`app.reports`' business.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import charts
from app.charts import Chart
from app.domain import budget as budget_domain
from app.domain import documents as document_rules
from app.domain import gates
from app.domain import nonconformities as finding_rules
from app.domain.readiness import ClauseStatus, Readiness
from app.domain.training_progress import Completion, completion
from app.extensions import db
from app.i18n import month_abbreviations
from app.models import CertificationProject, Clause, Finding
from app.services import budget as budget_service
from app.services import charts as chart_service
from app.services import doc_checklist, document_register, external_audits, project_status
from app.services import portfolio as portfolio_service
from app.services.certificates import CertificateView, certificate_view
from app.services.doc_checklist import DocumentChecklist
from app.services.finding_register import RegisterRow, register_row
from app.services.pathway import ProjectOverview, project_overview
from app.services.scope import Scope
from app.services.svg_charts import Drawing, Unsupported, chart_drawing
from app.services.training import training_records

GAP_STATUSES = (ClauseStatus.NOT_MET, ClauseStatus.PARTIAL)


@dataclass(frozen=True)
class GapRow:
    """A requirement not met or partly met, with who closes it and by when."""

    number: str
    title: str
    status: str
    owner: str | None
    due_date: date | None
    overdue: bool


@dataclass(frozen=True)
class DrawnChart:
    """A chart with its drawing (its size and the labels the report sets over it) and the drawing's SVG as
    a ``data:`` URL; neither when its figure cannot be drawn: the report shows its table alone. An image
    rather than inline SVG: WeasyPrint would style every element of an inline SVG as HTML, which took most
    of the PDF's time."""

    chart: Chart
    drawing: Drawing | None = None
    svg: str | None = None


@dataclass(frozen=True)
class DocumentSummary:
    total: int
    controlled: int
    in_review: tuple[str, ...]  # "QP-04 rev B"
    review_overdue: tuple[str, ...]  # document codes
    obsolete: int


@dataclass(frozen=True)
class BudgetFigures:
    summary: budget_domain.BudgetSummary
    currency: str
    minor_unit: Decimal


@dataclass(frozen=True)
class ProjectReport:
    project: CertificationProject
    today: date
    status_label: str
    overview: ProjectOverview
    gaps: list[GapRow]
    findings: list[RegisterRow]  # open, oldest first
    checklist: DocumentChecklist
    documents: DocumentSummary
    training: Completion
    budget: BudgetFigures
    certificate: CertificateView | None
    charts: list[DrawnChart]

    @property
    def overall(self) -> Readiness:
        return self.overview.overall


def _gap_rows(project: CertificationProject, overview: ProjectOverview, today: date) -> list[GapRow]:
    """The not-met and partly-met requirements in catalog order, with their titles (one query)."""
    gaps = {c.number: c for c in overview.snapshot.clauses if c.status in GAP_STATUSES}
    if not gaps:
        return []
    titles = db.session.execute(
        select(Clause.number, Clause.title)
        .where(Clause.standard_id == project.standard_id, Clause.number.in_(gaps))
        .order_by(Clause.position)
    ).all()
    return [
        GapRow(
            number,
            title or "",
            gaps[number].status,
            gaps[number].owner,
            gaps[number].due_date,
            gaps[number].due_date is not None and gaps[number].due_date < today,
        )
        for number, title in titles
    ]


def _open_findings(project: CertificationProject, today: date) -> list[RegisterRow]:
    """Every finding not closed, oldest first (two queries: the findings and their checks)."""
    found = db.session.execute(
        select(Finding)
        .where(Finding.project_id == project.id, Finding.status != finding_rules.FindingState.CLOSED)
        .options(selectinload(Finding.checks))
        .order_by(Finding.raised_on, Finding.id)
    ).scalars()
    return [register_row(finding, today) for finding in found]


def _document_summary(
    project: CertificationProject, overview: ProjectOverview, today: date
) -> DocumentSummary:
    facts = document_register.facts(project.id)
    return DocumentSummary(
        total=len(facts),
        controlled=sum(1 for fact in facts if document_rules.is_controlled(fact, today)),
        in_review=overview.snapshot.documents_in_review,
        review_overdue=overview.snapshot.documents_overdue,
        obsolete=sum(1 for fact in facts if fact.status == document_rules.DocumentStatus.OBSOLETE),
    )


def _drawn(chart: Chart) -> DrawnChart:
    if chart.empty:
        return DrawnChart(chart)
    try:
        drawing = chart_drawing(chart, month_abbreviations())
    except Unsupported:
        return DrawnChart(chart)
    encoded = base64.b64encode(drawing.svg.encode()).decode("ascii")
    return DrawnChart(chart, drawing, f"data:image/svg+xml;base64,{encoded}")


def project_report(
    project: CertificationProject, today: date, target: int = charts.READINESS_TARGET
) -> ProjectReport:
    """Everything the report shows, as of ``today``: the project page's and the charts page's figures."""
    records = training_records(project)
    overview = project_overview(project, today, with_next_steps=False, training_records=records)
    lines = budget_service.budget_lines(project)
    events = external_audits.timeline_events(overview.snapshot.external_audit)
    drawn = [
        *chart_service.summary_charts(overview, target),
        charts.stage_timeline(chart_service.stage_bars(overview), today, events),
        charts.readiness_history(chart_service.history_points(project, overview, today)),
        *chart_service.training_charts(project, overview.snapshot.training, records, today),
        *chart_service.budget_charts(project, lines, today),
    ]
    certificate = external_audits.cycle_certificate(project)
    return ProjectReport(
        project=project,
        today=today,
        status_label=gates.status_label(project_status.status_of(project, today)),
        overview=overview,
        gaps=_gap_rows(project, overview, today),
        findings=_open_findings(project, today),
        checklist=doc_checklist.documented_information(project, today),
        documents=_document_summary(project, overview, today),
        training=completion(overview.snapshot.training.counts()),
        budget=BudgetFigures(
            budget_service.budget_summary(project, lines),
            project.currency,
            budget_service.minor_unit(project),
        ),
        certificate=certificate_view(certificate, today) if certificate else None,
        charts=[_drawn(chart) for chart in drawn],
    )


# The portfolio

PORTFOLIO_ROWS = 100_000  # every project: the PDF is not paged as the page is


@dataclass(frozen=True)
class ClientPage:
    """One client of the portfolio: its projects as the portfolio page shows them."""

    name: str
    country: str
    projects: list[portfolio_service.Row]

    @property
    def open_majors(self) -> int:
        return sum(row.open_majors for row in self.projects)

    @property
    def overdue_items(self) -> int:
        return sum(row.overdue_items for row in self.projects)

    @property
    def lowest_readiness(self) -> int | None:
        known = [row.readiness for row in self.projects if row.readiness is not None]
        return min(known) if known else None


@dataclass(frozen=True)
class PortfolioReport:
    workspace: str
    today: date
    clients: list[ClientPage]

    @property
    def projects(self) -> int:
        return sum(len(client.projects) for client in self.clients)


def portfolio_report(scope: Scope, today: date) -> PortfolioReport:
    """Every project the caller sees, as the portfolio page reads them (its service: one row per project,
    a fixed number of queries), grouped by client in the order of the clients' names."""
    found = portfolio_service.portfolio(scope, portfolio_service.Query(sort="client"), PORTFOLIO_ROWS, today)
    pages: dict[int, ClientPage] = {}
    for row in found.rows:
        pages.setdefault(row.client_id, ClientPage(row.client, row.country, [])).projects.append(row)
    return PortfolioReport(scope.workspace_name, today, list(pages.values()))
