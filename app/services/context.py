"""The context register of a project: its issues (ISO 9001 4.1) and interested parties (4.2) listed, filtered
and paginated, added (typed, or from the starter suggestions) and edited on the version read, each change
written to the record's history; the climate-change decisions, append-only; and the register's state.
Shared by the pages and the API; the rules are :mod:`app.domain.context`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import func, literal, or_, select, union_all

from app.domain import context as rules
from app.domain.permissions import Action
from app.domain.registers import RecordKind, RegisterState
from app.domain.text import _, _l
from app.extensions import db
from app.models import CertificationProject, ClimateDecision, ContextIssue, InterestedParty
from app.services.changes import check_version, refused_if_taken
from app.services.errors import Invalid, NotFound
from app.services.register_records import changed, log
from app.services.register_states import PROJECT_ID, counted
from app.services.scope import Scope, get_or_404_in


@dataclass
class IssueFields:
    kind: str
    category: str
    description: str
    effect: str = ""
    owner: str = ""
    reviewed_on: date | None = None


@dataclass
class PartyFields:
    name: str
    kind: str
    requirements: str
    monitoring: str = ""
    reviewed_on: date | None = None


@dataclass
class DecisionFields:
    decided_on: date | None
    relevant: bool | None
    reasoning: str
    decided_by: str


@dataclass(frozen=True)
class ContextFilters:
    """The register's filters: ``kind`` and ``category`` of the issues, ``party_kind`` of the parties, and
    ``review_due`` (records not reviewed in twelve months) of both."""

    kind: str | None = None
    category: str | None = None
    party_kind: str | None = None
    review_due: bool = False

    def query_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for the pagers' links)."""
        args = {"kind": self.kind, "category": self.category, "party_kind": self.party_kind}
        review = {"review": rules.ReviewFilter.DUE.value} if self.review_due else {}
        return {name: value for name, value in args.items() if value} | review

    @property
    def active(self) -> bool:
        return bool(self.query_args())


# The fields as a change names them: "Changed the category and the owner."
ISSUE_LABELS = {
    "kind": "kind (internal or external)",
    "category": "category",
    "description": "description",
    "effect": "effect on the QMS",
    "owner": "owner",
}
PARTY_LABELS = {
    "name": "name",
    "kind": "kind (internal or external)",
    "requirements": "requirements",
    "monitoring": "way they are followed",
}


def _review_due(model: Any, today: date) -> Any:
    return or_(model.reviewed_on.is_(None), model.reviewed_on < rules.review_cutoff(today))


def _page(stmt: Any, conditions: list[Any], order: tuple[Any, ...], page: int, per_page: int) -> Any:
    total = db.session.execute(
        select(func.count()).select_from(stmt.where(*conditions).subquery())
    ).scalar_one()
    rows = db.session.execute(
        stmt.where(*conditions).order_by(*order).limit(per_page).offset((page - 1) * per_page)
    ).scalars()
    return list(rows), total


# Lists


def issue_page(
    project_id: int, filters: ContextFilters, page: int, per_page: int, today: date
) -> tuple[list[ContextIssue], int]:
    """One page of the issues, external first, by category; and how many the filters keep (2 queries)."""
    conditions: list[Any] = [ContextIssue.project_id == project_id]
    if filters.kind:
        conditions.append(ContextIssue.kind == filters.kind)
    if filters.category:
        conditions.append(ContextIssue.category == filters.category)
    if filters.review_due:
        conditions.append(_review_due(ContextIssue, today))
    order = (ContextIssue.kind, ContextIssue.category, ContextIssue.id)
    found: tuple[list[ContextIssue], int] = _page(select(ContextIssue), conditions, order, page, per_page)
    return found


