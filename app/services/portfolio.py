"""The consultant's portfolio: one row per project across every client the caller may see, filtered, sorted
and paged in SQL over :func:`app.services.portfolio_facts.facts_subquery`, and its charts' figures.

Four queries whatever the sort, the filters and the number of projects: the totals by readiness and stage
(the count and two charts), the page's rows, the coming milestones by day and kind (the third chart), and
the filter choices. Sorting by a computed column (status, readiness, coverage, the next milestone, the
budget) is done by the database over the facts subquery, so only the page's rows ever reach Python.

Each statement is built once per shape (which sort, which filters, whose scope: :class:`Shape`) and kept,
the caller, the day and the filters' values bound when it runs: SQLAlchemy took longer to build the page's
statement than PostgreSQL to run it (generated portfolio of 200 projects).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    String,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    text,
    union_all,
)

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
from app.services.portfolio_facts import (
    TODAY,
    bound_scope,
    bound_values,
    coverage_of,
    facts_subquery,
    milestone_candidates,
)
from app.services.scope import Scope, scoped

SORTS = (
    "client", "site", "country", "standard", "stage", "readiness", "coverage", "milestone", "overdue",
    "majors", "budget", "target", "status",
)  # fmt: skip
FILTERS = ("standard", "stage", "country", "status", "body", "assignee")
SEARCH_MAX = 100
# A page longer than this (the PDF report's every project) takes its coverage from one roll-up of every
# project, as sorting by coverage does, rather than from a subquery per row.
COVERAGE_PER_ROW_MAX = 100
SEARCH = bindparam("search", type_=String)  # "%text%", its wildcards escaped with "/"
LIMIT, OFFSET = bindparam("limit", type_=Integer), bindparam("offset", type_=Integer)
UPCOMING_END = bindparam("upcoming_end", type_=Date)


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

    def values(self) -> dict[str, Any]:
        """The values the statements of its :class:`Shape` are run with (besides the scope and the day)."""
        values: dict[str, Any] = {f"filter_{name}": value for name, value in self.filters.items()}
        if "assignee" in self.filters:
            values["filter_assignee"] = self.filters["assignee"].lower()
        if self.search:
            escaped = self.search.lower().replace("/", "//").replace("%", "/%").replace("_", "/_")
            values["search"] = f"%{escaped}%"
        return values


@dataclass(frozen=True)
class Shape:
    """What the SQL of the page's statements depends on; the values are bound (:meth:`Query.values`)."""

    client_manager: bool
    sort: str
    descending: bool
    filters: frozenset[str]
    search: bool

    @classmethod
    def of(cls, scope: Scope, query: Query) -> Shape:
        return cls(scope.client_ids is not None, query.sort, query.descending, frozenset(query.filters),
                   bool(query.search))  # fmt: skip

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


def _filter(name: str) -> Any:
    return bindparam(f"filter_{name}", type_=String)


def _assignee(scope: Scope) -> Any:
    """The project has an open task, finding action or review action whose owner is the filter's name."""
    p, wanted = CertificationProject, _filter("assignee")
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


def _search(facts: Any) -> Any:
    """Client, site or a certificate number of the project contains the search's text (any case)."""
    return or_(
        func.lower(facts.c.client).like(SEARCH, escape="/"),
        func.lower(facts.c.site).like(SEARCH, escape="/"),
        exists().where(
            Certificate.project_id == facts.c.project_id,
            func.lower(Certificate.number).like(SEARCH, escape="/"),
        ),
    )


def _conditions(scope: Scope, facts: Any, shape: Shape) -> list[Any]:
    conditions = []
    for name, column in (("standard", "standard_code"), ("stage", "stage"), ("country", "country"),
                         ("status", "status")):  # fmt: skip
        if name in shape.filters:
            conditions.append(facts.c[column] == _filter(name))
    if "body" in shape.filters:
        conditions.append(cast(facts.c.body_id, String) == _filter("body"))
    if "assignee" in shape.filters:
        projects = scoped(scope, select(CertificationProject.id), CertificationProject)
        conditions.append(facts.c.project_id.in_(projects.where(_assignee(scope))))
    if shape.search:
        conditions.append(_search(facts))
    return conditions


