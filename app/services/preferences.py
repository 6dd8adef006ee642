"""A person's own settings that are no credential (the language they read the app in, and how years are
counted on dates), and a workspace's language for the people who join it."""

from __future__ import annotations

from app.domain.languages import CALENDARS, LANGUAGES
from app.domain.text import _
from app.extensions import db
from app.models import User, Workspace
from app.services.errors import Invalid
from app.services.scope import Scope


def _check_locale(locale: str, field: str = "locale") -> None:
    if locale and locale not in LANGUAGES:
        raise Invalid(
            _("That language is not one the app speaks."),
            fields={field: _("Choose a language from the list.")},
        )


def set_locale(user: User, locale: str) -> None:
    """The user's language ("" hands it back to the browser's Accept-Language)."""
    _check_locale(locale)
    user.locale = locale


def set_preferences(user: User, locale: str, date_calendar: str) -> None:
    """The account page's choices: the language, and Gregorian or Buddhist-era years on shown dates."""
    _check_locale(locale)
    if date_calendar not in CALENDARS:
        raise Invalid(
            _("Choose how years are counted from the list."),
            fields={"date_calendar": _("Choose how years are counted from the list.")},
        )
    user.locale = locale
    user.date_calendar = date_calendar


def set_workspace_language(scope: Scope, locale: str) -> None:
    """The language a new member starts in, and invitations are written in ("": the inviter's)."""
    _check_locale(locale, "default_locale")
    workspace = db.session.get(Workspace, scope.workspace_id)
    assert workspace is not None  # the scope was loaded from it in this request
    workspace.default_locale = locale


def start_in_workspace_language(user: User, workspace: Workspace) -> None:
    """A person who joins through an invitation and has chosen no language yet starts in the workspace's."""
    if not user.locale and workspace.default_locale:
        user.locale = workspace.default_locale
