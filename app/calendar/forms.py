from flask_wtf import FlaskForm
from wtforms import RadioField

from app.domain.text import _l
from app.forms import select_choices


class RemindersForm(FlaskForm):
    reminders = RadioField(
        _l("Daily e-mail digest"),
        choices=select_choices(
            [("on", _l("On: e-mail me what is mine, on days when there is something")), ("off", _l("Off"))]
        ),
    )


class CalendarLinkForm(FlaskForm):
    """Making, replacing or revoking the feed link: a POST with the CSRF token and nothing else."""
