"""Approved suppliers and their evaluations (ISO 9001 8.4, ISO 13485 7.4).

A supplier's status is the outcome of its latest evaluation (by date, then by the order recorded): approved,
approved with conditions, or blocked; "not evaluated" before any. It is re-evaluated every
``reevaluate_months`` (1 to 36): the re-evaluation is due that many calendar months after the last
evaluation and overdue the day after (a blocked supplier is not used, so not re-evaluated until it is).

ISO 13485 7.4.1 makes the controls of a supplier proportionate to the risk of what it supplies: for a
medical-device project every supplier has a risk class, and a high-risk one has its controls written (an
incoming inspection, a quality agreement, audits) and is re-evaluated at least every 12 months.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from app.domain.nonconformities import MIN_SENTENCE_WORDS, is_sentence
from app.domain.pathway import StandardFamily
from app.domain.text import _, _l, grouped


class SupplierStatus(StrEnum):
    APPROVED = "approved"
    CONDITIONAL = "conditional"
    BLOCKED = "blocked"
    NOT_EVALUATED = "not_evaluated"


class Outcome(StrEnum):
    """What an evaluation decides (the statuses but "not evaluated")."""

    APPROVED = "approved"
    CONDITIONAL = "conditional"
    BLOCKED = "blocked"


class RiskClass(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


OVERDUE = "overdue"  # the list's filter of the suppliers whose re-evaluation is overdue

STATUS_LABELS: Mapping[str, str] = {
    SupplierStatus.APPROVED: _l("Approved"),
    SupplierStatus.CONDITIONAL: _l("Approved with conditions"),
    SupplierStatus.BLOCKED: _l("Blocked"),
    SupplierStatus.NOT_EVALUATED: _l("Not evaluated"),
}
OUTCOME_LABELS: Mapping[str, str] = {outcome: STATUS_LABELS[outcome] for outcome in Outcome}
RISK_LABELS: Mapping[str, str] = {
    RiskClass.LOW: _l("Low"),
    RiskClass.MEDIUM: _l("Medium"),
    RiskClass.HIGH: _l("High"),
}
STATUS_FILTER_LABELS: Mapping[str, str] = {**STATUS_LABELS, OVERDUE: _l("Re-evaluation overdue")}

NAME_MAX_LENGTH = 160
CONTACT_MAX_LENGTH = 160
EVALUATOR_MAX_LENGTH = 120
TEXT_MAX_LENGTH = 10_000  # what it supplies, the criteria, the controls, an evaluation's notes
MIN_MONTHS, MAX_MONTHS = 1, 36
DEFAULT_MONTHS = 12
HIGH_RISK_MAX_MONTHS = 12  # ISO 13485 7.4.1: a high-risk supplier at least yearly
MIN_SCORE, MAX_SCORE = 0, 100

# The clause that asks for the evaluation of suppliers, per standard.
EVALUATION_CLAUSE: Mapping[StandardFamily, str] = {
    StandardFamily.ISO_9001: "8.4.1",
    StandardFamily.ISO_13485: "7.4.1",
}


# Status and re-evaluation


@dataclass(frozen=True)
class Evaluation:
    id: int
    evaluated_on: date
    outcome: str


def latest(evaluations: Sequence[Evaluation]) -> Evaluation | None:
    """The standing evaluation: the latest by date, and of one day the last recorded."""
    return max(evaluations, key=lambda e: (e.evaluated_on, e.id), default=None)


def status_of(evaluations: Sequence[Evaluation]) -> tuple[SupplierStatus, date | None]:
    """The supplier's status and the date of its latest evaluation ("not evaluated", None before any)."""
    last = latest(evaluations)
    if last is None:
        return SupplierStatus.NOT_EVALUATED, None
    return SupplierStatus(last.outcome), last.evaluated_on


def reevaluation_due(last_evaluated_on: date | None, months: int) -> date | None:
    """When the next evaluation is due: ``months`` calendar months after the last one (none before any)."""
    if last_evaluated_on is None:
        return None
    return last_evaluated_on + relativedelta(months=months)


def next_due(status: str, last_evaluated_on: date | None, months: int) -> date | None:
    """The day the supplier's next evaluation is due; none for a supplier not evaluated yet (it is "not
    evaluated") nor for a blocked one (it is not used: it is evaluated again before it is)."""
    if status in (SupplierStatus.NOT_EVALUATED, SupplierStatus.BLOCKED):
        return None
    return reevaluation_due(last_evaluated_on, months)


def is_overdue(status: str, last_evaluated_on: date | None, months: int, today: date) -> bool:
    """The re-evaluation's day has passed (the due day itself is not late); never without a due day."""
    due = next_due(status, last_evaluated_on, months)
    return due is not None and due < today


def overdue_before(today: date, months: int) -> date:
    """The earliest evaluation date whose re-evaluation at ``months`` is not overdue ``today``: an
    evaluation before it is overdue. (Adding months clips at a month's end, so "today minus the months" is
    not always it; the due date grows with the evaluation date, so one such day exists.) The list's
    SQL filter compares with it; :func:`is_overdue` is the rule it agrees with."""
    day = today - relativedelta(months=months)
    while day + relativedelta(months=months) < today:
        day += timedelta(days=1)
    while (day - timedelta(days=1)) + relativedelta(months=months) >= today:
        day -= timedelta(days=1)
    return day


# Names


def fold_name(name: str) -> str:
    """A supplier's name folded for comparison: case, accents and spacing aside, so "Công ty Nhựa Đông Á"
    and "cong ty nhua dong a" are one supplier."""
    text = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


