"""The request's language (Flask-Babel's locale selector), and the switcher's choices.

The rule is app.domain.languages.choose: the logged-in person's choice, else (before log-in) the choice kept
in the session, else the browser's ``Accept-Language``, else English. The user is the one the request
already loaded, so choosing a language costs no query.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from typing import Any

from babel import Locale
from babel.dates import format_date
from flask import Flask, g, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_login import current_user

from app.domain.languages import DEFAULT, LANGUAGES, choose, shown_year, with_year

SESSION_KEY = "locale"


def select_locale() -> str:
    """The request's language; outside a request (a command, a job, a test's set-up): English, unless
    ``flask_babel.force_locale`` chose one (an e-mail to its recipient)."""
    if not has_request_context():
        return DEFAULT
    user = current_user._get_current_object() if current_user else None
    chosen = user.locale if user is not None and user.is_authenticated else session.get(SESSION_KEY, "")
    return choose(chosen or "", request.accept_languages)


def _reader_locale() -> str:
    try:
        locale = g._flask_babel.babel_locale  # chosen once per request (see _translations)
    except (AttributeError, RuntimeError):
        locale = None
    return str(locale or get_locale() or DEFAULT)  # not chosen yet (or unset by force_locale): choose


def _translations() -> Any:
    """Flask-Babel's translations for the request's language, kept beside its chosen locale: a page asks for
    hundreds of words, and Flask-Babel looks the catalog up again for each (7.5 µs; this, under 1 µs).
    ``force_locale`` (an e-mail in its recipient's language) swaps the locale object, which is noticed."""
    try:
        ctx = g._flask_babel
    except (AttributeError, RuntimeError):  # before Flask-Babel's first look in this context, or none
        return get_translations()
    kept = getattr(ctx, "kept_translations", None)
    if kept is not None and kept[0] is getattr(ctx, "babel_locale", None):
        return kept[1]
    translations = get_translations()
    ctx.kept_translations = (get_locale(), translations)
    return translations


def _pgettext(context: str, text: str) -> str:
    return str(_translations().upgettext(context, text))


def _gettext(text: str) -> str:
    return str(_translations().ugettext(text))


def _ngettext(singular: str, plural: str, num: int) -> str:
    """The plural form for ``num``, unformatted (app.domain.text fills in every value, not only ``num``)."""
    return str(_translations().ungettext(singular, plural, num))


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


def month_abbreviations() -> tuple[str, ...]:
    """The reader's short month names, January first: the ones the charts page's plotly.js shows (its
    locale's ``shortMonths``); English outside a request."""
    locale = str(_reader_locale()) if has_request_context() else DEFAULT
    return _month_abbreviations(locale)


@cache
def _month_abbreviations(code: str) -> tuple[str, ...]:
    months = Locale.parse(code).months["stand-alone"]["abbreviated"]
    return tuple(months[m] for m in range(1, 13))


def plotly_locale() -> str:
    """The reader's month and day names and number signs for plotly.js (static/js/charts.js registers them
    as a locale), as JSON; empty in English, plotly's own."""
    locale = str(get_locale() or DEFAULT)
    return "" if locale == DEFAULT else _plotly_locale(locale)


@cache
def _plotly_locale(code: str) -> str:
    """plotly.js's locale format (its d3 time and number format) from Babel's CLDR data for ``code``."""
    locale = Locale.parse(code)
    days, months = locale.days["stand-alone"], locale.months["stand-alone"]
    symbols = locale.number_symbols.get("latn", {})
    week = (6, 0, 1, 2, 3, 4, 5)  # plotly's weeks start on Sunday, CLDR's on Monday
    chinese = locale.language == "zh"
    return json.dumps(
        {
            "name": code.lower().replace("_", "-"),
            "format": {
                "days": [days["wide"][d] for d in week],
                "shortDays": [days["abbreviated"][d] for d in week],
                "months": [months["wide"][m] for m in range(1, 13)],
                "shortMonths": list(_month_abbreviations(code)),
                "decimal": symbols.get("decimal", "."),
                "thousands": symbols.get("group", ","),
                "date": "%Y-%m-%d" if chinese else "%d/%m/%Y",
                "dayMonth": "%b%-d日" if chinese else "%-d %b",
                "dayMonthYear": "%Y年%b%-d日" if chinese else "%-d %b %Y",
                "month": "%Y年%b" if chinese else "%b %Y",
            },
        },
        ensure_ascii=False,
    )


def register(app: Flask) -> None:
    from app.domain import text

    text.use(_gettext, _ngettext, _reader_locale, _pgettext)
    # {% trans %} blocks are written across lines; their text is one sentence to translate, as extracted.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals["languages"] = LANGUAGES
    app.jinja_env.globals["html_lang"] = html_lang
    app.jinja_env.globals["plotly_locale"] = plotly_locale
