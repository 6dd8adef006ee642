"""A project's budget lines: loaded as domain values, rolled up, changed, and proposed by the estimator.

The caller fetches the project through :func:`app.services.scope.get_or_404_in`; every function here then
only touches lines of that project. Pages read the lines in one query and roll them up in the domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, bindparam, select

from app.domain import budget as domain
from app.domain.budget_dates import estimate_line_date, project_window
from app.domain.estimator import Estimate, EstimateInputs, ProposedLine, estimate_budget
from app.domain.money import MAX_AMOUNT
from app.domain.text import _
from app.extensions import db
from app.models import BudgetLine, CertificationProject, ProjectStage
from app.pagination import Page
from app.services import deletion
from app.services.changes import check_version
from app.services.errors import NotFound
from app.services.scope import Scope, get_or_404_in

PER_PAGE = 50
LINE_FIELDS = ("stage", "category", "description", "vendor", "planned", "actual", "spent_on")


def minor_unit(project: CertificationProject) -> Decimal:
    return domain.minor_unit_for(project.currency)


def line_rows(project: CertificationProject) -> list[BudgetLine]:
    """The project's budget line rows in :func:`app.domain.budget.line_order_key` order (stage, then
    undated lines, then by date)."""
    stmt = select(BudgetLine).where(BudgetLine.project_id == project.id, BudgetLine.deleted_at.is_(None))
    rows = db.session.execute(stmt.order_by(BudgetLine.id)).scalars()
    return sorted(rows, key=lambda row: domain.line_order_key(to_domain(row)))


def to_domain(row: BudgetLine) -> domain.BudgetLine:
    return domain.BudgetLine(
        stage=row.stage,
        category=row.category,
        description=row.description,
        planned=row.planned,
        actual=row.actual,
        date=row.spent_on,
        line_id=row.id,
    )


_LINES = (  # the domain values' columns, built once (the charts read them on every request)
    select(
        BudgetLine.stage,
        BudgetLine.category,
        BudgetLine.description,
        BudgetLine.planned,
        BudgetLine.actual,
        BudgetLine.spent_on,
        BudgetLine.id,
    )
    .where(BudgetLine.project_id == bindparam("project_id", type_=Integer), BudgetLine.deleted_at.is_(None))
    .order_by(BudgetLine.id)
)


def budget_lines(project: CertificationProject) -> list[domain.BudgetLine]:
    """The project's lines as domain values (``line_id`` = row id), by stage then date; one query."""
    lines = [
        domain.BudgetLine(
            stage=stage,
            category=category,
            description=description,
            planned=planned,
            actual=actual,
            date=spent_on,
            line_id=line_id,
        )
        for stage, category, description, planned, actual, spent_on, line_id in db.session.execute(
            _LINES, {"project_id": project.id}
        )
    ]
    return sorted(lines, key=domain.line_order_key)


def budget_summary(
    project: CertificationProject, lines: list[domain.BudgetLine] | None = None
) -> domain.BudgetSummary:
    """Roll-ups per stage, per category and in total, with the forecast, in the project's minor unit."""
    if lines is None:
        lines = budget_lines(project)
    return domain.summarise(lines, minor_unit(project))


# The budget page


@dataclass(frozen=True)
class LineView:
    row: BudgetLine
    variance: Decimal | None  # None until an actual is entered
    percent_spent: Decimal | None
    overspent: bool


@dataclass(frozen=True)
class BudgetView:
    project: CertificationProject
    lines: list[LineView]  # the current page only
    summary: domain.BudgetSummary
    overspent: int  # overspent lines in the whole budget
    page: Page


def _line_view(row: BudgetLine, value: domain.BudgetLine, unit: Decimal) -> LineView:
    if row.actual is None:
        return LineView(row, None, None, False)
    planned = domain.quantize_money(row.planned, unit)
    actual = domain.quantize_money(row.actual, unit)
    overspent = domain.is_overspent(value, domain.DEFAULT_OVERSPEND_THRESHOLD, unit)
    return LineView(row, actual - planned, domain.percent_spent(actual, planned), overspent)


@dataclass(frozen=True)
class AllLines:
    """Every live line of a project as shown, with the roll-ups, in the project's minor unit."""

    lines: list[LineView]
    summary: domain.BudgetSummary
    unit: Decimal


def all_lines(project: CertificationProject) -> AllLines:
    """The lines and their roll-ups from one query: what the budget page and the budget API both show."""
    rows = line_rows(project)
    values = [to_domain(row) for row in rows]
    unit = minor_unit(project)
    views = [_line_view(row, value, unit) for row, value in zip(rows, values, strict=True)]
    return AllLines(views, domain.summarise(values, unit), unit)


