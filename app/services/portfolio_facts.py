"""The portfolio's facts of every project, as one SQL statement (a subquery the page filters, sorts, counts
and charts): readiness and coverage counts, the current stage, overdue items, open majors, the budget, the
next milestone, and the status by :mod:`app.domain.portfolio`'s rule written in SQL.

Each roll-up is grouped by project over the workspace's projects only, so the statement reads each table
once whatever the sort, the filter or the page; the database sorts and counts, and Python sees one page.
Percents are whole numbers rounded half up, as the domain rounds them: ``floor((100 x part + whole / 2) /
whole)`` written in integers, ``(200 x part + whole) / (2 x whole)``, which both databases divide exactly.

The statements are built for a stand-in scope and day (:func:`bound_scope`, ``TODAY``), whose values are
bound when they run (:func:`bound_values`): building this statement costs SQLAlchemy more than PostgreSQL
takes to run it, so the portfolio's service builds each shape of it once and keeps it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import Date, Integer, and_, bindparam, case, func, literal, null, or_, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import BindParameter, FunctionElement

from app.domain import portfolio as rules
from app.domain.certification import AuditKind, cycle_rules
from app.domain.nonconformities import FindingState, Severity
from app.domain.pathway import Stage, StageStatus, TaskStatus
from app.domain.readiness import ClauseStatus
from app.domain.reviews import OutputKind
from app.models import (
    Assessment,
    BudgetLine,
    Certificate,
    CertificationBody,
    CertificationProject,
    Client,
    EvidenceItem,
    ExternalAudit,
    Finding,
    ManagementReview,
    ProjectStage,
    ReviewOutput,
    Site,
    Standard,
    Task,
)
from app.services.coverage import current_evidence, has_current_evidence
from app.services.scope import Scope, scoped

DONE = StageStatus.DONE.value
ALL_DONE = "done"  # the current stage of a project whose every stage is done
EXPIRY = "expiry"
SURVEILLANCE1_DUE = "surveillance1_due"
SURVEILLANCE2_DUE = "surveillance2_due"
# The values a statement is run with (bound_values): the day, and the caller's workspace and clients.
TODAY = bindparam("today", type_=Date)
TARGET_SOON = bindparam("target_soon", type_=Date)  # TARGET_SOON_DAYS after today
WORKSPACE = bindparam("scope_workspace", type_=Integer)
CLIENTS: BindParameter[Any] = bindparam("scope_clients", expanding=True)


def bound_scope(client_manager: bool) -> Scope:
    """A stand-in scope whose workspace and clients are the bound parameters ``WORKSPACE`` and ``CLIENTS``:
    a statement :func:`app.services.scope.scoped` limits to it is built once and runs for any caller."""
    return Scope(
        membership_id=0,
        user_id=0,
        workspace_id=cast(int, WORKSPACE),
        workspace_name="",
        role="",
        client_ids=cast(frozenset[int], CLIENTS) if client_manager else None,
    )


def bound_values(scope: Scope, today: date) -> dict[str, Any]:
    """The values of ``TODAY``, ``TARGET_SOON`` and the scope's parameters for a caller and a day."""
    values: dict[str, Any] = {
        "today": today,
        "target_soon": today + timedelta(days=rules.TARGET_SOON_DAYS),
        "scope_workspace": scope.workspace_id,
    }
    if scope.client_ids is not None:
        values["scope_clients"] = sorted(scope.client_ids)
    return values


class add_months(FunctionElement[date]):
    """``day + months`` calendar months (SQLite's date modifiers, PostgreSQL's interval)."""

    type = Date()
    inherit_cache = True


@compiles(add_months, "sqlite")
def _add_months_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    day, months = list(element.clauses)
    return f"date({compiler.process(day, **kw)}, '+' || {compiler.process(months, **kw)} || ' months')"


@compiles(add_months, "postgresql")
def _add_months_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    day, months = list(element.clauses)
    day_sql, months_sql = compiler.process(day, **kw), compiler.process(months, **kw)
    return f"CAST({day_sql} + make_interval(months => {months_sql}) AS DATE)"


class end_of_next_year(FunctionElement[date]):
    """31 December of the calendar year after ``day``'s."""

    type = Date()
    inherit_cache = True


@compiles(end_of_next_year, "sqlite")
def _end_of_next_year_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    (day,) = list(element.clauses)
    return f"date({compiler.process(day, **kw)}, 'start of year', '+2 years', '-1 day')"


