"""The consultant's portfolio: one row per project across every client the caller may see, filtered, sorted
and paged in SQL over :func:`app.services.portfolio_facts.facts_subquery`, and its charts' figures.

Four queries whatever the sort, the filters and the number of projects: the totals by readiness and stage
(the count and two charts), the page's rows, the coming milestones by day and kind (the third chart), and
the filter choices. Sorting by a computed column (status, readiness, coverage, the next milestone, the
budget) is done by the database over the facts subquery, so only the page's rows ever reach Python.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import String, case, cast, exists, func, literal, or_, select, union_all

from app.charts.base import money_text
from app.domain import portfolio as rules
from app.domain.budget import minor_unit_for, percent_spent
from app.domain.nonconformities import FindingState
from app.domain.pathway import TaskStatus
from app.domain.reviews import OutputKind
from app.extensions import db
from app.models import (
    Certificate,
    CertificationBody,
    CertificationProject,
    Finding,
    ManagementReview,
    ReviewOutput,
    Site,
    Standard,
    Task,
)
from app.services.portfolio_facts import facts_subquery, milestone_candidates
from app.services.scope import Scope, scoped

SORTS = (
    "client", "site", "country", "standard", "stage", "readiness", "coverage", "milestone", "overdue",
    "majors", "budget", "target", "status",
)  # fmt: skip
FILTERS = ("standard", "stage", "country", "status", "body", "assignee")
SEARCH_MAX = 100


@dataclass(frozen=True)
class Query:
    """What the page was asked for, already made safe: unknown sorts and directions fall back."""

    sort: str = "status"
    descending: bool = False
    filters: dict[str, str] = field(default_factory=dict)
    search: str = ""
    page: int = 1

    @classmethod
    def parse(cls, args: Any, page: int) -> Query:
        sort = args.get("sort", "")
        filters = {name: args.get(name, "").strip()[:SEARCH_MAX] for name in FILTERS}
        return cls(
            sort=sort if sort in SORTS else "status",
            descending=args.get("dir") == "desc",
            filters={name: value for name, value in filters.items() if value},
            search=args.get("q", "").strip()[:SEARCH_MAX],
            page=page,
        )

    @property
    def narrowed(self) -> bool:
        return bool(self.filters or self.search)


@dataclass(frozen=True)
class Row:
    project_id: int
    client_id: int
    client: str
    site: str
    country: str
    standard: str
    body: str | None
    stage: str  # a stage's key, or "done"
    readiness: int | None
    coverage: int | None
    milestone: str | None
    milestone_on: date | None
    milestone_passed: bool  # its day is before today
    overdue_items: int
    open_majors: int
    currency: str
    planned: Decimal
    spent: Decimal
    target_date: date | None
    days_to_target: int | None
    status: rules.Status

    @property
    def percent_spent(self) -> Decimal | None:
        return percent_spent(self.spent, self.planned)

    @property
    def budget_text(self) -> str:
        """Spent against planned in the project's currency, "1,200.00 / 5,000.00 USD"."""
        unit = minor_unit_for(self.currency)
        return f"{money_text(self.spent, unit)} / {money_text(self.planned, unit)} {self.currency}"


@dataclass(frozen=True)
class Choices:
    standards: list[tuple[str, str]]
    countries: list[tuple[str, str]]
    bodies: list[tuple[str, str]]
    assignees: list[tuple[str, str]]


@dataclass(frozen=True)
class Portfolio:
    rows: list[Row]
    total: int
    readiness: Counter[str]  # projects by readiness band
    stages: Counter[str]  # projects by current stage key ("done": every stage done)
    upcoming: dict[tuple[int, str], int]  # (week from today, "audits" | "deadlines") -> how many
    choices: Choices


