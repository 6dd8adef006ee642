"""URLs into the gap analysis list. It shows one section at a time, so a link to a requirement's row names
the section that holds it: a bare ``#clause-...`` anchor would land on the default section instead."""

from __future__ import annotations

from flask import url_for

from app.gap.forms import Filters, clause_anchor, return_filters

# The list's one-row-per-requirement table, for people who assess quickly (?view=compact).
COMPACT_VIEW = "compact"


def requirement_on_list_url(
    project_id: int, number: str, filters: Filters | None = None, compact: bool = False
) -> str:
    """The gap analysis scrolled to requirement ``number``: its section's page, or the page ``filters``
    name when it holds the requirement (every section, a status filter; see return_filters)."""
    shown = return_filters(filters or Filters(), number)
    return url_for(
        "project.gap.index",
        project_id=project_id,
        section=shown.section,
        status=shown.status,
        view=COMPACT_VIEW if compact else None,
        _anchor=clause_anchor(number),
    )
