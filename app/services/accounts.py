"""Accounts: sign-up, authentication, passwords, sessions, and which workspace a user is working in.

An account made by signing up is unverified until its owner follows the link e-mailed to the address
(:mod:`app.services.account_links`), and cannot log in before. Sign-up never tells whether an address
already has an account: the caller e-mails the holder a notice instead of a link, and shows the same page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import Client, Membership, User, Workspace
from app.models.base import utcnow


@cache
def _dummy_hash() -> str:
    """Checked against when the email is unknown, so both failures cost the same time.

    Made on the first failed log-in, not at import: a scrypt hash takes ~130 ms and ~32 MB, which every
    process (each gunicorn worker, every ``flask`` command) paid at start-up whether or not anybody logged in.
    Made with the default method (scrypt, production's) whatever ``PASSWORD_HASH_METHOD`` says.
    """
    return generate_password_hash("not-a-real-password")


def hash_password(password: str) -> str:
    """scrypt by default; ``PASSWORD_HASH_METHOD`` lets the test suite use a cheap hash."""
    return generate_password_hash(password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    """The account of this address, read afresh (``populate_existing``) even when the session already
    holds it: a log-in checks the stored password and writes the stored session version into the cookie."""
    return db.session.execute(
        select(User)
        .where(func.lower(User.email) == normalise_email(email))
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def email_taken(email: str) -> bool:
    return find_user(email) is not None


def create_user(
    email: str, name: str, password: str, *, verified: bool = False, password_hash: str | None = None
) -> User:
    """A new account; ``verified`` when whoever creates it vouches for the address (the command line, an
    accepted invitation), never for a self-service sign-up."""
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        password_hash=password_hash or hash_password(password),
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    return user


class EmailTaken(Exception):
    """Another account holds this email (signed up a moment ago, after the form was checked)."""


def create_account(
    email: str,
    name: str,
    password: str,
    workspace_name: str,
    kind: str,
    *,
    verified: bool = True,
    password_hash: str | None = None,
) -> Membership:
    """A new user with a new workspace they own, saved (flushed). ``verified`` as in :func:`create_user`:
    sign-up passes False."""
    try:
        with db.session.begin_nested():
            user = create_user(email, name, password, verified=verified, password_hash=password_hash)
            workspace = Workspace(name=workspace_name.strip(), kind=kind)
            membership = Membership(user=user, workspace=workspace, role="owner")
            db.session.add_all([workspace, membership])
    except IntegrityError:
        raise EmailTaken(email) from None
    return membership


@dataclass(frozen=True)
class SignUp:
    user: User
    created: bool  # False: the address already had an account, whose holder gets a notice, not a link


def sign_up(email: str, name: str, password: str, workspace_name: str, kind: str) -> SignUp:
    """A new unverified account and its workspace, or the account that already holds the address.

    The password is hashed either way, so the answer takes as long whether or not the address is taken.
    """
    password_hash = hash_password(password)
    existing = find_user(email)
    if existing is not None:
        return SignUp(existing, created=False)
    try:
        membership = create_account(
            email, name, password, workspace_name, kind, verified=False, password_hash=password_hash
        )
    except EmailTaken:  # signed up a moment ago, between the look-up and the insert
        holder = find_user(email)
        if holder is None:
            raise
        return SignUp(holder, created=False)
    return SignUp(membership.user, created=True)


def authenticate(email: str, password: str) -> User | None:
    """The user whose credentials these are, or None: unknown email and wrong password look the same.

    An unverified account is returned too (the caller says it must be confirmed first): only someone who
    knows its password learns that.
    """
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    return user


def is_verified(user: User) -> bool:
    return user.email_verified_at is not None


def mark_verified(user: User) -> None:
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()


def set_password(user: User, password: str) -> None:
    """A new password ends every session of the account (the caller logs the current one in again)."""
    user.password_hash = hash_password(password)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """Every session cookie of the user stops working: it carries the old session version."""
    user.session_version = (user.session_version or 0) + 1


def check_password(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


def memberships_of(user_id: int) -> list[Membership]:
    """The user's memberships with their workspaces (one query), in workspace-name order."""
    stmt = (
        select(Membership)
        .join(Membership.workspace)
        .where(Membership.user_id == user_id)
        .options(contains_eager(Membership.workspace))
        .order_by(Workspace.name, Membership.id)
    )
    return list(db.session.execute(stmt).scalars())


def user_with_memberships(user_id: int) -> User | None:
    """The user with every membership and its workspace, in one query: the log-in's user loader, so a
    request's scope is chosen from ``user.memberships`` (:func:`current_membership`) without another one.

    Read afresh on every call (``populate_existing``), even when the session already holds the user: a
    deactivated account, a newer session version or a removed membership counts at the very next request.
    """
    stmt = (
        select(User)
        .outerjoin(User.memberships)
        .outerjoin(Membership.workspace)
        .where(User.id == user_id)
        .options(contains_eager(User.memberships).contains_eager(Membership.workspace))
        .order_by(Workspace.name, Membership.id)
        .execution_options(populate_existing=True)
    )
    return db.session.execute(stmt).unique().scalar_one_or_none()


def current_membership(user: User, wanted_workspace_id: int | None) -> Membership | None:
    """The membership for the workspace chosen in the session, else the user's first one (by workspace
    name). ``user`` comes from :func:`user_with_memberships`, so this reads no more rows."""
    memberships = user.memberships
    for membership in memberships:
        if membership.workspace_id == wanted_workspace_id:
            return membership
    return memberships[0] if memberships else None


class AmbiguousWorkspace(ValueError):
    pass


class UnknownClient(ValueError):
    pass


def add_user_to_workspace(
    email: str, name: str, password: str, workspace_name: str, role: str, client_names: tuple[str, ...] = ()
) -> Membership:
    """Create a user with ``role`` in the workspace of that name, creating the workspace if there is none."""
    matches = list(
        db.session.execute(select(Workspace).where(Workspace.name == workspace_name.strip())).scalars()
    )
    if len(matches) > 1:
        raise AmbiguousWorkspace(f"{len(matches)} workspaces are named “{workspace_name}”; rename one first.")
    workspace = matches[0] if matches else Workspace(name=workspace_name.strip(), kind="consultancy")
    clients = []
    for client_name in client_names:
        client = db.session.execute(
            select(Client).where(
                Client.workspace_id == workspace.id, Client.name == client_name, Client.deleted_at.is_(None)
            )
        ).scalar_one_or_none()
        if client is None:
            raise UnknownClient(f"Workspace “{workspace.name}” has no client named “{client_name}”.")
        clients.append(client)
    user = create_user(email, name, password, verified=True)  # the operator vouches for the address
    membership = Membership(user=user, workspace=workspace, role=role, clients=clients)
    db.session.add_all([workspace, membership])
    return membership
