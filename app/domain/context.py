"""The context of the organisation (ISO 9001 4.1, 4.2 and the 2024 climate amendment): its internal and
external issues, its interested parties with their relevant requirements, and the decision whether climate
change is a relevant issue.

The rules the forms, the API and the register's state all call:

* an issue is internal or external, of a known category, described in a real sentence (not ``x`` or
  ``n/a``); a party has a name and its requirements in a real sentence; a review date is never in the future;
* a record is due for review when it was not reviewed in the last :data:`REVIEW_MONTHS` months (never
  reviewed counts as due: a suggestion just added is not yet the factory's own);
* the climate decision is append-only: the latest is the standing one, a new one may not predate it; a
  relevant decision calls for at least one issue of the climate category;
* the starter content (``data/context_starters.yaml``) offers typical issues and parties, each with a
  stable key, so a suggestion is never added twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from dateutil.relativedelta import relativedelta

from app.domain.nonconformities import is_sentence, sentence_problem
from app.domain.registers import Concern, RegisterKey, RegisterState, state
from app.domain.text import _, _l, grouped, ngettext

STARTERS = Path(__file__).parent / "data" / "context_starters.yaml"
REVIEW_MONTHS = 12
# A day before this is a typo rather than a record (a context reviewed in the last century).
EARLIEST_DATE = date(2000, 1, 1)
NAME_MAX_LENGTH = 160
OWNER_MAX_LENGTH = 120  # also who decided on climate
TEXT_MAX_LENGTH = 10_000
STARTER_KEY_MAX_LENGTH = 60


class Kind(StrEnum):
    INTERNAL = "internal"
    EXTERNAL = "external"


KIND_LABELS: Mapping[Kind, str] = {Kind.INTERNAL: _l("Internal"), Kind.EXTERNAL: _l("External")}


class Category(StrEnum):
    MARKET = "market"
    ECONOMIC = "economic"
    REGULATORY = "regulatory"
    TECHNOLOGY = "technology"
    INFRASTRUCTURE = "infrastructure"
    PEOPLE = "people"
    ORGANISATION = "organisation"
    SOCIAL = "social"
    CLIMATE = "climate"
    OTHER = "other"


CATEGORY_LABELS: Mapping[Category, str] = {
    Category.MARKET: _l("Market and customers"),
    Category.ECONOMIC: _l("Economic"),
    Category.REGULATORY: _l("Legal and regulatory"),
    Category.TECHNOLOGY: _l("Technology"),
    Category.INFRASTRUCTURE: _l("Infrastructure and utilities"),
    Category.PEOPLE: _l("People and knowledge"),
    Category.ORGANISATION: _l("Organisation and culture"),
    Category.SOCIAL: _l("Social and community"),
    Category.CLIMATE: _l("Climate change"),
    Category.OTHER: _l("Other"),
}


class ReviewFilter(StrEnum):
    DUE = "due"  # not reviewed in the last REVIEW_MONTHS months


# The words say REVIEW_MONTHS (a label is fixed when the module loads, so the number is in its words).
REVIEW_FILTER_LABELS: Mapping[ReviewFilter, str] = {ReviewFilter.DUE: _l("Not reviewed in 12 months")}


# Reviews


def review_cutoff(today: date) -> date:
    """The earliest review day that still counts as reviewed in the last :data:`REVIEW_MONTHS` months."""
    return today - relativedelta(months=REVIEW_MONTHS)


def review_due(reviewed_on: date | None, today: date) -> bool:
    """Not reviewed in the last twelve months (or never): the next review of the context is due."""
    return reviewed_on is None or reviewed_on < review_cutoff(today)


def _day_error(day: date | None, today: date, what: str) -> str | None:
    """What is wrong with a ``what`` ("review date" or "decision date")."""
    if day is None:
        return None
    review = what == "review date"
    if day > today:
        if review:
            return _("The review date is in the future: record it once it has happened.")
        return _("The decision date is in the future: record it once it has happened.")
    if day < EARLIEST_DATE:
        earliest = f"{EARLIEST_DATE:%d %b %Y}"
        if review:
            return _("Give a review date from %(day)s on.", day=earliest)
        return _("Give a decision date from %(day)s on.", day=earliest)
    return None


def _limit_errors(limits: Mapping[str, int], texts: Mapping[str, str]) -> dict[str, str]:
    return {
        name: _("Use at most %(limit)s characters.", limit=grouped(limits[name]))
        for name, text in texts.items()
        if len(text) > limits[name]
    }


def kind_error(kind: str) -> str | None:
    return None if kind in set(Kind) else _("Choose internal or external.")


# Issues (4.1)


# What the texts ask for: written at all, then as a real sentence.
ISSUE_SENTENCES = (
    _l("Write the issue."),
    _l("Write the issue as a real sentence (at least %(num)d words): a placeholder is not a record."),
)
REQUIREMENTS_SENTENCES = (
    _l("Write their requirements relevant to the quality system."),
    _l(
        "Write their requirements relevant to the quality system as a real sentence (at least %(num)d "
        "words): a placeholder is not a record."
    ),
)
REASONING_SENTENCES = (
    _l("Write why."),
    _l("Write why as a real sentence (at least %(num)d words): a placeholder is not a record."),
)


def issue_errors(
    kind: str, category: str, description: str, effect: str, owner: str, reviewed_on: date | None, today: date
) -> dict[str, str]:
    """What is wrong with an issue as typed, by field."""
    errors = _limit_errors(
        {"description": TEXT_MAX_LENGTH, "effect": TEXT_MAX_LENGTH, "owner": OWNER_MAX_LENGTH},
        {"description": description, "effect": effect, "owner": owner},
    )
    if problem := kind_error(kind):
        errors["kind"] = problem
    if category not in set(Category):
        errors["category"] = _("Choose a category from the list.")
    if "description" not in errors and (problem := sentence_problem(description, *ISSUE_SENTENCES)):
        errors["description"] = problem
    if effect.strip() and not is_sentence(effect) and "effect" not in errors:
        errors["effect"] = _("Say how it bears on the quality system in a real sentence, or leave it empty.")
    if problem := _day_error(reviewed_on, today, "review date"):
        errors["reviewed_on"] = problem
    return errors


# Interested parties (4.2)


def party_errors(
    name: str, kind: str, requirements: str, monitoring: str, reviewed_on: date | None, today: date
) -> dict[str, str]:
    """What is wrong with an interested party as typed, by field."""
    errors = _limit_errors(
        {"name": NAME_MAX_LENGTH, "requirements": TEXT_MAX_LENGTH, "monitoring": TEXT_MAX_LENGTH},
        {"name": name, "requirements": requirements, "monitoring": monitoring},
    )
    if not name.strip():
        errors["name"] = _("Name the interested party, e.g. “Overseas buyers”.")
    if problem := kind_error(kind):
        errors["kind"] = problem
    if "requirements" not in errors and (problem := sentence_problem(requirements, *REQUIREMENTS_SENTENCES)):
        errors["requirements"] = problem
    if problem := _day_error(reviewed_on, today, "review date"):
        errors["reviewed_on"] = problem
    return errors


# The climate decision (Amd 1:2024)


@dataclass(frozen=True)
class ClimateFacts:
    """The standing climate decision, as the rules need it."""

    decided_on: date
    relevant: bool


def decision_errors(
    decided_on: date | None,
    relevant: bool | None,
    reasoning: str,
    decided_by: str,
    today: date,
    standing: ClimateFacts | None,
) -> dict[str, str]:
    """What is wrong with a new climate decision; ``standing`` is the decision it would replace."""
    errors = _limit_errors(
        {"reasoning": TEXT_MAX_LENGTH, "decided_by": OWNER_MAX_LENGTH},
        {"reasoning": reasoning, "decided_by": decided_by},
    )
    if decided_on is None:
        errors["decided_on"] = _("Give the day it was decided.")
    elif problem := _day_error(decided_on, today, "decision date"):
        errors["decided_on"] = problem
    elif standing is not None and decided_on < standing.decided_on:
        errors["decided_on"] = _(
            "The standing decision was taken on %(day)s: a new decision replaces it, so it cannot be dated "
            "before it.",
            day=format(standing.decided_on, "%d %b %Y"),
        )
    if relevant is None:
        errors["relevant"] = _("Say whether climate change is a relevant issue.")
    if "reasoning" not in errors and (problem := sentence_problem(reasoning, *REASONING_SENTENCES)):
        errors["reasoning"] = problem
    if not decided_by.strip() and "decided_by" not in errors:
        errors["decided_by"] = _("Name who decided: a name and role, or the management meeting.")
    return errors


def needs_climate_issue(standing: ClimateFacts | None, climate_issues: int) -> bool:
    """Climate change was found relevant, yet no issue of the climate category records how."""
    return standing is not None and standing.relevant and climate_issues == 0


# The register's state


@dataclass(frozen=True)
class ContextCounts:
    """What the register holds, as counted in SQL."""

    issues: int
    parties: int
    issues_due: int  # not reviewed in the last twelve months
    parties_due: int
    climate_issues: int
    standing: ClimateFacts | None


# What is missing and what to do, by the lists that are empty.
EMPTY_LABELS: Mapping[tuple[str, ...], str] = {
    ("issues",): _l("no issues listed"),
    ("interested parties",): _l("no interested parties listed"),
    ("issues", "interested parties"): _l("no issues or interested parties listed"),
}
EMPTY_ACTIONS: Mapping[tuple[str, ...], str] = {
    ("issues",): _l("List the internal and external issues that bear on the QMS (ISO 9001 4.1)"),
    ("interested parties",): _l("List the interested parties and their requirements (ISO 9001 4.2)"),
    ("issues", "interested parties"): _l("List the issues (ISO 9001 4.1) and the interested parties (4.2)"),
}


def _empty_lists(counts: ContextCounts) -> tuple[str, ...]:
    lists = (("issues", counts.issues), ("interested parties", counts.parties))
    return tuple(name for name, count in lists if not count)


def concerns(counts: ContextCounts) -> list[Concern]:
    """What needs attention, in the order the next steps should take it."""
    found: list[Concern] = []
    if counts.parties:
        noun = ngettext("interested party", "interested parties", counts.parties)
        found.append(Concern(counts.parties, noun, urgent=False))
    if empty := _empty_lists(counts):
        found.append(
            Concern(len(empty), str(EMPTY_LABELS[empty]), action=str(EMPTY_ACTIONS[empty]), counted=False)
        )
    if counts.standing is None:
        found.append(
            Concern(
                1,
                _("climate decision not recorded"),
                counted=False,
                action=_("Record whether climate change is a relevant issue (ISO 9001 4.1)"),
            )
        )
    elif needs_climate_issue(counts.standing, counts.climate_issues):
        found.append(
            Concern(
                1,
                _("climate issue to add"),
                action=_("Add the climate-change issue the decision found relevant (ISO 9001 4.1)"),
                query=(("category", Category.CLIMATE.value),),
            )
        )
    due = counts.issues_due + counts.parties_due
    if due:
        found.append(
            Concern(
                due,
                _("not reviewed in %(months)d months", months=REVIEW_MONTHS),
                action=_("Review the context and interested parties (4.1, 4.2)"),
                query=(("review", ReviewFilter.DUE.value),),
            )
        )
    return found


def register_state(counts: ContextCounts) -> RegisterState:
    """The register's state: its count is the issues."""
    return state(RegisterKey.CONTEXT, counts.issues, concerns(counts))


