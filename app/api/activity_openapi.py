"""The OpenAPI operations of the audit trail (merged into the document by :mod:`app.api.openapi`)."""

from __future__ import annotations

from app.api import activity_schemas as a
from app.api.openapi import Operation, Schema, paging, query
from app.api.schemas import NO_NUL
from app.domain.trail import KIND_LABELS

ID = {"type": "integer", "minimum": 1}
DAY = {"type": "string", "format": "date", "pattern": NO_NUL}
FILTERS = (
    query("user", ID, "Only changes by this user."),
    query("client", ID, "Only this client's records."),
    query("kind", {"type": "string", "enum": list(KIND_LABELS)}, "Only this kind of record."),
    query("object", ID, "With kind: only this record's changes."),
    query("since", DAY, "From this day (UTC), included."),
    query("until", DAY, "To this day (UTC), included."),
)
REFUSALS = {
    "404": "No such project in the token's workspace.",
    "422": "A filter or page parameter is invalid; `fields` says which.",
}

OPERATIONS: tuple[Operation, ...] = (
    Operation("get", "/activity", "listActivity",
              "The workspace's audit trail, newest first: who changed what, when, with each field's old and "
              "new value. A client manager's token reads only their clients' entries; members' and "
              "invitations' entries need the owner role. Entries are never changed or deleted.",
              a.ActivityList, "One page of entries.", ("422",),
              (query("project", ID, "Only this project's records."), *FILTERS, *paging("Entries")),
              notes=REFUSALS),
    Operation("get", "/projects/{project_id}/activity", "listProjectActivity",
              "The audit trail of one project's records, newest first.",
              a.ActivityList, "One page of entries.", ("404", "422"), (*FILTERS, *paging("Entries")),
              notes=REFUSALS),
)  # fmt: skip
PATH_PARAMETERS: dict[str, Schema] = {}
