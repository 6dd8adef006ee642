from collections.abc import Sequence
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import DataRequired, Optional, StopValidation, ValidationError

from app.domain import gates
from app.domain.ids import is_id
from app.domain.reference import currency_choices
from app.domain.text import _, _l
from app.forms import KnownChoice, VersionField, select_choices
from app.models import PROJECT_STATUSES

EARLIEST_TARGET = date(2000, 1, 1)


def not_typed_certified(form: Any, field: SelectField) -> None:
    """A typed "certified" is refused with the reason: the status follows a valid certificate (gates)."""
    message = gates.status_error(field.data if isinstance(field.data, str) else "")
    if message:
        raise StopValidation(message)


def chosen_body_id(value: Any) -> int | None:
    """The body id a select sent: None for none, -1 for anything that is no id (refused by known_body)."""
    if value is None or value == "" or isinstance(value, int):
        return value or None
    text = str(value)
    return int(text) if is_id(text) else -1


def known_body(form: Any, field: SelectField) -> None:
    if field.data is not None and str(field.data) not in {c.value for c in field.choices if c.value}:
        raise StopValidation(_l("Choose a certification body from the list."))


class ProjectForm(FlaskForm):
    standard_id = SelectField(
        _l("Standard"),
        coerce=str,
        validate_choice=False,
        validators=[KnownChoice(_l("Choose a standard from the list."))],
    )
    target_date = DateField(_l("Target certification date"), validators=[Optional()])
    currency = SelectField(
        _l("Budget currency"),
        choices=select_choices(currency_choices()),
        default="USD",
        validate_choice=False,
        validators=[
            DataRequired(_l("Choose a currency.")),
            KnownChoice(_l("Choose a currency from the list.")),
        ],
    )
    status = SelectField(
        _l("Status"),
        choices=select_choices((s, gates.status_label(s)) for s in PROJECT_STATUSES),
        default="planning",
        validate_choice=False,
        validators=[not_typed_certified, KnownChoice(_l("Choose a status from the list."))],
    )
    body_id = SelectField(
        _l("Certification body"),
        coerce=chosen_body_id,
        validate_choice=False,
        validators=[known_body],
        description=_l("One of the workspace's certification bodies; it can wait until a quote is accepted."),
    )
    version = VersionField()  # the project's version when the edit form was read

    def validate_target_date(self, field: DateField) -> None:
        if field.data is None:
            return
        latest = date(date.today().year + 10, 12, 31)
        if not EARLIEST_TARGET <= field.data <= latest:
            raise ValidationError(_("Enter a date between 2000 and %(year)s.", year=latest.year))


def project_form(standards: list[Any], bodies: Sequence[Any] = (), **kwargs: Any) -> ProjectForm:
    """The project form; ``bodies`` are the workspace's certification bodies the user may choose."""
    form = ProjectForm(**kwargs)
    form.body_id.choices = select_choices(
        [("", _l("Not chosen yet")), *((str(body.id), body.name) for body in bodies)]
    )
    form.standard_id.choices = select_choices(
        [("", _l("Choose a standard…")), *((str(s.id), s.label) for s in standards)]
    )
    return form
