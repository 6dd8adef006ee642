"""A project's risks and opportunities (ISO 9001 6.1): the register (filtered, paginated, counted in SQL),
the heat map's counts, recording and editing one on the version read, the review of its action, the
project's scale, and the starters. Shared by the pages and the API; the rules are :mod:`app.domain.risks`.

The level and state filters are the domain's rules said in SQL (:func:`_level` and :func:`_state`), so the
register filters, orders and counts in the database whatever its size; the tests check that the two agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import case, func, or_, select, true
from sqlalchemy.orm import joinedload

from app.charts.base import Chart
from app.charts.risks import risk_heat_map
from app.domain import risks as rules
from app.domain.ids import is_id_in_range
from app.domain.permissions import Action
from app.domain.registers import Concern, RecordKind, RegisterKey, RegisterState, state
from app.domain.text import _, _l
from app.extensions import db
from app.models import CertificationProject, ContextIssue, InterestedParty, Risk
from app.services.changes import check_version, refused_if_taken
from app.services.errors import Invalid, NotFound, StaleVersion
from app.services.register_records import changed, log
from app.services.register_states import PROJECT_ID, counted
from app.services.scope import Scope, get_or_404_in

WHAT = _l("risk or opportunity")  # the record's name in "Someone else saved this …"
SOURCE_LABEL_LENGTH = 90


@dataclass
class RiskFields:
    """What a user gives for a risk or opportunity; the source is a context issue or an interested party
    of the project (or neither)."""

    kind: str
    description: str
    likelihood: int | None
    impact: int | None
    issue_id: int | None = None
    party_id: int | None = None
    action: str = ""
    owner: str = ""
    due_date: date | None = None


@dataclass(frozen=True)
class RegisterFilters:
    kind: str | None = None  # a rules.RiskKind
    level: str | None = None  # a rules.Level
    state: str | None = None  # a rules.RiskState

    def query_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for the pager's links)."""
        args = {"kind": self.kind, "level": self.level, "state": self.state}
        return {name: value for name, value in args.items() if value}


@dataclass(frozen=True)
class Source:
    """What a risk or opportunity arose from: a context issue (4.1) or an interested party (4.2)."""

    kind: str  # "issue" or "party"
    id: int
    label: str


@dataclass(frozen=True)
class RiskRow:
    """One line of the register."""

    id: int
    kind: str
    source: Source | None
    description: str
    likelihood: int
    impact: int
    score: int
    level: str
    action: str
    owner: str
    due_date: date | None
    state: str

    @property
    def kind_label(self) -> str:
        return rules.KIND_LABELS[rules.RiskKind(self.kind)]

    @property
    def level_label(self) -> str:
        return rules.LEVEL_LABELS[rules.Level(self.level)]

    @property
    def state_label(self) -> str:
        return rules.STATE_LABELS[rules.RiskState(self.state)]


# The rules in SQL


def _score() -> Any:
    return Risk.likelihood * Risk.impact


def _level(scale: int) -> Any:
    """:func:`rules.level` of the score, in SQL."""
    medium, high = rules.BANDS[scale]
    return case(
        (_score() >= high, rules.Level.HIGH.value),
        (_score() >= medium, rules.Level.MEDIUM.value),
        else_=rules.Level.LOW.value,
    )


def _state(scale: int, today: date) -> Any:
    """:func:`rules.state`, in SQL."""
    medium, _ = rules.BANDS[scale]
    reviewed, acted = Risk.reviewed_on.is_not(None), Risk.action != ""
    return case(
        (reviewed & (Risk.effective == true()), rules.RiskState.EFFECTIVE.value),
        (reviewed, rules.RiskState.NOT_EFFECTIVE.value),
        (acted & (Risk.due_date < today), rules.RiskState.OVERDUE.value),
        (acted, rules.RiskState.AWAITING_REVIEW.value),
        (_score() < medium, rules.RiskState.ACCEPTED.value),
        else_=rules.RiskState.NO_ACTION.value,
    )


