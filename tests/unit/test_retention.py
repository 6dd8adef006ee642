"""The restore window and the purge cutoff (app/domain/retention.py), with plain values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.retention import RESTORE_DAYS, days_left, is_restorable, purge_cutoff

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_thirty_days_by_default():
    assert RESTORE_DAYS == 30
    assert purge_cutoff(NOW) == NOW - timedelta(days=30)


@pytest.mark.parametrize(
    ("age", "restorable", "left"),
    [
        (timedelta(0), True, 30),
        (timedelta(days=29, hours=23), True, 0),
        (timedelta(days=30), True, 0),
        (timedelta(days=30, seconds=1), False, 0),
        (timedelta(days=400), False, 0),
    ],
)
def test_the_window(age, restorable, left):
    assert is_restorable(NOW - age, NOW) is restorable
    assert days_left(NOW - age, NOW) == left


def test_times_without_a_zone_are_utc():
    """SQLite gives stored UTC times back without their zone."""
    naive = (NOW - timedelta(days=31)).replace(tzinfo=None)
    assert not is_restorable(naive, NOW)
    assert is_restorable(naive, NOW, days=40)


def test_a_negative_number_of_days_is_refused():
    with pytest.raises(ValueError):
        purge_cutoff(NOW, -1)
