"""The risk-management files' API bodies and answers as pydantic models (see :mod:`app.api.schemas` for the
conventions: answers are closed and list every property as required; bodies are validated with their
model; limits and enums come from :mod:`app.domain.risk_files`).

A body's model checks its shape (known fields, JSON types, ISO dates); the values themselves (scores on the
scale, residual scores no higher than the initial ones, controls written as a sentence, a family the
project has no file for yet) are checked by the service, with the messages the pages show.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr

from app.api.schemas import NO_NUL, Closed, Count, PageNumber, PerPage, _iso_date, one_of
from app.domain import risk_files as rules

IsoDate = Annotated[date | None, BeforeValidator(_iso_date)]
SCORE: dict[str, Any] = {"type": "integer", "minimum": min(rules.SCALE), "maximum": max(rules.SCALE)}
LEVEL = (
    "Read from the 5-by-5 matrix of severity and probability: acceptable, review (reduce the risk as far as "
    "possible) or unacceptable."
)
STATE = (
    "no_hazards: none recorded yet; uncontrolled: a hazard whose initial risk is not acceptable has no "
    "controls and residual scores yet; unacceptable: a residual risk is still unacceptable; complete."
)


def _text(limit: int, description: str = "") -> dict[str, Any]:
    return {"maxLength": limit, "pattern": NO_NUL} | ({"description": description} if description else {})


# Answers


class HazardItem(Closed):
    id: int
    hazard: str
    situation: str = Field(description="The hazardous situation.")
    harm: str
    severity: int = Field(description="1 (negligible) to 5 (catastrophic).")
    probability: int = Field(description="1 (improbable) to 5 (frequent).")
    initial_level: one_of(rules.RiskLevel) = Field(description=LEVEL)
    controls: str
    residual_severity: int | None = Field(description="After the controls; null until scored.")
    residual_probability: int | None = Field(description="After the controls; null until scored.")
    residual_level: one_of(rules.RiskLevel) | None = Field(description="null until scored after controls.")
    verification: str = Field(description="How the controls were verified.")
    needs_controls: bool = Field(description="Its initial risk is not acceptable and it has no controls yet.")
    flagged: bool = Field(description="Its residual risk is still unacceptable.")
    version: int


class RiskFileSummary(Closed):
    id: int
    device_family: str
    reviewed_on: date | None
    hazard_count: Count
    uncontrolled_count: Count = Field(description="Hazards that need controls.")
    unacceptable_count: Count = Field(description="Hazards whose residual risk is still unacceptable.")
    worst_residual_level: one_of(rules.RiskLevel) | None = Field(
        description="The worst risk as it stands (residual once scored, else initial); null without hazards."
    )
    state: one_of(rules.FileState) = Field(description=STATE)
    url: str = Field(description="The file, with its hazards, in this API.")


class RiskFileList(Closed):
    items: list[RiskFileSummary] = Field(description="By device family.")
    page: PageNumber
    per_page: PerPage
    total: Count


class RiskFileDetail(RiskFileSummary):
    intended_use: str
    acceptability_policy: str
    version: int
    hazards: list[HazardItem] = Field(description="In the order they were recorded.")


# Bodies


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RiskFileCreate(_Body):
    """A device family's new risk-management file (one per family: another spelling of a family the
    project has a file for is refused)."""

    device_family: StrictStr = Field(json_schema_extra=_text(rules.FAMILY_MAX_LENGTH))
    intended_use: StrictStr = Field(
        json_schema_extra=_text(rules.TEXT_MAX_LENGTH, "A real sentence (at least four words).")
    )
    acceptability_policy: StrictStr = Field(default="", json_schema_extra=_text(rules.TEXT_MAX_LENGTH))
    reviewed_on: IsoDate = Field(default=None, description="Not in the future; null for not yet reviewed.")


class HazardCreate(_Body):
    """A hazard of the file. Controls are needed when the initial risk is not acceptable; once given, they
    are a real sentence with both residual scores, each no higher than the initial one."""

    hazard: StrictStr = Field(json_schema_extra=_text(rules.HAZARD_MAX_LENGTH))
    situation: StrictStr = Field(
        json_schema_extra=_text(rules.TEXT_MAX_LENGTH, "The hazardous situation: a real sentence.")
    )
    harm: StrictStr = Field(json_schema_extra=_text(rules.TEXT_MAX_LENGTH))
    severity: StrictInt = Field(json_schema_extra=SCORE)
    probability: StrictInt = Field(json_schema_extra=SCORE)
    controls: StrictStr = Field(default="", json_schema_extra=_text(rules.TEXT_MAX_LENGTH))
    residual_severity: StrictInt | None = Field(
        default=None, json_schema_extra={"anyOf": [SCORE, {"type": "null"}]}
    )
    residual_probability: StrictInt | None = Field(
        default=None, json_schema_extra={"anyOf": [SCORE, {"type": "null"}]}
    )
    verification: StrictStr = Field(default="", json_schema_extra=_text(rules.TEXT_MAX_LENGTH))
