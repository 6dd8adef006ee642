"""Amounts as typed and as shown: thousands separators, refusals with a reason, the minor unit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain import text
from app.domain.money import MAX_AMOUNT, format_amount, format_money, money_places, parse_money

D = Decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1200.50", "1200.50"),
        (" 1,200.50 ", "1200.50"),
        ("12,000", "12000"),
        ("1,000,000", "1000000"),
        ("0", "0"),
        (".5", "0.5"),
        ("-5", "-5"),  # read here; refused as negative by amount_error, with its own message
        ("999999999999999", "999999999999999"),
    ],
)
def test_parse_money_reads_plain_and_grouped_amounts(text: str, expected: str) -> None:
    amount = parse_money(text)
    assert amount == D(expected)
    assert isinstance(amount, Decimal)


@pytest.mark.parametrize("text", ["1,5", "1,20", "12,5", "1,2345"])
def test_a_decimal_comma_is_refused_with_the_rule(text: str) -> None:
    with pytest.raises(ValueError, match="use a point for decimals"):
        parse_money(text)


@pytest.mark.parametrize(
    "text", ["abc", "1e3", "1_000", "NaN", "inf", "$5", "1,2,3", "1.2.3", "--1", "\u0661\u0662", "12 000"]
)
def test_anything_else_is_not_an_amount(text: str) -> None:
    with pytest.raises(ValueError, match="is not an amount"):
        parse_money(text)


def test_empty_and_too_large() -> None:
    with pytest.raises(ValueError, match="Enter an amount"):
        parse_money("   ")
    with pytest.raises(ValueError, match="too large"):
        parse_money(str(MAX_AMOUNT + 1))
    with pytest.raises(ValueError, match="too large"):
        parse_money("9" * 400)


def test_places_follow_the_minor_unit() -> None:
    assert [money_places(D(unit)) for unit in ("0.01", "1", "0.001")] == [2, 0, 3]


@pytest.mark.parametrize(
    ("amount", "currency", "unit", "shown"),
    [
        ("12345.6", "EUR", "0.01", "12,345.60 EUR"),
        ("0.005", "usd", "0.01", "0.01 USD"),  # half up, code upper-cased
        ("-150", "USD", "0.01", "-150.00 USD"),
        ("1500000.4", "VND", "1", "1,500,000 VND"),
        ("1.2345", "KWD", "0.001", "1.235 KWD"),
    ],
)
def test_format_money(amount: str, currency: str, unit: str, shown: str) -> None:
    assert format_money(D(amount), currency, D(unit)) == shown


def test_format_amount_defaults_to_cents() -> None:
    assert format_amount(D(1234)) == "1,234.00"


@pytest.mark.parametrize(
    ("locale", "amount", "vnd"),
    [
        ("en", "1,234,567.50", "1,201 VND"),
        ("vi", "1.234.567,50", "1.201 VND"),
        ("id", "1.234.567,50", "1.201 VND"),
        ("th", "1,234,567.50", "1,201 VND"),
        ("zh_Hans", "1,234,567.50", "1,201 VND"),
    ],
)
def test_amounts_are_written_with_the_readers_separators(
    monkeypatch: pytest.MonkeyPatch, locale: str, amount: str, vnd: str
) -> None:
    monkeypatch.setattr(text, "_locale", lambda: locale)
    assert format_amount(Decimal("1234567.5")) == amount
    assert format_money(Decimal("1200.5"), "vnd", Decimal(1)) == vnd


@pytest.mark.parametrize(
    ("locale", "count", "share"),
    [
        ("en", "12,345", "1,234.5"),
        ("vi", "12.345", "1.234,5"),
        ("id", "12.345", "1.234,5"),
        ("th", "12,345", "1,234.5"),
    ],
)
def test_counts_and_limits_are_grouped_with_the_readers_signs(
    monkeypatch: pytest.MonkeyPatch, locale: str, count: str, share: str
) -> None:
    monkeypatch.setattr(text, "_locale", lambda: locale)
    assert text.grouped(12345) == count
    assert text.grouped(1234.5, 1) == share
