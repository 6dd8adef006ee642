"""The OpenAPI operations of the customer satisfaction register (merged into the document by
:mod:`app.api.openapi`)."""

from __future__ import annotations

from app.api import satisfaction_schemas as s
from app.api.openapi import Operation, Schema, paging, query
from app.domain import satisfaction as rules

MEASURES = "/projects/{project_id}/satisfaction-measures"
ONE = f"{MEASURES}/{{measure_id}}"
REFUSALS = {
    "403": "The token's role does not allow changing the register (viewers).",
    "404": "No such project or measure in the token's workspace.",
    "422": "A parameter or field is invalid (an unknown filter, no name, an unknown kind, a number out of "
    "range, a period ending in the future...); `message` names the rule and `fields` the field.",
}
FILTERS = (
    query("kind", {"type": "string", "enum": list(rules.MeasureKind)}, "Only the measures of this kind."),
    query(
        "status",
        {"type": "string", "enum": list(rules.STATUS_FILTER_LABELS)},
        f"stale: not measured in {rules.STALE_AFTER_MONTHS} months (or never); below: the latest value short "
        "of the target; meets: on the target or past it.",
    ),
)

OPERATIONS: tuple[Operation, ...] = (
    Operation("get", MEASURES, "listSatisfactionMeasures",
              "How the project measures customer satisfaction: each measure with its latest value, trend and "
              "target.",
              s.SatisfactionMeasureList, "One page of measures.", ("404", "422"),
              (*FILTERS, *paging("Measures")), notes=REFUSALS),
    Operation("post", MEASURES, "createSatisfactionMeasure",
              "Add a way of measuring customer satisfaction (a survey, returns, on-time delivery...).",
              s.SatisfactionMeasureDetail, "The measure as stored.", ("400", "403", "404", "415", "422"),
              body=s.SatisfactionMeasureCreate, status=201, notes=REFUSALS, etag=True),
    Operation("get", ONE, "getSatisfactionMeasure",
              "One measure with its values over time.",
              s.SatisfactionMeasureDetail, "The measure.", ("404",), notes=REFUSALS, etag=True),
    Operation("post", f"{ONE}/values", "createSatisfactionValue",
              "Record a measure's value for a period that has ended.",
              s.SatisfactionMeasureDetail, "The measure with the value added.",
              ("400", "403", "404", "415", "422"), body=s.SatisfactionValueCreate, status=201,
              notes=REFUSALS, etag=True),
)  # fmt: skip
PATH_PARAMETERS: dict[str, Schema] = {"measure_id": {"schema": {"type": "integer"}}}
