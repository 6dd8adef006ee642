"""The audit trail in the API (read only; nothing can change an entry):

- ``GET /api/v1/activity``: the workspace's entries the token may read, newest first, filtered by ``user``,
  ``client``, ``project``, ``kind`` (with ``object``: one record's), ``since`` and ``until`` (ISO days).
- ``GET /api/v1/projects/<id>/activity``: the same for one project (nested in the project's API).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from flask import Blueprint, request

from app.api import ApiError
from app.api.requests import page_params
from app.api.responses import timestamp
from app.domain.text import _
from app.domain.trail import ActivityFilters, parse_filters
from app.services import activity_log
from app.services.activity_log import EntryView
from app.web.access import current_scope
from app.web.project_request import project

bp = Blueprint("activity", __name__, url_prefix="/activity")
project_bp = Blueprint("project_activity", __name__)

FILTER_ARGS = {
    "user": "user_id",
    "client": "client_id",
    "project": "project_id",
    "kind": "kind",
    "object": "object_id",
    "since": "since",
    "until": "until",
}


def strict_filters(args: Mapping[str, str]) -> ActivityFilters:
    """The URL's filters; one the log cannot read, an empty one included, is refused (422) rather than
    ignored."""
    filters = parse_filters(args)
    wrong = {
        name: _("Not a valid value.")
        for name, attribute in FILTER_ARGS.items()
        if name in args and getattr(filters, attribute) is None
    }
    if wrong:
        raise ApiError(422, _("A filter is invalid."), wrong)
    return filters


def entry_json(entry: EntryView) -> dict[str, Any]:
    return {
        "id": entry.id,
        "occurred_at": timestamp(entry.occurred_at),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "kind": entry.kind,
        "object_id": entry.object_id,
        "object_label": entry.object_label,
        "action": entry.action,
        "client_id": entry.client_id,
        "project_id": entry.project_id,
        "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in entry.changes],
    }


def _answer(filters: ActivityFilters) -> dict[str, Any]:
    page, per_page = page_params(request.args)
    entries, total = activity_log.activity_rows(current_scope(), filters, page, per_page)
    return {"items": [entry_json(e) for e in entries], "page": page, "per_page": per_page, "total": total}


@bp.get("")
def list_activity() -> Any:
    return _answer(strict_filters(request.args))


@project_bp.get("/activity")
def project_activity() -> Any:
    return _answer(replace(strict_filters(request.args), project_id=project().id))
