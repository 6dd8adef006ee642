"""The OpenAPI operations of the context register: issues, interested parties and the climate decisions
(merged into the document by :mod:`app.api.openapi`)."""

from __future__ import annotations

from app.api import context_schemas as c
from app.api.openapi import PROJECT, Operation, Schema, paging, query
from app.domain import context as rules

ISSUES = f"{PROJECT}/context-issues"
PARTIES = f"{PROJECT}/interested-parties"
DECISIONS = f"{PROJECT}/climate-decisions"
WRITE = ("400", "403", "404", "415", "422")
REFUSALS = {
    "403": "The token's role does not allow this (viewers).",
    "404": "No such project, issue or interested party in the token's workspace (another project's ids are "
    "not found either).",
    "422": "A parameter or field is invalid (an unknown kind or category, a placeholder for a sentence, a "
    "review date in the future, a climate decision dated before the standing one...); `fields` says which.",
}
KIND = query("kind", {"type": "string", "enum": list(rules.Kind)}, "Only internal or only external ones.")
REVIEW = query(
    "review",
    {"type": "string", "enum": list(rules.ReviewFilter)},
    f"due: only those not reviewed in the last {rules.REVIEW_MONTHS} months (or never).",
)
CATEGORY = query("category", {"type": "string", "enum": list(rules.Category)}, "Only this category.")

OPERATIONS: tuple[Operation, ...] = (
    Operation("get", ISSUES, "listContextIssues",
              "The project's internal and external issues (ISO 9001 4.1), external first, by category.",
              c.ContextIssueList, "One page of issues.", ("404", "422"),
              (KIND, CATEGORY, REVIEW, *paging("Issues")), notes=REFUSALS),
    Operation("post", ISSUES, "createContextIssue",
              "Add an internal or external issue that bears on the quality system.",
              c.ContextIssueDetail, "The issue as saved.", WRITE, body=c.ContextIssueCreate, status=201,
              notes=REFUSALS),
    Operation("get", f"{ISSUES}/{{issue_id}}", "getContextIssue",
              "One issue with the evidence linked to it and its history.",
              c.ContextIssueDetail, "The issue.", ("404",), notes=REFUSALS),
    Operation("get", PARTIES, "listInterestedParties",
              "The project's interested parties and their relevant requirements (ISO 9001 4.2), external "
              "first, by name.",
              c.InterestedPartyList, "One page of interested parties.", ("404", "422"),
              (KIND, REVIEW, *paging("Interested parties")), notes=REFUSALS),
    Operation("post", PARTIES, "createInterestedParty",
              "Add an interested party with its requirements relevant to the quality system.",
              c.InterestedPartyDetail, "The interested party as saved.", WRITE, body=c.InterestedPartyCreate,
              status=201, notes=REFUSALS),
    Operation("get", f"{PARTIES}/{{party_id}}", "getInterestedParty",
              "One interested party with the evidence linked to it and its history.",
              c.InterestedPartyDetail, "The interested party.", ("404",), notes=REFUSALS),
    Operation("get", DECISIONS, "listClimateDecisions",
              "The decisions whether climate change is a relevant issue (ISO 9001:2015/Amd 1:2024), the "
              "standing one first, then the earlier ones.",
              c.ClimateDecisionList, "One page of decisions.", ("404", "422"), paging("Decisions"),
              notes=REFUSALS),
    Operation("post", DECISIONS, "createClimateDecision",
              "Record a new climate decision with its reasoning; it becomes the standing one and the "
              "earlier ones are kept.",
              c.ClimateDecisionItem, "The decision as recorded.", WRITE, body=c.ClimateDecisionCreate,
              status=201, notes=REFUSALS),
)  # fmt: skip
PATH_PARAMETERS: dict[str, Schema] = {
    "issue_id": {"schema": {"type": "integer"}},
    "party_id": {"schema": {"type": "integer"}},
}
