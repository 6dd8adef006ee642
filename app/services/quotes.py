"""A project's quotes from certification bodies: listed with their audit days against IAF MD 5 / MD 9,
recorded, edited while received, accepted (the project's body becomes the quote's, and the quote becomes
budget lines of the external audit, once) and declined. Shared by the pages and the API; the rules are
:mod:`app.domain.certification_bodies`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain import certification_bodies as rules
from app.domain.budget import quantize_money
from app.domain.budget_dates import estimate_line_date
from app.domain.certification import quote_total
from app.domain.permissions import Action
from app.domain.text import _
from app.extensions import db
from app.models import BudgetLine, CertificationBody, CertificationProject, ProjectStage, Quote
from app.services import bodies
from app.services.budget import minor_unit
from app.services.errors import Conflict, Invalid, NotFound, StaleVersion
from app.services.scope import Scope, get_or_404_in

NOT_SAVED = "The quote was not saved."
STATUS_BADGES = {
    rules.QuoteStatus.RECEIVED: "text-bg-info",
    rules.QuoteStatus.ACCEPTED: "text-bg-success",
    rules.QuoteStatus.DECLINED: "text-bg-secondary",
}
FIGURES = ("received_on", "audit_days", "surveillance_days", "day_rate", "fees", "travel", "notes")


@dataclass
class QuoteFields:
    """What a user types for a quote: the body chosen, the day received, the figures as typed."""

    body_id: int | None
    received_on: date | None
    audit_days: str
    day_rate: str
    surveillance_days: str = ""
    fees: str = ""
    travel: str = ""
    notes: str = ""

    def text(self) -> rules.QuoteText:
        return rules.QuoteText(
            received_on=self.received_on,
            audit_days=self.audit_days,
            surveillance_days=self.surveillance_days,
            day_rate=self.day_rate,
            fees=self.fees,
            travel=self.travel,
            notes=self.notes,
        )


def figures_of(quote: Quote) -> rules.QuoteFigures:
    return rules.QuoteFigures(
        received_on=quote.received_on,
        audit_days=Decimal(quote.audit_days),
        surveillance_days=Decimal(quote.surveillance_days) if quote.surveillance_days is not None else None,
        day_rate=Decimal(quote.day_rate),
        fees=Decimal(quote.fees),
        travel=Decimal(quote.travel),
        notes=quote.notes,
    )


# Reading


def quote_in(scope: Scope, project: CertificationProject, quote_id: int) -> Quote:
    """A quote of this project, or 404 (also for a quote of another project the user can see)."""
    quote = get_or_404_in(scope, Quote, quote_id)
    if quote.project_id != project.id:
        raise NotFound(_("No such quote in this project."))
    return quote


def quotes_of(project: CertificationProject) -> list[Quote]:
    """The project's quotes, the latest received first, with their bodies (two queries)."""
    stmt = (
        select(Quote)
        .where(Quote.project_id == project.id)
        .options(selectinload(Quote.body))
        .order_by(Quote.received_on.desc(), Quote.id.desc())
    )
    return list(db.session.execute(stmt).scalars())


@dataclass(frozen=True)
class QuoteView:
    """A quote with what the pages and the API show of it."""

    quote: Quote
    body: bodies.BodyView
    check: rules.DaysCheck
    total: Decimal  # the initial audit: days x rate, fees and travel
    surveillance_total: Decimal | None  # each surveillance audit
    status_label: str
    lines: tuple[BudgetLine, ...] = field(default=())  # added by accepting it (just now)

    @property
    def badge(self) -> str:
        return STATUS_BADGES[rules.QuoteStatus(self.quote.status)]


def view_of(project: CertificationProject, quote: Quote, lines: tuple[BudgetLine, ...] = ()) -> QuoteView:
    figures = figures_of(quote)
    unit = minor_unit(project)
    total = quote_total(figures.audit_days, figures.day_rate, figures.fees, figures.travel)
    surveillance = figures.surveillance_days
    return QuoteView(
        quote=quote,
        body=bodies.view_of(quote.body),
        check=rules.days_check(project.standard.code, project.site.employee_count, figures.audit_days),
        total=quantize_money(total, unit),
        surveillance_total=(
            quantize_money(surveillance * figures.day_rate, unit) if surveillance is not None else None
        ),
        status_label=rules.STATUS_LABELS.get(rules.QuoteStatus(quote.status), quote.status),
        lines=lines,
    )


def quote_views(project: CertificationProject) -> list[QuoteView]:
    return [view_of(project, quote) for quote in quotes_of(project)]


# Recording


