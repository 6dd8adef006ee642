"""Amounts as people type them and as pages show them. Pure; money is ``Decimal``, never float.

Rules decided here:

* **Typing**: digits with an optional point for decimals (``1200.50``). Commas are accepted only as
  thousands separators in groups of three (``1,200.50``, ``12,000``); anything else with a comma, such as
  ``1,5``, is refused with a message, since it could mean 1.5 (decimal comma) or a typo of 1,500. No
  exponents (``1e3``), underscores, signs other than a leading minus, or currency symbols.
* **Size**: an amount must fit the database column (15 digits before the point), so at most
  :data:`MAX_AMOUNT`.
* **Showing**: thousands separated by commas, exactly the currency's minor-unit places, then the ISO code:
  ``12,345.60 EUR``, ``1,500,000 VND``, ``-150.00 USD``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from app.domain.budget import CENT, quantize_money
from app.domain.text import _, grouped

MAX_AMOUNT = Decimal("999999999999999")
# ASCII digits only: Decimal() would also read other scripts' digits, which nobody types by accident.
_PLAIN = re.compile(r"-?[0-9]+(\.[0-9]+)?|-?\.[0-9]+")
_GROUPED = re.compile(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
EXAMPLE = "digits such as 1200.50 or 1,200.50"  # as the messages below say it, in English


def parse_money(text: str) -> Decimal:
    """The amount in ``text``; ValueError with a message for the field when it cannot be read."""
    cleaned = text.strip()
    if not cleaned:
        raise ValueError(_("Enter an amount: digits such as 1200.50 or 1,200.50."))
    typed = repr(cleaned)
    if _GROUPED.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    elif "," in cleaned and _PLAIN.fullmatch(cleaned.replace(",", ".")):
        raise ValueError(
            _(
                "%(value)s: use a point for decimals (1.5) and commas only between thousands (1,200.50).",
                value=typed,
            )
        )
    if not _PLAIN.fullmatch(cleaned):
        raise ValueError(
            _("%(value)s is not an amount; enter digits such as 1200.50 or 1,200.50.", value=typed)
        )
    amount = Decimal(cleaned)
    if abs(amount) > MAX_AMOUNT:
        raise ValueError(
            _(
                "%(value)s is too large; the most an amount can be is %(max)s.",
                value=typed,
                max=grouped(MAX_AMOUNT),
            )
        )
    return amount


def money_places(minor_unit: Decimal) -> int:
    """Decimal places of a minor unit: 2 for 0.01, 0 for 1, 3 for 0.001."""
    exponent = minor_unit.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def format_amount(amount: Decimal, minor_unit: Decimal = CENT) -> str:
    """``Decimal("12345.6")`` -> ``"12,345.60"``: rounded to the minor unit, thousands separated, with the
    reader's separators (``12.345,60`` in Vietnamese and Indonesian, as Babel's CLDR data writes them)."""
    places = money_places(minor_unit)
    return grouped(quantize_money(amount, minor_unit), places)


def format_money(amount: Decimal, currency: str, minor_unit: Decimal = CENT) -> str:
    """``format_amount`` followed by the ISO 4217 code: ``"12,345.60 EUR"``."""
    return f"{format_amount(amount, minor_unit)} {currency.upper()}"
