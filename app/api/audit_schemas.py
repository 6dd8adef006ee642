"""The internal audit API's bodies and answers as pydantic models (see :mod:`app.api.schemas` for the
conventions: answers are closed and list every property as required; a body's model checks its shape, and
the service checks its values with the messages the pages show). Limits and enums come from
:mod:`app.domain.audits`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr

from app.api.schemas import NO_NUL, Closed, Count, _iso_date, one_of
from app.domain import audits as rules
from app.domain.ids import MAX_ID
from app.domain.nonconformities import FindingState, Severity

# More clauses than a standard has: a longer list is a mistake, not a scope.
MAX_SCOPE = 200
MAX_TEAM = 50
MAX_EVIDENCE = 100
ID = {"minimum": 1, "maximum": MAX_ID}
STATUS_DESCRIPTION = "planned -> in_progress (start) -> reported (report) -> closed (close)."


def _text(limit: int) -> dict[str, Any]:
    """A text's documented limits (checked by the service, with its own message)."""
    return {"maxLength": limit, "pattern": NO_NUL}


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
OptionalIsoDate = Annotated[date | None, BeforeValidator(_iso_date)]
Id = Annotated[StrictInt, Field(json_schema_extra=ID)]
Number = Annotated[StrictStr, Field(json_schema_extra={"pattern": NO_NUL, "maxLength": 20})]


# Answers


class AuditCoverage(Closed):
    """One section of the programme: the audits covering it in the cycle, and those only planned."""

    section: str = Field(examples=["8"])
    title: str
    covered: bool = Field(description="A reported audit of the cycle covers it.")
    reported: list[int] = Field(description="Ids of the audits reported in the cycle that cover it.")
    planned: list[int] = Field(description="Ids of the audits planned or in progress that cover it.")


class AuditSummary(Closed):
    """An audit of the programme."""

    id: int
    title: str
    status: one_of(rules.AuditStatus) = Field(description=STATUS_DESCRIPTION)
    planned_start: date
    planned_end: date
    reported_on: date | None
    lead_auditor: str | None = Field(description="The lead auditor's name; null if none is recorded.")
    sections: list[str] = Field(description="The sections its scope touches, in numeric order.")
    findings: Count = Field(description="Findings its report raised.")
    url: str = Field(description="The audit, with its checklist, in this API.")


class AuditList(Closed):
    items: list[AuditSummary] = Field(description="By planned start.")
    total: Count
    cycle_start: date = Field(
        description="Audits reported since this day count for the cycle (the last "
        f"{rules.AUDIT_CYCLE_MONTHS} months)."
    )
    coverage: list[AuditCoverage] = Field(
        description="The programme's sections, less those whose every requirement is not applicable."
    )


class AuditAuditor(Closed):
    id: int
    name: str
    department: str
    lead: bool
    qualified: bool = Field(description="Passed an internal-auditor training (with its effectiveness check).")
    own_department: bool = Field(description="Works in a department the audit visits.")


class AuditChecklistLine(Closed):
    id: int
    clause: str = Field(examples=["8.5.1"])
    title: str
    section: str
    position: int
    prompt: str = Field(description="What to look for.")
    result: one_of(rules.LineResult)
    notes: str
    evidence_ids: list[int] = Field(description="The evidence the line was checked against (not deleted).")
    version: int = Field(description="Send it back (or the ETag in If-Match) to change the line.")


class AuditFinding(Closed):
    id: int
    label: str = Field(examples=["Finding 12 (major, 7.5.6)"])
    clause_number: str | None
    severity: one_of(Severity)
    status: one_of(FindingState)
    description: str


class AuditDetail(Closed):
    id: int
    title: str
    status: one_of(rules.AuditStatus) = Field(description=STATUS_DESCRIPTION)
    planned_start: date
    planned_end: date
    started_on: date | None
    reported_on: date | None
    closed_on: date | None
    scope: list[str] = Field(description="Clause or section numbers, in catalog order.")
    sections: list[str]
    departments: str
    lead_auditor_id: int | None
    team: list[AuditAuditor] = Field(description="The lead first, then the team by name.")
    independence_reason: str
    summary: str = Field(description="The report's conclusion; empty until reported.")
    notes: str
    version: int = Field(description="Send it back (or the ETag in If-Match) to change the audit.")
    allowed_transitions: list[one_of(rules.Transition)]
    lines: list[AuditChecklistLine] = Field(description="The checklist, in catalog order.")
    findings: list[AuditFinding] = Field(description="The findings its report raised.")
    url: str


