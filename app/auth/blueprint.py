"""The auth blueprint, shared by its route modules (sign-up and log-in, recovery, account, invitations)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, url_for

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
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
