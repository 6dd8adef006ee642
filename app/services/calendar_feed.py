"""A user's calendar feed: the secret link (made, replaced, revoked) and the RFC 5545 calendar it serves.

The link's secret is 32 random bytes shown once, in the page that made it; only its SHA-256 is stored
(``User.calendar_token_hash``), as for invitations. A new link replaces the old one, which stops working;
revoking leaves the user with none. An unknown secret, or one of an inactive user, opens nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select

from app.domain import agenda as rules
from app.domain.text import _
from app.extensions import db
from app.models import User
from app.services import agenda
from app.services.invitations import hash_token

MAX_TOKEN_LENGTH = 100
PRODID = "-//Readiness//Certification calendar//EN"
REFRESH = timedelta(hours=6)  # how often a calendar application should read the feed again (PT6H)


def create_link(user: User) -> str:
    """A new secret for the user's feed (the old link, if any, stops working); returned once."""
    token = secrets.token_urlsafe(32)
    user.calendar_token_hash = hash_token(token)
    db.session.flush()
    return token


def revoke_link(user: User) -> bool:
    """The user's feed link stops working; False when they had none."""
    had = user.calendar_token_hash is not None
    user.calendar_token_hash = None
    db.session.flush()
    return had


def user_of(token: str) -> User | None:
    """The active user whose feed ``token`` opens, or None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    user = db.session.execute(
        select(User).where(User.calendar_token_hash == hash_token(token))
    ).scalar_one_or_none()
    if user is None or not user.active:
        return None
    return user


def events_of(user: User, today: date) -> list[rules.CalendarEvent]:
    scopes = agenda.scopes_of([user.id])[user.id]
    return rules.calendar_events(agenda.items_for(scopes, today), today)


def ical(
    user: User, events: list[rules.CalendarEvent], link: Callable[[rules.Target], str], now: datetime
) -> bytes:
    """The feed as iCalendar bytes: one all-day event per item (DTEND is the day after the last day, as
    RFC 5545 wants for dates), each with its stable UID and a link to the item's page."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Readiness: %(name)s", name=user.name))
    calendar.add(
        "x-wr-caldesc", _("Audits, certificate dates, planned stages and due actions from Readiness")
    )
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")  # the same, as Outlook reads it
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", now)
        event.add("dtstart", item.starts)
        event.add("dtend", item.ends + timedelta(days=1))
        event.add("summary", item.summary)
        event.add("description", item.description)
        event.add("url", link(item.target))
        event.add("transp", "TRANSPARENT")  # a due date does not make anyone busy
        calendar.add_component(event)
    return calendar.to_ical()
