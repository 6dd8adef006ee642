"""How the register is shown: the words and badge colours of a document's status, a revision's state and
a type (template filters of the whole app, since the requirement and checklist pages show documents
too), the master list's sort links, and the links of its lines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from flask import Blueprint, url_for

from app.domain import documents as rules
from app.domain.text import _l
from app.services.document_register import SORTS, STATUS_LABELS, RegisterFilters

# A master-list line's status (document_register.row_status) and a revision's state.
STATUS_BADGES = {
    "approved": "text-bg-success",
    "overdue": "text-bg-warning",
    "in_review": "text-bg-info",
    "draft": "text-bg-light border",
    "obsolete": "text-bg-secondary",
}
REVISION_BADGES = {
    rules.RevisionState.DRAFT: "text-bg-light border",
    rules.RevisionState.IN_REVIEW: "text-bg-info",
    rules.RevisionState.APPROVED: "text-bg-success",
    rules.RevisionState.SUPERSEDED: "text-bg-secondary",
}
UNKNOWN_BADGE = "text-bg-light border"
SORT_LABELS = {"code": _l("Code"), "title": _l("Title"), "type": _l("Type"), "review": _l("Review due")}


def register_words(bp: Blueprint) -> None:
    filters = {
        "document_status": lambda status: STATUS_LABELS.get(status, status),
        "document_status_badge": lambda status: STATUS_BADGES.get(status, UNKNOWN_BADGE),
        "revision_state": lambda state: rules.REVISION_LABELS.get(state, state),
        "revision_badge": lambda state: REVISION_BADGES.get(state, UNKNOWN_BADGE),
        "document_type": lambda doc_type: rules.TYPE_LABELS.get(doc_type, doc_type),
    }
    for name, function in filters.items():
        bp.add_app_template_filter(function, name)


@dataclass(frozen=True)
class SortLink:
    label: str
    url: str
    aria_sort: str | None  # "ascending" or "descending" on the column the list is sorted by


def sort_links(filters: RegisterFilters) -> dict[str, SortLink]:
    """Per sortable column, the link that sorts by it: ascending, or descending when it already is."""
    kept = {k: v for k, v in filters.query_args().items() if k not in ("sort", "order")}
    links = {}
    for column in SORTS:
        current = filters.sort == column
        descending = current and not filters.descending
        args: dict[str, Any] = {**kept, "sort": column, **({"order": "desc"} if descending else {})}
        shown = ("descending" if filters.descending else "ascending") if current else None
        links[column] = SortLink(SORT_LABELS[column], url_for("project.documents.index", **args), shown)
    return links


# Stands for the value that changes from line to line while a line's URL is built once.
_MARK = 7_294_038_165_027
# What a URL path segment keeps unquoted (werkzeug's BaseConverter.to_url).
_SEGMENT_SAFE = "!$&'()*+,/:;=@"


@dataclass(frozen=True)
class RowUrl:
    """The URL of one endpoint for many lines that differ in one path value (a document id, a requirement
    number): routed once by url_for, then filled in per line, as the URL map would fill it. Routing a URL
    per line costs about as much as rendering the line."""

    head: str
    tail: str

    def __call__(self, value: object) -> str:
        return f"{self.head}{quote(str(value), safe=_SEGMENT_SAFE)}{self.tail}"


def row_url(endpoint: str, key: str, **values: Any) -> RowUrl:
    """``url_for(endpoint, **values, key=...)`` as a :class:`RowUrl` that takes the ``key`` value."""
    routed: dict[str, Any] = {**values, key: _MARK}
    head, tail = url_for(endpoint, **routed).split(str(_MARK))
    return RowUrl(head, tail)