def budget_view(project: CertificationProject, page_number: int, per_page: int = PER_PAGE) -> BudgetView:
    """Everything the budget page shows: one page of lines and the roll-ups of all of them."""
    every = all_lines(project)
    last_page = Page(number=1, per_page=per_page, total=len(every.lines)).pages
    page = Page(number=min(page_number, last_page), per_page=per_page, total=len(every.lines))
    start = (page.number - 1) * per_page
    return BudgetView(
        project=project,
        lines=every.lines[start : start + per_page],
        summary=every.summary,
        overspent=sum(view.overspent for view in every.lines),
        page=page,
    )


# Changing lines


def line_in(scope: Scope, project: CertificationProject, line_id: int) -> BudgetLine:
    """A line of this project, or 404 (also for a line of another project the user can see)."""
    row = get_or_404_in(scope, BudgetLine, line_id)
    if row.project_id != project.id:
        raise NotFound()
    return row


def _stages(project: CertificationProject) -> list[ProjectStage]:
    stmt = select(ProjectStage).where(ProjectStage.project_id == project.id).order_by(ProjectStage.position)
    return list(db.session.execute(stmt).scalars())


def date_window(project: CertificationProject) -> tuple[date | None, date | None]:
    """The project's start and end, for :func:`app.domain.budget.date_error`."""
    stages = _stages(project)
    created = project.created_at.date() if project.created_at else None
    return project_window(
        created, project.target_date, (s.planned_start for s in stages), (s.planned_end for s in stages)
    )


def save_line(
    project: CertificationProject, row: BudgetLine | None, *, version: int | None = None, **fields: Any
) -> BudgetLine:
    """Create (``row=None``) or update a line read at ``version``; amounts are rounded to the currency's
    minor unit."""
    if row is not None:
        check_version(row, version)
    unit = minor_unit(project)
    for name in ("planned", "actual"):
        if fields.get(name) is not None:
            fields[name] = domain.quantize_money(fields[name], unit)
    if row is None:
        row = BudgetLine(project_id=project.id, basis="")
        db.session.add(row)
    for name in LINE_FIELDS:
        if name in fields:
            setattr(row, name, fields[name])
    db.session.flush()  # a new line's id, for the link back to it
    return row


def delete_line(scope: Scope, row: BudgetLine) -> None:
    """Soft: the line leaves the budget and its roll-ups, and an owner can restore it for 30 days."""
    deletion.delete_budget_line(scope, row)


# The estimator


def estimate_for(project: CertificationProject, **rates: Any) -> Estimate:
    """The estimator for this project's site size and standard; ValueError when it cannot estimate."""
    inputs = EstimateInputs(
        employees=project.site.employee_count,
        standard=project.standard.code,
        minor_unit=minor_unit(project),
        **rates,
    )
    estimate = estimate_budget(inputs)
    too_large = [line.description for line in estimate.lines if line.planned > MAX_AMOUNT]
    if too_large:
        raise ValueError(
            _("%(line)s would exceed the largest amount a line can hold; check the rates.", line=too_large[0])
        )
    return estimate


def _key(description: str) -> str:
    return " ".join(description.split()).casefold()


def already_in_budget(project: CertificationProject, estimate: Estimate) -> set[int]:
    """Indexes of proposed lines whose description is already a line of the budget."""
    stmt = select(BudgetLine.description).where(
        BudgetLine.project_id == project.id, BudgetLine.deleted_at.is_(None)
    )
    existing = {_key(text) for text in db.session.execute(stmt).scalars()}
    return {index for index, line in enumerate(estimate.lines) if _key(line.description) in existing}


def _accepted_row(project: CertificationProject, line: ProposedLine, on: date | None) -> BudgetLine:
    row = BudgetLine(
        project_id=project.id,
        stage=line.stage,
        category=line.category,
        description=line.description,
        vendor="",
        planned=line.planned,
        actual=None,
        spent_on=on,
        basis=line.basis,
    )
    db.session.add(row)
    return row


def accept_estimate(
    project: CertificationProject, estimate: Estimate, chosen: set[int]
) -> tuple[list[BudgetLine], list[str]]:
    """Add the chosen proposed lines but those already in the budget: (rows added, skipped descriptions)."""
    duplicates = already_in_budget(project, estimate)
    stages = {row.key: row for row in _stages(project)}
    audit = stages.get("external_audit")
    certified_on = project.target_date or (audit.planned_end if audit else None)
    added, skipped = [], []
    for index, line in enumerate(estimate.lines):
        if index not in chosen:
            continue
        if index in duplicates:
            skipped.append(line.description)
            continue
        stage = stages.get(line.stage)
        on = estimate_line_date(line.cycle_year, stage.planned_end if stage else None, certified_on)
        added.append(_accepted_row(project, line, on))
    return added, skipped
