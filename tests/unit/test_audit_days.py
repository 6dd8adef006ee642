"""Audit-day tables and cycle rules. Expected figures are copied from costs.md, not from the module."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.audit_days import (
    MD5_TABLE,
    MD9_TABLE,
    certification_cycle,
    initial_audit_days,
    recertification_days,
    round_half,
    stage_split,
    surveillance_days,
)

# costs.md 1a: band, initial days, and the surveillance / recertification the rules give (where costs.md
# shows a range such as "0.5-1", the nearest half day of initial/3 or initial*2/3 is the lower or upper end).
MD5_ROWS = [
    (1, 5, "1.5", "0.5", "1"),
    (6, 10, "2", "0.5", "1.5"),
    (11, 15, "2.5", "1", "1.5"),
    (16, 25, "3", "1", "2"),
    (26, 45, "4", "1.5", "2.5"),
    (46, 65, "5", "1.5", "3.5"),
    (66, 85, "6", "2", "4"),
    (86, 125, "7", "2.5", "4.5"),
    (126, 175, "8", "2.5", "5.5"),
    (176, 275, "9", "3", "6"),
    (276, 425, "10", "3.5", "6.5"),
    (426, 625, "11", "3.5", "7.5"),
    (626, 875, "12", "4", "8"),
    (876, 1175, "13", "4.5", "8.5"),
    (1176, 1550, "14", "4.5", "9.5"),
    (1551, 2025, "15", "5", "10"),
    (2026, 2675, "16", "5.5", "10.5"),
    (2676, 3450, "17", "5.5", "11.5"),
    (3451, 4350, "18", "6", "12"),
    (4351, 5450, "19", "6.5", "12.5"),
    (5451, 6800, "20", "6.5", "13.5"),
    (6801, 8500, "21", "7", "14"),
    (8501, 10700, "22", "7.5", "14.5"),
]

# costs.md 1b (IAF MD 9 via RAPS); it has no 426-625 row.
MD9_ROWS = [
    (1, 5, "3"),
    (6, 10, "4"),
    (11, 15, "4.5"),
    (16, 25, "5"),
    (26, 45, "6"),
    (46, 65, "7"),
    (66, 85, "8"),
    (86, 125, "10"),
    (126, 175, "11"),
    (176, 275, "12"),
    (276, 425, "13"),
    (626, 875, "15"),
]


def _row_id(row: tuple[object, ...]) -> str:
    return f"{row[0]}-{row[1]}"


def test_tables_have_every_row_of_costs_md() -> None:
    assert [(b.low, b.high, b.days) for b in MD5_TABLE] == [
        (lo, hi, Decimal(d)) for lo, hi, d, *_ in MD5_ROWS
    ]
    assert [(b.low, b.high, b.days) for b in MD9_TABLE] == [(lo, hi, Decimal(d)) for lo, hi, d in MD9_ROWS]


@pytest.mark.parametrize(
    ("low", "high", "days", "surveillance", "recert"), MD5_ROWS, ids=map(_row_id, MD5_ROWS)
)
def test_md5_row(low: int, high: int, days: str, surveillance: str, recert: str) -> None:
    for employees in (low, high):
        result = initial_audit_days("iso9001", employees)
        assert result.days == Decimal(days)
        assert (result.band.low, result.band.high) == (low, high)
        assert result.method == "table"
        assert "MD 5" in result.source
    assert surveillance_days(Decimal(days)) == Decimal(surveillance)
    assert recertification_days(Decimal(days)) == Decimal(recert)


@pytest.mark.parametrize(("low", "high", "days"), MD9_ROWS, ids=map(_row_id, MD9_ROWS))
def test_md9_row(low: int, high: int, days: str) -> None:
    for employees in (low, high):
        result = initial_audit_days("iso13485", employees)
        assert result.days == Decimal(days)
        assert (result.band.low, result.band.high) == (low, high)
        assert result.method == "table"
        assert "MD 9" in result.source


@pytest.mark.parametrize("employees", [426, 500, 625])
def test_md9_missing_band_is_interpolated_and_says_so(employees: int) -> None:
    result = initial_audit_days("iso13485", employees)
    assert result.days == Decimal(14)
    assert (result.band.low, result.band.high) == (426, 625)
    assert result.method == "interpolated"
    assert "missing" in result.note
    assert "interpolated" in result.note


@pytest.mark.parametrize(
    ("employees", "band", "days"),
    [(10701, (10701, 12900), 23), (12900, (10701, 12900), 23), (12901, (12901, 15100), 24)],
)
def test_md5_beyond_table_follows_documented_progression(
    employees: int, band: tuple[int, int], days: int
) -> None:
    result = initial_audit_days("iso9001", employees)
    assert result.days == Decimal(days)
    assert (result.band.low, result.band.high) == band
    assert result.method == "progression"
    assert not result.from_table
    assert "10700" in result.note
    assert "extrapolation" in result.note


@pytest.mark.parametrize(
    ("employees", "band", "days"),
    [
        (876, (876, 1175), 16),
        (1176, (1176, 1550), 17),
        (10700, (8501, 10700), 25),
        (10701, (10701, 12900), 26),
    ],
)
def test_md9_beyond_table_uses_md5_bands_one_day_each(
    employees: int, band: tuple[int, int], days: int
) -> None:
    result = initial_audit_days("iso13485", employees)
    assert result.days == Decimal(days)
    assert (result.band.low, result.band.high) == band
    assert result.method == "progression"
    assert "875" in result.note


def test_table_result_notes_the_possible_reduction() -> None:
    assert "30%" in initial_audit_days("iso9001", 30).note


@pytest.mark.parametrize("employees", [0, -1])
def test_fewer_than_one_employee_is_refused(employees: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        initial_audit_days("iso9001", employees)


def test_unknown_standard_is_refused() -> None:
    with pytest.raises(ValueError, match="iso14001"):
        initial_audit_days("iso14001", 30)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.333333", "1.5"),
        ("2.666667", "2.5"),
        ("1.2", "1"),
        ("1.24", "1"),
        ("1.25", "1.5"),  # tie: rounds up
        ("1.75", "2"),  # tie: rounds up
        ("0.74", "0.5"),
        ("0.76", "1"),
        ("3", "3"),
    ],
)
def test_round_half(value: str, expected: str) -> None:
    assert round_half(Decimal(value)) == Decimal(expected)


def test_worked_example_30_people() -> None:
    days = initial_audit_days("iso9001", 30).days
    cycle = certification_cycle(days)
    assert days == Decimal(4)
    assert (cycle.stage1, cycle.stage2) == (Decimal("1.5"), Decimal("2.5"))
    assert cycle.surveillance == Decimal("1.5")
    assert cycle.recertification == Decimal("2.5")
    assert cycle.three_year_total == Decimal(7)


def test_worked_example_iso13485_uses_md9() -> None:
    assert initial_audit_days("iso13485", 30).days == Decimal(6)


@pytest.mark.parametrize(
    ("initial", "stage1", "stage2"),
    [("1.5", "0.5", "1"), ("2", "0.5", "1.5"), ("3", "1", "2"), ("4", "1.5", "2.5"), ("6", "2", "4")],
)
def test_stage_split(initial: str, stage1: str, stage2: str) -> None:
    split = stage_split(Decimal(initial))
    assert (split.stage1, split.stage2) == (Decimal(stage1), Decimal(stage2))


def test_stage_split_adds_up_for_every_table_row() -> None:
    for band in MD5_TABLE + MD9_TABLE:
        split = stage_split(band.days)
        assert split.stage1 + split.stage2 == band.days
        assert Decimal("0.5") <= split.stage1 < split.stage2


def test_stage_split_refuses_less_than_a_day() -> None:
    with pytest.raises(ValueError, match="too short"):
        stage_split(Decimal("0.5"))