# Bodies


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AuditCreate(_Body):
    """A new audit, planned; its checklist is made from the scope."""

    title: StrictStr = Field(json_schema_extra=_text(rules.TITLE_MAX_LENGTH))
    planned_start: IsoDate
    planned_end: IsoDate = Field(description="Not before planned_start.")
    scope: list[Number] = Field(
        max_length=MAX_SCOPE,
        description='Clause or section numbers of the project\'s standard, e.g. ["4", "8.5"]; a section '
        "covers every clause under it.",
        json_schema_extra={"minItems": 1},
    )
    departments: StrictStr = Field(
        description="The departments (or processes) visited, separated by commas or lines.",
        json_schema_extra=_text(rules.TEXT_MAX_LENGTH),
    )
    lead_auditor_id: Id = Field(description="A person of the site's active staff (ids from the people list).")
    team_ids: list[Id] = Field(
        default=[], max_length=MAX_TEAM, description="Other auditors, of the same staff."
    )
    independence_reason: StrictStr = Field(
        default="",
        description=f"Why an auditor audits their own department: only at a site of "
        f"{rules.SMALL_SITE_EMPLOYEES} people or fewer.",
        json_schema_extra=_text(rules.TEXT_MAX_LENGTH),
    )
    notes: StrictStr = Field(default="", json_schema_extra=_text(rules.TEXT_MAX_LENGTH))


class AuditPatch(_Body):
    """Change a planned audit's plan: the fields sent; the others keep their values."""

    title: StrictStr = Field(default=None, json_schema_extra=_text(rules.TITLE_MAX_LENGTH))
    planned_start: IsoDate = Field(default=None)
    planned_end: IsoDate = Field(default=None)
    scope: list[Number] = Field(default=None, max_length=MAX_SCOPE, json_schema_extra={"minItems": 1})
    departments: StrictStr = Field(default=None, json_schema_extra=_text(rules.TEXT_MAX_LENGTH))
    lead_auditor_id: Id = Field(default=None)
    team_ids: list[Id] = Field(default=None, max_length=MAX_TEAM)
    independence_reason: StrictStr = Field(default=None, json_schema_extra=_text(rules.TEXT_MAX_LENGTH))
    notes: StrictStr = Field(default=None, json_schema_extra=_text(rules.TEXT_MAX_LENGTH))
    version: StrictInt | None = Field(
        default=None, description="The version you read; a stale one is answered 409 (or send If-Match)."
    )


class AuditTransition(_Body):
    """One step of the audit: start (planned), report (in progress, every line answered), close (reported,
    every finding it raised closed)."""

    action: StrictStr = Field(json_schema_extra={"enum": list(rules.Transition)})
    reported_on: OptionalIsoDate = Field(
        default=None, description="For report: the report's date, from the start to today."
    )
    summary: StrictStr = Field(
        default="",
        description="For report: the conclusion, in a real sentence.",
        json_schema_extra=_text(rules.TEXT_MAX_LENGTH),
    )
    version: StrictInt | None = Field(
        default=None, description="The audit's version you read (409 if stale)."
    )


class AuditLinePatch(_Body):
    """Answer a checklist line of an audit in progress: the fields sent; the others keep their values."""

    result: StrictStr = Field(
        default=None,
        description="A nonconforming result (minor, major, observation) needs notes in a real sentence.",
        json_schema_extra={"enum": list(rules.LineResult)},
    )
    notes: StrictStr = Field(default=None, json_schema_extra=_text(rules.TEXT_MAX_LENGTH))
    evidence_ids: list[Id] = Field(
        default=None, max_length=MAX_EVIDENCE, description="Evidence of the project (replaces the list)."
    )
    version: StrictInt | None = Field(default=None, description="The line's version you read (409 if stale).")
