"""The workspace's activity log (``/activity``): who changed what, when, from the audit trail, filtered by
user, client, project, kind and days (the filters live in the URL), newest first, paginated."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, render_template, request
from flask_login import login_required

from app.activity import actor  # noqa: F401  (names the request's user in the audit trail)
from app.domain.trail import KIND_LABELS, parse_filters
from app.pagination import page_number
from app.services import activity_log
from app.web.access import current_scope

bp = Blueprint("activity", __name__, url_prefix="/activity")


@bp.get("")
@login_required
def index() -> Any:
    scope = current_scope()
    filters = parse_filters(request.args)
    entries, page = activity_log.activity_page(scope, filters, page_number(request.args.get("page")))
    return render_template(
        "activity/index.html",
        entries=entries,
        page=page,
        filters=filters,
        args=filters.query_args(),
        choices=activity_log.choices(scope),
        kinds=KIND_LABELS,
    )


@bp.app_template_global("record_history")
def record_history(
    *kinds: str, object_id: int | None = None, project_id: int | None = None
) -> activity_log.History:
    """A record's History box for the object pages (templates/_macros/history.html): one statement, asked
    by the page's template, so the areas' views need not each load it; empty without a workspace."""
    scope = g.get("scope")
    if scope is None:
        return activity_log.History([], False, {})
    return activity_log.history(scope, kinds, object_id=object_id, project_id=project_id)
