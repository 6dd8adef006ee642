"""Evidence rules: the review workflow and who may move it, deletion, links and file names.

Review states and transitions::

    draft ──submit──> submitted ──accept──> accepted
                          │  ^
                       reject └──submit── rejected (the reviewer's comment says why)

- Anyone who may edit content (contributors and up) submits; consultants, client managers and owners
  accept or reject. Rejecting needs a comment, so the contributor knows what to fix.
- A new file on an accepted item sends it back to ``submitted``: the acceptance was for other bytes.
  Draft, submitted and rejected items keep their state (a rejected item is resubmitted on purpose, once
  fixed). See :func:`state_after_new_version`.
- A review names the file version the reviewer saw; it is refused when a newer one has been uploaded
  since, so nobody accepts (or rejects) bytes they never opened. See :func:`stale_review_message`.
- An item is soft deleted by a reviewer, or by the person who added it while it is not accepted; only an
  owner (``MANAGE_WORKSPACE``) restores it.

What may be uploaded (checked on content, not on the name) lives in :mod:`app.domain.file_types`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from urllib.parse import urlsplit

from app.domain.ids import is_id as is_id  # re-exported: the evidence forms and API use it
from app.domain.permissions import Action, can
from app.domain.text import _, _l

TITLE_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 10_000
URL_MAX_LENGTH = 2_000
COMMENT_MAX_LENGTH = 5_000
FILENAME_MAX_LENGTH = 150  # characters of the display name; the column holds 255
EXTENSION_MAX_LENGTH = 10
FALLBACK_STEM = "evidence"
EARLIEST_VALID_UNTIL = date(2000, 1, 1)
VALID_UNTIL_YEARS_AHEAD = 30


class ReviewState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class ReviewAction(StrEnum):
    SUBMIT = "submit"
    ACCEPT = "accept"
    REJECT = "reject"


STATE_LABELS: dict[str, str] = {
    ReviewState.DRAFT: _l("Draft"),
    ReviewState.SUBMITTED: _l("Awaiting review"),
    ReviewState.ACCEPTED: _l("Accepted"),
    ReviewState.REJECTED: _l("Rejected"),
}


@dataclass(frozen=True)
class Transition:
    sources: frozenset[ReviewState]
    target: ReviewState
    needs: Action


TRANSITIONS: dict[ReviewAction, Transition] = {
    ReviewAction.SUBMIT: Transition(
        frozenset({ReviewState.DRAFT, ReviewState.REJECTED}), ReviewState.SUBMITTED, Action.EDIT_CONTENT
    ),
    ReviewAction.ACCEPT: Transition(frozenset({ReviewState.SUBMITTED}), ReviewState.ACCEPTED, Action.REVIEW),
    ReviewAction.REJECT: Transition(frozenset({ReviewState.SUBMITTED}), ReviewState.REJECTED, Action.REVIEW),
}


class Refusal(StrEnum):
    """Why a review step is refused: the role may not (403), the state does not allow it (409), or a
    field is missing (422)."""

    FORBIDDEN = "forbidden"
    INVALID = "invalid"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class ReviewDecision:
    state: ReviewState | None  # the new state when allowed
    refusal: Refusal | None = None
    message: str = ""


def decide_review(
    role: str,
    current: str,
    action: str,
    comment: str = "",
    *,
    seen_version: int | None = None,
    latest_version: int | None = None,
) -> ReviewDecision:
    """Whether ``role`` may take ``action`` on an item in state ``current``, and the state it leads to.

    An accept or reject naming the file version the reviewer saw (``seen_version``) is refused when the
    item's newest version (``latest_version``) is another one; None for either skips that check.
    """
    try:
        step = TRANSITIONS[ReviewAction(action)]
    except ValueError:
        return ReviewDecision(None, Refusal.INVALID, _("Choose accept or reject."))
    if not can(role, step.needs):
        forbidden = (
            _("Your role does not allow you to submit evidence.")
            if step.needs is Action.EDIT_CONTENT
            else _("Your role does not allow you to review evidence.")
        )
        return ReviewDecision(None, Refusal.FORBIDDEN, forbidden)
    if current not in step.sources:
        return ReviewDecision(None, Refusal.INVALID, _invalid_message(action, current))
    stale = stale_review_message(seen_version, latest_version)
    if stale and action != ReviewAction.SUBMIT:
        return ReviewDecision(None, Refusal.INVALID, stale)
    if action == ReviewAction.REJECT and not comment.strip():
        return ReviewDecision(None, Refusal.INCOMPLETE, _("Say why it is rejected, so it can be fixed."))
    if len(comment.strip()) > COMMENT_MAX_LENGTH:
        too_long = _("Use at most %(limit)d characters.", limit=COMMENT_MAX_LENGTH)
        return ReviewDecision(None, Refusal.INCOMPLETE, too_long)
    return ReviewDecision(step.target)


def stale_review_message(seen: int | None, latest: int | None) -> str | None:
    """Why a review of file version ``seen`` cannot stand when ``latest`` is the newest, or None when it
    can (the same version, an item without a file, or no version to check)."""
    if seen is None or latest is None or seen == latest:
        return None
    if 0 < seen < latest:
        return _(
            "Version %(latest)d of the file was uploaded after you opened version %(seen)d, so your review "
            "was not saved. Look at version %(latest)d, then review again.",
            latest=latest,
            seen=seen,
        )
    return _(
        "Your review did not name the latest version of the file (version %(latest)d), so it was not "
        "saved. Look at it, then review again.",
        latest=latest,
    )


def _invalid_message(action: str, current: str) -> str:
    label = str(STATE_LABELS.get(current, current)).lower()
    if action == ReviewAction.SUBMIT:
        return _("This evidence is %(state)s: only a draft or a rejected item can be submitted.", state=label)
    return _("This evidence is %(state)s: only submitted evidence can be accepted or rejected.", state=label)


def state_after_new_version(current: str) -> str:
    """A changed file is reviewed again: accepted goes back to submitted, other states stay."""
    return ReviewState.SUBMITTED if current == ReviewState.ACCEPTED else current


def may_add_version(role: str) -> bool:
    return can(role, Action.EDIT_CONTENT)


def may_delete(role: str, added_it: bool, current: str) -> bool:
    """Reviewers delete any item; the person who added it may while it is not accepted."""
    if can(role, Action.REVIEW):
        return True
    return can(role, Action.EDIT_CONTENT) and added_it and current != ReviewState.ACCEPTED


def may_restore(role: str) -> bool:
    return can(role, Action.MANAGE_WORKSPACE)


def available_actions(
    role: str, state: str, *, is_file: bool, added_it: bool, deleted: bool
) -> frozenset[str]:
    """What the item's page offers this role: submit, review, new_version, delete, restore."""
    if deleted:
        return frozenset({"restore"}) if may_restore(role) else frozenset()
    offered = {
        "submit": decide_review(role, state, ReviewAction.SUBMIT).state is not None,
        "review": decide_review(role, state, ReviewAction.ACCEPT).state is not None,
        "new_version": is_file and may_add_version(role),
        "delete": may_delete(role, added_it, state),
    }
    return frozenset(name for name, allowed in offered.items() if allowed)


