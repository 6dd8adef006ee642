"""The e-mails the app sends, and when they leave: only once the request that wrote them has succeeded.

A view queues its messages; after the response is made (and the request's one commit done) they go to
:func:`app.services.mail.deliver` if the answer is a success or a redirect, and are dropped otherwise, so
nobody gets a link to an invitation or an account whose transaction rolled back.

An invitation is the exception: its message is sent by the view, at once, so that whether it went can be
saved on the invitation in the same commit (:func:`app.services.invitations.send`).
"""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

from flask import Flask, Response, current_app, g, render_template, url_for

from app.domain.permissions import ROLE_LABELS
from app.domain.text import _, _l
from app.models import Invitation, User
from app.services import account_links, mail
from app.services.invitations import VALID_FOR


def link(endpoint: str, **values: Any) -> str:
    """An absolute link for an e-mail: on ``PUBLIC_URL`` when set, so a forged Host header cannot turn a
    password reset link into one to another site."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def queue(to: str, subject: str, template: str, **context: Any) -> None:
    """Write a message, to go after the request: in the language of the ``user`` it is written to (the
    request's if none), its ``subject`` marked with ``_l`` so that it is translated here."""
    recipient = context.get("user")
    with mail.in_language(getattr(recipient, "locale", None)) as language:
        text = render_template(f"auth/email/{template}.txt", **context)
        written = mail.message(to, str(subject), text, language=language)
    g.setdefault("outgoing_mail", []).append(written)


def deliver_queued(response: Response) -> Response:
    messages: list[EmailMessage] = g.pop("outgoing_mail", [])
    if messages and response.status_code < 400:
        mail.deliver(messages)
    return response


def init_app(app: Flask) -> None:
    if not app.extensions.get("queued_mail"):
        app.after_request(deliver_queued)
        app.extensions["queued_mail"] = True
    if app.config["ENVIRONMENT"] == "production":
        if app.config["MAIL_BACKEND"] != "smtp":
            app.logger.warning(
                "MAIL_SERVER is not set: sign-up confirmations, password resets and invitations are not sent."
            )
        if not app.config.get("PUBLIC_URL"):
            app.logger.warning("PUBLIC_URL is not set: links in e-mails use the host each request names.")


def verification(user: User) -> None:
    token = account_links.verification_token(user)
    queue(
        user.email,
        _l("Confirm your e-mail address for Readiness"),
        "verify",
        user=user,
        link=link("auth.verify_email", token=token),
    )


def sign_up_notice(user: User) -> None:
    """To the holder of an address someone tried to sign up with again: no link that changes anything."""
    queue(
        user.email,
        _l("Someone tried to sign up to Readiness with your address"),
        "signup_taken",
        user=user,
        login=link("auth.login"),
        reset=link("auth.forgot_password"),
    )


def password_reset(user: User) -> None:
    token = account_links.reset_token(user)
    queue(
        user.email,
        _l("Set a new password for Readiness"),
        "reset",
        user=user,
        link=link("auth.reset_password", token=token),
    )


def invitation(invitation: Invitation, token: str, invited_by: User) -> EmailMessage:
    """The invitation's message, for the view to send at once (its outcome is shown on the members page).

    Written in the workspace's language if it has one, else in the inviter's (the invited person has
    chosen none yet)."""
    with mail.in_language(invitation.workspace.default_locale) as language:
        text = render_template(
            "auth/email/invitation.txt",
            invitation=invitation,
            invited_by=invited_by,
            role=str(ROLE_LABELS.get(invitation.role, invitation.role)),
            days=VALID_FOR.days,
            link=link("auth.invitation", token=token),
        )
        subject = _(
            "%(name)s invited you to %(workspace)s on Readiness",
            name=invited_by.name,
            workspace=invitation.workspace.name,
        )
    return mail.message(invitation.email, subject, text, language=language)
