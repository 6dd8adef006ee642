"""The app's own words, marked for translation (issue 17), usable anywhere without Flask.

One import for every module: ``from app.domain.text import _, _l, ngettext`` (and ``_lp`` for a word whose
English has two meanings).

- ``_("Saved.")`` and ``ngettext("%(num)d file", "%(num)d files", n)`` translate at once, in the language of
  the request (or of ``flask_babel.force_locale`` around an e-mail); with no request, they return English.
- ``_l("Met")`` is for words fixed when a module loads (labels, form fields, choices): a ``LazyText``, a
  ``str`` whose value stays English (comparisons, sorting, dictionary keys, JSON, logs) and which is shown in
  the reader's language wherever it is displayed (a template, ``str()``, ``format()``, ``%s``).

The translating functions are Flask-Babel's, installed by ``app.i18n.register``; the domain's tests run
with the English defaults below.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any

from babel import Locale
from markupsafe import Markup, escape

_gettext: Callable[[str], str] = lambda text: text  # noqa: E731
_ngettext: Callable[[str, str, int], str] = lambda one, many, n: one if n == 1 else many  # noqa: E731
_locale: Callable[[], str] = lambda: "en"  # noqa: E731
_pgettext: Callable[[str, str], str] = lambda context, text: text  # noqa: E731


def use(
    gettext: Callable[[str], str],
    ngettext: Callable[[str, str, int], str],
    locale: Callable[[], str] | None = None,
    pgettext: Callable[[str, str], str] | None = None,
) -> None:
    """Install the translating functions (app.i18n does, with Flask-Babel's) and the reader's locale."""
    global _gettext, _ngettext, _locale, _pgettext
    _gettext, _ngettext = gettext, ngettext
    if locale is not None:
        _locale = locale
    if pgettext is not None:
        _pgettext = pgettext


def reader_locale() -> str:
    """The reader's locale (``vi``, ``zh_Hans``), for numbers written their way; English without one."""
    return _locale()


def grouped(value: int | float | Decimal, places: int = 0) -> str:
    """``12345`` -> ``"12,345"``: thousands grouped and ``places`` decimals, with the reader's signs
    (``12.345`` in Vietnamese and Indonesian, as Babel's CLDR data writes them)."""
    written = f"{value:,.{places}f}"
    locale = reader_locale()
    return written if locale == "en" else written.translate(_separators(locale))


@cache
def _separators(locale: str) -> dict[int, str]:
    """English's "," and "." swapped for the locale's group and decimal signs (one table per locale)."""
    symbols = Locale.parse(locale).number_symbols.get("latn", {})
    return str.maketrans({",": symbols.get("group", ","), ".": symbols.get("decimal", ".")})


def _(text: str, **variables: Any) -> str:
    translated = _gettext(text)
    return translated % variables if variables else translated


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """The plural form for ``num``; ``%(num)d`` in the text is the count."""
    translated = _ngettext(singular, plural, num)
    return translated % {"num": num, **variables}


class LazyText(str):
    """English as its value; the reader's language when shown."""

    __slots__ = ()

    def __str__(self) -> str:
        return _gettext(str.__str__(self))

    def __html__(self) -> Markup:
        return escape(str(self))

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __mod__(self, values: Any) -> str:
        return str(str(self) % values)


def _l(text: str) -> LazyText:
    return LazyText(text)


class LazyContextText(LazyText):
    """A word English writes the same for two meanings ("Owner": the workspace role, and the person who
    closes a gap), told apart for translators by its context."""

    context: str

    def __new__(cls, text: str, context: str) -> LazyContextText:
        made = super().__new__(cls, text)
        made.context = context
        return made

    def __str__(self) -> str:
        return _pgettext(self.context, str.__str__(self))


def _lp(context: str, text: str) -> LazyText:
    """``_l`` with a context: ``_lp("role", "Owner")``."""
    return LazyContextText(text, context)