def _status_rank(c: Any) -> Any:
    return case(*((c.status == s.value, rank) for s, rank in rules.STATUS_ORDER.items()), else_=9)


# Each sort's key over the facts' columns (``coverage`` is there only when the page is sorted by it).
SORT_KEYS: dict[str, Callable[[Any], Any]] = {
    "client": lambda c: func.lower(c.client), "site": lambda c: func.lower(c.site),
    "country": lambda c: c.country, "standard": lambda c: c.standard,
    "stage": lambda c: func.coalesce(c.position, 99), "readiness": lambda c: c.readiness,
    "coverage": lambda c: c.coverage, "milestone": lambda c: c.milestone_on,
    "overdue": lambda c: c.overdue_items, "majors": lambda c: c.open_majors,
    "budget": lambda c: case((c.planned > 0, c.spent * 1.0 / c.planned)), "target": lambda c: c.target_date,
    "status": _status_rank,
}  # fmt: skip


def _order(facts: Any, shape: Shape) -> list[Any]:
    c = facts.c
    key = SORT_KEYS[shape.sort](c)
    first = (key.desc() if shape.descending else key.asc()).nulls_last()
    return [first, func.lower(c.client), c.project_id]


@lru_cache(maxsize=256)
def _page_statement(shape: Shape, long: bool) -> Any:
    """The page's rows in order: sorted, filtered and cut (``LIMIT``, ``OFFSET``) over every project's
    facts; then the coverage of the page's rows only, unless the page is sorted by it or ``long``."""
    scope = bound_scope(shape.client_manager)
    every_coverage = long or shape.sort == "coverage"
    facts = facts_subquery(scope, coverage=every_coverage)
    stmt = (
        select(facts)
        .where(*_conditions(scope, facts, shape))
        .order_by(*_order(facts, shape))
        .limit(LIMIT)
        .offset(OFFSET)
    )
    if every_coverage:
        return stmt
    page = stmt.subquery("page")
    return select(page, coverage_of(page.c.project_id, TODAY).label("coverage")).order_by(
        *_order(page, shape)
    )


def _totals(shape: Shape) -> Any:
    """The facts the totals and the charts count: without the status's inputs unless a status filter asks."""
    return facts_subquery(bound_scope(shape.client_manager), full="status" in shape.filters)


@lru_cache(maxsize=256)
def _totals_statement(shape: Shape) -> Any:
    """The projects shown by readiness and current stage (the count and two charts)."""
    totals = _totals(shape)
    return (
        select(totals.c.readiness, totals.c.stage, func.count())
        .where(*_conditions(bound_scope(shape.client_manager), totals, shape))
        .group_by(totals.c.readiness, totals.c.stage)
    )


@lru_cache(maxsize=256)
def _upcoming_statement(shape: Shape) -> Any:
    """Milestones from ``TODAY`` to ``UPCOMING_END`` of the shown projects (every project of the scope
    unless narrowed), by day and kind: at most 91 days x a dozen kinds whatever the portfolio."""
    scope = bound_scope(shape.client_manager)
    every = milestone_candidates(scope, TODAY)
    stmt = (
        select(every.c.day, every.c.kind, func.count())
        .where(every.c.day >= TODAY, every.c.day <= UPCOMING_END)
        .group_by(every.c.day, every.c.kind)
    )
    if shape.narrowed:
        totals = _totals(shape)
        shown = select(totals.c.project_id).where(*_conditions(scope, totals, shape))
        stmt = stmt.where(every.c.project_id.in_(shown))
    return stmt


def _upcoming(shape: Shape, values: dict[str, Any], today: date) -> dict[tuple[int, str], int]:
    """The coming ``UPCOMING_DAYS``' milestones by week and audits or deadlines."""
    end = today + timedelta(days=rules.UPCOMING_DAYS)
    weeks: dict[tuple[int, str], int] = defaultdict(int)
    for day, kind, count in db.session.execute(_upcoming_statement(shape), values | {"upcoming_end": end}):
        weeks[(rules.week_of(day, today), "audits" if rules.is_audit(kind) else "deadlines")] += count
    return dict(weeks)


