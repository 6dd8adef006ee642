"""The customer satisfaction register's API bodies and answers as pydantic models (see
:mod:`app.api.schemas` for the conventions: answers are closed and list every property as required; bodies
are validated with their model; limits and enums come from :mod:`app.domain.satisfaction`).

A body's model checks its shape (known fields, JSON types, ISO dates); the values themselves (a name, a
number within range, a period not in the future) are checked by the service, with the messages the pages
show.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictFloat, StrictStr

from app.api.schemas import NO_NUL, Closed, Count, PageNumber, PerPage, _iso_date, one_of
from app.domain import satisfaction as rules
from app.domain.objectives import MAX_VALUE

IsoDate = Annotated[date | None, BeforeValidator(_iso_date)]
Number = StrictFloat  # a JSON number, whole or not
NUMBER = f"A number, less than {MAX_VALUE:,} either way; kept to four decimals."


def _text(limit: int) -> dict[str, Any]:
    return {"maxLength": limit, "pattern": NO_NUL}


# Answers


class SatisfactionValueItem(Closed):
    id: int
    period_end: date = Field(description="The last day of the period the value covers.")
    value: str = Field(description="A decimal string.")
    notes: str


class SatisfactionMeasureSummary(Closed):
    id: int
    name: str
    kind: one_of(rules.MeasureKind)
    unit: str
    higher_is_better: bool
    target: str | None = Field(description="A decimal string; null for no target.")
    target_text: str = Field(examples=["at least 85 %"])
    latest_value: str | None = Field(description="The value of the latest period; null if none yet.")
    latest_period_end: date | None
    trend: one_of(rules.Trend) | None = Field(
        description="The latest value against the one before; null with fewer than two values."
    )
    meets_target: bool | None = Field(
        description="On the target or its better side; null without a target or a value."
    )
    stale: bool = Field(
        description=f"No value for a period ending in the last {rules.STALE_AFTER_MONTHS} months."
    )
    url: str = Field(description="The measure, with its values, in this API.")


class SatisfactionMeasureList(Closed):
    items: list[SatisfactionMeasureSummary] = Field(description="By name.")
    page: PageNumber
    per_page: PerPage
    total: Count


class SatisfactionMeasureDetail(SatisfactionMeasureSummary):
    values: list[SatisfactionValueItem] = Field(description="By period, oldest first.")
    version: int


# Bodies


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SatisfactionMeasureCreate(_Body):
    name: StrictStr = Field(json_schema_extra=_text(rules.NAME_MAX_LENGTH))
    kind: StrictStr = Field(json_schema_extra={"enum": list(rules.MeasureKind)})
    unit: StrictStr = Field(default="", json_schema_extra=_text(rules.UNIT_MAX_LENGTH))
    higher_is_better: StrictBool = Field(
        default=True, description="false: a lower value is better (returns)."
    )
    target: Number | None = Field(default=None, description=f"{NUMBER} null for no target.")


class SatisfactionValueCreate(_Body):
    period_end: IsoDate = Field(description="The period's last day; not in the future.")
    value: Number = Field(description=NUMBER)
    notes: StrictStr = Field(default="", json_schema_extra=_text(rules.NOTES_MAX_LENGTH))
