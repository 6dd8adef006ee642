"""A forgotten password: ask for a link by e-mail, then choose a new password on the page it opens."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, session, url_for
from flask_login import logout_user

from app.auth import emails
from app.auth.blueprint import bp
from app.auth.forms import EmailForm, NewPasswordForm
from app.auth.throttle import auth_form, redirected
from app.domain.text import _
from app.services import account_links, accounts
from app.services.errors import Invalid


@bp.route("/password/forgot", methods=["GET", "POST"])
@auth_form(counts_for_address=redirected)
def forgot_password() -> Any:
    form = EmailForm()
    if form.validate_on_submit():
        user = accounts.find_user(form.email.data)
        if user is not None and user.is_active:
            emails.password_reset(user)
        # The same page whether or not the address has an account.
        return redirect(url_for("auth.check_email"), 303)
    return render_template("auth/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Any:
    try:
        user = account_links.user_for_reset(token)
    except Invalid as exc:
        # The forgot-password form at once; it answers as it always does, whatever the address.
        new_link = EmailForm(formdata=None)
        return render_template("auth/link_refused.html", message=exc.message, reset_form=new_link), 400
    form = NewPasswordForm()
    form.personal = [user.email, user.name]
    if form.validate_on_submit():
        account_links.reset_password(token, form.password.data)
        logout_user()  # whoever was logged in here: the new password ended every session
        session.clear()
        flash(_("Your password is changed, and every session of your account has ended. Log in."), "success")
        return redirect(url_for("auth.login"), 303)
    return render_template("auth/reset.html", form=form)
