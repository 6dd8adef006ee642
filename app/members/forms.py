from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SelectMultipleField
from wtforms.validators import DataRequired, Email, Length
from wtforms.widgets import CheckboxInput, ListWidget

from app.domain.permissions import ROLE_LABELS
from app.forms import KnownChoice, TrimmedStringField, select_choices, strip_filter


class ClientCheckboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MemberRoleForm(FlaskForm):
    role = SelectField(
        "Role",
        choices=select_choices(ROLE_LABELS.items()),
        default="contributor",
        validate_choice=False,
        validators=[KnownChoice("Choose a role from the list.")],
    )
    clients = ClientCheckboxes(
        "Clients this client manager may see", coerce=int, validate_choice=False, default=[]
    )


class NewMemberForm(MemberRoleForm):
    email = EmailField(
        "Email",
        filters=[strip_filter],
        validators=[
            DataRequired("Enter their email address."),
            Email("Enter a valid email address."),
            Length(max=254),
        ],
    )
    name = TrimmedStringField("Name", validators=[Length(max=120)])