def _assignee(scope: Scope, name: str) -> Any:
    """The project has an open task, finding action or review action whose owner is ``name``."""
    p, wanted = CertificationProject, name.lower()
    return or_(
        exists().where(
            Task.project_id == p.id, Task.status != TaskStatus.DONE.value, func.lower(Task.owner) == wanted
        ),
        exists().where(
            Finding.project_id == p.id,
            Finding.status != FindingState.CLOSED.value,
            func.lower(Finding.action_owner) == wanted,
        ),
        exists().where(
            ManagementReview.project_id == p.id,
            ReviewOutput.review_id == ManagementReview.id,
            ReviewOutput.kind == OutputKind.ACTION.value,
            ReviewOutput.done_on.is_(None),
            func.lower(ReviewOutput.owner) == wanted,
        ),
    )


def _search(facts: Any, text: str) -> Any:
    """Client, site or a certificate number of the project contains ``text`` (any case)."""
    needle = text.lower()
    return or_(
        func.lower(facts.c.client).contains(needle, autoescape=True),
        func.lower(facts.c.site).contains(needle, autoescape=True),
        exists().where(
            Certificate.project_id == facts.c.project_id,
            func.lower(Certificate.number).contains(needle, autoescape=True),
        ),
    )


def _conditions(scope: Scope, facts: Any, query: Query) -> list[Any]:
    f = query.filters
    conditions = []
    for name, column in (("standard", "standard_code"), ("stage", "stage"), ("country", "country"),
                         ("status", "status")):  # fmt: skip
        if name in f:
            conditions.append(facts.c[column] == f[name])
    if "body" in f:
        conditions.append(cast(facts.c.body_id, String) == f["body"])
    if "assignee" in f:
        projects = scoped(scope, select(CertificationProject.id), CertificationProject)
        conditions.append(facts.c.project_id.in_(projects.where(_assignee(scope, f["assignee"]))))
    if query.search:
        conditions.append(_search(facts, query.search))
    return conditions


def _order(facts: Any, query: Query) -> list[Any]:
    c = facts.c
    status_rank = case(*((c.status == s.value, rank) for s, rank in rules.STATUS_ORDER.items()), else_=9)
    budget_ratio = case((c.planned > 0, c.spent * 1.0 / c.planned))
    keys = {
        "client": func.lower(c.client), "site": func.lower(c.site), "country": c.country,
        "standard": c.standard, "stage": func.coalesce(c.position, 99), "readiness": c.readiness,
        "coverage": c.coverage, "milestone": c.milestone_on, "overdue": c.overdue_items,
        "majors": c.open_majors, "budget": budget_ratio, "target": c.target_date, "status": status_rank,
    }  # fmt: skip
    key = keys[query.sort]
    first = (key.desc() if query.descending else key.asc()).nulls_last()
    return [first, func.lower(c.client), c.project_id]


def _row(found: Any, today: date) -> Row:
    facts = rules.ProjectFacts(
        target_date=found.target_date,
        all_stages_done=found.position is None,
        milestone_on=found.milestone_on,
        readiness=found.readiness,
        overdue_items=found.overdue_items,
        open_majors=found.open_majors,
        planned=Decimal(found.planned),
        spent=Decimal(found.spent),
    )
    return Row(
        project_id=found.project_id,
        client_id=found.client_id,
        client=found.client,
        site=found.site,
        country=found.country,
        standard=found.standard,
        body=found.body,
        stage=found.stage,
        readiness=found.readiness,
        coverage=found.coverage,
        milestone=found.milestone,
        milestone_on=found.milestone_on,
        milestone_passed=found.milestone_on is not None and found.milestone_on < today,
        overdue_items=found.overdue_items,
        open_majors=found.open_majors,
        currency=found.currency,
        planned=facts.planned,
        spent=facts.spent,
        target_date=found.target_date,
        days_to_target=rules.days_to(found.target_date, today),
        status=rules.status_of(facts, today),  # the rule in Python; the SQL's twin sorts and filters
    )