@compiles(end_of_next_year, "postgresql")
def _end_of_next_year_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    (day,) = list(element.clauses)
    return f"CAST(date_trunc('year', {compiler.process(day, **kw)}) + interval '2 years - 1 day' AS DATE)"


def half_up_percent(part: Any, whole: Any) -> Any:
    """The domain's whole percent rounded half up, NULL when ``whole`` is 0 (module docstring)."""
    return case((whole > 0, (200 * part + whole) // (2 * whole)), else_=null())


def _projects(scope: Scope) -> Any:
    return scoped(scope, select(CertificationProject.id), CertificationProject).scalar_subquery()


def _verdicts(scope: Scope) -> Any:
    applicable = Assessment.status != ClauseStatus.NOT_APPLICABLE.value
    return (
        select(
            Assessment.project_id,
            func.count(case((Assessment.status == ClauseStatus.MET.value, 1))).label("met"),
            func.count(case((Assessment.status == ClauseStatus.PARTIAL.value, 1))).label("partial"),
            func.count(case((applicable, 1))).label("applicable"),
        )
        .where(Assessment.project_id.in_(_projects(scope)))
        .group_by(Assessment.project_id)
        .subquery("verdicts")
    )


def _covered(scope: Scope, today: Any) -> Any:
    """Applicable requirements with current evidence, per project, for every project at once (sorting by
    coverage): the distinct (project, requirement) pairs of current items joined to the verdicts. The
    correlated EXISTS of :func:`coverage_of` reads as much here, but the planner prices its 13,000 index
    probes (200 projects) above PostgreSQL's ``jit_above_cost`` and then spends 160 ms compiling the query."""
    projects = _projects(scope)
    pairs = (
        select(EvidenceItem.project_id, EvidenceItem.clause_id)
        .where(EvidenceItem.project_id.in_(projects), EvidenceItem.clause_id.is_not(None))
        .where(current_evidence(today))
        .distinct()
        .subquery("covered_pairs")
    )
    return (
        select(Assessment.project_id, func.count().label("covered"))
        .join(
            pairs,
            and_(pairs.c.project_id == Assessment.project_id, pairs.c.clause_id == Assessment.clause_id),
        )
        .where(Assessment.project_id.in_(projects), Assessment.status != ClauseStatus.NOT_APPLICABLE.value)
        .group_by(Assessment.project_id)
        .subquery("covered")
    )


def coverage_of(project_id: Any, today: Any) -> Any:
    """One project's evidence coverage percent, a subquery correlated to ``project_id``: the page's rows
    only, one probe of the current-evidence index per requirement (:func:`has_current_evidence`)."""
    return (
        select(half_up_percent(func.count(case((has_current_evidence(today), 1))), func.count()))
        .where(Assessment.project_id == project_id, Assessment.status != ClauseStatus.NOT_APPLICABLE.value)
        .scalar_subquery()
    )


def _stages(scope: Scope) -> Any:
    open_ = ProjectStage.status != DONE
    return (
        select(
            ProjectStage.project_id,
            func.min(case((open_, ProjectStage.position))).label("position"),
            func.min(case((open_, ProjectStage.planned_end))).label("planned_end"),
        )
        .where(ProjectStage.project_id.in_(_projects(scope)))
        .group_by(ProjectStage.project_id)
        .subquery("stages")
    )


def _overdue(scope: Scope, today: Any) -> Any:
    """Past-due tasks, finding actions (the domain's finding due date) and review actions, per project."""
    projects = _projects(scope)
    tasks = select(Task.project_id).where(
        Task.project_id.in_(projects), Task.status != TaskStatus.DONE.value, Task.due_date < today
    )
    findings = select(Finding.project_id).where(
        Finding.project_id.in_(projects),
        Finding.status != FindingState.CLOSED.value,
        or_(
            Finding.deadline < today,
            and_(
                Finding.status.in_([FindingState.OPEN.value, FindingState.ACTION_PLANNED.value]),
                Finding.action_due < today,
            ),
            and_(Finding.status == FindingState.IMPLEMENTED.value, Finding.effectiveness_due < today),
        ),
    )
    actions = (
        select(ManagementReview.project_id)
        .join(ReviewOutput, ReviewOutput.review_id == ManagementReview.id)
        .where(
            ManagementReview.project_id.in_(projects),
            ReviewOutput.kind == OutputKind.ACTION.value,
            ReviewOutput.done_on.is_(None),
            ReviewOutput.due_date < today,
        )
    )
    items = union_all(tasks, findings, actions).subquery("overdue_items")
    return (
        select(items.c.project_id, func.count().label("how_many"))
        .group_by(items.c.project_id)
        .subquery("overdue")
    )


def _majors(scope: Scope) -> Any:
    return (
        select(Finding.project_id, func.count().label("majors"))
        .where(
            Finding.project_id.in_(_projects(scope)),
            Finding.severity == Severity.MAJOR.value,
            Finding.status != FindingState.CLOSED.value,
        )
        .group_by(Finding.project_id)
        .subquery("majors")
    )


def _budget(scope: Scope) -> Any:
    return (
        select(
            BudgetLine.project_id,
            func.sum(BudgetLine.planned).label("planned"),
            func.coalesce(func.sum(BudgetLine.actual), 0).label("spent"),
        )
        .where(BudgetLine.project_id.in_(_projects(scope)), BudgetLine.deleted_at.is_(None))
        .group_by(BudgetLine.project_id)
        .subquery("budget")
    )


def milestone_candidates(scope: Scope, today: Any) -> Any:
    """Every coming milestone of the scope's projects, (project_id, kind, day): a stage's planned end (the
    stage not done; its key as kind), an external audit scheduled and not held (its kind), and of each
    current certificate its expiry and the surveillance audits of its cycle not yet held, by their latest
    day (:func:`app.domain.certification.cycle_windows`)."""
    projects = _projects(scope)
    stages = select(
        ProjectStage.project_id, ProjectStage.key.label("kind"), ProjectStage.planned_end.label("day")
    ).where(
        ProjectStage.project_id.in_(projects),
        ProjectStage.status != DONE,
        ProjectStage.planned_end.is_not(None),
    )
    audits = select(ExternalAudit.project_id, ExternalAudit.kind, ExternalAudit.starts_on).where(
        ExternalAudit.project_id.in_(projects), ExternalAudit.held.is_(False)
    )
    current = and_(
        Certificate.project_id.in_(projects),
        Certificate.expires_on >= today,
        Certificate.suspension != "withdrawn",
    )
    expiry = select(Certificate.project_id, literal(EXPIRY).label("kind"), Certificate.expires_on).where(
        current
    )

    def held(kind: AuditKind) -> Any:
        return (
            select(ExternalAudit.ends_on)
            .where(
                ExternalAudit.project_id == Certificate.project_id,
                ExternalAudit.kind == kind.value,
                ExternalAudit.held.is_(True),
                ExternalAudit.ends_on >= Certificate.decision_on,
            )
            .order_by(ExternalAudit.ends_on)
            .limit(1)
            .scalar_subquery()
        )

    months = cycle_rules().first_surveillance_max_months
    first = select(
        Certificate.project_id,
        literal(SURVEILLANCE1_DUE).label("kind"),
        add_months(Certificate.decision_on, literal(months)),
    ).where(current, held(AuditKind.SURVEILLANCE1).is_(None))
    first_held = held(AuditKind.SURVEILLANCE1)
    second_latest = end_of_next_year(first_held)  # in the year after the first, and before expiry
    second = select(
        Certificate.project_id,
        literal(SURVEILLANCE2_DUE).label("kind"),
        case((second_latest < Certificate.expires_on, second_latest), else_=Certificate.expires_on),
    ).where(current, first_held.is_not(None), held(AuditKind.SURVEILLANCE2).is_(None))
    return union_all(stages, audits, expiry, first, second).subquery("milestones")


def _next_milestones(scope: Scope, today: Any) -> Any:
    """Each project's earliest milestone (ties: by kind), one row a project."""
    every = milestone_candidates(scope, today)
    ranked = select(
        every.c.project_id,
        every.c.kind,
        every.c.day,
        func.row_number()
        .over(partition_by=every.c.project_id, order_by=(every.c.day, every.c.kind))
        .label("rank"),
    ).subquery("ranked")
    return (
        select(ranked.c.project_id, ranked.c.kind, ranked.c.day)
        .where(ranked.c.rank == 1)
        .subquery("milestone")
    )


def stage_key(position: Any) -> Any:
    """The stage key at a pathway position (positions are the Stage order, app.services.pathway)."""
    return case(
        *((position == index, literal(stage.value)) for index, stage in enumerate(Stage)),
        else_=literal(ALL_DONE),
    )


def status_sql(row: dict[str, Any], today: Any, target_soon: Any) -> Any:
    """:func:`app.domain.portfolio.status_of` in SQL over the named columns of ``row`` (``target_soon``:
    ``TARGET_SOON_DAYS`` after ``today``)."""
    late = or_(
        and_(row["target_date"] < today, row["position"].is_not(None)),
        row["milestone_on"] < today,
    )
    near = row["target_date"] <= target_soon
    not_ready = or_(row["readiness"].is_(None), row["readiness"] < rules.READY_PERCENT)
    at_risk = or_(
        row["open_majors"] > 0,
        row["overdue_items"] > 0,
        and_(row["planned"] > 0, row["spent"] > row["planned"]),
        and_(near, not_ready),
    )
    return case(
        (late, literal(rules.Status.LATE.value)),
        (at_risk, literal(rules.Status.AT_RISK.value)),
        else_=literal(rules.Status.ON_TRACK.value),
    )


def facts_subquery(scope: Scope, full: bool = True, coverage: bool = False) -> Any:
    """One row per live project the scope may see, with every column the portfolio sorts or filters by;
    not ``full``: without the overdue items, majors, budget, milestone and status (what the totals and the
    charts need, when no status filter asks for the rest), which spares the database four roll-ups. The
    evidence coverage only with ``coverage`` (sorting by it): otherwise the page's rows take theirs from
    :func:`coverage_of`, 25 projects' requirements probed rather than every project's. The day is ``TODAY``.
    """
    today = TODAY
    p = CertificationProject
    verdicts, stages = _verdicts(scope), _stages(scope)
    zero = literal(0)
    row: dict[str, Any] = {
        "target_date": p.target_date,
        "position": stages.c.position,
        # Readiness counts a partial as half: 100 x (2 met + partial) / (2 applicable), in integers.
        "readiness": half_up_percent(
            func.coalesce(verdicts.c.met, zero) * 2 + func.coalesce(verdicts.c.partial, zero),
            func.coalesce(verdicts.c.applicable, zero) * 2,
        ),
    }
    columns = [
        p.id.label("project_id"),
        p.client_id,
        p.currency,
        Client.name.label("client"),
        Site.name.label("site"),
        Site.country,
        Standard.code.label("standard_code"),
        Standard.name.label("standard"),
        p.body_id,
        CertificationBody.name.label("body"),
        stage_key(stages.c.position).label("stage"),
    ]
    stmt = (
        select(p.id)
        .join(Client, Client.id == p.client_id)
        .join(Site, Site.id == p.site_id)
        .join(Standard, Standard.id == p.standard_id)
        .outerjoin(CertificationBody, CertificationBody.id == p.body_id)
        .outerjoin(verdicts, verdicts.c.project_id == p.id)
        .outerjoin(stages, stages.c.project_id == p.id)
    )
    if coverage:
        covered = _covered(scope, today)
        columns.append(
            half_up_percent(
                func.coalesce(covered.c.covered, zero), func.coalesce(verdicts.c.applicable, zero)
            ).label("coverage")
        )
        stmt = stmt.outerjoin(covered, covered.c.project_id == p.id)
    if full:
        overdue, majors, budget = _overdue(scope, today), _majors(scope), _budget(scope)
        milestone = _next_milestones(scope, today)
        row |= {
            "milestone_on": milestone.c.day,
            "open_majors": func.coalesce(majors.c.majors, zero),
            "overdue_items": func.coalesce(overdue.c.how_many, zero),
            "planned": func.coalesce(budget.c.planned, zero),
            "spent": func.coalesce(budget.c.spent, zero),
        }
        columns += [milestone.c.kind.label("milestone"), status_sql(row, today, TARGET_SOON).label("status")]
        stmt = (
            stmt.outerjoin(overdue, overdue.c.project_id == p.id)
            .outerjoin(majors, majors.c.project_id == p.id)
            .outerjoin(budget, budget.c.project_id == p.id)
            .outerjoin(milestone, milestone.c.project_id == p.id)
        )
    columns += [expression.label(name) for name, expression in row.items()]
    return scoped(scope, stmt.with_only_columns(*columns), p).subquery("portfolio")
