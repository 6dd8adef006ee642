from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SelectMultipleField
from wtforms.validators import AnyOf, DataRequired, Email, Length
from wtforms.widgets import CheckboxInput, ListWidget

from app.domain.languages import LANGUAGES
from app.domain.permissions import ROLE_LABELS
from app.domain.text import _l
from app.forms import KnownChoice, select_choices, strip_filter


class ClientCheckboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MemberRoleForm(FlaskForm):
    role = SelectField(
        _l("Role"),
        choices=select_choices(ROLE_LABELS.items()),
        default="contributor",
        validate_choice=False,
        validators=[KnownChoice(_l("Choose a role from the list."))],
    )
    clients = ClientCheckboxes(
        _l("Clients this client manager may see"), coerce=int, validate_choice=False, default=[]
    )


class InviteForm(MemberRoleForm):
    email = EmailField(
        _l("Email"),
        filters=[strip_filter],
        description=_l("We email them a link to accept: they set their own name and password, or log in."),
        validators=[
            DataRequired(_l("Enter their email address.")),
            Email(_l("Enter a valid email address.")),
            Length(max=254),
        ],
    )


class WorkspaceLanguageForm(FlaskForm):
    """The language new members start in and invitations are written in."""

    default_locale = SelectField(
        _l("Language for new members"),
        choices=select_choices([("", _l("The inviter's language")), *LANGUAGES.items()]),
        validators=[AnyOf(["", *LANGUAGES], message=_l("Choose a language from the list."))],
    )
