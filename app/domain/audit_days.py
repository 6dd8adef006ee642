"""Certification-body audit-days: the IAF MD 5 (ISO 9001) and MD 9 (ISO 13485) tables and the cycle rules.

Figures come from ``shared/domain/costs.md`` section 1. Days are ``Decimal`` so that multiplying by a day rate
stays exact. They are the initial audit (stage 1 + stage 2) *before* any reduction the certification body
may grant for low complexity (at most 30%); the certification body makes the final calculation.

Rules decided here, where the sources leave a choice:

* **Rounding** (:func:`round_half`): to the nearest half day; a value exactly between two half days
  (x.25, x.75) rounds *up* (``ROUND_HALF_UP``), the conservative choice for budgeting. With table values
  such ties never arise for the /3 and *2/3 rules.
* **Beyond the table** ("follow the progression", MD 5): after the last row, bands keep the width of the
  last MD 5 band (8501-10700, i.e. 2,200 people) and each band adds one audit-day. ISO 13485 above its
  last row (626-875) uses the MD 5 band boundaries with one day more per band, as MD 9 does from 126-175
  upwards, then the same continuation. Such results say so in ``note`` and have ``method="progression"``.
* **Gaps in a table**: MD 9 as reproduced in costs.md has no 426-625 row. A count in a gap gets the band
  between its neighbours and the half-day-rounded mean of their days (13 and 15 give 14), with
  ``method="interpolated"`` and a note saying the row is missing from the source.
* **Stage split** (:func:`stage_split`): stage 1 is a third of the initial days rounded to the half day
  (at least half a day), stage 2 the rest; costs.md's worked example splits 4 days as 1.5 + 2.5.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from app.domain.text import _, _l

Method = Literal["table", "interpolated", "progression"]

STANDARD_LABELS = {"iso9001": "ISO 9001", "iso13485": "ISO 13485"}


@dataclass(frozen=True)
class AuditDayBand:
    """One row of an audit-day table: ``low``-``high`` effective personnel get ``days`` initial audit-days."""

    low: int
    high: int
    days: Decimal

    @property
    def label(self) -> str:
        return f"{self.low}\u2013{self.high}"

    def contains(self, employees: int) -> bool:
        return self.low <= employees <= self.high


def _table(rows: tuple[tuple[int, int, str], ...]) -> tuple[AuditDayBand, ...]:
    return tuple(AuditDayBand(low, high, Decimal(days)) for low, high, days in rows)


# fmt: off
# IAF MD 5:2019 Table QMS 1, initial audit (stage 1 + stage 2), costs.md section 1a.
MD5_TABLE = _table(
    (
        (1, 5, "1.5"), (6, 10, "2"), (11, 15, "2.5"), (16, 25, "3"), (26, 45, "4"), (46, 65, "5"),
        (66, 85, "6"), (86, 125, "7"), (126, 175, "8"), (176, 275, "9"), (276, 425, "10"),
        (426, 625, "11"), (626, 875, "12"), (876, 1175, "13"), (1176, 1550, "14"), (1551, 2025, "15"),
        (2026, 2675, "16"), (2676, 3450, "17"), (3451, 4350, "18"), (4351, 5450, "19"),
        (5451, 6800, "20"), (6801, 8500, "21"), (8501, 10700, "22"),
    )
)

# IAF MD 9:2011 as reproduced by RAPS, costs.md section 1b. The 426-625 row is absent from that source.
MD9_TABLE = _table(
    (
        (1, 5, "3"), (6, 10, "4"), (11, 15, "4.5"), (16, 25, "5"), (26, 45, "6"), (46, 65, "7"),
        (66, 85, "8"), (86, 125, "10"), (126, 175, "11"), (176, 275, "12"), (276, 425, "13"),
        (626, 875, "15"),
    )
)
# fmt: on

TABLES = {"iso9001": MD5_TABLE, "iso13485": MD9_TABLE}
TABLE_NAMES = {"iso9001": "IAF MD 5", "iso13485": "IAF MD 9"}
SOURCES = {
    "iso9001": _l("IAF MD 5:2019 Issue 4 version 2, table QMS 1"),
    "iso13485": _l("IAF MD 9:2011 as reproduced by RAPS; newer editions of MD 9 exist, check iaf.nu"),
}
# The entry of the in-app Sources page (app.domain.cost_sources) each table comes from.
SOURCE_KEYS = {"iso9001": "iaf-md5", "iso13485": "iaf-md9"}
# How a basis names the table, in a few words.
SHORT_SOURCES = {"iso9001": _l("IAF MD 5, table QMS 1"), "iso13485": "IAF MD 9"}
BEFORE_REDUCTION = _l(
    "Initial audit (stage 1 and stage 2 together), before any reduction the certification body may grant "
    "(at most 30%)."
)


@dataclass(frozen=True)
class AuditDays:
    """The initial audit-days for one site, the band that gave them and how it was found."""

    standard: str
    employees: int
    days: Decimal
    band: AuditDayBand
    method: Method
    source: str
    note: str

    @property
    def table_name(self) -> str:
        return TABLE_NAMES[self.standard]

    @property
    def source_key(self) -> str:
        return SOURCE_KEYS[self.standard]

    @property
    def short_source(self) -> str:
        return SHORT_SOURCES[self.standard]

    @property
    def from_table(self) -> bool:
        return self.method == "table"


@dataclass(frozen=True)
class StageSplit:
    stage1: Decimal
    stage2: Decimal


@dataclass(frozen=True)
class CertificationCycle:
    """Audit-days over one three-year certificate cycle; recertification opens the next cycle."""

    initial: Decimal
    stage1: Decimal
    stage2: Decimal
    surveillance: Decimal  # each of years 1 and 2
    recertification: Decimal  # year 3

    @property
    def three_year_total(self) -> Decimal:
        """Initial audit plus two surveillance audits (costs.md: 4 + 1.5 + 1.5 = 7)."""
        return self.initial + 2 * self.surveillance


def format_days(days: Decimal) -> str:
    """``Decimal("4.0")`` -> ``"4"``, ``Decimal("2.50")`` -> ``"2.5"``, never scientific notation."""
    return f"{days.normalize():f}"


def round_half(value: Decimal) -> Decimal:
    """Round to the nearest half day; exact quarter ties (1.25, 1.75) round up (``ROUND_HALF_UP``)."""
    return (value * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2


def surveillance_days(initial: Decimal) -> Decimal:
    """Each yearly surveillance audit: about a third of the initial audit, to the half day."""
    return round_half(initial / 3)


def recertification_days(initial: Decimal) -> Decimal:
    """The year-3 recertification audit: about two thirds of the initial audit, to the half day."""
    return round_half(initial * 2 / 3)


def stage_split(initial: Decimal) -> StageSplit:
    """Guidance only; the CB plans the split. Stage 1 is a third (at least half a day), stage 2 the rest."""
    if initial < 1:
        days = format_days(initial)
        raise ValueError(f"An initial audit of {days} days is too short to split into two stages.")
    stage1 = max(Decimal("0.5"), round_half(initial / 3))
    return StageSplit(stage1=stage1, stage2=initial - stage1)


def certification_cycle(initial: Decimal) -> CertificationCycle:
    split = stage_split(initial)
    return CertificationCycle(
        initial=initial,
        stage1=split.stage1,
        stage2=split.stage2,
        surveillance=surveillance_days(initial),
        recertification=recertification_days(initial),
    )


def _continued_band(last: AuditDayBand, employees: int) -> AuditDayBand:
    """The band beyond ``last``: MD 5 boundaries above it, then bands as wide as MD 5's last; +1 day each."""
    steps = 0
    for row in MD5_TABLE:
        if row.low > last.high:
            steps += 1
            if employees <= row.high:
                return AuditDayBand(row.low, row.high, last.days + steps)
    md5_last = MD5_TABLE[-1]
    width = md5_last.high - md5_last.low + 1
    extra = -(-(employees - md5_last.high) // width)  # ceiling division
    high = md5_last.high + extra * width
    return AuditDayBand(high - width + 1, high, last.days + steps + extra)


def _progression_note(standard: str, last: AuditDayBand, band: AuditDayBand) -> str:
    progression = _(
        "Readiness follows the progression: MD 5 band boundaries (beyond 10700, bands 2,200 people wide like "
        "MD 5's last band), one audit-day more per band: %(band)s employees = %(days)s days. This is an "
        "extrapolation, not a table figure; ask the certification body.",
        band=band.label,
        days=format_days(band.days),
    )
    return f"{_table_end(standard, last)} {progression} {BEFORE_REDUCTION}"


def _table_end(standard: str, last: AuditDayBand) -> str:
    return _(
        "The %(table)s table ends at %(employees)d employees (%(days)s days).",
        table=TABLE_NAMES[standard],
        employees=last.high,
        days=format_days(last.days),
    )


def _gap_result(standard: str, employees: int, below: AuditDayBand, above: AuditDayBand) -> AuditDays:
    band = AuditDayBand(below.high + 1, above.low - 1, round_half((below.days + above.days) / 2))
    missing = _(
        "The %(band)s row is missing from the %(table)s table Readiness uses. %(days)s days is interpolated "
        "between %(below)s (%(below_days)s) and %(above)s (%(above_days)s); confirm with the certification "
        "body.",
        band=band.label,
        table=TABLE_NAMES[standard],
        days=format_days(band.days),
        below=below.label,
        below_days=format_days(below.days),
        above=above.label,
        above_days=format_days(above.days),
    )
    note = f"{missing} {BEFORE_REDUCTION}"
    return AuditDays(standard, employees, band.days, band, "interpolated", SOURCES[standard], note)


def initial_audit_days(standard: str, employees: int) -> AuditDays:
    """Initial (stage 1 + stage 2) audit-days for ``employees`` effective personnel under ``standard``."""
    if standard not in TABLES:
        known = ", ".join(sorted(TABLES))
        raise ValueError(f"Unknown standard {standard!r}: audit-day tables exist for {known}.")
    if employees < 1:
        raise ValueError(f"The number of employees must be at least 1 (got {employees}).")
    table = TABLES[standard]
    for index, row in enumerate(table):
        if row.contains(employees):
            note = str(BEFORE_REDUCTION)
            return AuditDays(standard, employees, row.days, row, "table", SOURCES[standard], note)
        if employees < row.low:
            return _gap_result(standard, employees, table[index - 1], row)
    band = _continued_band(table[-1], employees)
    note = _progression_note(standard, table[-1], band)
    return AuditDays(standard, employees, band.days, band, "progression", SOURCES[standard], note)
