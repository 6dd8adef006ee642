"""The OpenAPI operations of the approved-supplier list (merged into the document by
:mod:`app.api.openapi`)."""

from __future__ import annotations

from app.api import suppliers_schemas as s
from app.api.openapi import PROJECT, Operation, Schema, paging, query
from app.domain import suppliers as rules

SUPPLIERS = f"{PROJECT}/suppliers"
ONE = f"{SUPPLIERS}/{{supplier_id}}"
WRITE = ("400", "403", "404", "415", "422")
REFUSALS = {
    "403": "The token's role does not allow this (viewers).",
    "404": "No such project or supplier in the token's workspace (another project's suppliers are not "
    "found either).",
    "422": "A parameter or field is invalid (a name already on the list, an interval outside 1 to 36 "
    "months, no risk class or no written controls for a high-risk supplier of an ISO 13485 project, an "
    "evaluation in the future, a score outside 0 to 100, a placeholder for a sentence...); `message` names "
    "the rule and `fields` the field.",
}
FILTERS = (
    query(
        "status",
        {"type": "string", "enum": list(rules.STATUS_FILTER_LABELS)},
        "Only suppliers of this status; overdue: approved or conditional, and the re-evaluation's day has "
        "passed.",
    ),
    query("risk_class", {"type": "string", "enum": list(rules.RiskClass)}),
)

OPERATIONS: tuple[Operation, ...] = (
    Operation("get", SUPPLIERS, "listSuppliers",
              "The project's approved-supplier list, by name, with each supplier's status and when it is "
              "due for re-evaluation.",
              s.SupplierList, "One page of suppliers.", ("404", "422"), (*FILTERS, *paging("Suppliers")),
              notes=REFUSALS),
    Operation("post", SUPPLIERS, "createSupplier",
              "Add a supplier to the list (not evaluated yet): what it supplies, its criteria, risk class, "
              "controls and re-evaluation interval.",
              s.SupplierDetail, "The supplier as saved.", WRITE, body=s.SupplierCreate, status=201,
              etag=True, notes=REFUSALS),
    Operation("get", ONE, "getSupplier",
              "One supplier with every evaluation, oldest first.",
              s.SupplierDetail, "The supplier.", ("404",), etag=True, notes=REFUSALS),
    Operation("post", f"{ONE}/evaluations", "createSupplierEvaluation",
              "Record an evaluation or re-evaluation of a supplier; its status and last evaluation follow "
              "its latest evaluation.",
              s.SupplierDetail, "The supplier with the evaluation.", WRITE, body=s.SupplierEvaluationCreate,
              status=201, etag=True, notes=REFUSALS),
)  # fmt: skip
PATH_PARAMETERS: dict[str, Schema] = {"supplier_id": {"schema": {"type": "integer"}}}
