"""The one way a service changes a record's fields: only the fields the record allows, named by the caller.

Every edit of a client, site, project, task or finding goes through :func:`apply_changes`, so a change
log (who changed what, when) has one place to hook in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def apply_changes(row: Any, allowed: Iterable[str], fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"Not a field of {type(row).__name__} that may change: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(row, name, value)