# Starter content


@dataclass(frozen=True)
class StarterIssue:
    key: str
    kind: str
    category: str
    description: str
    effect: str


@dataclass(frozen=True)
class StarterParty:
    key: str
    name: str
    kind: str
    requirements: str
    monitoring: str


@dataclass(frozen=True)
class Starters:
    issues: tuple[StarterIssue, ...]
    parties: tuple[StarterParty, ...]

    def issue(self, key: str) -> StarterIssue | None:
        return next((issue for issue in self.issues if issue.key == key), None)

    def party(self, key: str) -> StarterParty | None:
        return next((party for party in self.parties if party.key == key), None)


def _entries(data: Any, name: str) -> list[dict[str, Any]]:
    entries = data.get(name) if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise ValueError(f"The starter content needs a list of {name}.")
    return entries


def _made(cls: Any, entry: dict[str, Any]) -> Any:
    try:
        return cls(**entry)
    except TypeError as exc:
        raise ValueError(f"Starter {entry.get('key')!r}: {exc}") from None


def parse_starters(data: Any) -> Starters:
    """The starter content, each suggestion checked by the rules a user's record meets; a broken entry or
    a key used twice is refused (ValueError), so it never reaches a page."""
    issues = tuple(_made(StarterIssue, entry) for entry in _entries(data, "issues"))
    parties = tuple(_made(StarterParty, entry) for entry in _entries(data, "parties"))
    keys = [issue.key for issue in issues] + [party.key for party in parties]
    for item in (*issues, *parties):
        if isinstance(item, StarterIssue):
            errors = issue_errors(
                item.kind, item.category, item.description, item.effect, "", None, EARLIEST_DATE
            )
        else:
            errors = party_errors(
                item.name, item.kind, item.requirements, item.monitoring, None, EARLIEST_DATE
            )
        if not item.key or len(item.key) > STARTER_KEY_MAX_LENGTH or keys.count(item.key) > 1:
            errors["key"] = f"A unique key of at most {STARTER_KEY_MAX_LENGTH} characters."
        if errors:
            raise ValueError(f"Starter {item.key!r}: {errors}")
    return Starters(issues, parties)


@cache
def starters() -> Starters:
    """The starter content shipped with the app (read and checked once)."""
    return parse_starters(yaml.safe_load(STARTERS.read_text(encoding="utf-8")))


# Words of the history: kept in English, as every history line is (a label's English is its value; an
# f-string would show it in the writer's language).


def issue_summary(kind: str, category: str) -> str:
    kind_word = str.__str__(KIND_LABELS[Kind(kind)])
    return f"{kind_word} issue added ({CATEGORY_LABELS[Category(category)].lower()})."


def decision_summary(decided_on: date, relevant: bool, decided_by: str) -> str:
    verdict = "relevant" if relevant else "not relevant"
    return f"Climate change decided {verdict} on {decided_on:%d %b %Y} by {decided_by}."
