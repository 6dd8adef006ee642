from typing import Any

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Email, EqualTo, Length, ValidationError

from app.domain.languages import CALENDARS, LANGUAGES
from app.domain.text import _l
from app.forms import TrimmedStringField, lazy_format, select_choices, strip_filter
from app.services.passwords import MAX_LENGTH, MIN_LENGTH, password_problem, personal_words

PASSWORD_HELP = lazy_format(
    _l("%(least)d to %(most)d characters, hard to guess: a few uncommon words work well."),
    least=MIN_LENGTH,
    most=MAX_LENGTH,
)


class StrongPassword:
    """The password rule (:mod:`app.services.passwords`), told the person's own e-mail, name and workspace:
    those the form holds (``fields``) and those the view knows (``form.personal``)."""

    def __init__(self, *fields: str) -> None:
        self.fields = fields

    def __call__(self, form: Any, field: Any) -> None:
        known = [form[name].data for name in self.fields]
        problem = password_problem(field.data or "", personal_words(*known, *getattr(form, "personal", ())))
        if problem:
            raise ValidationError(problem)


def email_field(label: str = _l("Email")) -> EmailField:
    return EmailField(
        label,
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Enter your email address.")),
            Email(_l("Enter a valid email address.")),
            Length(max=254),
        ],
    )


def new_password_fields(
    label: str, *personal_fields: str, repeat: str = _l("Repeat password")
) -> tuple[PasswordField, PasswordField]:
    """A new password (under the password rule) and its repeat, named ``password`` and ``confirm``."""
    password = PasswordField(
        label,
        description=PASSWORD_HELP,
        validators=[DataRequired(_l("Choose a password.")), StrongPassword(*personal_fields)],
    )
    confirm = PasswordField(
        repeat,
        validators=[
            DataRequired(_l("Repeat the password.")),
            EqualTo("password", _l("The passwords do not match.")),
        ],
    )
    return password, confirm


class SignupForm(FlaskForm):
    name = TrimmedStringField(
        _l("Your name"), validators=[DataRequired(_l("Enter your name.")), Length(max=120)]
    )
    email = email_field()
    workspace_name = TrimmedStringField(
        _l("Company or consultancy name"),
        validators=[DataRequired(_l("Name your workspace.")), Length(max=120)],
    )
    kind = RadioField(
        _l("I am"),
        choices=select_choices(
            [
                ("exporter", _l("An exporter getting my own factory certified")),
                ("consultancy", _l("A consultant with several client factories")),
            ]
        ),
        default="exporter",
        validators=[DataRequired(_l("Choose one."))],
    )
    password, confirm = new_password_fields(_l("Password"), "email", "name", "workspace_name")


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"), filters=[strip_filter], validators=[DataRequired(_l("Enter your email address."))]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])


class EmailForm(FlaskForm):
    """Ask for a link by e-mail (a new confirmation link, a password reset)."""

    email = email_field()


class NewPasswordForm(FlaskForm):
    """A forgotten password's replacement; the view sets ``personal`` to the account's details."""

    password, confirm = new_password_fields(_l("New password"))


class JoinForm(FlaskForm):
    """An invited person's new account; the view sets ``personal`` to the invited address."""

    name = TrimmedStringField(
        _l("Your name"), validators=[DataRequired(_l("Enter your name.")), Length(max=120)]
    )
    password, confirm = new_password_fields(_l("Password"), "name")


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )
    password, confirm = new_password_fields(_l("New password"), repeat=_l("Repeat new password"))


class WorkspaceSwitchForm(FlaskForm):
    workspace_id = StringField(validators=[DataRequired()])


class ApiTokenForm(FlaskForm):
    name = TrimmedStringField(
        _l("Token name"),
        description=_l("What will use it, e.g. “ERP sync” or “Monthly report script”."),
        validators=[
            DataRequired(_l("Name the token.")),
            Length(max=80, message=_l("Use at most 80 characters.")),
        ],
    )


class RevokeTokenForm(FlaskForm):
    token_id = StringField(validators=[DataRequired()])


class PreferencesForm(FlaskForm):
    """The account page's language and how years are counted on dates (stored dates never change)."""

    locale = SelectField(
        _l("Language"),
        choices=select_choices([("", _l("The browser's language")), *LANGUAGES.items()]),
        validators=[AnyOf(["", *LANGUAGES], message=_l("Choose a language from the list."))],
    )
    date_calendar = RadioField(
        _l("Years on dates"),
        choices=select_choices(
            [("gregorian", _l("Common era (2026)")), ("buddhist", _l("Buddhist era (2569 = 2026 + 543)"))]
        ),
        validators=[AnyOf(CALENDARS, message=_l("Choose how years are counted from the list."))],
    )
