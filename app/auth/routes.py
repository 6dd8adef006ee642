"""Sign up, log in, log out, account and password."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from app.auth.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    LoginForm,
    RevokeTokenForm,
    SignupForm,
    WorkspaceSwitchForm,
)
from app.services import accounts, tokens
from app.services.errors import NotFound
from app.web.access import current_scope

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "That email and password do not match an account."


def _safe_next(target: str | None) -> str:
    """Only follow a ?next= that stays on this site.

    Browsers read a backslash as a slash, so ``/\\evil.example`` would leave the site like ``//evil.example``.
    """
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("clients.index")


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("clients.index"))
    form = SignupForm()
    if form.validate_on_submit():
        if accounts.email_taken(form.email.data):
            form.email.errors.append("An account with this email already exists. Log in instead?")
        else:
            try:
                membership = accounts.create_account(
                    form.email.data,
                    form.name.data,
                    form.password.data,
                    form.workspace_name.data,
                    form.kind.data,
                )
            except accounts.EmailTaken:  # the same email signed up a moment ago
                form.email.errors.append("An account with this email already exists. Log in instead?")
                return render_template("auth/signup.html", form=form)
            login_user(membership.user)
            session["workspace_id"] = membership.workspace_id
            flash("Welcome! Start by adding the company you are getting certified.", "success")
            return redirect(url_for("clients.index"))
    return render_template("auth/signup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("clients.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(LOGIN_FAILED)
        else:
            session.clear()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Any:
    logout_user()
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> Any:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not accounts.check_password(current_user, form.current.data):
            form.current.errors.append("That is not your current password.")
        else:
            accounts.set_password(current_user, form.password.data)
            flash("Your password is changed.", "success")
            return redirect(url_for("auth.account"))
    return _account_page(form=form)


def _account_page(
    form: ChangePasswordForm | None = None,
    token_form: ApiTokenForm | None = None,
    new_token: str | None = None,
) -> Any:
    scope = g.get("scope")
    page = render_template(
        "auth/account.html",
        form=form if form is not None else ChangePasswordForm(formdata=None),
        memberships=accounts.memberships_of(current_user.id),
        switch_form=WorkspaceSwitchForm(),
        token_form=token_form if token_form is not None else ApiTokenForm(formdata=None, prefix="token"),
        revoke_form=RevokeTokenForm(formdata=None),
        api_tokens=tokens.active_tokens(scope.membership_id) if scope else [],
        new_token=new_token,
    )
    response = make_response(page)
    if new_token:
        response.headers["Cache-Control"] = "no-store"  # the token is on this page, once
    return response


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
    token = tokens.find_own(scope.membership_id, int(raw)) if raw.isdigit() and len(raw) < 10 else None
    if token is None:
        raise NotFound("You have no such API token.")
    tokens.revoke(token)
    flash(f"The token “{token.name}” is revoked: it no longer works.", "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/workspace")
@login_required
def switch_workspace() -> Any:
    form = WorkspaceSwitchForm()
    wanted = form.workspace_id.data if form.validate_on_submit() else None
    ids = {m.workspace_id for m in accounts.memberships_of(current_user.id)}
    if not wanted or not wanted.isdigit() or int(wanted) not in ids:
        flash("You are not a member of that workspace.", "danger")
        return redirect(url_for("auth.account"))
    session["workspace_id"] = int(wanted)
    return redirect(url_for("clients.index"))