def party_page(
    project_id: int, filters: ContextFilters, page: int, per_page: int, today: date
) -> tuple[list[InterestedParty], int]:
    """One page of the interested parties, external first, by name; and how many the filters keep."""
    conditions: list[Any] = [InterestedParty.project_id == project_id]
    if filters.party_kind:
        conditions.append(InterestedParty.kind == filters.party_kind)
    if filters.review_due:
        conditions.append(_review_due(InterestedParty, today))
    order = (InterestedParty.kind, InterestedParty.name, InterestedParty.id)
    found: tuple[list[InterestedParty], int] = _page(
        select(InterestedParty), conditions, order, page, per_page
    )
    return found


def added_starters(project_id: int) -> tuple[dict[str, int], dict[str, int]]:
    """The suggestions already added to the project: issue keys and party keys, each to its record's id
    (one query)."""
    issues = select(literal("issue").label("what"), ContextIssue.starter_key, ContextIssue.id).where(
        ContextIssue.project_id == project_id, ContextIssue.starter_key.is_not(None)
    )
    parties = select(literal("party").label("what"), InterestedParty.starter_key, InterestedParty.id).where(
        InterestedParty.project_id == project_id, InterestedParty.starter_key.is_not(None)
    )
    added: dict[str, dict[str, int]] = {"issue": {}, "party": {}}
    for row in db.session.execute(union_all(issues, parties)):
        added[row.what][row.starter_key] = row.id
    return added["issue"], added["party"]


# One record


def issue_in(scope: Scope, project: CertificationProject, issue_id: int) -> ContextIssue:
    """An issue of this project the scope may see, or NotFound (one query)."""
    issue = get_or_404_in(scope, ContextIssue, issue_id)
    if issue.project_id != project.id:
        raise NotFound()
    return issue


def party_in(scope: Scope, project: CertificationProject, party_id: int) -> InterestedParty:
    """An interested party of this project the scope may see, or NotFound (one query)."""
    party = get_or_404_in(scope, InterestedParty, party_id)
    if party.project_id != project.id:
        raise NotFound()
    return party


def _issue_values(fields: IssueFields, today: date) -> dict[str, Any]:
    errors = rules.issue_errors(
        fields.kind,
        fields.category,
        fields.description,
        fields.effect,
        fields.owner,
        fields.reviewed_on,
        today,
    )
    if errors:
        raise Invalid(_("The issue was not saved."), errors)
    return {
        "kind": fields.kind,
        "category": fields.category,
        "description": fields.description,
        "effect": fields.effect,
        "owner": fields.owner,
        "reviewed_on": fields.reviewed_on,
    }


def _party_values(fields: PartyFields, today: date) -> dict[str, Any]:
    errors = rules.party_errors(
        fields.name, fields.kind, fields.requirements, fields.monitoring, fields.reviewed_on, today
    )
    if errors:
        raise Invalid(_("The interested party was not saved."), errors)
    return {
        "name": fields.name,
        "kind": fields.kind,
        "requirements": fields.requirements,
        "monitoring": fields.monitoring,
        "reviewed_on": fields.reviewed_on,
    }


def _change_summary(before: dict[str, Any], after: dict[str, Any], labels: dict[str, str]) -> str | None:
    """ "Changed the description and the owner. Reviewed on 03 Nov 2026." (None: nothing changed)."""
    names = [f"the {label}" for label in changed(before, after, labels)]
    parts = []
    if names:
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        parts.append(f"Changed {listed}.")
    if before.get("reviewed_on") != after["reviewed_on"]:
        day = after["reviewed_on"]
        parts.append(f"Reviewed on {day:%d %b %Y}." if day else "Review date cleared.")
    return " ".join(parts) or None


def _save(scope: Scope, row: Any, kind: RecordKind, values: dict[str, Any], labels: dict[str, str]) -> None:
    before = {name: getattr(row, name) for name in values}
    for name, value in values.items():
        if before[name] != value:
            setattr(row, name, value)
    if summary := _change_summary(before, values, labels):
        log(scope, row.project_id, kind, row.id, summary)


