from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.validators import AnyOf

from app.domain.languages import LANGUAGES
from app.forms import select_choices


class LanguageForm(FlaskForm):
    """The header's language switcher; "" hands the choice back to the browser."""

    locale = SelectField(
        _l("Language"),
        choices=select_choices([("", _l("Browser's language")), *LANGUAGES.items()]),
        validators=[AnyOf(["", *LANGUAGES])],
    )
    next = HiddenField()
