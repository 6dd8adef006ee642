"""Sign up, confirm the address, log in and out. The account page, password recovery and invitations are
views of the same blueprint, in their own modules."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import account, emails, invitations, new_password, recovery  # noqa: F401  (views on bp)
from app.auth.blueprint import bp, safe_next
from app.auth.forms import EmailForm, LoginForm, SignupForm
from app.auth.throttle import auth_form, form_shown_again, redirected
from app.domain.text import _, _l
from app.i18n import SESSION_KEY as LANGUAGE_KEY
from app.services import account_links, accounts, preferences
from app.services.errors import Invalid

__all__ = ["bp"]

LOGIN_FAILED = _l("That email and password do not match an account.")
NOT_CONFIRMED = _l("Confirm your email address first: follow the link we sent to it.")


@bp.route("/signup", methods=["GET", "POST"])
@auth_form(counts_for_address=redirected)
def signup() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("clients.index"))
    form = SignupForm()
    if form.validate_on_submit():
        result = accounts.sign_up(
            form.email.data, form.name.data, form.password.data, form.workspace_name.data, form.kind.data
        )
        # The same answer whether or not the address had an account; only its mailbox learns which.
        if result.created:
            emails.verification(result.user)
        else:
            emails.sign_up_notice(result.user)
        return redirect(url_for("auth.check_email"), 303)
    return render_template("auth/signup.html", form=form)


@bp.get("/check-email")
def check_email() -> Any:
    return render_template("auth/check_email.html")


@bp.get("/verify/<token>")
def verify_email(token: str) -> Any:
    try:
        account_links.confirm_email(token)
    except Invalid as exc:
        return render_template("auth/link_refused.html", message=exc.message, resend=True), 400
    flash(_("Your email address is confirmed. Log in to start."), "success")
    return redirect(url_for("auth.login"), 303)


@bp.route("/verify", methods=["GET", "POST"])
@auth_form(counts_for_address=redirected)
def resend_confirmation() -> Any:
    form = EmailForm()
    if form.validate_on_submit():
        user = accounts.find_user(form.email.data)
        if user is not None and user.is_active and not accounts.is_verified(user):
            emails.verification(user)
        return redirect(url_for("auth.check_email"), 303)
    return render_template("auth/resend.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@auth_form(counts_for_address=form_shown_again)
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("portfolio.index"))
    form = LoginForm()
    unconfirmed = False
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(LOGIN_FAILED)
        elif not accounts.is_verified(user):
            form.email.errors.append(NOT_CONFIRMED)  # only who knows the password learns the account exists
            unconfirmed = True
        else:
            language = session.get(LANGUAGE_KEY, "")
            session.clear()
            if language and not user.locale:  # chosen on the log-in page: kept as theirs
                preferences.set_locale(user, language)
            login_user(user)
            wanted = request.args.get("next")  # else the portfolio (an exporter's one project: its page)
            return redirect(safe_next(wanted) if wanted else url_for("portfolio.index"))
    return render_template("auth/login.html", form=form, unconfirmed=unconfirmed)


@bp.post("/logout")
@login_required
def logout() -> Any:
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))
