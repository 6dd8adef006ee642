from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from app.forms import CountryField, TrimmedStringField, VersionField, strip_filter


class ClientForm(FlaskForm):
    name = TrimmedStringField(
        "Company name", validators=[DataRequired("Enter the company name."), Length(max=160)]
    )
    country = CountryField("Country of registration")
    contact_name = TrimmedStringField("Contact person", validators=[Optional(), Length(max=120)])
    contact_email = TrimmedStringField(
        "Contact email", validators=[Optional(), Email("Enter a valid email address."), Length(max=254)]
    )
    notes = TextAreaField("Notes", filters=[strip_filter], validators=[Optional(), Length(max=5000)])
    version = VersionField()  # the client's version when the edit form was read


class SiteForm(FlaskForm):
    name = TrimmedStringField(
        "Site name", validators=[DataRequired("Enter the site name, as on the certificate."), Length(max=160)]
    )
    address = TextAreaField(
        "Address",
        filters=[strip_filter],
        validators=[DataRequired("Enter the full address of the site."), Length(max=1000)],
    )
    country = CountryField()
    employee_count = IntegerField(
        "Employees at this site",
        validators=[
            InputRequired("Enter the number of employees (a whole number)."),
            NumberRange(min=1, max=1_000_000, message="Enter a number of employees from 1 to 1,000,000."),
        ],
    )
    products = TextAreaField(
        "Products made here", filters=[strip_filter], validators=[Optional(), Length(max=2000)]
    )
    scope_statement = TextAreaField(
        "Certification scope statement",
        filters=[strip_filter],
        description="What the certificate will say the site does, e.g. "
        "“Manufacture of natural cork wine stoppers for export”.",
        validators=[Optional(), Length(max=2000)],
    )
    version = VersionField()  # the site's version when the edit form was read
