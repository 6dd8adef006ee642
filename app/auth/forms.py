from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.forms import TrimmedStringField, select_choices, strip_filter

PASSWORD_RULE = Length(min=10, max=128, message="Use between 10 and 128 characters.")


class SignupForm(FlaskForm):
    name = TrimmedStringField("Your name", validators=[DataRequired("Enter your name."), Length(max=120)])
    email = EmailField(
        "Email",
        filters=[strip_filter],
        validators=[
            DataRequired("Enter your email address."),
            Email("Enter a valid email address."),
            Length(max=254),
        ],
    )
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
    password = PasswordField("Password", validators=[DataRequired("Choose a password."), PASSWORD_RULE])
    confirm = PasswordField(
        "Repeat password",
        validators=[DataRequired("Repeat the password."), EqualTo("password", "The passwords do not match.")],
    )


class LoginForm(FlaskForm):
    email = EmailField(
        "Email", filters=[strip_filter], validators=[DataRequired("Enter your email address.")]
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired("Enter your current password.")])
    password = PasswordField(
        "New password", validators=[DataRequired("Choose a new password."), PASSWORD_RULE]
    )
    confirm = PasswordField(
        "Repeat new password",
        validators=[
            DataRequired("Repeat the new password."),
            EqualTo("password", "The passwords do not match."),
        ],
    )


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
