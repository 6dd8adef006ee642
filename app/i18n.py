"""The request's language (Flask-Babel's locale selector), and the switcher's choices.

The rule is app.domain.languages.choose: the logged-in person's choice, else (before log-in) the choice kept
in the session, else the browser's ``Accept-Language``, else English. The user is the one the request
already loaded, so choosing a language costs no query.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from flask import Flask, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

from app.domain.languages import DEFAULT, LANGUAGES, choose, shown_year, with_year

SESSION_KEY = "locale"


def select_locale() -> str:
    chosen = current_user.locale if current_user.is_authenticated else session.get(SESSION_KEY, "")
    return choose(chosen or "", request.accept_languages)


def html_lang() -> str:
    """The page's language as a BCP 47 tag for ``<html lang>`` (``zh-Hans``, not Babel's ``zh_Hans``)."""
    return str(get_locale() or DEFAULT).replace("_", "-")


def format_day(value: date | None) -> str:
    """A day as the reader's language writes it (English: 02 Dec 2026), in their calendar's years."""
    if value is None:
        return "—"
    if not has_request_context():  # a command or a background job: English
        return f"{value:%d %b %Y}"
    calendar = current_user.date_calendar if current_user.is_authenticated else "gregorian"
    locale = get_locale()
    if locale is None or locale.language == "en":
        return f"{value:%d %b} {shown_year(value.year, calendar)}"
    pattern = locale.date_formats["medium"].pattern
    if calendar != "gregorian":
        pattern = with_year(pattern, shown_year(value.year, calendar))
    return format_date(value, pattern, locale=locale)


def register(app: Flask) -> None:
    from flask_babel import gettext, ngettext

    from app.domain import text

    text.use(gettext, ngettext)
    # {% trans %} blocks are written across lines; their text is one sentence to translate, as extracted.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals["languages"] = LANGUAGES
    app.jinja_env.globals["html_lang"] = html_lang
