"""A person's own settings that are no credential: the language they read the app in."""

from __future__ import annotations

from app.domain.languages import LANGUAGES
from app.domain.text import _
from app.models import User
from app.services.errors import Invalid


def set_locale(user: User, locale: str) -> None:
    """The user's language ("" hands it back to the browser's Accept-Language)."""
    if locale and locale not in LANGUAGES:
        raise Invalid(_("That language is not one the app speaks."))
    user.locale = locale
