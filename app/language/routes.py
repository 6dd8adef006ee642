"""The language switcher: a logged-in person's choice is kept on their account, others' in the session."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, session
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.blueprint import safe_next
from app.i18n import SESSION_KEY
from app.language.forms import LanguageForm
from app.services import preferences

bp = Blueprint("language", __name__)


@bp.post("/language")
def switch() -> Any:
    form = LanguageForm()
    if not form.validate_on_submit():
        flash(_("That language is not one the app speaks."), "danger")
        return redirect(safe_next(form.next.data), 303)
    if current_user.is_authenticated:
        preferences.set_locale(current_user, form.locale.data)
    else:
        session[SESSION_KEY] = form.locale.data
    return redirect(safe_next(form.next.data), 303)
