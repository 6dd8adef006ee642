"""The OpenAPI operations of the internal audit API (merged into the document by :mod:`app.api.openapi`)."""

from __future__ import annotations

from app.api import audit_schemas as a
from app.api.openapi import IF_MATCH, PROJECT, Operation, Schema

AUDITS = f"{PROJECT}/audits"
AUDIT = f"{AUDITS}/{{audit_id}}"
REFUSALS = {
    "403": "The token's role does not allow changing the audit programme (viewers).",
    "404": "No such project, audit or checklist line in the token's workspace.",
    "409": "Someone else saved the audit (or the line) since you read it (a stale version in the body), or "
    "the audit is no longer planned (only a planned audit's plan changes).",
    "422": "A field is invalid: a clause the standard does not have, an end before the start, an auditor "
    "who is not on the site's active staff or audits their own department, a step out of order (status), "
    "a report with unanswered lines, a nonconforming line without notes...; `fields` says which.",
}
CHANGE = ("400", "403", "404", "409", "412", "415", "422")

OPERATIONS: tuple[Operation, ...] = (
    Operation("get", AUDITS, "listAudits",
              "The internal audit programme: every audit by planned start, and which sections of the "
              "standard a reported audit of the cycle covers.",
              a.AuditList, "The programme.", ("404",), notes=REFUSALS),
    Operation("post", AUDITS, "createAudit",
              "Plan an audit: its scope, dates, departments, lead and team (the site's active staff, "
              "independent of the departments visited); its checklist has one line per applicable "
              "requirement in scope.",
              a.AuditDetail, "The audit as planned, with its checklist.",
              ("400", "403", "404", "415", "422"), body=a.AuditCreate, status=201, etag=True, notes=REFUSALS),
    Operation("get", f"{AUDIT}", "getAudit",
              "One audit with its team (qualification and independence), checklist and findings.",
              a.AuditDetail, "The audit.", ("404",), etag=True, notes=REFUSALS),
    Operation("patch", f"{AUDIT}", "updateAudit",
              "Change a planned audit's plan (the fields sent); its checklist follows its scope. Send the "
              "ETag in If-Match (or the version in the body) so that nobody's change is overwritten.",
              a.AuditDetail, "The audit as saved.", CHANGE, (IF_MATCH,), body=a.AuditPatch, etag=True,
              notes=REFUSALS),
    Operation("post", f"{AUDIT}/transitions", "transitionAudit",
              "Start, report or close the audit; a report turns each nonconforming checklist line into a "
              "finding of the nonconformity register.",
              a.AuditDetail, "The audit after the step.", ("400", "403", "404", "409", "415", "422"),
              body=a.AuditTransition, etag=True, notes=REFUSALS),
    Operation("patch", f"{AUDIT}/lines/{{line_id}}", "updateAuditLine",
              "Answer a checklist line of an audit in progress (the fields sent). Send the line's ETag in "
              "If-Match (or its version in the body).",
              a.AuditChecklistLine, "The line as saved.", CHANGE, (IF_MATCH,), body=a.AuditLinePatch,
              etag=True, notes=REFUSALS),
)  # fmt: skip

PATH_PARAMETERS: dict[str, Schema] = {
    "audit_id": {"schema": {"type": "integer"}},
    "line_id": {"schema": {"type": "integer"}, "description": "A line of the audit's checklist."},
}
