"""Workspace members: owners add people, set their role, and name a client manager's clients."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.domain.permissions import Action
from app.forms import select_choices
from app.members.forms import MemberRoleForm, NewMemberForm
from app.models import Membership
from app.services import members as member_service
from app.services.scope import Scope, get_or_404_in
from app.web.access import current_scope, requires

bp = Blueprint("members", __name__, url_prefix="/members")


def _member(membership_id: int) -> tuple[Scope, Membership]:
    """Look up first, then check the role: a client manager sees no member, so any id is a 404 to them
    (as everywhere else for what they do not see), never a 403 that says the id exists."""
    scope = current_scope()
    membership = get_or_404_in(scope, Membership, membership_id)
    scope.require(Action.MANAGE_WORKSPACE)
    return scope, membership


def _with_clients(form: Any, scope: Scope) -> tuple[Any, dict[int, Any]]:
    clients = {client.id: client for client in member_service.workspace_clients(scope)}
    form.clients.choices = select_choices((cid, client.name) for cid, client in clients.items())
    return form, clients


def _chosen(form: Any, clients: dict[int, Any]) -> list[Any] | None:
    """The chosen clients, or None (with the error on the field) when one is not in this workspace."""
    if any(cid not in clients for cid in form.clients.data or []):
        form.clients.errors.append("Choose clients from the list.")
        return None
    return [clients[cid] for cid in form.clients.data or []]


@bp.get("")
@login_required
@requires(Action.MANAGE_WORKSPACE)
def index() -> Any:
    scope = current_scope()
    return render_template("members/index.html", members=member_service.members(scope))


@bp.route("/new", methods=["GET", "POST"])
@login_required
@requires(Action.MANAGE_WORKSPACE)
def new() -> Any:
    scope = current_scope()
    form, clients = _with_clients(NewMemberForm(), scope)
    if form.validate_on_submit() and (chosen := _chosen(form, clients)) is not None:
        try:
            membership, password = member_service.add_member(
                scope, form.email.data, form.name.data, form.role.data, chosen
            )
        except member_service.MemberError as exc:
            form[exc.field].errors.append(exc.message)
        else:
            return render_template("members/added.html", membership=membership, password=password)
    return render_template("members/form.html", form=form, membership=None)


@bp.route("/<int:membership_id>", methods=["GET", "POST"])
@login_required
def edit(membership_id: int) -> Any:
    scope, membership = _member(membership_id)
    form, clients = _with_clients(MemberRoleForm(obj=membership), scope)
    if not form.is_submitted():
        form.clients.data = [client.id for client in membership.clients]
    if form.validate_on_submit() and (chosen := _chosen(form, clients)) is not None:
        try:
            member_service.change_member(membership, form.role.data, chosen)
        except member_service.MemberError as exc:
            form[exc.field].errors.append(exc.message)
        else:
            flash(f"{membership.user.email} is now {form.role.data.replace('_', ' ')}.", "success")
            return redirect(url_for("members.index"), 303)
    return render_template("members/form.html", form=form, membership=membership)


@bp.post("/<int:membership_id>/remove")
@login_required
def remove(membership_id: int) -> Any:
    scope, membership = _member(membership_id)
    try:
        member_service.remove_member(membership, actor_id=scope.user_id)
    except member_service.MemberError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("members.index"), 303)
    flash(f"{membership.user.email} no longer has access to this workspace.", "success")
    if membership.user_id == current_user.id:
        return redirect(url_for("auth.account"), 303)
    return redirect(url_for("members.index"), 303)
