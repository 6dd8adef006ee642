"""Accepting an invitation: the page its e-mailed link opens.

Logged in with the invited address: one click joins. Not logged in: an existing account logs in and comes
back here; a new address sets a name and password here (the link proved the mailbox, so the account is
verified at once).
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from app.auth.blueprint import bp
from app.auth.forms import JoinForm
from app.domain.text import _
from app.models import Invitation, Membership
from app.services import invitations as invitation_service
from app.services.errors import NotFound


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str) -> Any:
    try:
        invitation = invitation_service.find_open(token)
    except NotFound as exc:  # say why, not just "not found"
        return render_template("auth/link_refused.html", message=exc.message), 404
    if current_user.is_authenticated:
        return _as_logged_in_user(invitation)
    if invitation_service.account_ready(invitation):
        return render_template("auth/invitation.html", invitation=invitation, log_in_first=True)
    form = JoinForm()
    form.personal = [invitation.email]
    if form.validate_on_submit():
        membership = invitation_service.accept_with_new_account(
            invitation, form.name.data, form.password.data
        )
        session.clear()
        login_user(membership.user)
        return _joined(membership)
    return render_template("auth/invitation.html", invitation=invitation, form=form)


def _as_logged_in_user(invitation: Invitation) -> Any:
    if not invitation_service.is_for(invitation, current_user):
        return render_template("auth/invitation.html", invitation=invitation, other_account=True), 403
    if request.method == "POST":
        return _joined(invitation_service.accept(invitation, current_user))
    return render_template("auth/invitation.html", invitation=invitation)


def _joined(membership: Membership) -> Any:
    session["workspace_id"] = membership.workspace_id
    flash(_("Welcome to %(workspace)s.", workspace=membership.workspace.name), "success")
    return redirect(url_for("clients.index"), 303)
