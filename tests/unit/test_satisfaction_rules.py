"""Customer satisfaction: the latest value, its trend and the target either way, a measure not measured in
six months, the target in words, and what is refused in a measure and a value."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.domain import satisfaction as rules
from app.domain.satisfaction import Trend, Value

TODAY = date(2026, 8, 31)
D = Decimal


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def test_the_latest_value_is_the_latest_period_not_the_last_typed():
    values = [Value(days(-10), D(80)), Value(days(-100), D(90)), Value(days(-10), D(82))]
    assert rules.latest(values) == values[2]  # of two for one period, the one recorded last
    assert rules.latest([]) is None
    assert rules.trend(values, higher_is_better=True) is Trend.BETTER  # 82 after 80
    assert rules.trend(values, higher_is_better=False) is Trend.WORSE
    assert rules.trend([Value(days(-5), D(1)), Value(days(-50), D(1))], True) is Trend.STEADY
    assert rules.trend(values[:1], True) is None


@pytest.mark.parametrize(
    ("value", "target", "higher", "met"),
    [
        ("85", "85", True, True),  # on the target is met
        ("84.9", "85", True, False),
        ("0.5", "0.5", False, True),
        ("0.6", "0.5", False, False),
        ("0.4", "0.5", False, True),
        ("90", None, True, None),
    ],
)
def test_the_target_is_met_on_its_better_side(value, target, higher, met):
    assert rules.meets_target(D(value), None if target is None else D(target), higher) is met
    assert rules.meets_target(None, D(1), higher) is None


def test_a_measure_is_stale_after_six_calendar_months():
    assert rules.measured_since(TODAY) == date(2026, 2, 28)  # calendar months, to the month's last day
    assert not rules.is_stale(date(2026, 2, 28), TODAY)
    assert rules.is_stale(date(2026, 2, 27), TODAY)
    assert rules.is_stale(None, TODAY)


def test_the_target_in_words():
    assert rules.target_text(D("85.0000"), "%", True) == "at least 85 %"
    assert rules.target_text(D("0.5"), "", False) == "at most 0.5"
    assert rules.target_text(None, "%", True) == "none"


def test_what_is_refused_in_a_measure():
    assert rules.measure_errors("Survey score", "survey", "%", D(85), True) == {}
    assert rules.measure_errors("Survey score", "other", "", None, False) == {}
    errors = rules.measure_errors(" ", "rumour", "u" * 21, None, True)
    assert set(errors) == {"name", "kind", "unit", "target"}
    assert "at most 160" in rules.measure_errors("n" * 161, "survey", "", None, False)["name"]


def test_what_is_refused_in_a_value():
    assert rules.value_errors(TODAY, D(1), "", TODAY) == {}
    assert "in the future" in rules.value_errors(days(1), D(1), "", TODAY)["period_end"]
    assert "from 2000" in rules.value_errors(date(1999, 1, 1), D(1), "", TODAY)["period_end"]
    errors = rules.value_errors(None, None, "n" * 2001, TODAY)
    assert set(errors) == {"period_end", "value", "notes"}
