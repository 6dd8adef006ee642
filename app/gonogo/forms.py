"""The go / no-go thresholds form; the ranges are the domain's (app.domain.gates), checked by the service."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import StringField

from app.domain.text import _l
from app.forms import VersionField


class WholeNumber(StringField):
    """A whole number, or None for anything else: the service's range check then says what to give."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = valuelist[0].strip() if valuelist and isinstance(valuelist[0], str) else ""
        self.data = int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else None

    def _value(self) -> str:
        if self.raw_data:  # what was typed, even when it is no number
            return str(self.raw_data[0])
        return "" if self.data is None else str(self.data)


class ThresholdsForm(FlaskForm):
    readiness_threshold = WholeNumber(
        _l("Readiness threshold (%)"),
        description=_l("The share of applicable requirements met that the go / no-go asks for, 50 to 100."),
    )
    operating_months = WholeNumber(
        _l("Months of records"),
        description=_l(
            "How long the system should have run since the documentation stage was done (advice)."
        ),
    )
    version = VersionField()  # the project's version when the page was read

    def add_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            field = self[name]
            field.errors = [*field.errors, message]
