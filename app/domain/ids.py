"""Ids as they arrive in URLs, forms and query strings: ASCII digits of a 32-bit positive integer.

``"²".isdigit()`` is true yet ``int("²")`` fails, and 2147483648 overflows the database's integer columns
(PostgreSQL refuses to compare with it): both are simply not ids.
"""

from __future__ import annotations

MAX_ID = 2**31 - 1


def is_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 10 and 0 < int(text) <= MAX_ID


def is_id_in_range(number: int) -> bool:
    return 0 < number <= MAX_ID
