from typing import Any

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from app.forms import TrimmedStringField, select_choices, strip_filter
from app.services.passwords import MAX_LENGTH, MIN_LENGTH, password_problem, personal_words

PASSWORD_HELP = f"{MIN_LENGTH} to {MAX_LENGTH} characters, hard to guess: a few uncommon words work well."


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


def email_field(label: str = "Email") -> EmailField:
    return EmailField(
        label,
        filters=[strip_filter],
        validators=[
            DataRequired("Enter your email address."),
            Email("Enter a valid email address."),
            Length(max=254),
        ],
    )


def new_password_fields(
    label: str, *personal_fields: str, repeat: str = "Repeat password"
) -> tuple[PasswordField, PasswordField]:
    """A new password (under the password rule) and its repeat, named ``password`` and ``confirm``."""
    password = PasswordField(
        label,
        description=PASSWORD_HELP,
        validators=[DataRequired("Choose a password."), StrongPassword(*personal_fields)],
    )
    confirm = PasswordField(
        repeat,
        validators=[DataRequired("Repeat the password."), EqualTo("password", "The passwords do not match.")],
    )
    return password, confirm


class SignupForm(FlaskForm):
    name = TrimmedStringField("Your name", validators=[DataRequired("Enter your name."), Length(max=120)])
    email = email_field()
    workspace_name = TrimmedStringField(
        "Company or consultancy name",
        validators=[DataRequired("Name your workspace."), Length(max=120)],
    )
    kind = RadioField(
        "I am",
        choices=select_choices(
            [
                ("exporter", "An exporter getting my own factory certified"),
                ("consultancy", "A consultant with several client factories"),
            ]
        ),
        default="exporter",
        validators=[DataRequired("Choose one.")],
    )
    password, confirm = new_password_fields("Password", "email", "name", "workspace_name")


class LoginForm(FlaskForm):
    email = EmailField(
        "Email", filters=[strip_filter], validators=[DataRequired("Enter your email address.")]
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])


class EmailForm(FlaskForm):
    """Ask for a link by e-mail (a new confirmation link, a password reset)."""

    email = email_field()


class NewPasswordForm(FlaskForm):
    """A forgotten password's replacement; the view sets ``personal`` to the account's details."""

    password, confirm = new_password_fields("New password")


class JoinForm(FlaskForm):
    """An invited person's new account; the view sets ``personal`` to the invited address."""

    name = TrimmedStringField("Your name", validators=[DataRequired("Enter your name."), Length(max=120)])
    password, confirm = new_password_fields("Password", "name")


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired("Enter your current password.")])
    password, confirm = new_password_fields("New password", repeat="Repeat new password")


class WorkspaceSwitchForm(FlaskForm):
    workspace_id = StringField(validators=[DataRequired()])


class ApiTokenForm(FlaskForm):
    name = TrimmedStringField(
        "Token name",
        description="What will use it, e.g. “ERP sync” or “Monthly report script”.",
        validators=[DataRequired("Name the token."), Length(max=80, message="Use at most 80 characters.")],
    )


class RevokeTokenForm(FlaskForm):
    token_id = StringField(validators=[DataRequired()])
