"""The context register's API, nested in the API's project blueprint (same bearer tokens, same JSON errors);
the rules are :mod:`app.domain.context`, the loads and saves :mod:`app.services.context`:

- ``GET /api/v1/projects/<id>/context-issues``: the issues a page at a time, filtered by ``kind``,
  ``category`` and ``review`` ("due": not reviewed in twelve months); ``POST`` adds one.
- ``GET .../context-issues/<issue_id>``: one issue with its linked evidence and history.
- ``GET/POST .../interested-parties`` and ``GET .../interested-parties/<party_id>``: the same for the
  interested parties (filtered by ``kind`` and ``review``).
- ``GET/POST .../climate-decisions``: the climate-change decisions, the standing one first; a new one
  becomes the standing one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Blueprint, request, url_for

from app.api.context_schemas import ClimateDecisionCreate, ContextIssueCreate, InterestedPartyCreate
from app.api.requests import choice_param, explained, model_body, page_params
from app.api.responses import timestamp
from app.domain import context as rules
from app.domain.permissions import Action
from app.domain.registers import RecordKind
from app.models import ClimateDecision, ContextIssue, InterestedParty
from app.services import context as service
from app.services import register_records as records
from app.services.context import ContextFilters, DecisionFields, IssueFields, PartyFields
from app.services.errors import Invalid
from app.web.access import current_scope, requires
from app.web.project_request import project

bp = Blueprint("context", __name__)


def _url(endpoint: str, **values: Any) -> str:
    return url_for(f"api.project.context.{endpoint}", project_id=project().id, **values)


def _filters(args: Mapping[str, str], issues: bool) -> ContextFilters:
    kind = choice_param(args, "kind", list(rules.Kind))
    review = choice_param(args, "review", list(rules.ReviewFilter)) is not None
    if issues:
        category = choice_param(args, "category", list(rules.Category))
        return ContextFilters(kind=kind, category=category, review_due=review)
    return ContextFilters(party_kind=kind, review_due=review)


def _extras(kind: RecordKind, record_id: int) -> dict[str, Any]:
    """A record's linked evidence and history."""
    linked = records.linked_evidence(kind, [record_id]).get(record_id, [])
    return {
        "evidence": [{"id": item.id, "title": item.title} for item in linked],
        "history": [
            {
                "occurred_at": timestamp(event.occurred_at),
                "by": event.actor.name if event.actor else None,
                "summary": event.summary,
            }
            for event in records.history(kind, record_id)
        ],
    }


# Issues


def issue_json(issue: ContextIssue, today: date) -> dict[str, Any]:
    return {
        "id": issue.id,
        "kind": issue.kind,
        "category": issue.category,
        "description": issue.description,
        "effect": issue.effect,
        "owner": issue.owner,
        "reviewed_on": issue.reviewed_on.isoformat() if issue.reviewed_on else None,
        "review_due": rules.review_due(issue.reviewed_on, today),
        "starter_key": issue.starter_key,
        "version": issue.version,
        "url": _url("show_issue", issue_id=issue.id),
    }


@bp.get("/context-issues")
def list_issues() -> Any:
    filters = _filters(request.args, issues=True)
    page, per_page = page_params(request.args)
    today = date.today()
    rows, total = service.issue_page(project().id, filters, page, per_page, today)
    return {"items": [issue_json(r, today) for r in rows], "page": page, "per_page": per_page, "total": total}


@bp.post("/context-issues")
@requires(Action.EDIT_CONTENT)
def create_issue() -> Any:
    body: ContextIssueCreate = model_body(request, ContextIssueCreate)
    try:
        issue = service.create_issue(
            current_scope(), project(), IssueFields(**body.model_dump()), date.today()
        )
    except Invalid as invalid:
        raise explained(invalid) from None
    return issue_json(issue, date.today()) | _extras(RecordKind.CONTEXT_ISSUE, issue.id), 201


@bp.get("/context-issues/<int:issue_id>")
def show_issue(issue_id: int) -> Any:
    issue = service.issue_in(current_scope(), project(), issue_id)
    return issue_json(issue, date.today()) | _extras(RecordKind.CONTEXT_ISSUE, issue.id)


# Interested parties


def party_json(party: InterestedParty, today: date) -> dict[str, Any]:
    return {
        "id": party.id,
        "name": party.name,
        "kind": party.kind,
        "requirements": party.requirements,
        "monitoring": party.monitoring,
        "reviewed_on": party.reviewed_on.isoformat() if party.reviewed_on else None,
        "review_due": rules.review_due(party.reviewed_on, today),
        "starter_key": party.starter_key,
        "version": party.version,
        "url": _url("show_party", party_id=party.id),
    }


@bp.get("/interested-parties")
def list_parties() -> Any:
    filters = _filters(request.args, issues=False)
    page, per_page = page_params(request.args)
    today = date.today()
    rows, total = service.party_page(project().id, filters, page, per_page, today)
    return {"items": [party_json(r, today) for r in rows], "page": page, "per_page": per_page, "total": total}


@bp.post("/interested-parties")
@requires(Action.EDIT_CONTENT)
def create_party() -> Any:
    body: InterestedPartyCreate = model_body(request, InterestedPartyCreate)
    try:
        party = service.create_party(
            current_scope(), project(), PartyFields(**body.model_dump()), date.today()
        )
    except Invalid as invalid:
        raise explained(invalid) from None
    return party_json(party, date.today()) | _extras(RecordKind.INTERESTED_PARTY, party.id), 201


@bp.get("/interested-parties/<int:party_id>")
def show_party(party_id: int) -> Any:
    party = service.party_in(current_scope(), project(), party_id)
    return party_json(party, date.today()) | _extras(RecordKind.INTERESTED_PARTY, party.id)


# Climate decisions


def decision_json(decision: ClimateDecision, standing_id: int | None) -> dict[str, Any]:
    return {
        "id": decision.id,
        "decided_on": decision.decided_on.isoformat(),
        "relevant": decision.relevant,
        "reasoning": decision.reasoning,
        "decided_by": decision.decided_by,
        "standing": decision.id == standing_id,
    }


@bp.get("/climate-decisions")
def list_decisions() -> Any:
    page, per_page = page_params(request.args)
    rows, total = service.decision_page(project().id, page, per_page)
    standing = rows[0] if rows and page == 1 else service.standing_decision(project().id)
    standing_id = standing.id if standing else None
    items = [decision_json(row, standing_id) for row in rows]
    return {"items": items, "page": page, "per_page": per_page, "total": total}


@bp.post("/climate-decisions")
@requires(Action.EDIT_CONTENT)
def create_decision() -> Any:
    body: ClimateDecisionCreate = model_body(request, ClimateDecisionCreate)
    fields = DecisionFields(body.decided_on, body.relevant, body.reasoning, body.decided_by)
    try:
        decision = service.record_decision(current_scope(), project(), fields, date.today())
    except Invalid as invalid:
        raise explained(invalid) from None
    return decision_json(decision, decision.id), 201
