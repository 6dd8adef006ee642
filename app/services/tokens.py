"""Personal API tokens: created for one membership, shown once, stored as a SHA-256, revoked by their owner.

A token is ``rdy_`` followed by 32 random bytes (url-safe base64). Only its SHA-256 (hex) and a short
display prefix are stored, so a copy of the database gives nobody a working token. A token acts for its
membership: one user in one workspace, with that role (and, for a client manager, those clients).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.models import ApiToken, Membership
from app.models.base import utcnow
from app.services.accounts import find_user, memberships_of

TOKEN_MARK = "rdy_"  # noqa: S105 (a marker that makes leaked tokens easy to scan for, not a secret)
DISPLAY_LENGTH = 12  # "rdy_" and 8 random characters: enough to tell tokens apart, useless to an attacker
MAX_TOKEN_LENGTH = 200  # anything longer is not one of ours; refuse it before hashing
NAME_MAX_LENGTH = 80
# "Last used" is precise to the minute: a busy script does not write to the database on every request.
USAGE_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    row: ApiToken
    secret: str  # the token itself: show it once, never store it


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create(membership_id: int, name: str) -> NewToken:
    """A new token for ``membership_id``. The caller commits, then shows ``secret`` once."""
    secret = TOKEN_MARK + secrets.token_urlsafe(32)
    row = ApiToken(
        membership_id=membership_id,
        name=name.strip(),
        prefix=secret[:DISPLAY_LENGTH],
        token_hash=hash_token(secret),
    )
    db.session.add(row)
    return NewToken(row, secret)


def active_tokens(membership_id: int) -> list[ApiToken]:
    """The membership's tokens that still work, newest first."""
    stmt = (
        select(ApiToken)
        .where(ApiToken.membership_id == membership_id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(db.session.execute(stmt).scalars())


def find_own(membership_id: int, token_id: int) -> ApiToken | None:
    """An active token of this membership; None for anybody else's (the caller answers 404)."""
    return db.session.execute(
        select(ApiToken).where(
            ApiToken.id == token_id,
            ApiToken.membership_id == membership_id,
            ApiToken.revoked_at.is_(None),
        )
    ).scalar_one_or_none()


def revoke(token: ApiToken) -> None:
    """The token stops working at once. The caller commits."""
    token.revoked_at = utcnow()


def _active_of_user(user_id: int) -> Any:
    own = select(Membership.id).where(Membership.user_id == user_id)
    return (ApiToken.membership_id.in_(own), ApiToken.revoked_at.is_(None))


def count_active_of_user(user_id: int) -> int:
    """How many working tokens the user has, in every workspace."""
    stmt = select(func.count(ApiToken.id)).where(*_active_of_user(user_id))
    return db.session.execute(stmt).scalar_one()


def revoke_all_of_user(user_id: int) -> int:
    """Every token of the user, in every workspace, stops working at once; how many there were."""
    rows = list(db.session.execute(select(ApiToken).where(*_active_of_user(user_id))).scalars())
    for row in rows:
        revoke(row)
    return len(rows)


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes even for timezone-aware columns; they were stored in UTC.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def mark_used(token: ApiToken, now: datetime) -> bool:
    """Stamp ``last_used_at``; False when the stamp is already fresh (nothing to save)."""
    last = _aware(token.last_used_at)
    if last is not None and now - last < USAGE_RESOLUTION:
        return False
    token.last_used_at = now
    return True


def authenticate(secret: str) -> Membership | None:
    """The membership a token acts for, or None if it is unknown, revoked, or its user is deactivated.

    One query, with the membership's user and workspace. A client manager's clients are left to
    :meth:`Scope.of <app.services.scope.Scope.of>`, which reads them only for that role: the roles that
    see every client (most tokens) do not pay a query for them.

    Stamps the token's last use in a transaction of its own, so the stamp is kept even when the request
    is then refused, and it never carries half of the request's change.
    """
    if not secret or len(secret) > MAX_TOKEN_LENGTH:
        return None
    digest = hash_token(secret)
    token = (
        db.session.execute(
            select(ApiToken)
            .where(ApiToken.token_hash == digest)
            .options(
                joinedload(ApiToken.membership).joinedload(Membership.user),
                joinedload(ApiToken.membership).joinedload(Membership.workspace),
            )
        )
        .unique()
        .scalar_one_or_none()
    )
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    # Checked at every use: a token acts only through a membership (and user) that still exists.
    membership = token.membership
    if token.revoked_at is not None or membership is None or membership.user is None:
        return None
    if not membership.user.is_active:
        return None
    now = utcnow()
    if mark_used(token, now):
        _save_last_use(token, now)
    return token.membership


def _save_last_use(token: ApiToken, now: datetime) -> None:
    with db.engine.begin() as connection:
        connection.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    set_committed_value(token, "last_used_at", now)  # saved: nothing left for the request to write


class NoSuchMembership(ValueError):
    pass


def membership_for(email: str, workspace_name: str | None) -> Membership:
    """The membership a command-line token is for: the user's only workspace, or the one named."""
    user = find_user(email)
    if user is None:
        raise NoSuchMembership(f"No account has the email {email}.")
    memberships = memberships_of(user.id)
    names = ", ".join(f"“{m.workspace.name}”" for m in memberships) or "none"
    if workspace_name is not None:
        memberships = [m for m in memberships if m.workspace.name == workspace_name.strip()]
    if len(memberships) == 1:
        return memberships[0]
    if not memberships:
        raise NoSuchMembership(
            f"{email} is not a member of workspace “{workspace_name}” (member of: {names})."
        )
    raise NoSuchMembership(
        f"{email} is a member of several workspaces ({names}); choose one with --workspace."
    )
