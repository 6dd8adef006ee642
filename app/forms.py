"""Fields and validators shared by the forms of several areas."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import ValidationError

from app.domain.reference import country_choices, country_names


def strip_filter(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def select_choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class KnownChoice:
    """Refuse a value that is not one of the field's choices, with a message a person understands."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if field.data not in {choice.value for choice in field.choices if choice.value}:
            raise ValidationError(self.message)


class CountryField(SelectField):
    def __init__(self, label: str = "Country", **kwargs: Any) -> None:
        kwargs.setdefault("validators", [])
        kwargs["validators"] = [*kwargs["validators"], KnownCountry()]
        super().__init__(label, validate_choice=False, **kwargs)
        self.choices = select_choices([("", "Choose a country…"), *country_choices()])


class KnownCountry:
    def __call__(self, form: Any, field: Any) -> None:
        if not field.data:
            raise ValidationError("Choose the country.")
        if field.data not in country_names():
            raise ValidationError("Choose a country from the list.")


class TrimmedStringField(StringField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("filters", [])
        kwargs["filters"] = [strip_filter, *kwargs["filters"]]
        super().__init__(*args, **kwargs)
