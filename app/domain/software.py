"""The QMS software validation list (ISO 13485 4.1.6, 7.5.6, 7.6): every application the quality system
relies on (the ERP, a batch-record template, the label printing software, the sterilisation cycle
software, the eQMS...), its intended use, its risk, and its validation, proportionate to that risk.

An application is not validated until a validation is recorded (its date, the version validated and its
result); it falls due again on its revalidation date, and a version in use other than the one validated
means it changed since. A retired application is kept on the list but no longer counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain.nonconformities import sentence_error


class Risk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


RISK_LABELS: Mapping[Risk, str] = {Risk.LOW: "Low", Risk.MEDIUM: "Medium", Risk.HIGH: "High"}


class SoftwareState(StrEnum):
    NOT_VALIDATED = "not_validated"
    CHANGED = "changed"
    REVALIDATION_DUE = "revalidation_due"
    VALIDATED = "validated"
    RETIRED = "retired"


STATE_LABELS: Mapping[SoftwareState, str] = {
    SoftwareState.NOT_VALIDATED: "Not validated",
    SoftwareState.CHANGED: "Changed since validation",
    SoftwareState.REVALIDATION_DUE: "Revalidation due",
    SoftwareState.VALIDATED: "Validated",
    SoftwareState.RETIRED: "Retired",
}
# The list's order: what needs attention first (the enum's order), then the rest.
STATE_ORDER: Mapping[SoftwareState, int] = {state: index for index, state in enumerate(SoftwareState)}

NAME_MAX_LENGTH = 160
VERSION_MAX_LENGTH = 60
TEXT_MAX_LENGTH = 10_000


@dataclass(frozen=True)
class SoftwareFacts:
    retired: bool
    validated_on: date | None
    validated_version: str
    version_label: str
    revalidate_by: date | None


def state(facts: SoftwareFacts, today: date) -> SoftwareState:
    """The first that applies: retired, not validated, changed since validation (the version in use is
    not the one validated), revalidation due (its date has passed), validated."""
    if facts.retired:
        return SoftwareState.RETIRED
    if facts.validated_on is None:
        return SoftwareState.NOT_VALIDATED
    if facts.version_label != facts.validated_version:
        return SoftwareState.CHANGED
    if facts.revalidate_by is not None and facts.revalidate_by < today:
        return SoftwareState.REVALIDATION_DUE
    return SoftwareState.VALIDATED


def name_key(name: str) -> str:
    """A name folded for comparison: "SAP  Business One" and "sap business one" are one application."""
    return " ".join(name.split()).casefold()


def software_errors(
    name: str, version_label: str, intended_use: str, risk: str, approach: str
) -> dict[str, str]:
    """What is wrong with an application as listed (empty when nothing is)."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Name the application, e.g. “SAP Business One (ERP)”."
    elif max(len(name), len(name_key(name))) > NAME_MAX_LENGTH:
        errors["name"] = f"Use at most {NAME_MAX_LENGTH} characters."
    if len(version_label) > VERSION_MAX_LENGTH:
        errors["version_label"] = f"Use at most {VERSION_MAX_LENGTH} characters."
    if problem := sentence_error(intended_use, "what it is used for in the quality system"):
        errors["intended_use"] = problem
    if risk not in set(Risk):
        errors["risk"] = "Choose the risk of its failure to product quality or the QMS: low, medium or high."
    elif risk == Risk.HIGH and not approach.strip():
        errors["approach"] = (
            "High-risk software needs its validation approach written: what is tested, against which "
            "requirements, and how the results are recorded."
        )
    elif risk == Risk.HIGH and (problem := sentence_error(approach, "the validation approach")):
        errors["approach"] = problem
    for field, text in (("intended_use", intended_use), ("approach", approach)):
        if len(text) > TEXT_MAX_LENGTH:
            errors.setdefault(field, f"Use at most {TEXT_MAX_LENGTH:,} characters.")
    return errors


def validation_errors(
    validated_on: date | None,
    validated_version: str,
    result: str,
    revalidate_by: date | None,
    today: date,
) -> dict[str, str]:
    """What is wrong with a validation as recorded (empty when nothing is)."""
    errors: dict[str, str] = {}
    if validated_on is None:
        errors["validated_on"] = "Give the date the validation was completed."
    elif validated_on > today:
        errors["validated_on"] = "A validation is recorded once done: the date is in the future."
    if not validated_version.strip():
        errors["validated_version"] = "Give the version validated, e.g. 10.0 FP2."
    elif len(validated_version) > VERSION_MAX_LENGTH:
        errors["validated_version"] = f"Use at most {VERSION_MAX_LENGTH} characters."
    if problem := sentence_error(result, "the validation's result"):
        errors["result"] = problem
    elif len(result) > TEXT_MAX_LENGTH:
        errors["result"] = f"Use at most {TEXT_MAX_LENGTH:,} characters."
    if revalidate_by is not None and validated_on is not None and revalidate_by <= validated_on:
        errors["revalidate_by"] = (
            f"The revalidation date must come after the validation ({day_text(validated_on)})."
        )
    return errors


RETIRED_NOT_VALIDATED = "This application is retired: it is no longer used, so it is not validated again."
ALREADY_RETIRED = "This application is already retired."


def day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def count_text(count: int, one: str, many: str) -> str:
    """ "the QMS application" for one, "the 3 QMS applications" for several."""
    return f"the {one}" if count == 1 else f"the {count} {many}"
