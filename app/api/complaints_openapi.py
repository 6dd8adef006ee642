"""The OpenAPI operations of the customer complaint register (merged into the document by
:mod:`app.api.openapi`)."""

from __future__ import annotations

from app.api import complaints_schemas as c
from app.api.openapi import Operation, Schema, paging, query
from app.api.schemas import NO_NUL
from app.domain import complaints as rules

COMPLAINTS = "/projects/{project_id}/complaints"
ONE = f"{COMPLAINTS}/{{complaint_id}}"
REFUSALS = {
    "403": "The token's role does not allow recording complaints (viewers).",
    "404": "No such project or complaint in the token's workspace.",
    "422": "A parameter or field is invalid (an unknown filter, a date in the future or out of order, a "
    "placeholder for a sentence, closing without an investigation or, for ISO 13485, without the "
    "reportability decision, a reportable complaint without its report, a nonconformity of another "
    "project...); `message` names the rule and `fields` the field.",
}
FILTERS = (
    query(
        "state",
        {"type": "string", "enum": list(rules.STATE_FILTER_LABELS)},
        "A state, or open: every complaint not closed; late: open for more than "
        f"{rules.LATE_AFTER_DAYS} days.",
    ),
    query(
        "product", {"type": "string", "pattern": NO_NUL}, "Only the complaints about this product (exact)."
    ),
    query(
        "reportability",
        {"type": "string", "enum": list(rules.Reportability)},
        "Only the complaints with this regulatory reportability decision (ISO 13485 8.2.3).",
    ),
)

OPERATIONS: tuple[Operation, ...] = (
    Operation("get", COMPLAINTS, "listComplaints",
              "The project's customer complaint register: the open complaints first, the oldest first.",
              c.ComplaintList, "One page of complaints.", ("404", "422"), (*FILTERS, *paging("Complaints")),
              notes=REFUSALS),
    Operation("post", COMPLAINTS, "createComplaint",
              "Record a customer complaint, as received or already investigated, decided and closed.",
              c.ComplaintDetail, "The complaint as stored.", ("400", "403", "404", "415", "422"),
              body=c.ComplaintCreate, status=201, notes=REFUSALS, etag=True),
    Operation("get", ONE, "getComplaint",
              "One complaint with its investigation, closure, reportability decision and nonconformity.",
              c.ComplaintDetail, "The complaint.", ("404",), notes=REFUSALS, etag=True),
)  # fmt: skip
PATH_PARAMETERS: dict[str, Schema] = {"complaint_id": {"schema": {"type": "integer"}}}
