"""The calendar feed and the account page's calendar and reminder settings.

``GET /calendar/<token>.ics`` is public (the token is the credential, as calendar applications send no
cookie): an unknown or revoked token, or one of an inactive user, gets one plain 404. Each answer is built
afresh (``no-store``), so a revoked link stops at once. Reading a feed is throttled per token and per IP
address, like the other public entries (Flask-Limiter; ``RATELIMIT_CALENDAR_*`` override the limits).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from app.auth.emails import link
from app.auth.throttle import API_REFUSAL, ip_key
from app.calendar.forms import CalendarLinkForm, RemindersForm
from app.domain.agenda import Target
from app.domain.text import _, _l
from app.extensions import limiter
from app.models.base import utcnow
from app.services import calendar_feed, mail
from app.services import reminders as reminders_service
from app.services.errors import Invalid, NotFound
from app.services.invitations import hash_token

bp = Blueprint("calendar", __name__)

# Config names (and defaults) of the feed's limits: a calendar application reads a feed every few hours.
DEFAULT_LIMITS = {
    "RATELIMIT_CALENDAR_PER_TOKEN": "30 per hour",
    "RATELIMIT_CALENDAR_PER_IP": "120 per minute",
}


def _limit(name: str) -> Any:
    return lambda: current_app.config.get(name, DEFAULT_LIMITS[name])


PER_TOKEN = _limit("RATELIMIT_CALENDAR_PER_TOKEN")
PER_IP = _limit("RATELIMIT_CALENDAR_PER_IP")


def _token_key() -> str:
    token = (request.view_args or {}).get("token", "")
    return "calendar:" + hash_token(str(token))[:32]


def item_link(target: Target) -> str:
    endpoint, values = target
    return link(endpoint, **values)


@bp.get("/calendar/<token>.ics")
@limiter.limit(PER_IP, key_func=ip_key, error_message=API_REFUSAL)
@limiter.limit(PER_TOKEN, key_func=_token_key, error_message=_l("This calendar is read too often."))
def feed(token: str) -> Any:
    user = calendar_feed.user_of(token)
    if user is None:
        return _not_found()
    with mail.in_language(user.locale):  # no cookie comes with the feed: the user's own language
        body = calendar_feed.ical(user, calendar_feed.events_of(user, date.today()), item_link, utcnow())
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="readiness.ics"'
    return _unstored(response)


def _not_found() -> Response:
    response = make_response(_("Not found: this calendar link does not work (any more).") + "\n", 404)
    response.mimetype = "text/plain"
    return _unstored(response)


def _unstored(response: Response) -> Response:
    response.cache_control.no_store = True
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.post("/account/calendar")
@login_required
def create_link() -> Any:
    """A new feed link (replacing the one before, which stops working), shown this once."""
    if not CalendarLinkForm().validate_on_submit():
        raise Invalid(_("The form expired: open your account page again."))
    replaced = current_user.calendar_token_hash is not None
    token = calendar_feed.create_link(current_user._get_current_object())
    page = render_template(
        "calendar/link_created.html", feed_url=link("calendar.feed", token=token), replaced=replaced
    )
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"  # the secret link is on this page, once
    return response


@bp.post("/account/calendar/revoke")
@login_required
def revoke_link() -> Any:
    if not CalendarLinkForm().validate_on_submit():
        raise Invalid(_("The form expired: open your account page again."))
    if not calendar_feed.revoke_link(current_user._get_current_object()):
        raise NotFound(_("You have no calendar link."))
    flash(_("Your calendar link is revoked: calendars that read it get nothing any more."), "success")
    return redirect(url_for("auth.account", _anchor="calendar"), 303)


@bp.post("/account/reminders")
@login_required
def reminders() -> Any:
    form = RemindersForm()
    if not form.validate_on_submit():
        raise Invalid(
            _("Choose on or off for the daily digest."), fields={"reminders": _("Choose on or off.")}
        )
    enabled = form.reminders.data == "on"
    reminders_service.switch(current_user._get_current_object(), enabled)
    if enabled:
        flash(_("Reminders are on: you get a daily e-mail on days when something is yours."), "success")
    else:
        flash(_("Reminders are off: you get no daily e-mail."), "success")
    return redirect(url_for("auth.account", _anchor="reminders"), 303)
