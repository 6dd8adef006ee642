"""Quality objectives (ISO 9001 6.2, ISO 13485 5.4.1): measure, target, owner, date, values over time.

An objective is met when its latest measured value is on the right side of the target: at least the target
("on-time delivery at least 95 %") or at most it ("customer returns at most 0.5 %").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from app.domain.nonconformities import is_sentence
from app.domain.text import _, _l, grouped


class Direction(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


DIRECTION_LABELS: Mapping[Direction, str] = {
    Direction.AT_LEAST: _l("at least"),
    Direction.AT_MOST: _l("at most"),
}
MAX_VALUE = Decimal("1000000000")


@dataclass(frozen=True)
class Measurement:
    measured_on: date
    value: Decimal


def latest(measurements: Sequence[Measurement]) -> Measurement | None:
    return max(measurements, key=lambda m: m.measured_on, default=None)


def is_met(direction: Direction, target: Decimal, value: Decimal) -> bool:
    return value >= target if direction is Direction.AT_LEAST else value <= target


def status(direction: Direction, target: Decimal, measurements: Sequence[Measurement]) -> bool | None:
    """Met (True), not met (False), or nothing measured yet (None), on the latest value."""
    last = latest(measurements)
    return None if last is None else is_met(direction, target, last.value)


def target_text(direction: Direction | str, target: Decimal, unit: str) -> str:
    """ "at least 95 %": the direction, the target and its unit."""
    value = f"{format_value(target)}{f' {unit}' if unit else ''}"
    if Direction(direction) is Direction.AT_LEAST:
        return _("at least %(value)s", value=value)
    return _("at most %(value)s", value=value)


def format_value(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def parse_value(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() and abs(value) < MAX_VALUE else None


def objective_errors(
    title: str, measure: str, target: Decimal | None, due: date | None, owner: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not is_sentence(title) and len(title.split()) < 3:
        errors["title"] = _('Write the objective in words (at least three), e.g. "Deliver on time".')
    if not measure.strip():
        errors["measure"] = _(
            'Say how it is measured, e.g. "orders shipped on the promised date / all orders".'
        )
    if target is None:
        errors["target"] = _("Give the target as a number.")
    if not owner.strip():
        errors["owner"] = _("Name who owns the objective.")
    if due is None:
        errors["due_date"] = _("Give the date by which the target is to be reached.")
    return errors


def measurement_errors(measured_on: date | None, value: Decimal | None, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if measured_on is None:
        errors["measured_on"] = _("Give the date of the measurement.")
    elif measured_on > today:
        errors["measured_on"] = _("A value is recorded once measured: the date is in the future.")
    if value is None:
        errors["value"] = _("Give the measured value as a number.")
    return errors


TITLE_MAX_LENGTH = 200
UNIT_MAX_LENGTH = 20
OWNER_MAX_LENGTH = 120
TEXT_MAX_LENGTH = 10_000  # the measure, the notes

STATUS_LABELS: Mapping[bool | None, str] = {True: _l("Met"), False: _l("Not met"), None: _l("No data")}


def status_label(met: bool | None) -> str:
    return STATUS_LABELS[met]


def direction_error(direction: str) -> str | None:
    if direction not in set(Direction):
        return _("Choose whether the value should be at least or at most the target.")
    return None


def limit_errors(**texts: str) -> dict[str, str]:
    """Each text within its column's limit: ``title``, ``unit``, ``owner``; any other at most
    ``TEXT_MAX_LENGTH``."""
    limits = {"title": TITLE_MAX_LENGTH, "unit": UNIT_MAX_LENGTH, "owner": OWNER_MAX_LENGTH}
    errors: dict[str, str] = {}
    for name, text in texts.items():
        limit = limits.get(name, TEXT_MAX_LENGTH)
        if len(text) > limit:
            errors[name] = _("Use at most %(limit)s characters.", limit=grouped(limit))
    return errors
