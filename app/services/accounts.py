"""Accounts: sign-up, authentication, passwords, and which workspace a user is working in."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import Client, Membership, User, Workspace

# Checked against when the email is unknown, so both failures cost the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def hash_password(password: str) -> str:
    """scrypt by default; ``PASSWORD_HASH_METHOD`` lets the test suite use a cheap hash."""
    return generate_password_hash(password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.execute(
        select(User).where(func.lower(User.email) == normalise_email(email))
    ).scalar_one_or_none()


def email_taken(email: str) -> bool:
    return find_user(email) is not None


def create_user(email: str, name: str, password: str) -> User:
    user = User(email=normalise_email(email), name=name.strip(), password_hash=hash_password(password))
    db.session.add(user)
    return user


class EmailTaken(Exception):
    """Another account holds this email (signed up a moment ago, after the form was checked)."""


def create_account(email: str, name: str, password: str, workspace_name: str, kind: str) -> Membership:
    """A new user with a new workspace they own, saved (flushed) so that the user can be logged in."""
    try:
        with db.session.begin_nested():
            user = create_user(email, name, password)
            workspace = Workspace(name=workspace_name.strip(), kind=kind)
            membership = Membership(user=user, workspace=workspace, role="owner")
            db.session.add_all([workspace, membership])
    except IntegrityError:
        raise EmailTaken(email) from None
    return membership


def authenticate(email: str, password: str) -> User | None:
    """The user whose credentials these are, or None: unknown email and wrong password look the same."""
    user = find_user(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    return user


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)


def check_password(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


def memberships_of(user_id: int) -> list[Membership]:
    stmt = (
        select(Membership)
        .join(Workspace)
        .where(Membership.user_id == user_id)
        .order_by(Workspace.name, Membership.id)
    )
    return list(db.session.execute(stmt).scalars())


def current_membership(user_id: int, wanted_workspace_id: int | None) -> Membership | None:
    """The membership for the workspace chosen in the session, else the user's first one."""
    memberships = memberships_of(user_id)
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
    user = create_user(email, name, password)
    membership = Membership(user=user, workspace=workspace, role=role, clients=clients)
    db.session.add_all([workspace, membership])
    return membership
