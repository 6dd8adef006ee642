"""Invitations: the only way into a workspace. An owner invites an address with a role; whoever can read
that mailbox follows the link and accepts, with their account or a new one.

The token is 32 random bytes shown once, in the e-mailed link; only its SHA-256 is stored. An invitation
works for 7 days, once, and not after its owner revoked it. Inviting says nothing about whether the address
has an account: the e-mail and the page are the same either way.

Its e-mail is sent while the request that made it runs, and the outcome saved on it in the same commit
(``sent_at``, or ``send_error``): with the mail server down the invitation is kept, listed as "not sent"
with the error, and resent later with a new link (the one that never arrived stops working).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain.permissions import Action
from app.domain.text import _
from app.extensions import db
from app.models import Client, Invitation, Membership, User
from app.models.base import utcnow
from app.services import accounts, mail, own_password, preferences
from app.services.errors import Conflict, Invalid, NotFound, Refused
from app.services.members import clients_for_role
from app.services.scope import Scope, get_or_404_in

VALID_FOR = timedelta(days=7)
MAX_TOKEN_LENGTH = 100
NOT_OPEN = (
    "This invitation link is not valid: it may have expired (after 7 days), been withdrawn, or been used "
    "already. Ask the workspace owner for a new one."
)


@dataclass(frozen=True)
class NewInvitation:
    row: Invitation
    token: str  # goes into the e-mailed link; never stored


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns; they were stored in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def is_open(invitation: Invitation, now: datetime | None = None) -> bool:
    return (
        invitation.accepted_at is None
        and invitation.revoked_at is None
        and _aware(invitation.expires_at) > (now or utcnow())
    )


def invite(scope: Scope, email: str, role: str, clients: list[Client], invited_by: User) -> NewInvitation:
    """A new invitation (replacing an open one to the same address, whose link stops working)."""
    address = accounts.normalise_email(email)
    member = db.session.execute(
        select(Membership.id)
        .join(User)
        .where(Membership.workspace_id == scope.workspace_id, User.email == address)
    ).first()
    if member is not None:
        raise Invalid(fields={"email": "This person is already a member of the workspace."})
    chosen = clients_for_role(role, clients)
    now = utcnow()
    for earlier in _open_to(scope.workspace_id, address, now):
        earlier.revoked_at = now
    row = Invitation(
        workspace_id=scope.workspace_id, email=address, role=role, invited_by_id=invited_by.id, clients=chosen
    )
    token = _new_link(row, now)
    db.session.add(row)
    db.session.flush()
    return NewInvitation(row, token)


def _open_to(workspace_id: int, address: str, now: datetime) -> list[Invitation]:
    stmt = select(Invitation).where(
        Invitation.workspace_id == workspace_id,
        Invitation.email == address,
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
    )
    return [row for row in db.session.execute(stmt).scalars() if is_open(row, now)]


def _new_link(invitation: Invitation, now: datetime) -> str:
    """A fresh token on ``invitation``, valid 7 days from ``now``: any earlier link stops working."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = hash_token(token)
    invitation.expires_at = now + VALID_FOR
    invitation.sent_at = None
    invitation.send_error = ""
    return token


def resend(scope: Scope, invitation_id: int) -> NewInvitation:
    """A new link for an invitation not yet accepted or withdrawn (expired ones too), for 7 more days.

    Looked up before the role is checked, as :func:`revoke` is.
    """
    invitation = get_or_404_in(scope, Invitation, invitation_id)
    scope.require(Action.MANAGE_WORKSPACE)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise NotFound(_("This invitation was accepted or withdrawn: it cannot be sent again."))
    token = _new_link(invitation, utcnow())
    return NewInvitation(invitation, token)


def send(invitation: Invitation, message: EmailMessage) -> bool:
    """Send the invitation's e-mail now and save how it went on the invitation; True when it went.

    A failure is logged by :mod:`app.services.mail`; the invitation stays, "not sent", with the reason.
    """
    error = mail.send_now([message])
    invitation.sent_at = None if error else utcnow()
    invitation.send_error = error
    return not error


def pending(scope: Scope) -> list[Invitation]:
    """The workspace's invitations not yet accepted or revoked, newest first (expired ones say so)."""
    stmt = (
        select(Invitation)
        .where(
            Invitation.workspace_id == scope.workspace_id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .options(selectinload(Invitation.clients))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    return list(db.session.execute(stmt).scalars())


def revoke(scope: Scope, invitation_id: int) -> Invitation:
    """Withdraw an invitation not yet accepted: its link stops working.

    Looked up before the role is checked, like a membership: a client manager sees no workspace-level
    row, so any id is a 404 to them, never a 403 that says it exists.
    """
    invitation = get_or_404_in(scope, Invitation, invitation_id)
    scope.require(Action.MANAGE_WORKSPACE)
    if invitation.accepted_at is not None:
        raise NotFound(_("This invitation was accepted: change or remove the member instead."))
    invitation.revoked_at = invitation.revoked_at or utcnow()
    return invitation


def find_open(token: str) -> Invitation:
    """The open invitation a link names; :class:`NotFound` for anything else."""
    invitation = None
    if token and len(token) <= MAX_TOKEN_LENGTH:
        invitation = db.session.execute(
            select(Invitation).where(Invitation.token_hash == hash_token(token))
        ).scalar_one_or_none()
    if invitation is None or not is_open(invitation):
        raise NotFound(NOT_OPEN)
    return invitation


def is_for(invitation: Invitation, user: User) -> bool:
    return accounts.normalise_email(user.email) == invitation.email


def account_ready(invitation: Invitation) -> bool:
    """Whether the invited address has an account to log in with (else the invitee sets one up here).

    Only the holder of the link learns this: the link was sent to that address.
    """
    user = accounts.find_user(invitation.email)
    return user is not None and accounts.is_verified(user)


def accept(invitation: Invitation, user: User) -> Membership:
    """``user`` joins the workspace with the invitation's role; the link proved their mailbox."""
    if not is_open(invitation):
        raise NotFound(NOT_OPEN)
    if not is_for(invitation, user):
        raise Refused(_("This invitation was sent to another e-mail address."))
    accounts.mark_verified(user)
    invitation.accepted_at = utcnow()
    existing = next((m for m in user.memberships if m.workspace_id == invitation.workspace_id), None)
    if existing is not None:
        return existing
    clients = [client for client in invitation.clients if client.deleted_at is None]
    if invitation.role == "client_manager" and not clients:
        raise Conflict(
            _("The clients this invitation named are gone. Ask the workspace owner for a new one.")
        )
    membership = Membership(user=user, workspace_id=invitation.workspace_id, role=invitation.role)
    membership.clients = clients
    db.session.add(membership)
    preferences.start_in_workspace_language(user, invitation.workspace)
    db.session.flush()
    return membership


def accept_with_new_account(invitation: Invitation, name: str, password: str) -> Membership:
    """Set up the invited address's account here, verified (the link proved the mailbox), and accept.

    An unverified account already holding the address (someone signed up with it and never confirmed) is
    taken over: it gets this name and password, and whoever chose its old password is shut out.
    """
    user = accounts.find_user(invitation.email)
    if user is not None and accounts.is_verified(user):
        raise Conflict(_("An account already uses this address: log in to accept the invitation."))
    if user is None:
        user = accounts.create_user(invitation.email, name, password, verified=True)
    else:
        user.name = name.strip()
        own_password.set_own_password(user, password)
        accounts.mark_verified(user)
    db.session.flush()
    return accept(invitation, user)
