"""What an export holds: its tables (a sheet each), their columns and the kind of each column's values,
and the gap analysis's round-trip columns with the token that lets an import tell a row changed in the
app since the export.

Pure values: the service fills the rows from the database, :mod:`app.services.xlsx` writes them to a
workbook (or a CSV), and :mod:`app.domain.gap_import` reads a filled-in gap analysis back.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """How a column's values are written: text as text, numbers as numbers, dates as dates."""

    TEXT = "text"
    INTEGER = "integer"
    DATE = "date"
    DATETIME = "datetime"
    MONEY = "money"  # a Decimal in the table's currency, with its minor unit's places
    PERCENT = "percent"  # a whole or decimal percentage (38.7 is 38.7 %), not a fraction
    HIDDEN = "hidden"  # text the reader does not see (the gap analysis's row version)


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT
    width: int = 14  # in characters


Cell = str | int | Decimal | date | datetime | None


@dataclass(frozen=True)
class Table:
    """One sheet of a workbook (or one CSV file): a title, its columns and its rows (an iterable, so a large
    table may be generated while it is written). ``currency`` and ``places`` format its MONEY columns."""

    title: str
    columns: tuple[Column, ...]
    rows: Iterable[Sequence[Cell]]
    currency: str = ""
    places: int = 2


@dataclass(frozen=True)
class Export:
    """A whole export: its tables in order and the About sheet's facts (label, value)."""

    name: str  # the file's name without its extension
    tables: tuple[Table, ...]
    about: tuple[tuple[str, Cell], ...] = field(default_factory=tuple)


def money_format(currency: str, places: int) -> str:
    """The Excel number format of an amount in ``currency`` with ``places`` decimals: ``#,##0.00 "USD"``."""
    decimals = "." + "0" * places if places > 0 else ""
    return f'#,##0{decimals} "{currency}"' if currency else f"#,##0{decimals}"


def places_of(minor_unit: Decimal) -> int:
    """0.01 -> 2, 1 -> 0, 0.001 -> 3."""
    exponent = minor_unit.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 2


def safe_text(value: str) -> str:
    """A CSV cell a spreadsheet will not run: a leading ``=``, ``+``, ``-`` or ``@`` makes Excel read it as a
    formula (CSV injection), so such text gets a leading single quote, which Excel shows as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


# The gap analysis round trip

# Its sheet names, headers and the About labels below stay in English in every language: the import
# (app.domain.gap_import) reads them back as they are, so a translated workbook would not import.
GAP_SHEET = "Gap analysis"
ABOUT_SHEET = "About"
GAP_COLUMNS = (
    Column("Clause", Kind.TEXT, 10),
    Column("Requirement", Kind.TEXT, 48),
    Column("Status", Kind.TEXT, 16),
    Column("Owner", Kind.TEXT, 20),
    Column("Due date", Kind.DATE, 12),
    Column("Notes", Kind.TEXT, 48),
    Column("Justification (for not applicable)", Kind.TEXT, 40),
    Column("May be not applicable", Kind.TEXT, 12),
    Column("Row version (do not edit)", Kind.HIDDEN, 16),
)
GAP_HEADERS = tuple(column.header for column in GAP_COLUMNS)
# The About sheet's labels an import reads back.
ABOUT_PROJECT_ID = "Project id"
ABOUT_STANDARD = "Standard code"
ABOUT_STANDARD_VERSION = "Standard version"
ABOUT_FINGERPRINT = "Fingerprint"


def row_token(key: bytes, project_id: int, clause: str, version: int) -> str:
    """The hidden per-row version: ``v<version>.<signature>``. The signature (an HMAC of the project, the
    clause and the version under the app's secret) lets an import refuse a row whose version was edited
    or copied from another row, rather than trust it."""
    return f"v{version}.{_signature(key, project_id, clause, version)}"


def _signature(key: bytes, project_id: int, clause: str, version: int) -> str:
    message = f"{project_id}|{clause}|{version}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:16]


def token_version(key: bytes, project_id: int, clause: str, token: Any) -> int | None:
    """The version a row's token names, or None when it is missing or not one this app signed for this
    project and clause."""
    if not isinstance(token, str) or not token.startswith("v") or "." not in token:
        return None
    number, _, signature = token[1:].partition(".")
    if not number.isdigit() or len(number) > 9:
        return None
    version = int(number)
    expected = _signature(key, project_id, clause, version)
    return version if hmac.compare_digest(expected, signature) else None


def export_fingerprint(key: bytes, project_id: int, standard: str, tokens: Iterable[str]) -> str:
    """One digest of the whole export (its project, standard and every row's token), shown on its About
    sheet so two copies can be told apart."""
    digest = hmac.new(key, f"{project_id}|{standard}".encode(), hashlib.sha256)
    for token in tokens:
        digest.update(b"|" + token.encode())
    return digest.hexdigest()[:32]
