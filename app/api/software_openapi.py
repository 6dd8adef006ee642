"""The OpenAPI operations of the QMS software validation list (merged into the document by
:mod:`app.api.openapi`)."""

from __future__ import annotations

from app.api import software_schemas as s
from app.api.openapi import PROJECT, Operation, Schema, paging, query
from app.domain import software as rules

LIST = f"{PROJECT}/software"
ONE = f"{LIST}/{{software_id}}"

REFUSALS = {
    "403": "The token's role does not allow this (viewers).",
    "404": "No such project or application in the token's workspace (another project's ids are not found "
    "either).",
    "422": "A parameter or field is invalid (a name already on the list, a risk other than low, medium or "
    "high, high risk without its validation approach, a placeholder for a sentence...); `fields` says "
    "which.",
}
FILTERS = (
    query("state", {"type": "string", "enum": list(rules.SoftwareState)}, "Only applications in this state."),
    query("risk", {"type": "string", "enum": list(rules.Risk)}, "Only applications of this risk."),
)

OPERATIONS: tuple[Operation, ...] = (
    Operation("get", LIST, "listSoftware",
              "The software the project's QMS relies on (ISO 13485 4.1.6, 7.5.6, 7.6) with its risk and "
              "validation state, what needs validating first.",
              s.SoftwareList, "One page of applications.", ("404", "422"),
              (*FILTERS, *paging("Applications")),
              notes=REFUSALS),
    Operation("post", LIST, "createSoftware",
              "Add an application to the list, not validated yet; record its validation on its page.",
              s.SoftwareDetail, "The application as saved.", ("400", "403", "404", "415", "422"),
              body=s.SoftwareCreate, status=201, notes=REFUSALS),
    Operation("get", ONE, "getSoftware",
              "One application with its intended use, risk, approach and latest validation.",
              s.SoftwareDetail, "The application.", ("404",), notes=REFUSALS),
)  # fmt: skip
PATH_PARAMETERS: dict[str, Schema] = {"software_id": {"schema": {"type": "integer"}}}
