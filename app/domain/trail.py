"""The audit trail's rules: what kind of record each entry is about, how a value is written down, how an
entry's action is named, and the words a reader sees for each field.

Values are kept as short text, so an entry reads the same after the record, its project or its user is gone:
no value becomes the empty text, dates and times are ISO, money is its decimal string without trailing zeros
(``1500.000`` and ``1500`` are the same amount), booleans are yes / no, long texts are cut.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from app.domain.ids import is_id
from app.domain.text import _l

MAX_VALUE_CHARS = 500
MAX_LABEL_CHARS = 300


class Kind(StrEnum):
    """What an entry is about; an object's page shows the entries of its kind and id."""

    PROJECT = "project"
    VERDICT = "verdict"
    STAGE = "stage"
    TASK = "task"
    EVIDENCE = "evidence"
    DOCUMENT = "document"  # a document and its revisions (an entry of a revision names the document)
    FINDING = "finding"  # a finding, its corrective action and its effectiveness checks
    BUDGET = "budget"
    CERTIFICATE = "certificate"
    MEMBER = "member"
    INVITATION = "invitation"


KIND_LABELS: dict[str, str] = {
    Kind.PROJECT: _l("Project"),
    Kind.VERDICT: _l("Verdict"),
    Kind.STAGE: _l("Stage"),
    Kind.TASK: _l("Task"),
    Kind.EVIDENCE: _l("Evidence"),
    Kind.DOCUMENT: _l("Document"),
    Kind.FINDING: _l("Finding"),
    Kind.BUDGET: _l("Budget line"),
    Kind.CERTIFICATE: _l("Certificate"),
    Kind.MEMBER: _l("Member"),
    Kind.INVITATION: _l("Invitation"),
}

# Entries about workspace-level records (no client): shown only to those who manage the workspace.
WORKSPACE_KINDS = frozenset({Kind.MEMBER, Kind.INVITATION})


class TrailAction(StrEnum):
    CREATED = "created"
    CHANGED = "changed"
    DELETED = "deleted"  # removed, or soft-deleted (restorable for a while)
    RESTORED = "restored"  # a soft-deleted record brought back


ACTION_LABELS: dict[str, str] = {
    TrailAction.CREATED: _l("created"),
    TrailAction.CHANGED: _l("changed"),
    TrailAction.DELETED: _l("deleted"),
    TrailAction.RESTORED: _l("restored"),
}

