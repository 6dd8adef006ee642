"""What is a user's: the dated and waiting items of every project they may see, and the rules that pick
what their daily digest says and what their calendar feed lists.

The service (:mod:`app.services.agenda`) reads the rows into :class:`AgendaItem` values; these functions
decide with plain values only:

- **Assigned to the user**: the owner of a task, of an unmet requirement's action (gap analysis), of a
  corrective action or of a review action is free
  text; it names the user when it is their name or their e-mail address, ignoring case and spacing
  (:func:`names_user`).
- **The digest** (:func:`digest`): overdue tasks and actions assigned to the user; evidence and document
  revisions waiting for their review (only roles that may review, never their own work while someone else
  could review it: the four-eyes rule); documents past their review date that they own or, with a role that
  approves documents, any; audits and certificate dates (expiry, surveillance due) within
  :data:`DIGEST_DAYS` days. Nothing in any section: no digest.
- **The calendar** (:func:`calendar_events`): one all-day event per dated item (a stage or an audit spans its
  days), with a stable UID per item, so a calendar that reads the feed again updates rather than duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.domain.permissions import Action, can
from app.domain.text import _, ngettext

DIGEST_DAYS = 30  # audits and certificate dates this close are in the digest
FEED_PAST_DAYS = 90  # the feed keeps what happened this recently
FEED_FUTURE_DAYS = 3 * 366 + 31  # and looks this far ahead: a certificate's expiry, three years out
UID_DOMAIN = "readiness"


class Kind(StrEnum):
    STAGE = "stage"
    INTERNAL_AUDIT = "internal-audit"
    EXTERNAL_AUDIT = "external-audit"
    CERTIFICATE_EXPIRY = "certificate-expiry"
    SURVEILLANCE_DUE = "surveillance-due"
    TASK = "task"
    REQUIREMENT = "requirement"  # the action on an unmet requirement of the gap analysis
    FINDING = "finding"
    REVIEW_ACTION = "review-action"
    EVIDENCE_TO_REVIEW = "evidence-review"
    REVISION_TO_APPROVE = "revision-approval"
    DOCUMENT_REVIEW = "document-review"


ACTIONS = frozenset({Kind.TASK, Kind.REQUIREMENT, Kind.FINDING, Kind.REVIEW_ACTION})
AUDITS_AND_CERTIFICATES = frozenset(
    {Kind.INTERNAL_AUDIT, Kind.EXTERNAL_AUDIT, Kind.CERTIFICATE_EXPIRY, Kind.SURVEILLANCE_DUE}
)
TO_REVIEW = frozenset({Kind.EVIDENCE_TO_REVIEW, Kind.REVISION_TO_APPROVE})
# Waiting items are dated by when they started waiting: not calendar events.
CALENDAR_KINDS = frozenset(Kind) - TO_REVIEW

Target = tuple[str, Mapping[str, int | str]]  # a view name and its parameters; the web layer links it


@dataclass(frozen=True)
class AgendaItem:
    """One thing of a project (or a client's certificate) on a day.

    ``key`` is the row's id (``uid`` makes it unique across kinds); ``day`` the due or start day, ``ends``
    the last day of a span (a stage, an audit); ``owner`` the free-text owner of an action;
    ``authors`` who uploaded or submitted work waiting for review (the four-eyes rule).
    """

    kind: Kind
    key: int
    day: date | None
    what: str
    client: str
    site: str
    target: Target
    ends: date | None = None
    owner: str = ""
    authors: tuple[int | None, ...] = ()
    workspace_members: int = 2
    role: str = "viewer"
    done: bool = False

    @property
    def uid(self) -> str:
        return f"{self.kind.value}-{self.key}@{UID_DOMAIN}"

    @property
    def place(self) -> str:
        """The client and, when known, its site: "Client — Site"."""
        return f"{self.client} — {self.site}" if self.site else self.client

    @property
    def summary(self) -> str:
        return f"{self.place}: {self.what}"

    def overdue(self, today: date) -> bool:
        return not self.done and self.day is not None and self.day < today


@dataclass(frozen=True)
class Person:
    """The user a digest or a feed is for."""

    user_id: int
    name: str
    email: str


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def names_user(owner: str, person: Person) -> bool:
    """Whether a free-text owner is this user: their name or e-mail address, ignoring case and spacing.
    An empty owner names nobody."""
    folded = _fold(owner)
    return bool(folded) and folded in {_fold(person.name), _fold(person.email)}


def may_review(item: AgendaItem, person: Person) -> bool:
    """A waiting item is theirs to review: their role reviews, and it is not their own work while someone
    else in the workspace could review it (the four-eyes rule of evidence and documents)."""
    if not can(item.role, Action.REVIEW):
        return False
    own = person.user_id in set(item.authors)
    return not own or item.workspace_members <= 1


def feed_window(today: date) -> tuple[date, date]:
    """The first and last day the calendar feed lists (and the service reads)."""
    return today - timedelta(days=FEED_PAST_DAYS), today + timedelta(days=FEED_FUTURE_DAYS)


@dataclass(frozen=True)
class Digest:
    """The daily digest's sections, each in date order (oldest first)."""

    overdue: tuple[AgendaItem, ...] = ()
    to_review: tuple[AgendaItem, ...] = ()
    documents_past_review: tuple[AgendaItem, ...] = ()
    coming: tuple[AgendaItem, ...] = ()

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.to_review) + len(self.documents_past_review) + len(self.coming)

    @property
    def empty(self) -> bool:
        return self.count == 0


