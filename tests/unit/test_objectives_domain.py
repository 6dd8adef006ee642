"""Quality objectives: met on the latest value against the target, either way; the target in words; values
typed as numbers; the fields an objective and a measurement need."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.domain import objectives as rules
from app.domain.objectives import Direction, Measurement

TODAY = date(2025, 6, 30)
D = Decimal


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


@pytest.mark.parametrize(
    ("direction", "value", "met"),
    [
        (Direction.AT_LEAST, "95", True),  # on the target is met
        (Direction.AT_LEAST, "94.99", False),
        (Direction.AT_MOST, "0.5", True),
        (Direction.AT_MOST, "0.51", False),
    ],
)
def test_met_on_the_right_side_of_the_target(direction, value, met):
    target = D("95") if direction is Direction.AT_LEAST else D("0.5")
    assert rules.is_met(direction, target, D(value)) is met


def test_status_is_judged_on_the_latest_value_not_the_last_typed():
    values = [Measurement(days(-1), D("90")), Measurement(days(-60), D("99"))]
    assert rules.latest(values) == values[0]
    assert rules.status(Direction.AT_LEAST, D("95"), values) is False
    assert rules.status(Direction.AT_LEAST, D("95"), []) is None


def test_status_labels():
    assert [rules.status_label(m) for m in (True, False, None)] == ["Met", "Not met", "No data"]


def test_target_in_words():
    assert rules.target_text("at_least", D("95.0000"), "%") == "at least 95 %"
    assert rules.target_text(Direction.AT_MOST, D("0.50"), "") == "at most 0.5"
    assert rules.format_value(D("1E+2")) == "100"


@pytest.mark.parametrize(
    ("text", "value"),
    [("95", D("95")), (" 12,5 ", D("12.5")), ("-3", D("-3")), ("abc", None), ("", None), ("NaN", None),
     ("Infinity", None), ("1e9", None), ("999999999.5", D("999999999.5"))],
)  # fmt: skip
def test_parse_value(text, value):
    assert rules.parse_value(text) == value


def test_an_objective_needs_words_a_measure_a_number_an_owner_and_a_date():
    errors = rules.objective_errors("x", " ", None, None, "")
    assert set(errors) == {"title", "measure", "target", "owner", "due_date"}
    assert rules.objective_errors("Deliver on time", "On time / all", D(95), days(90), "Hung") == {}


def test_direction_and_limits():
    assert rules.direction_error("at_least") is None
    assert rules.direction_error("about") is not None
    errors = rules.limit_errors(title="t" * 201, unit="u" * 21, owner="o" * 121, notes="n" * 10_001)
    assert set(errors) == {"title", "unit", "owner", "notes"}
    assert rules.limit_errors(title="t" * 200, unit="%", owner="o" * 120, measure="m") == {}


def test_a_measurement_is_recorded_once_measured():
    assert rules.measurement_errors(TODAY, D(1), TODAY) == {}
    assert "future" in rules.measurement_errors(days(1), D(1), TODAY)["measured_on"]
    assert set(rules.measurement_errors(None, None, TODAY)) == {"measured_on", "value"}