def _read(
    scope: Scope, project: CertificationProject, fields: QuoteFields, today: date
) -> tuple[CertificationBody, rules.QuoteFigures]:
    figures, errors = rules.read_quote(fields.text(), minor_unit(project), today)
    body = None
    if fields.body_id is None:
        errors["body_id"] = "Choose the certification body that sent the quote."
    else:
        try:
            body = bodies.body_in(scope, fields.body_id)
        except NotFound:
            errors["body_id"] = "Choose one of the workspace's certification bodies."
    if errors or figures is None or body is None:
        raise Invalid(NOT_SAVED, errors)
    return body, figures


def create_quote(scope: Scope, project: CertificationProject, fields: QuoteFields, today: date) -> Quote:
    scope.require(Action.EDIT_CONTENT)
    body, figures = _read(scope, project, fields, today)
    quote = Quote(
        project_id=project.id,
        body=body,
        status=rules.QuoteStatus.RECEIVED,
        **{name: getattr(figures, name) for name in FIGURES},
    )
    db.session.add(quote)
    db.session.flush()  # its id, for the link to it
    return quote


def update_quote(
    scope: Scope,
    project: CertificationProject,
    quote: Quote,
    fields: QuoteFields,
    today: date,
    version: int | None = None,
) -> None:
    """Change a received quote from the copy read at ``version``."""
    scope.require(Action.EDIT_CONTENT)
    if version is not None and version != quote.version:
        raise StaleVersion(quote, "quote")
    problem = rules.editable_error(quote.status)
    if problem:
        raise Conflict(problem)
    body, figures = _read(scope, project, fields, today)
    if quote.body_id != body.id:
        quote.body = body
    for name in FIGURES:
        value = getattr(figures, name)
        if getattr(quote, name) != value:
            setattr(quote, name, value)
    db.session.flush()


# Accepting and declining


def _label(quote: Quote) -> str:
    return f"The quote of {quote.received_on:%d %b %Y} from {quote.body.name}"


def _accepted_elsewhere(project: CertificationProject, quote: Quote) -> str | None:
    stmt = select(Quote).where(
        Quote.project_id == project.id, Quote.id != quote.id, Quote.status == rules.QuoteStatus.ACCEPTED
    )
    other = db.session.execute(stmt.limit(1)).scalar_one_or_none()
    return _label(other) if other else None


def _add_lines(project: CertificationProject, quote: Quote) -> tuple[BudgetLine, ...]:
    """The accepted quote's budget lines but those already in the budget (by description)."""
    unit = minor_unit(project)
    existing = {
        " ".join(text.split()).casefold()
        for text in db.session.execute(
            select(BudgetLine.description).where(
                BudgetLine.project_id == project.id, BudgetLine.deleted_at.is_(None)
            )
        ).scalars()
    }
    stage = db.session.execute(
        select(ProjectStage).where(
            ProjectStage.project_id == project.id, ProjectStage.key == "external_audit"
        )
    ).scalar_one_or_none()
    stage_end = stage.planned_end if stage else None
    certified_on = project.target_date or stage_end
    added = []
    for line in rules.quote_lines(figures_of(quote), quote.body.name, unit):
        if " ".join(line.description.split()).casefold() in existing:
            continue
        row = BudgetLine(
            project_id=project.id,
            stage=line.stage,
            category=line.category,
            description=line.description,
            vendor=quote.body.name,
            planned=line.planned,
            actual=None,
            spent_on=estimate_line_date(line.cycle_year, stage_end, certified_on),
            basis=line.basis,
        )
        db.session.add(row)
        added.append(row)
    db.session.flush()
    return tuple(added)


def accept_quote(
    scope: Scope, project: CertificationProject, quote: Quote, today: date, version: int | None = None
) -> tuple[BudgetLine, ...]:
    """Accept the quote: the project's body becomes the quote's and its budget lines are added. Accepting
    it again adds nothing (returns no lines)."""
    scope.require(Action.MANAGE_PROJECTS)
    if version is not None and version != quote.version:
        raise StaleVersion(quote, "quote")
    if quote.status == rules.QuoteStatus.ACCEPTED:
        return ()
    problem = rules.accept_error(quote.status, _accepted_elsewhere(project, quote))
    if problem:
        raise Conflict(problem)
    quote.status = rules.QuoteStatus.ACCEPTED
    quote.accepted_on = today
    if project.body_id != quote.body_id:
        project.body = quote.body
    return _add_lines(project, quote)


def decline_quote(scope: Scope, quote: Quote, version: int | None = None) -> None:
    """Decline the quote; an accepted one keeps the budget lines it added (delete them on the budget page)
    and the project keeps its body."""
    scope.require(Action.MANAGE_PROJECTS)
    if version is not None and version != quote.version:
        raise StaleVersion(quote, "quote")
    if quote.status != rules.QuoteStatus.DECLINED:
        quote.status = rules.QuoteStatus.DECLINED
        quote.accepted_on = None
        db.session.flush()
