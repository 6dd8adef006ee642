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
    Kind.PROJECT: "Project",
    Kind.VERDICT: "Verdict",
    Kind.STAGE: "Stage",
    Kind.TASK: "Task",
    Kind.EVIDENCE: "Evidence",
    Kind.DOCUMENT: "Document",
    Kind.FINDING: "Finding",
    Kind.BUDGET: "Budget line",
    Kind.CERTIFICATE: "Certificate",
    Kind.MEMBER: "Member",
    Kind.INVITATION: "Invitation",
}

# Entries about workspace-level records (no client): shown only to those who manage the workspace.
WORKSPACE_KINDS = frozenset({Kind.MEMBER, Kind.INVITATION})


class TrailAction(StrEnum):
    CREATED = "created"
    CHANGED = "changed"
    DELETED = "deleted"  # removed, or soft-deleted (restorable for a while)
    RESTORED = "restored"  # a soft-deleted record brought back


ACTION_LABELS = {
    TrailAction.CREATED: "created",
    TrailAction.CHANGED: "changed",
    TrailAction.DELETED: "deleted",
    TrailAction.RESTORED: "restored",
}

FIELD_LABELS: dict[str, str] = {
    "due_date": "due date",
    "planned_start": "planned start",
    "planned_end": "planned end",
    "actual_start": "actual start",
    "actual_end": "actual end",
    "override_reason": "reason for starting early",
    "clause_number": "clause",
    "valid_until": "valid until",
    "review_state": "review",
    "reviewer_comment": "reviewer's comment",
    "reviewed_by_id": "reviewed by",
    "self_reviewed": "accepted by its author",
    "doc_type": "type",
    "review_months": "review every (months)",
    "withdrawn_reason": "reason withdrawn",
    "reviewed_on": "last reviewed",
    "label": "revision",
    "change_note": "change note",
    "approved_by_id": "approved by",
    "approved_on": "approved on",
    "effective_on": "effective on",
    "self_approved": "approved by its author",
    "root_cause_method": "root-cause method",
    "root_cause": "root cause",
    "corrective_action": "corrective action",
    "action_owner": "action owner",
    "action_due": "action due",
    "implemented_on": "implemented on",
    "effectiveness_due": "effectiveness check due",
    "closed_on": "closed on",
    "checked_on": "checked on",
    "checked_by": "checked by",
    "result": "check result",
    "spent_on": "spent on",
    "sector_codes": "sector codes",
    "original_on": "first certified",
    "decision_on": "decision",
    "issued_on": "issued",
    "expires_on": "expires",
    "suspension_on": "suspended or withdrawn on",
    "expires_at": "link expires",
    "revoked_at": "revoked",
    "accepted_at": "accepted",
    "target_date": "target date",
    "body_id": "certification body",
}


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " "))


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


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
