"""The OpenAPI operations of the risk and opportunity register (merged into the document by
:mod:`app.api.openapi`)."""

from __future__ import annotations

from app.api import risks_schemas as r
from app.api.openapi import Operation, Schema, paging, query
from app.domain import risks as rules

RISKS = "/projects/{project_id}/risks"
ONE = f"{RISKS}/{{risk_id}}"
REFUSALS = {
    "403": "The token's role does not allow this: viewers record nothing.",
    "404": "No such project or risk in the token's workspace.",
    "422": "A parameter or field is invalid: a score off the project's scale, a placeholder for a "
    "sentence, an action without its owner or due date, a context issue or interested party of another "
    "project...; `message` names the rule and `fields` the field.",
}
FILTERS = (
    query("kind", {"type": "string", "enum": list(rules.RiskKind)}, "Only risks, or only opportunities."),
    query("level", {"type": "string", "enum": list(rules.Level)}, r.LEVEL_DESCRIPTION),
    query("state", {"type": "string", "enum": list(rules.RiskState)}, r.STATE_DESCRIPTION),
)

OPERATIONS: tuple[Operation, ...] = (
    Operation("get", RISKS, "listRisks",
              "The project's risks and opportunities (ISO 9001 6.1): overdue and unacted ones first, then "
              "by score.",
              r.RiskList, "One page of risks and opportunities.", ("404", "422"),
              (*FILTERS, *paging("Risks and opportunities")), notes=REFUSALS),
    Operation("post", RISKS, "createRisk",
              "Record a risk or an opportunity, scored on the project's scale, with its action if one is "
              "planned.",
              r.RiskDetail, "The risk or opportunity as stored.", ("400", "403", "404", "415", "422"),
              body=r.RiskCreate, status=201, notes=REFUSALS, etag=True),
    Operation("get", ONE, "getRisk",
              "One risk or opportunity with its action and the review of the action's effectiveness.",
              r.RiskDetail, "The risk or opportunity.", ("404",), notes=REFUSALS, etag=True),
)  # fmt: skip
PATH_PARAMETERS: dict[str, Schema] = {"risk_id": {"schema": {"type": "integer"}}}