def _conditions(project: CertificationProject, filters: RegisterFilters, today: date) -> list[Any]:
    conditions: list[Any] = [Risk.project_id == project.id]
    if filters.kind:
        conditions.append(Risk.kind == filters.kind)
    if filters.level:
        conditions.append(_level(project.risk_scale) == filters.level)
    if filters.state:
        conditions.append(_state(project.risk_scale, today) == filters.state)
    return conditions


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SOURCE_LABEL_LENGTH else f"{flat[: SOURCE_LABEL_LENGTH - 1].rstrip()}…"


def _source(issue_id: int | None, issue_text: str | None, party_id: int | None, party: str | None) -> Any:
    if issue_id is not None and issue_text is not None:
        return Source("issue", issue_id, _short(issue_text))
    if party_id is not None and party is not None:
        return Source("party", party_id, _short(party))
    return None


# Reading


def register_page(
    project: CertificationProject, filters: RegisterFilters, page: int, per_page: int, today: date
) -> tuple[list[RiskRow], int]:
    """One page of the register: what needs acting on first (overdue, no action), then by score, highest
    first; and how many the filters keep. Two queries, whatever the size of the register."""
    scale = project.risk_scale
    conditions = _conditions(project, filters, today)
    total = db.session.execute(select(func.count()).select_from(Risk).where(*conditions)).scalar_one()
    risk_state = _state(scale, today)
    attention = [str(value) for value in rules.NEEDS_ATTENTION]
    stmt = (
        select(Risk, ContextIssue.description, InterestedParty.name, risk_state, _level(scale))
        .outerjoin(ContextIssue, ContextIssue.id == Risk.issue_id)
        .outerjoin(InterestedParty, InterestedParty.id == Risk.party_id)
        .where(*conditions)
        .order_by(case((risk_state.in_(attention), 0), else_=1), _score().desc(), Risk.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    rows = []
    for risk, issue_text, party_name, risk_state_value, level_value in db.session.execute(stmt):
        source = _source(risk.issue_id, issue_text, risk.party_id, party_name)
        rows.append(_row(risk, source, level_value, risk_state_value))
    return rows, total


def _row(risk: Risk, source: Source | None, level: str, risk_state: str) -> RiskRow:
    return RiskRow(
        id=risk.id,
        kind=risk.kind,
        source=source,
        description=risk.description,
        likelihood=risk.likelihood,
        impact=risk.impact,
        score=rules.score(risk.likelihood, risk.impact),
        level=level,
        action=risk.action,
        owner=risk.owner,
        due_date=risk.due_date,
        state=risk_state,
    )


def facts_of(risk: Risk) -> rules.RiskFacts:
    return rules.RiskFacts(
        risk.likelihood, risk.impact, risk.action, risk.due_date, risk.reviewed_on, risk.effective
    )


def row_of(risk: Risk, scale: int, today: date) -> RiskRow:
    """A loaded risk (with its issue and party) as a line of the register."""
    issue, party = risk.issue, risk.party
    source = _source(
        issue.id if issue else None, issue.description if issue else None,
        party.id if party else None, party.name if party else None,
    )  # fmt: skip
    level = rules.level(rules.score(risk.likelihood, risk.impact), scale)
    return _row(risk, source, level, rules.state(facts_of(risk), scale, today))


def risk_in(scope: Scope, project: CertificationProject, risk_id: int) -> Risk:
    """A risk or opportunity of this project the scope may see, with its source, or NotFound (1 query)."""
    risk = get_or_404_in(scope, Risk, risk_id, joinedload(Risk.issue), joinedload(Risk.party))
    if risk.project_id != project.id:
        raise NotFound()
    return risk


@dataclass(frozen=True)
class HeatCounts:
    """The risks on each (likelihood, impact) of the scale, and how many opportunities there are."""

    risks: Mapping[tuple[int, int], int]
    opportunities: int


def heat_counts(project: CertificationProject) -> HeatCounts:
    """One query of counts by kind, likelihood and impact."""
    rows = db.session.execute(
        select(Risk.kind, Risk.likelihood, Risk.impact, func.count())
        .where(Risk.project_id == project.id)
        .group_by(Risk.kind, Risk.likelihood, Risk.impact)
    ).all()
    risks = {(row[1], row[2]): int(row[3]) for row in rows if row[0] == rules.RiskKind.RISK}
    opportunities = sum(int(row[3]) for row in rows if row[0] == rules.RiskKind.OPPORTUNITY)
    return HeatCounts(risks, opportunities)


def heat_chart(project: CertificationProject) -> Chart:
    """The heat map of the project's risks on its scale (one query)."""
    counts = heat_counts(project)
    return risk_heat_map("risk-heat-map", project.risk_scale, counts.risks, counts.opportunities)


def source_choices(project: CertificationProject) -> tuple[list[Source], list[Source]]:
    """The project's context issues and interested parties a risk may arise from (2 queries)."""
    issues = db.session.execute(
        select(ContextIssue.id, ContextIssue.description)
        .where(ContextIssue.project_id == project.id)
        .order_by(ContextIssue.kind, ContextIssue.category, ContextIssue.id)
    ).all()
    parties = db.session.execute(
        select(InterestedParty.id, InterestedParty.name)
        .where(InterestedParty.project_id == project.id)
        .order_by(InterestedParty.name, InterestedParty.id)
    ).all()
    return (
        [Source("issue", row[0], _short(row[1])) for row in issues],
        [Source("party", row[0], _short(row[1])) for row in parties],
    )


def starters_to_offer(project: CertificationProject) -> list[rules.Starter]:
    """The starters this project has not added yet (1 query)."""
    taken = db.session.execute(
        select(Risk.starter_key).where(Risk.project_id == project.id, Risk.starter_key.is_not(None))
    ).scalars()
    return rules.starters_to_offer(taken)


# Saving


FIELD_LABELS = {
    "kind": "kind",
    "issue_id": "source",
    "party_id": "source",
    "description": "description",
    "likelihood": "likelihood",
    "impact": "impact",
    "action": "action",
    "owner": "owner",
    "due_date": "due date",
}


def _checked_source(project: CertificationProject, issue_id: int | None, party_id: int | None) -> None:
    """The source is one of this project's context issues or interested parties, or none."""
    if issue_id is not None and party_id is not None:
        raise Invalid(
            _("Not saved."), {"party_id": _("Choose one source: a context issue or an interested party.")}
        )
    checks: tuple[tuple[str, Any, int | None], ...] = (
        ("issue_id", ContextIssue, issue_id),
        ("party_id", InterestedParty, party_id),
    )
    for name, model, value in checks:
        if value is None:
            continue
        found = db.session.get(model, value) if is_id_in_range(value) else None
        if found is None or found.project_id != project.id:
            message = (
                _("Choose a context issue of this project.")
                if model is ContextIssue
                else _("Choose an interested party of this project.")
            )
            raise Invalid(_("Not saved."), {name: message})


def _checked(project: CertificationProject, fields: RiskFields, today: date) -> dict[str, Any]:
    values = rules.RiskInput(
        fields.kind,
        fields.description,
        fields.likelihood,
        fields.impact,
        fields.action,
        fields.owner,
        fields.due_date,
    )
    errors = rules.risk_errors(values, project.risk_scale, today)
    try:
        _checked_source(project, fields.issue_id, fields.party_id)
    except Invalid as invalid:
        errors |= invalid.fields
    if errors:
        raise Invalid(_("The risk or opportunity was not saved."), errors)
    return {
        "kind": fields.kind,
        "issue_id": fields.issue_id,
        "party_id": fields.party_id,
        "description": fields.description,
        "likelihood": fields.likelihood,
        "impact": fields.impact,
        "action": fields.action,
        "owner": fields.owner,
        "due_date": fields.due_date,
    }


def _scored(risk: Risk, scale: int) -> str:
    points = rules.score(risk.likelihood, risk.impact)
    return f"{rules.score_text(risk.likelihood, risk.impact)} ({rules.level(points, scale)})"


def create_risk(scope: Scope, project: CertificationProject, fields: RiskFields, today: date) -> Risk:
    scope.require(Action.EDIT_CONTENT)
    risk = Risk(project_id=project.id, **_checked(project, fields, today))
    db.session.add(risk)
    db.session.flush()
    log(
        scope,
        project.id,
        RecordKind.RISK,
        risk.id,
        f"Recorded the {risk.kind}, scored {_scored(risk, project.risk_scale)}.",
    )
    return risk


def _stale(risk: Risk, version: int | None) -> None:
    try:
        check_version(risk, version)
    except StaleVersion:
        raise StaleVersion(risk, WHAT) from None


def update_risk(
    scope: Scope,
    project: CertificationProject,
    risk: Risk,
    fields: RiskFields,
    version: int | None,
    today: date,
) -> None:
    """Save the risk as edited from the copy read at ``version``; a changed action drops the review of the
    earlier one (its history keeps it)."""
    scope.require(Action.EDIT_CONTENT)
    _stale(risk, version)
    values = _checked(project, fields, today)
    before = {name: getattr(risk, name) for name in values}
    names = changed(before, values, FIELD_LABELS)
    if not names:
        return
    summary = f"Changed the {_listed(list(dict.fromkeys(names)))}."
    if risk.reviewed_on is not None and not rules.review_stands(risk.action, fields.action):
        verdict = "effective" if risk.effective else "not effective"
        summary += f" The review of {risk.reviewed_on:%d %b %Y} ({verdict}) was of the earlier action."
        _clear_review(risk)
    for name, value in values.items():
        if getattr(risk, name) != value:
            setattr(risk, name, value)
    log(scope, project.id, RecordKind.RISK, risk.id, summary)


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _clear_review(risk: Risk) -> None:
    risk.reviewed_on = None
    risk.effective = None
    risk.review_notes = ""
    risk.residual_likelihood = None
    risk.residual_impact = None


def review_risk(
    scope: Scope,
    project: CertificationProject,
    risk: Risk,
    review: rules.ReviewInput,
    version: int | None,
    today: date,
) -> None:
    """Record the review of the risk's action (a later review replaces it; the history keeps both)."""
    scope.require(Action.EDIT_CONTENT)
    _stale(risk, version)
    recorded_on = risk.created_at.date()
    errors = rules.review_errors(review, risk.action, recorded_on, project.risk_scale, today)
    if review.reviewed_on is None:
        errors |= rules.unreviewed_residual_errors(review.residual_likelihood, review.residual_impact)
    if errors:
        raise Invalid(_("The review was not saved."), errors)
    assert review.reviewed_on is not None  # checked above
    risk.reviewed_on = review.reviewed_on
    risk.effective = review.effective
    risk.review_notes = review.notes
    risk.residual_likelihood = review.residual_likelihood
    risk.residual_impact = review.residual_impact
    summary = (
        f"Reviewed on {review.reviewed_on:%d %b %Y}: {'effective' if review.effective else 'not effective'}"
    )
    if review.residual_likelihood is not None and review.residual_impact is not None:
        points = rules.score(review.residual_likelihood, review.residual_impact)
        residual = rules.level(points, project.risk_scale)
        summary += (
            f"; residual {rules.score_text(review.residual_likelihood, review.residual_impact)} ({residual})"
        )
    log(scope, project.id, RecordKind.RISK, risk.id, f"{summary}.")


def set_scale(scope: Scope, project: CertificationProject, scale: int | None, version: int | None) -> None:
    """Score the project's risks on ``scale`` points, refused while any is scored above it."""
    scope.require(Action.MANAGE_PROJECTS)
    check_version(project, version)
    above = 0
    if scale in rules.SCALES:
        columns = (Risk.likelihood, Risk.impact, Risk.residual_likelihood, Risk.residual_impact)
        above = db.session.execute(
            select(func.count())
            .select_from(Risk)
            .where(Risk.project_id == project.id, or_(*(column > scale for column in columns)))
        ).scalar_one()
    if problem := rules.scale_error(scale, above):
        raise Invalid(_("The scale was not changed."), {"scale": problem})
    assert scale is not None  # checked above: one of rules.SCALES
    if project.risk_scale != scale:
        project.risk_scale = scale


def add_starter(scope: Scope, project: CertificationProject, key: str) -> Risk:
    """Add a suggested risk or opportunity, scored on the project's scale; never the same one twice."""
    scope.require(Action.EDIT_CONTENT)
    starter = rules.starter(key)
    if starter is None:
        raise Invalid(_("Nothing was added."), {"starter_key": _("Choose one of the suggestions.")})
    already = _("This suggestion is already in the register.")
    if starter.key not in {s.key for s in starters_to_offer(project)}:
        raise Invalid(already, {"starter_key": already})
    likelihood, impact = starter.on_scale(project.risk_scale)
    risk = Risk(
        project_id=project.id,
        kind=starter.kind,
        description=starter.description,
        likelihood=likelihood,
        impact=impact,
        starter_key=starter.key,
    )
    with refused_if_taken(already, "starter_key", already):
        db.session.add(risk)
    summary = f"Added from the suggestions, scored {_scored(risk, project.risk_scale)}."
    log(scope, project.id, RecordKind.RISK, risk.id, summary)
    return risk


# The register's state


@lru_cache(maxsize=4)
def _state_query(scale: int, today: date) -> Any:
    risk_state, high = _state(scale, today), _level(scale) == rules.Level.HIGH.value

    def count(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    no_action = (risk_state == rules.RiskState.NO_ACTION.value) & high
    return select(
        func.count(),
        count(no_action & (Risk.kind == rules.RiskKind.RISK.value)),
        count(no_action & (Risk.kind == rules.RiskKind.OPPORTUNITY.value)),
        count(risk_state == rules.RiskState.OVERDUE.value),
        count(risk_state == rules.RiskState.AWAITING_REVIEW.value),
    ).where(Risk.project_id == PROJECT_ID)


def state_query(project: CertificationProject, today: date) -> Any:
    """Risks and opportunities, with the high ones without an action, the overdue actions and those
    awaiting their effectiveness review: one row of aggregates (:mod:`app.services.register_states`)."""
    return _state_query(project.risk_scale, today)


def state_from(project: CertificationProject, row: tuple[Any, ...]) -> RegisterState:
    total, high_risks, high_opportunities, overdue, awaiting = (int(value) for value in row)
    if not total:
        return state(
            RegisterKey.RISKS, 0, [Concern(1, _("none recorded"), action=rules.EMPTY_STEP, counted=False)]
        )
    return state(
        RegisterKey.RISKS,
        total,
        [
            Concern(
                high_risks + high_opportunities,
                _("high without action"),
                action=rules.no_action_step(high_risks, high_opportunities),
                query=(("state", rules.RiskState.NO_ACTION.value), ("level", rules.Level.HIGH.value)),
            ),
            Concern(
                overdue,
                _("overdue"),
                action=rules.overdue_step(overdue),
                query=(("state", rules.RiskState.OVERDUE.value),),
            ),
            Concern(
                awaiting,
                _("awaiting effectiveness review"),
                urgent=False,
                query=(("state", rules.RiskState.AWAITING_REVIEW.value),),
            ),
        ],
    )


def register_state(project: CertificationProject, today: date) -> RegisterState:
    """The register's state alone (one query)."""
    return state_from(project, counted(state_query(project, today), project.id))