def _choices(scope: Scope) -> Choices:
    """The values the filters offer, from the scope's projects (one query)."""
    p = CertificationProject
    projects = scoped(scope, select(p.id), p)
    parts = [
        scoped(scope, select(literal("standard"), Standard.code, Standard.name), p)
        .join(Standard, Standard.id == p.standard_id)
        .select_from(p),
        scoped(scope, select(literal("country"), Site.country, Site.country), p)
        .join(Site, Site.id == p.site_id)
        .select_from(p),
        select(literal("body"), cast(CertificationBody.id, String), CertificationBody.name).where(
            CertificationBody.workspace_id == scope.workspace_id
        ),
        select(literal("assignee"), Task.owner, Task.owner).where(
            Task.project_id.in_(projects), Task.status != TaskStatus.DONE.value, Task.owner != ""
        ),
        select(literal("assignee"), Finding.action_owner, Finding.action_owner).where(
            Finding.project_id.in_(projects),
            Finding.status != FindingState.CLOSED.value,
            Finding.action_owner != "",
        ),
    ]
    every = union_all(*parts).subquery("choices")
    rows = db.session.execute(select(every).distinct()).all()
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for kind, value, label in rows:
        found[kind].add((value, label))
    return Choices(
        standards=sorted(found["standard"], key=lambda pair: pair[1]),
        countries=sorted(found["country"]),
        bodies=sorted(found["body"], key=lambda pair: pair[1].lower()),
        assignees=sorted(found["assignee"], key=lambda pair: pair[0].lower()),
    )


def _upcoming(shown: Any, today: date, every: Any) -> dict[tuple[int, str], int]:
    """Milestones in the coming ``UPCOMING_DAYS`` of the shown projects (``shown``: None for all of the
    scope's), by week and audits or deadlines: one query grouped by day and kind, at most 91 days x a dozen
    kinds whatever the portfolio."""
    end = today + timedelta(days=rules.UPCOMING_DAYS)
    stmt = (
        select(every.c.day, every.c.kind, func.count())
        .where(every.c.day >= today, every.c.day <= end)
        .group_by(every.c.day, every.c.kind)
    )
    if shown is not None:
        stmt = stmt.where(every.c.project_id.in_(shown))
    weeks: dict[tuple[int, str], int] = defaultdict(int)
    for day, kind, count in db.session.execute(stmt):
        weeks[(rules.week_of(day, today), "audits" if rules.is_audit(kind) else "deadlines")] += count
    return dict(weeks)


def portfolio(scope: Scope, query: Query, per_page: int, today: date) -> Portfolio:
    """The page's rows, sorted and filtered in SQL over every roll-up; the totals and the coming milestones
    over a lighter statement unless a status filter needs the rule's every input."""
    facts = facts_subquery(scope, today)
    totals = facts if "status" in query.filters else facts_subquery(scope, today, full=False)
    grouped = db.session.execute(
        select(totals.c.readiness, totals.c.stage, func.count())
        .where(*_conditions(scope, totals, query))
        .group_by(totals.c.readiness, totals.c.stage)
    ).all()
    readiness: Counter[str] = Counter()
    stages: Counter[str] = Counter()
    for percent, stage, count in grouped:
        readiness[rules.readiness_band(percent)] += count
        stages[stage] += count
    stmt = (
        select(facts)
        .where(*_conditions(scope, facts, query))
        .order_by(*_order(facts, query))
        .limit(per_page)
        .offset((query.page - 1) * per_page)
    )
    rows = [_row(found, today) for found in db.session.execute(stmt)]
    shown = select(totals.c.project_id).where(*_conditions(scope, totals, query)) if query.narrowed else None
    return Portfolio(
        rows=rows,
        total=sum(stages.values()),
        readiness=readiness,
        stages=stages,
        upcoming=_upcoming(shown, today, milestone_candidates(scope, today)),
        choices=_choices(scope),
    )


def first_projects(scope: Scope) -> list[int]:
    """Up to two of the scope's project ids: whether the portfolio is empty, or an exporter's one project
    (where the log-in lands instead of the portfolio) (one query)."""
    stmt = scoped(scope, select(CertificationProject.id), CertificationProject).limit(2)
    return list(db.session.execute(stmt).scalars())
