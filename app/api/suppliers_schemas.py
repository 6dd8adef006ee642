"""The approved-supplier API's bodies and answers as pydantic models (see :mod:`app.api.schemas` for the
conventions: answers are closed and list every property as required; bodies are validated with their model;
limits and enums come from :mod:`app.domain.suppliers`).

A body's model checks its shape (known fields, JSON types, ISO dates); the values themselves (a name not on
the list yet, an interval of 1 to 36 months, ISO 13485's risk class and controls, an evaluation not in the
future, a score of 0 to 100, a real sentence) are checked by the service, with the messages the pages show.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr

from app.api.schemas import NO_NUL, Closed, Count, PageNumber, PerPage, _iso_date, one_of
from app.domain import suppliers as rules

IsoDate = Annotated[date | None, BeforeValidator(_iso_date)]
RISK_DESCRIPTION = (
    "The risk of what it supplies to the product; null: not classified (refused for an ISO 13485 project, "
    "7.4.1)."
)
STATUS_DESCRIPTION = (
    "The outcome of its latest evaluation (by date): approved, conditional (approved with conditions) or "
    "blocked; not_evaluated before any."
)


def _text(limit: int) -> dict[str, Any]:
    """A text's documented limits (checked by the service, with its own message)."""
    return {"maxLength": limit, "pattern": NO_NUL}


# Answers


class SupplierSummary(Closed):
    """A line of the approved-supplier list."""

    id: int
    name: str
    supplies: str
    risk_class: one_of(rules.RiskClass) | None = Field(description=RISK_DESCRIPTION)
    status: one_of(rules.SupplierStatus) = Field(description=STATUS_DESCRIPTION)
    last_evaluated_on: date | None
    reevaluate_months: int = Field(description="Re-evaluated every so many calendar months.")
    reevaluation_due: date | None = Field(
        description="The last evaluation plus reevaluate_months; null before any evaluation and while "
        "blocked (a blocked supplier is not used: it is evaluated again before it is)."
    )
    overdue: bool = Field(
        description="The re-evaluation's day has passed (never for a supplier not evaluated or blocked)."
    )
    url: str = Field(description="The supplier, with its evaluations, in this API.")


class SupplierList(Closed):
    items: list[SupplierSummary] = Field(description="By name.")
    page: PageNumber
    per_page: PerPage
    total: Count


class SupplierEvaluationItem(Closed):
    id: int
    evaluated_on: date
    evaluated_by: str
    outcome: one_of(rules.Outcome)
    score: int | None = Field(description="Percent, when the criteria are scored.")
    notes: str


class SupplierDetail(SupplierSummary):
    criteria: str
    controls: str = Field(description="Proportionate to its risk (ISO 13485 7.4.1).")
    contact: str
    version: int
    evaluations: list[SupplierEvaluationItem] = Field(description="Oldest first; the last one stands.")


# Bodies


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SupplierCreate(_Body):
    """A supplier added to the list, not evaluated yet."""

    name: StrictStr = Field(
        description="Unique in the project (compared without case or accents).",
        json_schema_extra=_text(rules.NAME_MAX_LENGTH),
    )
    supplies: StrictStr = Field(
        description="What it supplies; required.", json_schema_extra=_text(rules.TEXT_MAX_LENGTH)
    )
    criteria: StrictStr = Field(
        default="",
        description="How it is selected and evaluated.",
        json_schema_extra=_text(rules.TEXT_MAX_LENGTH),
    )
    risk_class: StrictStr | None = Field(
        default=None,
        description=RISK_DESCRIPTION,
        json_schema_extra={"anyOf": [{"type": "string", "enum": list(rules.RiskClass)}, {"type": "null"}]},
    )
    controls: StrictStr = Field(
        default="",
        description="For a high-risk supplier of an ISO 13485 project: a real sentence (four words or more).",
        json_schema_extra=_text(rules.TEXT_MAX_LENGTH),
    )
    reevaluate_months: StrictInt = Field(
        default=rules.DEFAULT_MONTHS,
        description=f"At most {rules.HIGH_RISK_MAX_MONTHS} for a high-risk supplier of an ISO 13485 project.",
        json_schema_extra={"minimum": rules.MIN_MONTHS, "maximum": rules.MAX_MONTHS},
    )
    contact: StrictStr = Field(default="", json_schema_extra=_text(rules.CONTACT_MAX_LENGTH))


class SupplierEvaluationCreate(_Body):
    """An evaluation or re-evaluation; the supplier's status becomes its outcome if it is the latest."""

    evaluated_on: IsoDate = Field(description="Not in the future.")
    evaluated_by: StrictStr = Field(json_schema_extra=_text(rules.EVALUATOR_MAX_LENGTH))
    outcome: StrictStr = Field(json_schema_extra={"enum": list(rules.Outcome)})
    score: StrictInt | None = Field(
        default=None,
        description="Percent, when the criteria are scored; null or left out for none.",
        json_schema_extra={
            "anyOf": [
                {"type": "integer", "minimum": rules.MIN_SCORE, "maximum": rules.MAX_SCORE},
                {"type": "null"},
            ]
        },
    )
    notes: StrictStr = Field(
        description="What the evaluation found: a real sentence (at least four words).",
        json_schema_extra=_text(rules.TEXT_MAX_LENGTH),
    )
