"""The account page: workspaces, password, sessions and API tokens."""

from __future__ import annotations

from typing import Any

from flask import flash, g, make_response, redirect, render_template, session, url_for
from flask_babel import refresh as babel_refresh
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import new_password
from app.auth.blueprint import bp
from app.auth.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    PreferencesForm,
    RevokeTokenForm,
    WorkspaceSwitchForm,
)
from app.domain.ids import is_id
from app.domain.text import _, ngettext
from app.services import accounts, evidence, own_password, preferences, tokens
from app.services.errors import NotFound
from app.web.access import current_scope


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> Any:
    form = ChangePasswordForm()
    form.personal = [current_user.email, current_user.name]
    if form.validate_on_submit():
        if not accounts.check_password(current_user, form.current.data):
            form.current.errors.append(_("That is not your current password."))
        else:
            own_password.set_own_password(current_user, form.password.data)
            session.pop(new_password.SESSION_KEY, None)
            login_user(current_user._get_current_object())  # this session carries the new version; others end
            flash(_("Your password is changed. You are logged out everywhere else."), "success")
            return redirect(url_for("auth.account"))
    return _account_page(form=form)


def _account_page(
    form: ChangePasswordForm | None = None,
    token_form: ApiTokenForm | None = None,
    new_token: str | None = None,
    preferences_form: PreferencesForm | None = None,
) -> Any:
    scope = g.get("scope")
    if preferences_form is None:
        preferences_form = PreferencesForm(formdata=None, prefix="prefs", obj=current_user)
    page = render_template(
        "auth/account.html",
        form=form if form is not None else ChangePasswordForm(formdata=None),
        memberships=accounts.memberships_of(current_user.id),
        switch_form=WorkspaceSwitchForm(),
        token_form=token_form if token_form is not None else ApiTokenForm(formdata=None, prefix="token"),
        revoke_form=RevokeTokenForm(formdata=None),
        api_tokens=tokens.active_tokens(scope.membership_id) if scope else [],
        token_count=tokens.count_active_of_user(current_user.id),
        storage=evidence.storage_use(scope.workspace_id) if scope else None,
        new_token=new_token,
        preferences_form=preferences_form,
    )
    response = make_response(page, 422 if preferences_form.errors else 200)
    if new_token:
        response.headers["Cache-Control"] = "no-store"  # the token is on this page, once
    return response


@bp.post("/account/sessions/end")
@login_required
def end_sessions() -> Any:
    accounts.end_sessions(current_user)
    logout_user()
    session.clear()
    flash(_("You are logged out everywhere, on this device too."), "info")
    return redirect(url_for("auth.login"), 303)


@bp.post("/account/tokens")
@login_required
def create_token() -> Any:
    scope = current_scope()
    form = ApiTokenForm(prefix="token")
    if not form.validate_on_submit():
        return _account_page(token_form=form)
    created = tokens.create(scope.membership_id, form.name.data)
    return _account_page(new_token=created.secret)


@bp.post("/account/tokens/revoke")
@login_required
def revoke_token() -> Any:
    scope = current_scope()
    form = RevokeTokenForm()
    raw = form.token_id.data if form.validate_on_submit() else ""
    token = tokens.find_own(scope.membership_id, int(raw)) if is_id(raw) else None
    if token is None:
        raise NotFound(_("You have no such API token."))
    tokens.revoke(token)
    flash(_("The token “%(name)s” is revoked: it no longer works.", name=token.name), "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/tokens/revoke-all")
@login_required
def revoke_all_tokens() -> Any:
    count = tokens.revoke_all_of_user(current_user.id)
    message = ngettext(
        "%(num)d API token(s) revoked, in every workspace: none of them works any more.",
        "%(num)d API token(s) revoked, in every workspace: none of them works any more.",
        count,
    )
    flash(message, "success")
    return redirect(url_for("auth.account"), 303)


@bp.post("/account/workspace")
@login_required
def switch_workspace() -> Any:
    form = WorkspaceSwitchForm()
    wanted = form.workspace_id.data if form.validate_on_submit() else ""
    ids = {m.workspace_id for m in accounts.memberships_of(current_user.id)}
    if not is_id(wanted) or int(wanted) not in ids:
        flash(_("You are not a member of that workspace."), "danger")
        return redirect(url_for("auth.account"))
    session["workspace_id"] = int(wanted)
    return redirect(url_for("clients.index"))


@bp.post("/account/preferences")
@login_required
def save_preferences() -> Any:
    form = PreferencesForm(prefix="prefs")
    if not form.validate_on_submit():
        return _account_page(preferences_form=form)
    preferences.set_preferences(current_user, form.locale.data, form.date_calendar.data)
    babel_refresh()  # the message below is already in the language just chosen
    flash(_("Your language and dates are saved."), "success")
    return redirect(url_for("auth.account"), 303)
