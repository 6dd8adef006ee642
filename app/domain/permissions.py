"""What each workspace role may do. Pure rules; the scope service applies them to requests.

Seeing is separate from doing: a ``client_manager`` sees only the clients named on their membership,
every other role sees the whole workspace. Objects outside what a user sees are answered with 404 (their
existence is not revealed); objects they see but may not change are answered with 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from app.domain.text import _l, _lp


class Action(StrEnum):
    VIEW = "view"
    EDIT_CONTENT = "edit_content"  # assess clauses, work on tasks, submit evidence
    MANAGE_PROJECTS = "manage_projects"  # edit clients, sites and projects already visible
    CREATE_CLIENTS = "create_clients"
    DELETE_CLIENTS = "delete_clients"  # a client with all its sites and projects (restorable by an owner)
    REVIEW = "review"  # accept or reject evidence
    MANAGE_WORKSPACE = "manage_workspace"  # members and workspace settings


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    "owner": frozenset(Action),
    "consultant": frozenset(Action) - {Action.MANAGE_WORKSPACE},
    "client_manager": frozenset({Action.VIEW, Action.EDIT_CONTENT, Action.MANAGE_PROJECTS, Action.REVIEW}),
    "contributor": frozenset({Action.VIEW, Action.EDIT_CONTENT}),
    "viewer": frozenset({Action.VIEW}),
}

ROLE_LABELS = {
    "owner": _lp("role", "Owner"),  # the role; "Owner" alone is the person who closes a gap
    "consultant": _l("Consultant"),
    "client_manager": _l("Client manager"),
    "contributor": _l("Contributor"),
    "viewer": _l("Viewer"),
}


def can(role: str, action: Action) -> bool:
    """Whether ``role`` may perform ``action``; unknown roles may do nothing."""
    return action in ROLE_ACTIONS.get(role, frozenset())


def sees_all_clients(role: str) -> bool:
    return role in ROLE_ACTIONS and role != "client_manager"


def action_to_change_finding(before: tuple[str, str] | None, after: tuple[str, str]) -> Action:
    """The action a change of a finding of the nonconformity register needs, from its (severity, state)
    before (None: a new one) and after.

    An open major finding (any state but closed) blocks its stage's exit, so lifting that block is the
    consultant's call, as a certification body's auditor would expect: closing it, lowering its severity
    while open, or recording a major finding already closed needs MANAGE_PROJECTS. Everything else
    (raising and describing findings, planning, implementing and checking the corrective action, closing
    minor ones and observations) is content work.
    """

    def blocks(severity: str, state: str) -> bool:
        return severity == "major" and state != "closed"

    blocks_before = blocks(*before) if before is not None else after[0] == "major"
    lifts_the_block = blocks_before and not blocks(*after)
    return Action.MANAGE_PROJECTS if lifts_the_block else Action.EDIT_CONTENT


class FourEyes(StrEnum):
    """The outcome of the four-eyes rule for approving or accepting someone's work."""

    ALLOWED = "allowed"  # another person's work
    SELF_APPROVED = "self_approved"  # the author's own, allowed because they work alone
    REFUSED = "refused"  # the author's own, and someone else could look at it


def four_eyes(actor_id: int | None, author_ids: Iterable[int | None], members: int) -> FourEyes:
    """Whether ``actor_id`` may approve work written or submitted by ``author_ids``.

    Nobody approves their own work while someone else in the workspace could: a workspace with a single
    member has nobody else, so there the author's approval stands, recorded as self-approved. Authors
    whose account was deleted (None) count as someone else.
    """
    if actor_id is None or actor_id not in set(author_ids):
        return FourEyes.ALLOWED
    return FourEyes.SELF_APPROVED if members <= 1 else FourEyes.REFUSED