def _by_day(items: Iterable[AgendaItem]) -> tuple[AgendaItem, ...]:
    return tuple(sorted(items, key=lambda i: (i.day or date.min, i.kind.value, i.key)))


def _document_is_theirs(item: AgendaItem, person: Person) -> bool:
    return names_user(item.owner, person) or can(item.role, Action.REVIEW)


def digest(items: Iterable[AgendaItem], person: Person, today: date, days: int = DIGEST_DAYS) -> Digest:
    """What the daily digest tells ``person`` on ``today`` (see the module's rules)."""
    items = list(_unique(items))
    horizon = today + timedelta(days=days)
    return Digest(
        overdue=_by_day(
            i for i in items if i.kind in ACTIONS and i.overdue(today) and names_user(i.owner, person)
        ),
        to_review=_by_day(i for i in items if i.kind in TO_REVIEW and may_review(i, person)),
        documents_past_review=_by_day(
            i
            for i in items
            if i.kind is Kind.DOCUMENT_REVIEW and i.overdue(today) and _document_is_theirs(i, person)
        ),
        coming=_by_day(
            i
            for i in items
            if i.kind in AUDITS_AND_CERTIFICATES
            and not i.done
            and i.day is not None
            and today <= (i.ends or i.day)
            and i.day <= horizon
        ),
    )


def _unique(items: Iterable[AgendaItem]) -> Iterable[AgendaItem]:
    """One item per UID (the same row read twice, e.g. by two queries, is listed once)."""
    seen: set[str] = set()
    for item in items:
        if item.uid not in seen:
            seen.add(item.uid)
            yield item


@dataclass(frozen=True)
class CalendarEvent:
    """One all-day event: from ``starts`` to ``ends`` (both included)."""

    uid: str
    starts: date
    ends: date
    summary: str
    target: Target
    description: str = ""


def calendar_events(items: Iterable[AgendaItem], today: date) -> list[CalendarEvent]:
    """The feed's events: every dated item of a calendar kind within the feed's window, in date order."""
    first, last = feed_window(today)
    events = []
    for item in _by_day(_unique(items)):
        if item.kind not in CALENDAR_KINDS or item.day is None:
            continue
        ends = max(item.ends or item.day, item.day)
        if ends < first or item.day > last:
            continue
        events.append(
            CalendarEvent(
                uid=item.uid,
                starts=item.day,
                ends=ends,
                summary=item.summary,
                target=item.target,
                description=_description(item, today),
            )
        )
    return events


def _description(item: AgendaItem, today: date) -> str:
    parts = [item.what, item.place]
    if item.owner:
        parts.append(_("Owner: %(name)s", name=item.owner))
    if item.overdue(today) and item.kind in ACTIONS | {Kind.DOCUMENT_REVIEW}:
        parts.append(_("Overdue"))
    return "\n".join(parts)


def when(item: AgendaItem, today: date) -> str:
    """The item's day as the digest words it: "due 2026-11-20, 12 days ago", "2026-12-10 to 2026-12-12"."""
    if item.day is None:
        return ""
    day = item.day.isoformat()
    if item.kind in TO_REVIEW:
        return _("waiting since %(day)s", day=day)
    if item.ends and item.ends != item.day:
        return _("%(start)s to %(end)s", start=day, end=item.ends.isoformat())
    days = (item.day - today).days
    if days == -1:
        return _("due %(day)s, yesterday", day=day)
    if days < 0:
        return ngettext("due %(day)s, %(num)d day ago", "due %(day)s, %(num)d days ago", -days, day=day)
    if days == 0:
        return _("%(day)s, today", day=day)
    return ngettext("%(day)s, in %(num)d day", "%(day)s, in %(num)d days", days, day=day)


def summary_counts(digest: Digest) -> Sequence[tuple[str, int]]:
    """The digest's sections that hold something, with their sizes, for its subject line."""
    counts = (
        ("overdue", len(digest.overdue)),
        ("to review", len(digest.to_review)),
        ("past review", len(digest.documents_past_review)),
        ("coming up", len(digest.coming)),
    )
    return [(label, n) for label, n in counts if n]


def subject(digest: Digest) -> str:
    words = {
        "overdue": lambda n: ngettext("%(num)d overdue", "%(num)d overdue", n),
        "to review": lambda n: ngettext("%(num)d to review", "%(num)d to review", n),
        "past review": lambda n: ngettext("%(num)d past review", "%(num)d past review", n),
        "coming up": lambda n: ngettext("%(num)d coming up", "%(num)d coming up", n),
    }
    parts = _(", ").join(words[label](n) for label, n in summary_counts(digest))
    return _("Your Readiness digest: %(parts)s", parts=parts)
