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

from app.domain.nonconformities import sentence_problem
from app.domain.text import _, _l, grouped


class Risk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


RISK_LABELS: Mapping[Risk, str] = {Risk.LOW: _l("Low"), Risk.MEDIUM: _l("Medium"), Risk.HIGH: _l("High")}


class SoftwareState(StrEnum):
    NOT_VALIDATED = "not_validated"
    CHANGED = "changed"
    REVALIDATION_DUE = "revalidation_due"
    VALIDATED = "validated"
    RETIRED = "retired"


STATE_LABELS: Mapping[SoftwareState, str] = {
    SoftwareState.NOT_VALIDATED: _l("Not validated"),
    SoftwareState.CHANGED: _l("Changed since validation"),
    SoftwareState.REVALIDATION_DUE: _l("Revalidation due"),
    SoftwareState.VALIDATED: _l("Validated"),
    SoftwareState.RETIRED: _l("Retired"),
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


# What the texts ask for: written at all, then as a real sentence.
INTENDED_USE_SENTENCES = (
    _l("Write what it is used for in the quality system."),
    _l(
        "Write what it is used for in the quality system as a real sentence (at least %(num)d words): a "
        "placeholder is not a record."
    ),
)
APPROACH_SENTENCES = (
    _l("Write the validation approach."),
    _l(
        "Write the validation approach as a real sentence (at least %(num)d words): a placeholder is not a "
        "record."
    ),
)
RESULT_SENTENCES = (
    _l("Write the validation's result."),
    _l(
        "Write the validation's result as a real sentence (at least %(num)d words): a placeholder is not a "
        "record."
    ),
)


def software_errors(
    name: str, version_label: str, intended_use: str, risk: str, approach: str
) -> dict[str, str]:
    """What is wrong with an application as listed (empty when nothing is)."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Name the application, e.g. “SAP Business One (ERP)”.")
    elif max(len(name), len(name_key(name))) > NAME_MAX_LENGTH:
        errors["name"] = limit_error(NAME_MAX_LENGTH)
    if len(version_label) > VERSION_MAX_LENGTH:
        errors["version_label"] = limit_error(VERSION_MAX_LENGTH)
    if problem := sentence_problem(intended_use, *INTENDED_USE_SENTENCES):
        errors["intended_use"] = problem
    if risk not in set(Risk):
        errors["risk"] = _(
            "Choose the risk of its failure to product quality or the QMS: low, medium or high."
        )
    elif risk == Risk.HIGH and not approach.strip():
        errors["approach"] = _(
            "High-risk software needs its validation approach written: what is tested, against which "
            "requirements, and how the results are recorded."
        )
    elif risk == Risk.HIGH and (problem := sentence_problem(approach, *APPROACH_SENTENCES)):
        errors["approach"] = problem
    for field, text in (("intended_use", intended_use), ("approach", approach)):
        if len(text) > TEXT_MAX_LENGTH:
            errors.setdefault(field, limit_error(TEXT_MAX_LENGTH))
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
        errors["validated_on"] = _("Give the date the validation was completed.")
    elif validated_on > today:
        errors["validated_on"] = _("A validation is recorded once done: the date is in the future.")
    if not validated_version.strip():
        errors["validated_version"] = _("Give the version validated, e.g. 10.0 FP2.")
    elif len(validated_version) > VERSION_MAX_LENGTH:
        errors["validated_version"] = limit_error(VERSION_MAX_LENGTH)
    if problem := sentence_problem(result, *RESULT_SENTENCES):
        errors["result"] = problem
    elif len(result) > TEXT_MAX_LENGTH:
        errors["result"] = limit_error(TEXT_MAX_LENGTH)
    if revalidate_by is not None and validated_on is not None and revalidate_by <= validated_on:
        errors["revalidate_by"] = _(
            "The revalidation date must come after the validation (%(day)s).", day=day_text(validated_on)
        )
    return errors


def limit_error(limit: int) -> str:
    """A text longer than its column takes ("Use at most 10,000 characters.")."""
    return _("Use at most %(limit)s characters.", limit=grouped(limit))


RETIRED_NOT_VALIDATED = _l("This application is retired: it is no longer used, so it is not validated again.")
ALREADY_RETIRED = _l("This application is already retired.")


def day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def count_text(count: int, one: str, many: str) -> str:
    """ "the QMS application" for one, "the 3 QMS applications" for several."""
    return f"the {one}" if count == 1 else f"the {count} {many}"
