"""The limits of a verdict's fields, the one rule the page form and the API both apply."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.assessment import (
    EARLIEST_DUE_DATE,
    OWNER_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    latest_due_date,
    verdict_limit_errors,
)

TODAY = date(2026, 5, 14)


def test_the_limits_are_the_columns_and_the_apis():
    # owner: assessment.owner is a String(120); notes and justification: what the API has always accepted
    limits = (OWNER_MAX_LENGTH, TEXT_MAX_LENGTH, EARLIEST_DUE_DATE)
    assert limits == (120, 10_000, date(2000, 1, 1))


@pytest.mark.parametrize(
    ("name", "limit"),
    [("owner", OWNER_MAX_LENGTH), ("notes", TEXT_MAX_LENGTH), ("justification", TEXT_MAX_LENGTH)],
)
def test_a_text_field_may_be_as_long_as_its_limit_and_no_longer(name, limit):
    assert verdict_limit_errors({name: "x" * limit}, TODAY) == {}
    assert verdict_limit_errors({name: ""}, TODAY) == {}
    assert verdict_limit_errors({name: "x" * (limit + 1)}, TODAY) == {
        name: f"Use at most {limit:,} characters."
    }


def test_characters_are_counted_not_bytes():
    assert verdict_limit_errors({"owner": "Nguyễn Thị Hoa" * 8}, TODAY) == {}  # 112 characters


@pytest.mark.parametrize(
    ("today", "latest"),
    [
        (date(2026, 5, 14), date(2036, 12, 31)),
        (date(2026, 1, 1), date(2036, 12, 31)),
        (date(2026, 12, 31), date(2036, 12, 31)),
        (date(2027, 1, 1), date(2037, 12, 31)),
        (date(2028, 2, 29), date(2038, 12, 31)),
    ],
)
def test_the_latest_due_date_is_31_december_ten_years_on(today, latest):
    assert latest_due_date(today) == latest


@pytest.mark.parametrize(
    ("due", "allowed"),
    [
        (date(1999, 12, 31), False),
        (date(2000, 1, 1), True),
        (TODAY, True),
        (date(2036, 12, 31), True),
        (date(2037, 1, 1), False),
        (date(9999, 12, 31), False),
    ],
)
def test_the_due_date_window_includes_both_ends(due, allowed):
    errors = verdict_limit_errors({"due_date": due}, TODAY)
    assert errors == ({} if allowed else {"due_date": "Enter a date between 2000 and 2036."})


def test_no_due_date_is_no_error():
    assert verdict_limit_errors({"due_date": None}, TODAY) == {}


def test_only_the_fields_given_are_checked_and_every_fault_is_named():
    assert verdict_limit_errors({}, TODAY) == {}
    assert verdict_limit_errors({"status": "anything"}, TODAY) == {}  # the status is assessment_errors'
    errors = verdict_limit_errors(
        {"owner": "x" * 121, "notes": "fine", "justification": "x" * 10_001, "due_date": date(1990, 1, 1)},
        TODAY,
    )
    assert set(errors) == {"owner", "justification", "due_date"}
