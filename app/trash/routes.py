"""Deleted items: an owner sees what was deleted in the last 30 days, and restores it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required

from app.domain.permissions import Action
from app.domain.retention import RESTORE_DAYS
from app.domain.text import _
from app.services import data_events, trash
from app.services.deletion import Consequences
from app.web.access import current_scope, requires

bp = Blueprint("trash", __name__, url_prefix="/trash")

RESTORE_ENDPOINTS = {
    "client": ("trash.restore_client", "client_id"),
    "site": ("trash.restore_site", "site_id"),
    "project": ("trash.restore_project", "project_id"),
    "budget_line": ("trash.restore_budget_line", "line_id"),
}


def confirm_deletion(what: str, taken: Consequences | None, back: str) -> Any:
    """The page that asks before a client, site or project is deleted (its form posts to the same URL)."""
    return render_template("trash/confirm.html", what=what, taken=taken, back=back, restore_days=RESTORE_DAYS)


def restore_url(group: trash.DeletedGroup) -> str:
    endpoint, argument = RESTORE_ENDPOINTS[group.kind]
    return url_for(endpoint, **{argument: group.id})


@bp.get("")
@login_required
@requires(Action.MANAGE_WORKSPACE)
def index() -> Any:
    scope = current_scope()
    return render_template(
        "trash/index.html",
        groups=[(group, restore_url(group)) for group in trash.deleted_groups(scope)],
        events=data_events.recent(scope),
        days=RESTORE_DAYS,
    )


def _restore(kind: str, object_id: int) -> Any:
    # No @requires: the service looks the id up first, so an id the caller cannot see is a 404 for any role.
    label = trash.restore(current_scope(), kind, object_id)
    flash(_("Restored: %(name)s.", name=label), "success")
    return redirect(url_for("trash.index"), 303)


@bp.post("/clients/<int:client_id>/restore")
@login_required
def restore_client(client_id: int) -> Any:
    return _restore("client", client_id)


@bp.post("/sites/<int:site_id>/restore")
@login_required
def restore_site(site_id: int) -> Any:
    return _restore("site", site_id)


@bp.post("/projects/<int:project_id>/restore")
@login_required
def restore_project(project_id: int) -> Any:
    return _restore("project", project_id)


@bp.post("/budget-lines/<int:line_id>/restore")
@login_required
def restore_budget_line(line_id: int) -> Any:
    return _restore("budget_line", line_id)
