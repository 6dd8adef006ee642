"""The forms of the QMS software pages: an application (new and edited), a validation recorded, and
retiring it. They only read what was typed; the rules (a risk of the list, the approach written for high
risk, a validation's date not in the future, its version and result, a revalidation after it) are checked
by the service with :mod:`app.domain.software`, and its messages shown beside the fields."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import Optional

from app.domain import software as rules
from app.domain.text import _l
from app.evidence.forms import FieldErrors
from app.forms import TrimmedStringField, VersionField, select_choices, strip_filter
from app.models import SoftwareValidation
from app.services.software import SoftwareFields, ValidationFields

RISK_CHOICES = select_choices(
    [("", _l("Choose…")), *((str(r), label) for r, label in rules.RISK_LABELS.items())]
)


class SoftwareForm(FieldErrors, FlaskForm):
    name = TrimmedStringField(_l("Application"), description=_l("e.g. “SAP Business One (ERP)”."))
    version_label = TrimmedStringField(
        _l("Version in use"), description=_l("As the application shows it, e.g. 10.0 FP2.")
    )
    intended_use = TextAreaField(
        _l("Intended use in the QMS"),
        filters=[strip_filter],
        render_kw={"rows": 3},
        description=_l(
            "What it does for the quality system, e.g. “prints the lot and expiry on every label”."
        ),
    )
    risk = SelectField(
        _l("Risk"),
        choices=RISK_CHOICES,
        validate_choice=False,
        description=_l("What its failure could do to product quality, safety or the QMS records."),
    )
    approach = TextAreaField(
        _l("Validation approach"),
        filters=[strip_filter],
        render_kw={"rows": 3},
        description=_l("Proportionate to the risk; required for high risk."),
    )
    version = VersionField()  # the application's version when the edit form was read

    def fields(self) -> SoftwareFields:
        return SoftwareFields(
            name=self.name.data or "",
            version_label=self.version_label.data or "",
            intended_use=self.intended_use.data or "",
            risk=self.risk.data or "",
            approach=self.approach.data or "",
        )


def software_data(software: SoftwareValidation) -> dict[str, Any]:
    """A saved application as the edit form shows it, with the version it was read at."""
    return {
        "name": software.name,
        "version_label": software.version_label,
        "intended_use": software.intended_use,
        "risk": software.risk,
        "approach": software.approach,
        "version": software.version,
    }


class ValidationForm(FieldErrors, FlaskForm):
    validated_on = DateField(
        _l("Validated on"), validators=[Optional()], description=_l("Not in the future.")
    )
    validated_version = TrimmedStringField(
        _l("Version validated"), description=_l("It becomes the version in use.")
    )
    result = TextAreaField(
        _l("Result"),
        filters=[strip_filter],
        render_kw={"rows": 3},
        description=_l("What the validation showed."),
    )
    revalidate_by = DateField(
        _l("Revalidate by"), validators=[Optional()], description=_l("After the validation; may stay empty.")
    )
    version = VersionField()

    def fields(self) -> ValidationFields:
        return ValidationFields(
            validated_on=self.validated_on.data,
            validated_version=self.validated_version.data or "",
            result=self.result.data or "",
            revalidate_by=self.revalidate_by.data,
        )


class RetireForm(FlaskForm):
    version = VersionField()
