"""Reading the nonconformity register of a project: the register's list (filtered, overdue first, paginated)
and its lines, and the figures of a period for the management review. Each function runs a fixed number of
queries, whatever the size of the register. The rules are in :mod:`app.domain.nonconformities`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Date, case, cast, func, null, select

from app.domain import nonconformities as rules
from app.extensions import db
from app.models import CertificationProject, Finding
from app.services.findings import ALERT_COLUMNS, facts_of, finding_facts


@dataclass(frozen=True)
class RegisterFilters:
    source: str | None = None  # a rules.Source
    severity: str | None = None  # a rules.Severity
    state: str | None = None  # a key of rules.STATE_FILTER_LABELS ("open": anything not closed)
    overdue: bool = False

    def query_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for the pager's links)."""
        args = {"source": self.source, "severity": self.severity, "state": self.state}
        return {k: v for k, v in args.items() if v} | ({"overdue": "1"} if self.overdue else {})


@dataclass(frozen=True)
class RegisterRow:
    """One line of the register."""

    id: int
    label: str
    source: str
    severity: str
    state: str
    clause_number: str | None
    action_owner: str
    raised_on: date
    due: date | None
    overdue: bool


def _due_expression() -> Any:
    """:func:`rules.due_date` in SQL, for the overdue filter and the order (the rows' own due date and
    overdue flag are the rule's, computed from the row)."""
    state_date = case(
        (
            Finding.status.in_((rules.FindingState.OPEN, rules.FindingState.ACTION_PLANNED)),
            Finding.action_due,
        ),
        (Finding.status == rules.FindingState.IMPLEMENTED, Finding.effectiveness_due),
        else_=cast(null(), Date),
    )
    return case(
        (Finding.status == rules.FindingState.CLOSED, cast(null(), Date)),
        (Finding.deadline.is_(None), state_date),
        (state_date.is_(None), Finding.deadline),
        (Finding.deadline <= state_date, Finding.deadline),
        else_=state_date,
    )


def _conditions(project_id: int, filters: RegisterFilters, today: date) -> list[Any]:
    conditions: list[Any] = [Finding.project_id == project_id]
    if filters.source:
        conditions.append(Finding.source == filters.source)
    if filters.severity:
        conditions.append(Finding.severity == filters.severity)
    if filters.state:
        conditions.append(Finding.status.in_(sorted(rules.filter_states(filters.state))))
    if filters.overdue:
        conditions.append(_due_expression() < today)
    return conditions


def register_page(
    project_id: int, filters: RegisterFilters, page: int, per_page: int, today: date
) -> tuple[list[RegisterRow], int]:
    """One page of the register, overdue first, then by due date (none last), then the newest; and the
    number of findings the filters keep. Two queries, whatever the size of the register."""
    conditions = _conditions(project_id, filters, today)
    total = db.session.execute(select(func.count()).select_from(Finding).where(*conditions)).scalar_one()
    due = _due_expression()
    stmt = (
        select(*ALERT_COLUMNS, Finding.action_owner)
        .where(*conditions)
        .order_by(
            case((due < today, 0), else_=1),
            case((due.is_(None), 1), else_=0),
            due,
            case((Finding.status == rules.FindingState.CLOSED, 1), else_=0),
            Finding.raised_on.desc(),
            Finding.id.desc(),
        )
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    rows = []
    for row in db.session.execute(stmt):
        facts = facts_of(row)
        rows.append(
            RegisterRow(
                id=row.id,
                label=rules.label(row.id, row.severity, row.clause_number),
                source=row.source,
                severity=row.severity,
                state=row.status,
                clause_number=row.clause_number,
                action_owner=row.action_owner,
                raised_on=row.raised_on,
                due=rules.due_date(facts),
                overdue=rules.is_overdue(facts, today),
            )
        )
    return rows, total


def register_row(finding: Finding, today: date) -> RegisterRow:
    """A loaded finding as a line of the register."""
    facts = finding_facts(finding)
    return RegisterRow(
        id=finding.id,
        label=rules.label(finding.id, finding.severity, finding.clause_number),
        source=finding.source,
        severity=finding.severity,
        state=finding.status,
        clause_number=finding.clause_number,
        action_owner=finding.action_owner,
        raised_on=finding.raised_on,
        due=rules.due_date(facts),
        overdue=rules.is_overdue(facts, today),
    )


def figures(project: CertificationProject, start: date, end: date, today: date) -> rules.RegisterFigures:
    """The register's figures for a management review of the period ``start`` to ``end`` (both days
    included): open findings by severity and overdue as of ``today``, raised and closed in the period.
    One query of aggregates."""
    is_open = Finding.status != rules.FindingState.CLOSED

    def count(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    severities = list(rules.Severity)
    row = db.session.execute(
        select(
            *(count(is_open & (Finding.severity == severity)) for severity in severities),
            count(_due_expression() < today),
            count(Finding.raised_on.between(start, end)),
            count(Finding.closed_on.between(start, end)),
        ).where(Finding.project_id == project.id)
    ).one()
    by_severity = {str(severity): int(row[index]) for index, severity in enumerate(severities)}
    overdue, raised, closed = (int(value) for value in row[len(severities) :])
    return rules.RegisterFigures(
        open_by_severity=by_severity, overdue=overdue, closed_in_period=closed, raised_in_period=raised
    )