# Fields


def link_error(url: str) -> str | None:
    """Why ``url`` cannot be stored as a link (only absolute http and https addresses), or None."""
    if not url:
        return _("Enter the address of the page.")
    if len(url) > URL_MAX_LENGTH:
        return _("Use at most %(limit)d characters.", limit=URL_MAX_LENGTH)
    if any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in url):
        return _("An address cannot contain spaces or control characters.")
    try:
        parts = urlsplit(url)
    except ValueError:
        return _("This is not a valid web address.")
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return _("Enter a full web address starting with https:// or http://.")
    return None


def valid_until_error(value: date | None, today: date) -> str | None:
    latest = date(today.year + VALID_UNTIL_YEARS_AHEAD, 12, 31)
    if value is not None and not EARLIEST_VALID_UNTIL <= value <= latest:
        return _(
            "Enter a date between %(first)d and %(last)d.", first=EARLIEST_VALID_UNTIL.year, last=latest.year
        )
    return None


_UNSAFE = re.compile(r'[<>:"/\\|?*;]')


def _visible(ch: str) -> str:
    """Control and format characters go; every kind of space becomes a plain space."""
    category = unicodedata.category(ch)
    if category[0] == "Z":
        return " "
    return "" if category[0] == "C" else ch


def sanitise_filename(raw: str) -> str:
    """A display name safe to show and to send in a header; never used as a path on disk.

    Keeps the last path part only, drops control and format characters, replaces characters that are
    unsafe in file names or headers, trims leading dots (no hidden or relative names) and trailing dots
    and spaces, and shortens long names keeping the extension. May return "" (nothing usable is left).
    """
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(_visible(ch) for ch in name)
    name = " ".join(_UNSAFE.sub("_", name).split()).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > EXTENSION_MAX_LENGTH:
        stem, extension = name, ""
    room = FILENAME_MAX_LENGTH - (len(extension) + 1 if extension else 0)
    stem = stem[:room].rstrip(" .")
    if not stem:
        stem = FALLBACK_STEM if extension else ""
    return f"{stem}.{extension}" if extension else stem


def extension_of(name: str) -> str:
    """The lower-case extension of a sanitised name, without the dot ("" when none)."""
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def with_extension(name: str, extension: str) -> str:
    """Give a name without an extension the one its content shows ("" becomes "evidence.png")."""
    if extension_of(name):
        return name
    stem = (name or FALLBACK_STEM)[: FILENAME_MAX_LENGTH - len(extension) - 1]
    return f"{stem}.{extension}"