def name_taken_message(name: str) -> str:
    return _(
        "“%(name)s” is already on the supplier list (names are compared without case or accents).", name=name
    )


# What is refused


def parse_whole(text: str) -> int | None:
    """A whole number typed (spaces around allowed), or None."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        return None
    return int(text)


def months_error(months: int | None) -> str | None:
    if months is None or not MIN_MONTHS <= months <= MAX_MONTHS:
        return _(
            "Give the re-evaluation interval in whole months, from %(min)d to %(max)d.",
            min=MIN_MONTHS,
            max=MAX_MONTHS,
        )
    return None


def _limit_errors(limits: Mapping[str, tuple[str, int]]) -> dict[str, str]:
    return {
        name: _("Use at most %(limit)s characters.", limit=grouped(limit))
        for name, (text, limit) in limits.items()
        if len(text) > limit
    }


def supplier_errors(
    *,
    name: str,
    supplies: str,
    criteria: str,
    risk_class: str,
    controls: str,
    months: int | None,
    contact: str,
    family: StandardFamily,
) -> dict[str, str]:
    """What is wrong with a supplier's fields, by field (empty when nothing is)."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Give the supplier's name.")
    elif len(fold_name(name)) > NAME_MAX_LENGTH:
        errors["name"] = _("Use at most %(limit)s characters.", limit=str(NAME_MAX_LENGTH))
    if not supplies.strip():
        errors["supplies"] = _(
            "Say what it supplies, e.g. “natural cork bark, graded” or “sterilisation (EO)”."
        )
    if risk_class and risk_class not in set(RiskClass):
        errors["risk_class"] = _("Choose the risk class: low, medium or high.")
    elif not risk_class and family is StandardFamily.ISO_13485:
        errors["risk_class"] = _(
            "Choose the risk class: ISO 13485 (7.4.1) makes a supplier's controls proportionate to the "
            "risk of what it supplies."
        )
    if problem := months_error(months):
        errors["reevaluate_months"] = problem
    if family is StandardFamily.ISO_13485 and risk_class == RiskClass.HIGH:
        errors |= _high_risk_errors(controls, months, errors)
    limits = {
        "name": (name, NAME_MAX_LENGTH),
        "supplies": (supplies, TEXT_MAX_LENGTH),
        "criteria": (criteria, TEXT_MAX_LENGTH),
        "controls": (controls, TEXT_MAX_LENGTH),
        "contact": (contact, CONTACT_MAX_LENGTH),
    }
    return _limit_errors(limits) | errors


def _high_risk_errors(controls: str, months: int | None, found: Mapping[str, str]) -> dict[str, str]:
    """ISO 13485 7.4.1 for a high-risk supplier: its controls written, re-evaluated at least yearly."""
    errors: dict[str, str] = {}
    if not is_sentence(controls):
        errors["controls"] = _(
            "Write the controls of a high-risk supplier as a sentence, e.g. “incoming inspection of every "
            "lot, a quality agreement and a yearly audit” (ISO 13485 7.4.1)."
        )
    if "reevaluate_months" not in found and months is not None and months > HIGH_RISK_MAX_MONTHS:
        errors["reevaluate_months"] = _(
            "Re-evaluate a high-risk supplier at least every %(months)d months (ISO 13485 7.4.1).",
            months=HIGH_RISK_MAX_MONTHS,
        )
    return errors


def score_error(score: int | None, typed: str) -> str | None:
    """A score is optional; when typed, a whole percent."""
    if typed.strip() and (score is None or not MIN_SCORE <= score <= MAX_SCORE):
        return _(
            "Give the score as a whole number from %(min)d to %(max)d, or leave it empty.",
            min=MIN_SCORE,
            max=MAX_SCORE,
        )
    return None


def evaluation_errors(
    *,
    evaluated_on: date | None,
    evaluated_by: str,
    outcome: str,
    score: int | None,
    score_typed: str,
    notes: str,
    today: date,
) -> dict[str, str]:
    """What is wrong with an evaluation, by field (empty when nothing is)."""
    errors: dict[str, str] = {}
    if evaluated_on is None:
        errors["evaluated_on"] = _("Give the date of the evaluation.")
    elif evaluated_on > today:
        errors["evaluated_on"] = _("A supplier cannot be evaluated in the future.")
    if not evaluated_by.strip():
        errors["evaluated_by"] = _("Name who evaluated the supplier.")
    if outcome not in set(Outcome):
        errors["outcome"] = _("Choose the outcome: approved, approved with conditions, or blocked.")
    if problem := score_error(score, score_typed):
        errors["score"] = problem
    if not notes.strip():
        errors["notes"] = _("Write what the evaluation found.")
    elif not is_sentence(notes):
        errors["notes"] = _(
            "Write what the evaluation found as a real sentence (at least %(num)d words): "
            "a placeholder is not a record.",
            num=MIN_SENTENCE_WORDS,
        )
    limits = {"evaluated_by": (evaluated_by, EVALUATOR_MAX_LENGTH), "notes": (notes, TEXT_MAX_LENGTH)}
    return _limit_errors(limits) | errors


# Words


def day_text(day: date) -> str:
    """ "3 Nov 2026", as a record's history says it."""
    return f"{day.day} {day:%b %Y}"


def evaluation_summary(evaluated_on: date, evaluated_by: str, outcome: str, score: int | None) -> str:
    """The line an evaluation adds to the supplier's history."""
    scored = f", scored {score} %" if score is not None else ""
    label = OUTCOME_LABELS.get(outcome, outcome).lower()
    return f"Evaluated on {day_text(evaluated_on)} by {evaluated_by}: {label}{scored}."


def count_text(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"
