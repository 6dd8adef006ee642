"""The daily reminder digest (``flask send-reminders``, from cron): each active user with reminders on and a
confirmed address gets one e-mail a day of what is theirs (:func:`app.domain.agenda.digest`), if anything.

Sending twice the same day is prevented by the database, not by luck: a user's digest is claimed by
inserting their ``ReminderSend`` row for the day (``INSERT .. ON CONFLICT DO NOTHING`` on the unique
user and day); only the run whose insert took the row sends, after the command committed it. A second run,
even one racing the first, finds the row and sends nothing. A digest that failed to go out after its row
was committed is not retried that day (the mail module logs the failure): at most one a day, never two.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage

from flask import render_template, url_for
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.domain import agenda as rules
from app.domain.text import _, _l
from app.extensions import db
from app.models import ReminderSend, User
from app.models.base import utcnow
from app.services import agenda, mail

BATCH = 200  # users whose memberships are read together
SECTION_TITLES = (
    _l("Overdue tasks and actions assigned to you"),
    _l("Waiting for your review"),
    _l("Documents past their review date"),
)


@dataclass(frozen=True)
class Prepared:
    user: User
    digest: rules.Digest


@dataclass(frozen=True)
class Run:
    """What one run of the command claimed (to send once the claims are committed) and skipped."""

    messages: list[EmailMessage]
    nothing_to_say: int
    already_sent: int


def claim_digests(day: date) -> Run:
    """Each recipient's digest of ``day`` claimed and written as an e-mail. Links are built by ``url_for``:
    the caller gives the request context (on ``PUBLIC_URL``)."""
    sent_before = db.session.execute(
        select(func.count(ReminderSend.id)).where(ReminderSend.sent_on == day)
    ).scalar_one()
    users = recipients(day)
    prepared = list(digests(users, day))
    claimed = [p for p in prepared if claim(p.user.id, day, p.digest.count)]
    account = url_for("auth.account", _anchor="reminders", _external=True)
    return Run(
        messages=[message(p, day, link, account) for p in claimed],
        nothing_to_say=len(users) - len(prepared),
        already_sent=sent_before + len(prepared) - len(claimed),
    )


def link(target: rules.Target) -> str:
    endpoint, values = target
    return url_for(endpoint, _external=True, **values)


def switch(user: User, enabled: bool) -> None:
    """Turn the user's daily digest on or off (the account page)."""
    user.reminders_enabled = enabled
    db.session.flush()


def recipients(day: date) -> list[User]:
    """Who may get a digest on ``day``: active, reminders on, address confirmed, none sent that day yet."""
    already = select(ReminderSend.user_id).where(ReminderSend.sent_on == day)
    stmt = (
        select(User)
        .where(
            User.active.is_(True),
            User.reminders_enabled.is_(True),
            User.email_verified_at.is_not(None),
            User.id.not_in(already),
        )
        .order_by(User.id)
    )
    return list(db.session.execute(stmt).scalars())


def digests(users: Sequence[User], day: date) -> Iterator[Prepared]:
    """Each user's digest for ``day``; users with nothing to be told are skipped."""
    for start in range(0, len(users), BATCH):
        batch = users[start : start + BATCH]
        scopes = agenda.scopes_of([user.id for user in batch])
        for user in batch:
            with mail.in_language(user.locale):  # the items' words, in the language of the e-mail
                found = rules.digest(agenda.items_for(scopes[user.id], day), agenda.person(user), day)
            if not found.empty:
                yield Prepared(user, found)


def claim(user_id: int, day: date, items: int) -> bool:
    """Record that ``user_id``'s digest of ``day`` is being sent; False when it was already (by this run or
    another): then it must not be sent. The caller commits before sending."""
    table = ReminderSend.__table__
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = (
        insert(table)
        .values(user_id=user_id, sent_on=day, items=items, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["user_id", "sent_on"])
        .returning(table.c.id)
    )
    return db.session.execute(stmt).first() is not None


def message(
    prepared: Prepared, day: date, link: Callable[[rules.Target], str], account_url: str
) -> EmailMessage:
    """The digest as an e-mail in the user's language: plain text and HTML from the same context, a link to
    each item."""
    with mail.in_language(prepared.user.locale) as language:
        found = prepared.digest
        overdue, to_review, past_review = (str(title) for title in SECTION_TITLES)
        sections = [
            (overdue, found.overdue),
            (to_review, found.to_review),
            (past_review, found.documents_past_review),
            (
                _("Audits and certificate dates in the next %(days)d days", days=rules.DIGEST_DAYS),
                found.coming,
            ),
        ]
        context = {
            "user": prepared.user,
            "day": day,
            "sections": [
                (title, [(item, rules.when(item, day), link(item.target)) for item in items])
                for title, items in sections
                if items
            ],
            "account_url": account_url,
        }
        return mail.message(
            prepared.user.email,
            rules.subject(found),
            render_template("mail/digest.txt", **context),
            render_template("mail/digest.html", **context),
            language=language,
        )
