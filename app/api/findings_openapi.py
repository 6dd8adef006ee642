"""The OpenAPI operations of the nonconformity register (merged into the document by
:mod:`app.api.openapi`)."""

from __future__ import annotations

from app.api import finding_schemas as f
from app.api.openapi import IF_MATCH, Operation, Schema, paging, query
from app.domain import nonconformities as rules

FINDINGS = "/projects/{project_id}/findings"
ONE = f"{FINDINGS}/{{finding_id}}"
REFUSALS = {
    "403": "The token's role does not allow this: viewers change nothing, and closing a major finding or "
    "lowering an open major's severity needs the owner, consultant or client manager role.",
    "404": "No such project or finding in the token's workspace.",
    "409": "The version sent is not the finding's any more (someone else changed it), or someone else "
    "saved it at the same moment; nothing of this request was saved.",
    "412": "If-Match names a version the finding no longer has: GET it again, then send your change.",
    "422": "A parameter or field is invalid, or the step is not allowed in the finding's state (a clause "
    "the standard does not have, a date in the future, a placeholder for a sentence, closing before a "
    "passed effectiveness check...); `message` names the rule and `fields` the field (`state` for a step "
    "out of order).",
}
FILTERS = (
    query("source", {"type": "string", "enum": list(rules.Source)}, "Only findings from this source."),
    query("severity", {"type": "string", "enum": list(rules.Severity)}),
    query(
        "state",
        {"type": "string", "enum": list(rules.STATE_FILTER_LABELS)},
        "A state, or open: every state but closed; new: open with nothing planned yet.",
    ),
    query("overdue", {"type": "string", "enum": ["true", "false"]}, "true: only the overdue ones."),
)

OPERATIONS: tuple[Operation, ...] = (
    Operation("get", FINDINGS, "listFindings",
              "The project's nonconformity and corrective action register: overdue first, then by due date.",
              f.FindingList, "One page of findings.", ("404", "422"), (*FILTERS, *paging("Findings")),
              notes=REFUSALS),
    Operation("post", FINDINGS, "createFinding",
              "Raise a finding (open); a certification body's major gets its deadline by default.",
              f.FindingDetail, "The finding as stored.", ("400", "403", "404", "415", "422"),
              body=f.FindingCreate, status=201, notes=REFUSALS, etag=True),
    Operation("get", ONE, "getFinding",
              "One finding with its root cause, corrective action, effectiveness checks and the steps its "
              "state allows.",
              f.FindingDetail, "The finding.", ("404",), notes=REFUSALS, etag=True),
    Operation("patch", ONE, "updateFinding",
              "Change a finding's description, containment, clause, severity, deadline, action owner or due "
              "dates; send the ETag you read in If-Match so that a change made meanwhile is never "
              "overwritten.",
              f.FindingDetail, "The finding as saved.", ("400", "403", "404", "409", "412", "415", "422"),
              (IF_MATCH,), body=f.FindingPatch, notes=REFUSALS, etag=True),
    Operation("post", f"{ONE}/transitions", "transitionFinding",
              "Take one step of the finding's workflow: plan, implement, check (an ineffective check "
              "reopens the action) or close; with the version (or the ETag in If-Match) it was read at.",
              f.FindingDetail, "The finding after the step.",
              ("400", "403", "404", "409", "412", "415", "422"), (IF_MATCH,), body=f.FindingTransition,
              notes=REFUSALS, etag=True),
)  # fmt: skip
PATH_PARAMETERS: dict[str, Schema] = {"finding_id": {"schema": {"type": "integer"}}}
