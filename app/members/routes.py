"""Workspace members: owners invite people, set their role, name a client manager's clients, and resend
or withdraw invitations not yet accepted. Nobody joins without accepting (app.auth.invitations).

An invitation's e-mail is sent while the request runs, with a short timeout (``MAIL_TIMEOUT``), and its
outcome saved on it in the request's one commit: the owner sees at once whether it went, and with the mail
server down the invitation is kept as "not sent", with the reason and a Resend button.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.auth import emails
from app.auth.throttle import AUTH_REFUSAL, PER_IP, auth_form, ip_key, redirected
from app.domain.permissions import ROLE_LABELS, Action
from app.domain.text import _, ngettext
from app.extensions import limiter
from app.forms import select_choices
from app.members.forms import InviteForm, MemberRoleForm, WorkspaceLanguageForm
from app.models import Membership
from app.services import invitations as invitation_service
from app.services import members as member_service
from app.services import preferences
from app.services.errors import Invalid
from app.services.invitations import VALID_FOR
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
        form.clients.errors.append(_("Choose clients from the list."))
        return None
    return [clients[cid] for cid in form.clients.data or []]


@bp.get("")
@login_required
@requires(Action.MANAGE_WORKSPACE)
def index() -> Any:
    return _index_page(None)


def _index_page(language_form: WorkspaceLanguageForm | None) -> Any:
    scope = current_scope()
    if language_form is None:
        language_form = WorkspaceLanguageForm(
            formdata=None, default_locale=member_service.workspace_language(scope)
        )
    page = render_template(
        "members/index.html",
        members=member_service.members(scope),
        invitations=invitation_service.pending(scope),
        is_open=invitation_service.is_open,
        language_form=language_form,
    )
    return page, 422 if language_form.errors else 200


@bp.post("/language")
@login_required
@requires(Action.MANAGE_WORKSPACE)
def workspace_language() -> Any:
    form = WorkspaceLanguageForm()
    if not form.validate_on_submit():
        return _index_page(form)
    preferences.set_workspace_language(current_scope(), form.default_locale.data)
    flash(_("New members will start in this language, and invitations are written in it."), "success")
    return redirect(url_for("members.index"), 303)


@bp.route("/invite", methods=["GET", "POST"])
@login_required
@requires(Action.MANAGE_WORKSPACE)
@auth_form(counts_for_address=redirected)  # no address gets invitation after invitation
def invite() -> Any:
    scope = current_scope()
    form, clients = _with_clients(InviteForm(), scope)
    if form.validate_on_submit() and (chosen := _chosen(form, clients)) is not None:
        try:
            created = invitation_service.invite(scope, form.email.data, form.role.data, chosen, current_user)
        except Invalid as exc:
            for field, message in exc.fields.items():
                form[field].errors.append(message)
        else:
            _send(created, resent=False)
            return redirect(url_for("members.index"), 303)
    status = 422 if form.is_submitted() else 200  # refused: the reasons beside their fields
    return render_template("members/form.html", form=form, membership=None), status


@bp.post("/invitations/<int:invitation_id>/resend")
@login_required
@limiter.limit(PER_IP, key_func=ip_key, error_message=AUTH_REFUSAL)
def resend_invitation(invitation_id: int) -> Any:
    _send(invitation_service.resend(current_scope(), invitation_id), resent=True)
    return redirect(url_for("members.index"), 303)


def _send(created: invitation_service.NewInvitation, resent: bool) -> None:
    """Send the invitation's e-mail now; it is saved either way, and the owner told how it went.

    The same words whether or not the address has an account: only its mailbox learns that.
    """
    row = created.row
    message = emails.invitation(row, created.token, current_user)
    if invitation_service.send(row, message):
        days = VALID_FOR.days
        if resent:
            sent = ngettext(
                "A new invitation link was sent to %(email)s. Its link works for %(num)d day.",
                "A new invitation link was sent to %(email)s. Its link works for %(num)d days.",
                days,
                email=row.email,
            )
        else:
            sent = ngettext(
                "Invitation sent to %(email)s. Its link works for %(num)d day.",
                "Invitation sent to %(email)s. Its link works for %(num)d days.",
                days,
                email=row.email,
            )
        flash(sent, "success")
    else:
        flash(
            _(
                "The invitation to %(email)s is saved but was not sent: %(error)s "
                "Resend it from the list below once the mail server works again.",
                email=row.email,
                error=row.send_error,
            ),
            "warning",
        )


@bp.post("/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(invitation_id: int) -> Any:
    invitation = invitation_service.revoke(current_scope(), invitation_id)
    flash(
        _("The invitation to %(email)s is withdrawn: its link no longer works.", email=invitation.email),
        "success",
    )
    return redirect(url_for("members.index"), 303)


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
            role = str(ROLE_LABELS.get(form.role.data, form.role.data)).lower()
            flash(_("%(email)s is now %(role)s.", email=membership.user.email, role=role), "success")
            return redirect(url_for("members.index"), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("members/form.html", form=form, membership=membership), status


@bp.post("/<int:membership_id>/remove")
@login_required
def remove(membership_id: int) -> Any:
    scope, membership = _member(membership_id)
    try:
        member_service.remove_member(membership, actor_id=scope.user_id)
    except member_service.MemberError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("members.index"), 303)
    flash(_("%(email)s no longer has access to this workspace.", email=membership.user.email), "success")
    if membership.user_id == current_user.id:
        return redirect(url_for("auth.account"), 303)
    return redirect(url_for("members.index"), 303)
