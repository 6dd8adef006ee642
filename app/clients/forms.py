from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from app.domain.text import _l
from app.forms import CountryField, TrimmedStringField, VersionField, strip_filter


class ClientForm(FlaskForm):
    name = TrimmedStringField(
        _l("Company name"), validators=[DataRequired(_l("Enter the company name.")), Length(max=160)]
    )
    country = CountryField(_l("Country of registration"))
    contact_name = TrimmedStringField(_l("Contact person"), validators=[Optional(), Length(max=120)])
    contact_email = TrimmedStringField(
        _l("Contact email"),
        validators=[Optional(), Email(_l("Enter a valid email address.")), Length(max=254)],
    )
    notes = TextAreaField(_l("Notes"), filters=[strip_filter], validators=[Optional(), Length(max=5000)])
    version = VersionField()  # the client's version when the edit form was read


class SiteForm(FlaskForm):
    name = TrimmedStringField(
        _l("Site name"),
        validators=[DataRequired(_l("Enter the site name, as on the certificate.")), Length(max=160)],
    )
    address = TextAreaField(
        _l("Address"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Enter the full address of the site.")), Length(max=1000)],
    )
    country = CountryField()
    employee_count = IntegerField(
        _l("Employees at this site"),
        validators=[
            InputRequired(_l("Enter the number of employees (a whole number).")),
            NumberRange(min=1, max=1_000_000, message=_l("Enter a number of employees from 1 to 1,000,000.")),
        ],
    )
    products = TextAreaField(
        _l("Products made here"), filters=[strip_filter], validators=[Optional(), Length(max=2000)]
    )
    scope_statement = TextAreaField(
        _l("Certification scope statement"),
        filters=[strip_filter],
        description=_l(
            "What the certificate will say the site does, e.g. "
            "“Manufacture of natural cork wine stoppers for export”."
        ),
        validators=[Optional(), Length(max=2000)],
    )
    version = VersionField()  # the site's version when the edit form was read