def _offered(kind: str, value: Any, label: Any) -> Any:
    """(kind, value, label) rows of one filter's choices."""
    return select(literal(kind), value, label)


@lru_cache(maxsize=2)
def _choices_statement(client_manager: bool) -> Any:
    """The values the filters offer, from the scope's projects: (kind, value, label) once each."""
    scope = bound_scope(client_manager)
    p = CertificationProject
    projects = scoped(scope, select(p.id), p)
    parts = [
        scoped(scope, _offered("standard", Standard.code, Standard.name), p)
        .join(Standard, Standard.id == p.standard_id)
        .select_from(p),
        scoped(scope, _offered("country", Site.country, Site.country), p)
        .join(Site, Site.id == p.site_id)
        .select_from(p),
        _offered("body", cast(CertificationBody.id, String), CertificationBody.name).where(
            CertificationBody.workspace_id == scope.workspace_id
        ),
        _offered("assignee", Task.owner, Task.owner).where(
            Task.project_id.in_(projects), Task.status != TaskStatus.DONE.value, Task.owner != ""
        ),
        _offered("assignee", Finding.action_owner, Finding.action_owner).where(
            Finding.project_id.in_(projects),
            Finding.status != FindingState.CLOSED.value,
            Finding.action_owner != "",
        ),
    ]
    return select(union_all(*parts).subquery("choices")).distinct()


def _choices(shape: Shape, values: dict[str, Any]) -> Choices:
    """The values the filters offer (one query)."""
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for kind, value, label in db.session.execute(_choices_statement(shape.client_manager), values):
        found[kind].add((value, label))
    return Choices(
        standards=sorted(found["standard"], key=lambda pair: pair[1]),
        countries=sorted(found["country"]),
        bodies=sorted(found["body"], key=lambda pair: pair[1].lower()),
        assignees=sorted(found["assignee"], key=lambda pair: pair[0].lower()),
    )


# PostgreSQL spent longer choosing the order of the page statement's dozen joins (10 ms on 200 clients) than
# running it; each roll-up is joined to its project once, so the order written is the plan: 3 ms to plan.
_JOINS_AS_WRITTEN = text("SET LOCAL join_collapse_limit = 1")


def _joins_as_written() -> None:
    """Plan the rest of this transaction's statements with their joins in the order written (PostgreSQL)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(_JOINS_AS_WRITTEN)


def portfolio(scope: Scope, query: Query, per_page: int, today: date) -> Portfolio:
    """The page's rows, sorted and filtered in SQL over every roll-up; the totals and the coming milestones
    over a lighter statement unless a status filter needs the rule's every input."""
    shape = Shape.of(scope, query)
    _joins_as_written()
    values = bound_values(scope, today) | query.values()
    readiness: Counter[str] = Counter()
    stages: Counter[str] = Counter()
    for percent, stage, count in db.session.execute(_totals_statement(shape), values):
        readiness[rules.readiness_band(percent)] += count
        stages[stage] += count
    page = values | {"limit": per_page, "offset": (query.page - 1) * per_page}
    found = db.session.execute(_page_statement(shape, per_page > COVERAGE_PER_ROW_MAX), page)
    return Portfolio(
        rows=[_row(row, today) for row in found],
        total=sum(stages.values()),
        readiness=readiness,
        stages=stages,
        upcoming=_upcoming(shape, values, today),
        choices=_choices(shape, values),
    )


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


def first_projects(scope: Scope) -> list[int]:
    """Up to two of the scope's project ids: whether the portfolio is empty, or an exporter's one project
    (where the log-in lands instead of the portfolio) (one query)."""
    stmt = scoped(scope, select(CertificationProject.id), CertificationProject).limit(2)
    return list(db.session.execute(stmt).scalars())
