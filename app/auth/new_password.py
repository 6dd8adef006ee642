"""A password someone else chose (the old "one-time password") is changed at the next log-in, first.

Logging in such an account marks the session; until a new password is chosen, every page but this one
(and logging out) leads here. The API is not held up: it answers to tokens, never to the session.
The mark is in the session, so no request reads more than it did to hold the gate.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, user_logged_in

from app.auth.blueprint import bp, safe_next
from app.auth.forms import ChangePasswordForm
from app.domain.text import _
from app.models import User
from app.services import accounts, own_password

SESSION_KEY = "password_to_change"
# What a session with a password to change may still open: this page, log-in and out, its language, assets.
OPEN_ENDPOINTS = frozenset({"auth.choose_password", "auth.login", "auth.logout", "language.switch", "static"})


@user_logged_in.connect
def _mark_session(_app: Flask, user: User, **_extra: Any) -> None:
    if own_password.must_change(user):
        session[SESSION_KEY] = True


@bp.before_app_request
def password_first() -> Any:
    if not session.get(SESSION_KEY):
        return None
    endpoint = request.endpoint or ""
    if endpoint in OPEN_ENDPOINTS or endpoint.startswith("api.") or not endpoint:
        return None
    if request.method == "GET":
        return redirect(url_for("auth.choose_password", next=request.full_path.rstrip("?")))
    return redirect(url_for("auth.choose_password"), 303)


@bp.route("/account/new-password", methods=["GET", "POST"])
@login_required
def choose_password() -> Any:
    user = current_user._get_current_object()
    if not own_password.must_change(user):
        session.pop(SESSION_KEY, None)
        return redirect(safe_next(request.args.get("next")))
    form = ChangePasswordForm()
    form.personal = [user.email, user.name]
    if form.validate_on_submit():
        if not accounts.check_password(user, form.current.data):
            form.current.errors.append(_("That is not the password you logged in with."))
        elif own_password.is_unchanged(user, form.password.data):
            form.password.errors.append(own_password.UNCHANGED_REFUSAL)
        else:
            own_password.set_own_password(user, form.password.data)
            session.pop(SESSION_KEY, None)
            login_user(user)  # this session carries the new version; any other ends
            flash(_("Your password is changed: it is yours alone now."), "success")
            return redirect(safe_next(request.args.get("next")), 303)
    return render_template("auth/new_password.html", form=form)
