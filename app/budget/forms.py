"""Budget line and estimator forms.

Amounts are typed as text and read by :func:`app.domain.money.parse_money`, so "abc" or "1,5" get a
message saying what to type instead of WTForms' generic one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, StopValidation

from app.domain.budget import CATEGORIES, STAGES, amount_error, category_error, date_error, stage_error
from app.domain.estimator import CONSULTANT_MODELS
from app.domain.money import format_amount, parse_money
from app.domain.text import _, _l
from app.forms import TrimmedStringField, VersionField, select_choices

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


class AmountField(StringField):
    """A money amount typed as text; after validation ``amount`` holds the ``Decimal`` (or None if empty)."""

    def __init__(self, label: str, required: bool = True, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.required = required
        self.amount: Decimal | None = None

    def pre_validate(self, form: Any) -> None:
        self.amount = None
        text = (self.data or "").strip() if isinstance(self.data, str) else ""
        if text:
            try:
                self.amount = parse_money(text)
            except ValueError as error:
                raise StopValidation(str(error)) from None
        message = amount_error(self.amount, str(self.label.text), self.required)
        if message:
            self.amount = None
            raise StopValidation(message)


class DomainChoice:
    """A select's value checked by a domain rule, whose message names the accepted values."""

    def __init__(self, rule: Callable[[str], str | None]) -> None:
        self.rule = rule

    def __call__(self, form: Any, field: Any) -> None:
        message = self.rule(field.data or "")
        if message:
            raise StopValidation(message)


class LineForm(FlaskForm):
    stage = SelectField(
        _l("Stage"),
        choices=select_choices(STAGES.items()),
        validate_choice=False,
        validators=[DomainChoice(stage_error)],
    )
    category = SelectField(
        _l("Category"),
        choices=select_choices(CATEGORIES.items()),
        validate_choice=False,
        validators=[DomainChoice(category_error)],
    )
    description = TrimmedStringField(
        _l("Description"), validators=[DataRequired(_l("Describe what the money is for.")), Length(max=300)]
    )
    vendor = TrimmedStringField(_l("Vendor"), validators=[Optional(), Length(max=160)])
    planned = AmountField(_l("Planned amount"))
    actual = AmountField(
        _l("Actual amount"), required=False, description=_l("Leave empty until money is spent.")
    )
    spent_on = DateField(
        _l("Date"),
        validators=[Optional()],
        description=_l("When the money is (or was) spent; a date far outside the project is refused."),
    )
    version = VersionField()  # the line's version when the edit form was read

    def __init__(
        self, *args: Any, window: tuple[date | None, date | None] = (None, None), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.window = window

    def validate_spent_on(self, field: DateField) -> None:
        if field.data and not EARLIEST <= field.data <= LATEST:  # checked even for a project without dates
            raise StopValidation(
                _(
                    "Enter a date between %(earliest)s and %(latest)s.",
                    earliest=EARLIEST.year,
                    latest=LATEST.year,
                )
            )
        message = date_error(field.data, *self.window)
        if message:
            raise StopValidation(message)

    def values(self) -> dict[str, Any]:
        """The checked values, ready for the service."""
        return {
            "stage": self.stage.data,
            "category": self.category.data,
            "description": self.description.data,
            "vendor": self.vendor.data or "",
            "planned": self.planned.amount,
            "actual": self.actual.amount,
            "spent_on": self.spent_on.data,
        }


def line_form_data(row: Any, minor_unit: Decimal) -> dict[str, Any]:
    """A saved line as the form shows it: amounts in the currency's places, without separators, and the
    version it was read at."""

    def text(amount: Decimal | None) -> str:
        return format_amount(amount, minor_unit).replace(",", "") if amount is not None else ""

    return {
        "stage": row.stage,
        "category": row.category,
        "description": row.description,
        "vendor": row.vendor,
        "planned": text(row.planned),
        "actual": text(row.actual),
        "spent_on": row.spent_on,
        "version": row.version,
    }


class EstimateForm(FlaskForm):
    cb_day_rate = AmountField(
        _l("Certification body day rate"),
        description=_l("From a certification body's quote: the fee per audit day."),
    )
    consultant_model = SelectField(
        _l("Consultant"),
        choices=select_choices((key, model.label) for key, model in CONSULTANT_MODELS.items()),
        default="light",
        validate_choice=False,
        validators=[
            DomainChoice(lambda key: None if key in CONSULTANT_MODELS else _("Choose none, light or full."))
        ],
    )
    consultant_day_rate = AmountField(_l("Consultant day rate"), required=False)
    staff_hourly_cost = AmountField(
        _l("Staff hourly cost"), description=_l("The loaded cost of an hour of your own people's time.")
    )
    auditor_course_fee = AmountField(
        _l("Internal-auditor course fee (per person)"),
        required=False,
        description=_l("Optional: leave empty if you have no quote yet."),
    )

    def validate_consultant_day_rate(self, field: AmountField) -> None:
        if self.consultant_model.data in ("light", "full") and field.amount is None:
            raise StopValidation(_l("Enter the consultant's day rate, or choose no consultant."))

    def rates(self) -> dict[str, Any]:
        return {
            "cb_day_rate": self.cb_day_rate.amount,
            "consultant_day_rate": self.consultant_day_rate.amount or Decimal(0),
            "consultant_model": self.consultant_model.data,
            "staff_hourly_cost": self.staff_hourly_cost.amount,
            "auditor_course_fee": self.auditor_course_fee.amount,
        }


def chosen_lines(values: list[str], count: int) -> set[int]:
    """The ticked proposed lines (``line`` checkboxes carry the line's index); anything else is ignored."""
    return {int(value) for value in values if value.isdigit() and int(value) < count}