FIELD_LABELS: dict[str, str] = {
    "due_date": _l("due date"),
    "planned_start": _l("planned start"),
    "planned_end": _l("planned end"),
    "actual_start": _l("actual start"),
    "actual_end": _l("actual end"),
    "override_reason": _l("reason for starting early"),
    "clause_number": _l("clause"),
    "valid_until": _l("valid until"),
    "review_state": _l("review"),
    "reviewer_comment": _l("reviewer's comment"),
    "reviewed_by_id": _l("reviewed by"),
    "self_reviewed": _l("accepted by its author"),
    "doc_type": _l("type"),
    "review_months": _l("review every (months)"),
    "withdrawn_reason": _l("reason withdrawn"),
    "reviewed_on": _l("last reviewed"),
    "label": _l("revision"),
    "change_note": _l("change note"),
    "approved_by_id": _l("approved by"),
    "approved_on": _l("approved on"),
    "effective_on": _l("effective on"),
    "self_approved": _l("approved by its author"),
    "root_cause_method": _l("root-cause method"),
    "root_cause": _l("root cause"),
    "corrective_action": _l("corrective action"),
    "action_owner": _l("action owner"),
    "action_due": _l("action due"),
    "implemented_on": _l("implemented on"),
    "effectiveness_due": _l("effectiveness check due"),
    "closed_on": _l("closed on"),
    "checked_on": _l("checked on"),
    "checked_by": _l("checked by"),
    "result": _l("check result"),
    "spent_on": _l("spent on"),
    "sector_codes": _l("sector codes"),
    "original_on": _l("first certified"),
    "decision_on": _l("decision"),
    "issued_on": _l("issued"),
    "expires_on": _l("expires"),
    "suspension_on": _l("suspended or withdrawn on"),
    "expires_at": _l("link expires"),
    "revoked_at": _l("revoked"),
    "accepted_at": _l("accepted"),
    "target_date": _l("target date"),
    "body_id": _l("certification body"),
    # Fields whose name is their label; listed so that the label is translated.
    "status": _l("status"),
    "notes": _l("notes"),
    "justification": _l("justification"),
    "owner": _l("owner"),
    "title": _l("title"),
    "stage": _l("stage"),
    "code": _l("code"),
    "state": _l("state"),
    "severity": _l("severity"),
    "description": _l("description"),
    "containment": _l("containment"),
    "deadline": _l("deadline"),
    "category": _l("category"),
    "vendor": _l("vendor"),
    "planned": _l("planned"),
    "actual": _l("actual"),
    "number": _l("number"),
    "scope": _l("scope"),
    "suspension": _l("suspension"),
    "role": _l("role"),
    "clients": _l("clients"),
    "email": _l("email"),
}


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " "))


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def short(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def as_text(value: object) -> str:
    """A value as the trail keeps it (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "") else text
    if isinstance(value, str):
        return short(value)
    if isinstance(value, Iterable):
        return short(", ".join(sorted(as_text(v) for v in value)))
    return short(str(value))


Change = tuple[str, str, str]  # field, old, new


def changed_fields(pairs: Iterable[tuple[str, object, object]]) -> list[Change]:
    """The fields whose written-down value differs, in the order given: a value set again to what it was,
    or to an equal amount, is no change."""
    changes = []
    for field, old, new in pairs:
        before, after = as_text(old), as_text(new)
        if before != after:
            changes.append((field, before, after))
    return changes


def soft_delete_action(was_deleted: bool, is_deleted: bool) -> TrailAction:
    """A change of a soft-deletable record: set deleted is a deletion, cleared again a restore."""
    if was_deleted == is_deleted:
        return TrailAction.CHANGED
    return TrailAction.DELETED if is_deleted else TrailAction.RESTORED


@dataclass(frozen=True)
class ChangeLine:
    """One change as a reader sees it."""

    field: str
    old: str
    new: str


def readable_changes(changes: Iterable[Iterable[str]]) -> list[ChangeLine]:
    lines = []
    for change in changes:
        field, old, new = [*list(change), "", "", ""][:3]
        lines.append(ChangeLine(field_label(str(field)), str(old), str(new)))
    return lines


@dataclass(frozen=True)
class ActivityFilters:
    """What the activity log is narrowed to, as the URL says it (anything unreadable is no filter)."""

    user_id: int | None = None
    client_id: int | None = None
    project_id: int | None = None
    kind: str | None = None
    object_id: int | None = None  # with ``kind``: one record's history
    since: date | None = None
    until: date | None = None

    def query_args(self) -> dict[str, str]:
        """The filters as URL arguments, for links to other pages of the same list."""
        names = ("user_id", "client_id", "project_id", "kind", "object_id", "since", "until")
        return {
            name.removesuffix("_id") if name != "object_id" else "object": as_text(getattr(self, name))
            for name in names
            if getattr(self, name) is not None
        }


def _id(raw: str | None) -> int | None:
    return int(raw) if raw and is_id(raw) else None


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw and len(raw) == 10 else None
    except ValueError:
        return None


def parse_filters(args: Mapping[str, str]) -> ActivityFilters:
    """The filters of the URL arguments ``user``, ``client``, ``project``, ``kind``, ``object``, ``since``,
    ``until`` (ISO days, both included); a kind the trail does not know, or an object without a kind, is
    ignored."""
    kind = args.get("kind") or None
    if kind not in KIND_LABELS:
        kind = None
    return ActivityFilters(
        user_id=_id(args.get("user")),
        client_id=_id(args.get("client")),
        project_id=_id(args.get("project")),
        kind=kind,
        object_id=_id(args.get("object")) if kind else None,
        since=_day(args.get("since")),
        until=_day(args.get("until")),
    )