def create_issue(
    scope: Scope, project: CertificationProject, fields: IssueFields, today: date
) -> ContextIssue:
    scope.require(Action.EDIT_CONTENT)
    issue = ContextIssue(project_id=project.id, **_issue_values(fields, today))
    db.session.add(issue)
    db.session.flush()
    log(
        scope, project.id, RecordKind.CONTEXT_ISSUE, issue.id, rules.issue_summary(issue.kind, issue.category)
    )
    return issue


def update_issue(
    scope: Scope, issue: ContextIssue, fields: IssueFields, version: int | None, today: date
) -> None:
    """Save the issue as edited from the copy read at ``version`` (None: no copy to compare)."""
    scope.require(Action.EDIT_CONTENT)
    check_version(issue, version, "issue")
    _save(scope, issue, RecordKind.CONTEXT_ISSUE, _issue_values(fields, today), ISSUE_LABELS)


def create_party(
    scope: Scope, project: CertificationProject, fields: PartyFields, today: date
) -> InterestedParty:
    scope.require(Action.EDIT_CONTENT)
    party = InterestedParty(project_id=project.id, **_party_values(fields, today))
    db.session.add(party)
    db.session.flush()
    log(scope, project.id, RecordKind.INTERESTED_PARTY, party.id, f"Interested party “{party.name}” added.")
    return party


def update_party(
    scope: Scope, party: InterestedParty, fields: PartyFields, version: int | None, today: date
) -> None:
    scope.require(Action.EDIT_CONTENT)
    check_version(party, version, "interested party")
    _save(scope, party, RecordKind.INTERESTED_PARTY, _party_values(fields, today), PARTY_LABELS)


# The suggestions


NOT_ADDED = _l("The suggestion was not added.")
ALREADY_ADDED = _l("This suggestion is already in the register.")


def _unknown_suggestion(key: str) -> Invalid:
    return Invalid(str(NOT_ADDED), {"key": _("There is no suggestion %(key)s.", key=repr(key[:60]))})


def add_suggested_issue(scope: Scope, project: CertificationProject, key: str) -> ContextIssue:
    """Add the suggested issue ``key`` as the project's own, not yet reviewed; refused when it is already
    there (a race included: the unique key decides)."""
    scope.require(Action.EDIT_CONTENT)
    starter = rules.starters().issue(key)
    if starter is None:
        raise _unknown_suggestion(key)
    if key in added_starters(project.id)[0]:
        raise Invalid(str(NOT_ADDED), {"key": str(ALREADY_ADDED)})
    issue = ContextIssue(
        project_id=project.id,
        kind=starter.kind,
        category=starter.category,
        description=starter.description,
        effect=starter.effect,
        owner="",
        reviewed_on=None,
        starter_key=key,
    )
    with refused_if_taken(NOT_ADDED, "key", ALREADY_ADDED):
        db.session.add(issue)
    summary = f"{rules.issue_summary(issue.kind, issue.category)[:-1]}, from the suggestions."
    log(scope, project.id, RecordKind.CONTEXT_ISSUE, issue.id, summary)
    return issue


def add_suggested_party(scope: Scope, project: CertificationProject, key: str) -> InterestedParty:
    """Add the suggested interested party ``key`` as the project's own, not yet reviewed."""
    scope.require(Action.EDIT_CONTENT)
    starter = rules.starters().party(key)
    if starter is None:
        raise _unknown_suggestion(key)
    if key in added_starters(project.id)[1]:
        raise Invalid(str(NOT_ADDED), {"key": str(ALREADY_ADDED)})
    party = InterestedParty(
        project_id=project.id,
        name=starter.name,
        kind=starter.kind,
        requirements=starter.requirements,
        monitoring=starter.monitoring,
        reviewed_on=None,
        starter_key=key,
    )
    with refused_if_taken(NOT_ADDED, "key", ALREADY_ADDED):
        db.session.add(party)
    summary = f"Interested party “{party.name}” added from the suggestions."
    log(scope, project.id, RecordKind.INTERESTED_PARTY, party.id, summary)
    return party


# The climate decision


