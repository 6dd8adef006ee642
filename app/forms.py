"""Fields and validators shared by the forms of several areas."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from wtforms import Field, Form, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import ValidationError

from app.domain.reference import country_choices, country_names
from app.domain.text import LazyText, _, _l
from app.services.errors import StaleVersion

VERSION_DIGITS = 9  # more than any record will reach; a longer "version" is no version


class LazyFormat(LazyText):
    """Words with values, fixed when a module loads (a field's help naming a limit): English with the
    values as its value, shown in the reader's language."""

    def __new__(cls, text: str, values: dict[str, Any]) -> LazyFormat:
        shown = super().__new__(cls, str.__mod__(text, values))
        shown._text = str.__str__(text)
        shown._values = values
        return shown

    _text: str
    _values: dict[str, Any]

    def __str__(self) -> str:
        return _(self._text, **self._values)


def lazy_format(text: str, **values: Any) -> LazyFormat:
    """``lazy_format(_l("%(most)d characters at most"), most=80)``: see :class:`LazyFormat`."""
    return LazyFormat(text, values)


def strip_filter(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def select_choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


@dataclass(frozen=True)
class FilterSelect:
    """One select of a list's filter bar (written by the ``filter_select`` macro of documents/_macros.html).
    The bar is a GET form that validates nothing (the view keeps only known values), so it needs no WTForms:
    the page loops over the choices, at a fraction of the cost of WTForms rendering some hundred options per
    request."""

    name: str
    label: str
    choices: Sequence[tuple[str, str]]  # (value, label), the empty value first
    selected: str


class KnownChoice:
    """Refuse a value that is not one of the field's choices, with a message a person understands."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if field.data not in {choice.value for choice in field.choices if choice.value}:
            raise ValidationError(self.message)


class CountryField(SelectField):
    def __init__(self, label: str = _l("Country"), **kwargs: Any) -> None:
        kwargs.setdefault("validators", [])
        kwargs["validators"] = [*kwargs["validators"], KnownCountry()]
        super().__init__(label, validate_choice=False, **kwargs)
        self.choices = select_choices([("", _l("Choose a country…")), *country_choices()])


class KnownCountry:
    def __call__(self, form: Any, field: Any) -> None:
        if not field.data:
            raise ValidationError(_l("Choose the country."))
        if field.data not in country_names():
            raise ValidationError(_l("Choose a country from the list."))


class TrimmedStringField(StringField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("filters", [])
        kwargs["filters"] = [strip_filter, *kwargs["filters"]]
        super().__init__(*args, **kwargs)


# Saves made from a stale copy (optimistic locking, app.services.changes.check_version)


class VersionField(HiddenField):
    """The version of the record the form was read at, sent back with the save so a save made from a
    stale copy is refused. Anything but a plain number (missing, "abc", "²") reads as 0, a version no
    record has: such a save is treated as stale, never applied blindly."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = valuelist[0] if valuelist else ""
        ok = isinstance(text, str) and text.isascii() and text.isdigit() and len(text) <= VERSION_DIGITS
        self.data = int(text) if ok else 0


@dataclass(frozen=True)
class UnsavedValue:
    """A field the user changed in a save that was refused: what they typed and what is saved now."""

    name: str
    label: str
    typed: str
    saved: str


@dataclass(frozen=True)
class StaleNotice:
    """Why a save was refused, and the user's values it did not save, for the page to show."""

    message: str
    unsaved: list[UnsavedValue]


def shown_value(field: Field) -> str:
    """A field's value as the page shows it: a choice's label, else the text of the control."""
    text = field._value() if hasattr(field, "_value") else str(field.data or "")
    if isinstance(field, SelectField):
        for choice in field.choices or []:
            value, label = (choice.value, choice.label) if isinstance(choice, SelectChoice) else choice[:2]
            if str(value) == text or value == field.data:
                return str(label)
    return str(text)


def stale_notice(error: StaleVersion, posted: Form, current: Form) -> StaleNotice:
    """The refusal of a stale save: ``posted`` holds what the user sent, ``current`` the saved record.
    Lists each field whose posted value differs from the saved one, so the user can apply it again."""
    unsaved = []
    for field in posted:
        if isinstance(field, HiddenField) or field.short_name not in current:
            continue  # the CSRF token, the version and the page's own hidden fields
        typed, saved = shown_value(field), shown_value(current[field.short_name])
        if typed.strip() != saved.strip():
            unsaved.append(UnsavedValue(field.name, str(field.label.text), typed, saved))
    return StaleNotice(error.message, unsaved)
