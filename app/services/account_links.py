"""Signed links e-mailed to an address: confirm it after sign-up, and set a new password when it is forgotten.

Each link is signed with the app's ``SECRET_KEY`` (itsdangerous) under a salt of its own, so a link made for
one purpose is refused by the other, and it expires. A reset link names the account's session version:
using it, changing the password or logging out everywhere bumps the version, so the link works once.
Following either link proves the mailbox, so both mark the address verified.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from app.extensions import db
from app.models import User
from app.services import accounts, own_password
from app.services.errors import Invalid

VERIFY_SALT = "readiness.verify-email"
RESET_SALT = "readiness.reset-password"
VERIFY_MAX_AGE = timedelta(days=3)
RESET_MAX_AGE = timedelta(hours=1)
MAX_TOKEN_LENGTH = 500  # ours are about 100 characters; refuse anything far longer before parsing it

BAD_CONFIRMATION = "This confirmation link is not valid or has expired (links work for 3 days)."
BAD_RESET = "This password reset link is not valid any more: it works once, for an hour. Ask for a new one."


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _load(salt: str, token: str, max_age: timedelta, refusal: str) -> User:
    """The account a link names, or :class:`Invalid` with ``refusal`` when it is forged, old or stale."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise Invalid(refusal)
    try:
        data: Any = _serializer(salt).loads(token, max_age=int(max_age.total_seconds()))
    except BadData:
        raise Invalid(refusal) from None
    user_id = data.get("user") if isinstance(data, dict) else None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_active:
        raise Invalid(refusal)
    if salt == VERIFY_SALT and data.get("email") != user.email:
        raise Invalid(refusal)
    if salt == RESET_SALT and data.get("version") != user.session_version:
        raise Invalid(refusal)
    return user


def verification_token(user: User) -> str:
    return _serializer(VERIFY_SALT).dumps({"user": user.id, "email": user.email})


def confirm_email(token: str) -> User:
    """Mark the address of the link's account verified (again is harmless) and return the account."""
    user = _load(VERIFY_SALT, token, VERIFY_MAX_AGE, BAD_CONFIRMATION)
    accounts.mark_verified(user)
    return user


def reset_token(user: User) -> str:
    return _serializer(RESET_SALT).dumps({"user": user.id, "version": user.session_version or 0})


def user_for_reset(token: str) -> User:
    return _load(RESET_SALT, token, RESET_MAX_AGE, BAD_RESET)


def reset_password(token: str, password: str) -> User:
    """Set the password of the link's account; every session of it ends, and the link with them."""
    user = user_for_reset(token)
    own_password.set_own_password(user, password)
    accounts.mark_verified(user)
    return user