def _decisions(project_id: Any) -> Any:
    return (
        select(ClimateDecision)
        .where(ClimateDecision.project_id == project_id)
        .order_by(ClimateDecision.decided_on.desc(), ClimateDecision.id.desc())
    )


def decision_page(project_id: int, page: int, per_page: int) -> tuple[list[ClimateDecision], int]:
    """The climate decisions, the standing one first, then the earlier ones (2 queries)."""
    total = db.session.execute(
        select(func.count()).select_from(ClimateDecision).where(ClimateDecision.project_id == project_id)
    ).scalar_one()
    rows = db.session.execute(_decisions(project_id).limit(per_page).offset((page - 1) * per_page)).scalars()
    return list(rows), total


def standing_decision(project_id: int) -> ClimateDecision | None:
    """The latest climate decision: the one that stands (one query)."""
    found: ClimateDecision | None = db.session.execute(_decisions(project_id).limit(1)).scalar_one_or_none()
    return found


def record_decision(
    scope: Scope, project: CertificationProject, fields: DecisionFields, today: date
) -> ClimateDecision:
    """Record a new climate decision; it becomes the standing one (the earlier ones are kept)."""
    scope.require(Action.EDIT_CONTENT)
    standing = standing_decision(project.id)
    facts = rules.ClimateFacts(standing.decided_on, standing.relevant) if standing else None
    errors = rules.decision_errors(
        fields.decided_on, fields.relevant, fields.reasoning, fields.decided_by, today, facts
    )
    if errors:
        raise Invalid(_("The climate decision was not recorded."), errors)
    assert fields.decided_on is not None and fields.relevant is not None  # checked above
    decision = ClimateDecision(
        project_id=project.id,
        decided_on=fields.decided_on,
        relevant=fields.relevant,
        reasoning=fields.reasoning,
        decided_by=fields.decided_by,
    )
    db.session.add(decision)
    db.session.flush()
    return decision


def climate_issue_count(project_id: int) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(ContextIssue)
        .where(ContextIssue.project_id == project_id, ContextIssue.category == rules.Category.CLIMATE)
    ).scalar_one()


# The register's state


@lru_cache(maxsize=4)
def _counts_query(today: date) -> Any:
    def tally(model: Any, *conditions: Any) -> Any:
        return (
            select(func.count())
            .select_from(model)
            .where(model.project_id == PROJECT_ID, *conditions)
            .scalar_subquery()
        )

    latest = _decisions(PROJECT_ID).limit(1)
    return select(
        tally(ContextIssue),
        tally(InterestedParty),
        tally(ContextIssue, _review_due(ContextIssue, today)),
        tally(InterestedParty, _review_due(InterestedParty, today)),
        tally(ContextIssue, ContextIssue.category == rules.Category.CLIMATE),
        latest.with_only_columns(ClimateDecision.decided_on).scalar_subquery(),
        latest.with_only_columns(ClimateDecision.relevant).scalar_subquery(),
    )


def _counts_from(row: tuple[Any, ...]) -> rules.ContextCounts:
    issues, parties, issues_due, parties_due, climate, decided_on, relevant = row
    standing = rules.ClimateFacts(decided_on, bool(relevant)) if decided_on is not None else None
    return rules.ContextCounts(issues, parties, issues_due, parties_due, climate, standing)


def counts(project_id: int, today: date) -> rules.ContextCounts:
    """What the register holds, in one statement whatever its size."""
    return _counts_from(counted(_counts_query(today), project_id))


def state_query(project: CertificationProject, today: date) -> Any:
    """What the register holds: one row (:mod:`app.services.register_states`)."""
    return _counts_query(today)


def state_from(project: CertificationProject, row: tuple[Any, ...]) -> RegisterState:
    return rules.register_state(_counts_from(row))


def register_state(project: CertificationProject, today: date) -> RegisterState:
    """The register's state for the registers page, the gap analysis and the next steps."""
    return rules.register_state(counts(project.id, today))
