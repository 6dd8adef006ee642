"""A password the person chose themselves: set it, and forget that one had to be chosen.

``User.must_change_password`` marks a password someone else chose (the "one-time password" an owner once
passed on by hand). Every way a person sets their own password goes through :func:`set_own_password`, so
the mark goes with the password it was about, and every other session of the account ends.
"""

from __future__ import annotations

from app.models import User
from app.services import accounts

UNCHANGED_REFUSAL = "Choose a password other than the one you were given."


def set_own_password(user: User, password: str) -> None:
    accounts.set_password(user, password)
    user.must_change_password = False


def must_change(user: User) -> bool:
    return bool(user.must_change_password)


def is_unchanged(user: User, password: str) -> bool:
    """Whether ``password`` is the one the account has now (a forced change must change it)."""
    return accounts.check_password(user, password)
