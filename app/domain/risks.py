"""Risks and opportunities (ISO 9001 6.1): each scored for likelihood and impact on the project's scale,
with the action that addresses it and the review of that action's effectiveness (6.1.2, 9.1.3 e).

**The scale** is 3 or 5 points (:data:`SCALES`, a project setting). The **score** is likelihood x impact
and its **level** falls in one of three bands, so that a 5-point and a 3-point register read alike:

======== ================== ==================
level    5-point (1..25)    3-point (1..9)
======== ================== ==================
low      1-4                1-2
medium   5-9                3-4
high     10-25              6-9
======== ================== ==================

On the 5-point scale a rare event of severe impact (1 x 5) is medium, a likely one of moderate impact
(4 x 3) high. For an opportunity the level says how much it is worth pursuing, read the same way.

**The state** of a risk or opportunity (:func:`state`), the first that holds:

- reviewed effective / reviewed not effective: its action's effectiveness was reviewed;
- action overdue: it has an action whose due date has passed (the due day itself is not late);
- awaiting review: it has an action, not reviewed yet;
- no action: it is scored medium or high and has no action;
- accepted: it is scored low and has no action (kept and watched; no action is needed).

A change to the action starts its cycle again: the review of the earlier action no longer stands
(:func:`review_stands`), and the page's history keeps it in words.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from app.domain.nonconformities import sentence_problem
from app.domain.text import _, _l, grouped, ngettext

TIMES, DASH = "\u00d7", "\u2013"  # x and - as typeset

SCALES = (3, 5)
DEFAULT_SCALE = 5
STARTER_SCALE = 5  # the scale the starters' suggested scores are written on

TEXT_MAX_LENGTH = 10_000  # the description, the action, the review's notes
OWNER_MAX_LENGTH = 120
EARLIEST_DAY = date(2000, 1, 1)  # an earlier due date is a typing slip
DUE_YEARS_AHEAD = 5  # so is a due date further ahead than this


class RiskKind(StrEnum):
    RISK = "risk"
    OPPORTUNITY = "opportunity"


KIND_LABELS: Mapping[RiskKind, str] = {RiskKind.RISK: _l("Risk"), RiskKind.OPPORTUNITY: _l("Opportunity")}


class Level(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


LEVEL_LABELS: Mapping[Level, str] = {Level.LOW: _l("Low"), Level.MEDIUM: _l("Medium"), Level.HIGH: _l("High")}

# The lowest score of the medium and of the high band, per scale (see the table above).
BANDS: Mapping[int, tuple[int, int]] = {3: (3, 6), 5: (5, 10)}

# What each point of the scale means, for the selects and the heat map's axes.
LIKELIHOOD_WORDS: Mapping[int, tuple[str, ...]] = {
    3: (_l("Unlikely"), _l("Possible"), _l("Likely")),
    5: (_l("Rare"), _l("Unlikely"), _l("Possible"), _l("Likely"), _l("Almost certain")),
}
IMPACT_WORDS: Mapping[int, tuple[str, ...]] = {
    3: (_l("Minor"), _l("Moderate"), _l("Major")),
    5: (_l("Negligible"), _l("Minor"), _l("Moderate"), _l("Major"), _l("Severe")),
}
# The scores' names inside the messages that refuse them.
POINT_NAMES: Mapping[str, str] = {
    "likelihood": _l("likelihood"),
    "impact": _l("impact"),
    "residual_likelihood": _l("residual likelihood"),
    "residual_impact": _l("residual impact"),
}


class RiskState(StrEnum):
    OVERDUE = "overdue"
    NO_ACTION = "no_action"
    NOT_EFFECTIVE = "not_effective"
    AWAITING_REVIEW = "awaiting_review"
    EFFECTIVE = "effective"
    ACCEPTED = "accepted"


STATE_LABELS: Mapping[RiskState, str] = {
    RiskState.OVERDUE: _l("Action overdue"),
    RiskState.NO_ACTION: _l("No action"),
    RiskState.NOT_EFFECTIVE: _l("Reviewed: not effective"),
    RiskState.AWAITING_REVIEW: _l("Awaiting review"),
    RiskState.EFFECTIVE: _l("Reviewed: effective"),
    RiskState.ACCEPTED: _l("Accepted (low)"),
}
# The states that need someone to act now: listed first.
NEEDS_ATTENTION = frozenset({RiskState.OVERDUE, RiskState.NO_ACTION})


# The scale and the score


def score(likelihood: int, impact: int) -> int:
    return likelihood * impact


def level(points: int, scale: int) -> Level:
    """The band a score falls in on ``scale``."""
    medium, high = BANDS[scale]
    if points >= high:
        return Level.HIGH
    return Level.MEDIUM if points >= medium else Level.LOW


def bands_text(scale: int) -> str:
    """ "low 1-4, medium 5-9, high 10-25" on the 5-point scale (with en dashes)."""
    medium, high = BANDS[scale]
    low_span, medium_span, high_span = (
        f"{a}{DASH}{b}" for a, b in ((1, medium - 1), (medium, high - 1), (high, scale**2))
    )
    return _(
        "low %(low)s, medium %(medium)s, high %(high)s", low=low_span, medium=medium_span, high=high_span
    )


def score_text(likelihood: int, impact: int) -> str:
    """ "3 x 5 = 15" (with a multiplication sign)."""
    return f"{likelihood} {TIMES} {impact} = {score(likelihood, impact)}"


def scaled(value: int, scale: int) -> int:
    """A starter's score (on the 5-point scale) on ``scale``: 1 2 3 4 5 become 1 2 2 3 3 on 3 points."""
    return max(1, min(scale, math.ceil(value * scale / STARTER_SCALE)))


def point_label(value: int, words: tuple[str, ...]) -> str:
    """ "4 Likely"."""
    return f"{value} {words[value - 1]}" if 1 <= value <= len(words) else str(value)


@dataclass(frozen=True)
class Residual:
    """The score after the action, as its effectiveness review scored it."""

    likelihood: int
    impact: int
    score: int
    level: Level

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]


def residual(likelihood: int | None, impact: int | None, scale: int) -> Residual | None:
    """The residual score and level, once a review scored both; None until then."""
    if likelihood is None or impact is None:
        return None
    points = score(likelihood, impact)
    return Residual(likelihood, impact, points, level(points, scale))


# The state


@dataclass(frozen=True)
class RiskFacts:
    likelihood: int
    impact: int
    action: str
    due_date: date | None
    reviewed_on: date | None
    effective: bool | None


def state(facts: RiskFacts, scale: int, today: date) -> RiskState:
    """Where a risk or opportunity stands (see the module's docstring)."""
    if facts.reviewed_on is not None:
        return RiskState.EFFECTIVE if facts.effective else RiskState.NOT_EFFECTIVE
    if facts.action:
        overdue = facts.due_date is not None and facts.due_date < today
        return RiskState.OVERDUE if overdue else RiskState.AWAITING_REVIEW
    if level(score(facts.likelihood, facts.impact), scale) is Level.LOW:
        return RiskState.ACCEPTED
    return RiskState.NO_ACTION


def review_stands(action_before: str, action_after: str) -> bool:
    """A review judged one action: once the action changes (or goes), the new one awaits its own."""
    return action_before.strip() == action_after.strip()


# What is refused


def point_error(value: int | None, what: str, scale: int) -> str | None:
    """A likelihood or impact on the project's scale, naming the scale (``what``: its name in words)."""
    if value is None:
        return _("Score the %(what)s from 1 to %(scale)d.", what=what, scale=scale)
    if not 1 <= value <= scale:
        return _(
            "On this project's %(scale)d-point scale the %(what)s is from 1 to %(scale)d; "
            "%(value)d is off it.",
            what=what,
            scale=scale,
            value=value,
        )
    return None


def latest_due_date(today: date) -> date:
    return date(today.year + DUE_YEARS_AHEAD, 12, 31)


@dataclass(frozen=True)
class RiskInput:
    kind: str
    description: str
    likelihood: int | None
    impact: int | None
    action: str = ""
    owner: str = ""
    due_date: date | None = None


def risk_errors(values: RiskInput, scale: int, today: date) -> dict[str, str]:
    """What is wrong with a risk or opportunity's own fields, by field (empty when nothing is)."""
    errors: dict[str, str] = {}
    if values.kind not in set(RiskKind):
        errors["kind"] = _("Choose whether it is a risk or an opportunity.")
    if problem := sentence_problem(
        values.description,
        _("Write the risk or opportunity."),
        _(
            "Write the risk or opportunity as a real sentence (at least %(num)d words): "
            "a placeholder is not a record."
        ),
    ):
        errors["description"] = problem
    for name, value in (("likelihood", values.likelihood), ("impact", values.impact)):
        if problem := point_error(value, POINT_NAMES[name], scale):
            errors[name] = problem
    if values.action:
        if problem := sentence_problem(
            values.action,
            _("Write the action."),
            _("Write the action as a real sentence (at least %(num)d words): a placeholder is not a record."),
        ):
            errors["action"] = problem
        if not values.owner.strip():
            errors["owner"] = _("Name who owns the action.")
        if values.due_date is None:
            errors["due_date"] = _("Give the date the action is due.")
    elif values.due_date is not None:
        errors["due_date"] = _(
            "A due date belongs to an action: describe the action, or leave the date empty."
        )
    if values.due_date is not None and not EARLIEST_DAY <= values.due_date <= latest_due_date(today):
        errors.setdefault(
            "due_date",
            _(
                "Give a due date from %(first)d to the end of %(last)d: check the year.",
                first=EARLIEST_DAY.year,
                last=today.year + DUE_YEARS_AHEAD,
            ),
        )
    limits = limit_errors(description=values.description, action=values.action, owner=values.owner)
    return limits | errors


@dataclass(frozen=True)
class ReviewInput:
    reviewed_on: date | None
    effective: bool | None
    notes: str = ""
    residual_likelihood: int | None = None
    residual_impact: int | None = None

    @property
    def given(self) -> bool:
        """Anything of a review was given (a new record may come without one)."""
        return any(
            value not in (None, "")
            for value in (
                self.reviewed_on,
                self.effective,
                self.notes.strip(),
                self.residual_likelihood,
                self.residual_impact,
            )
        )


def review_errors(
    review: ReviewInput, action: str, recorded_on: date, scale: int, today: date
) -> dict[str, str]:
    """What is wrong with the review of an action recorded on ``recorded_on``, by field."""
    errors: dict[str, str] = {}
    if not action.strip():
        errors["action"] = _(
            "Record the action before reviewing its effectiveness: there is nothing to review."
        )
    if review.reviewed_on is None:
        errors["reviewed_on"] = _("Give the date of the review.")
    elif review.reviewed_on > today:
        errors["reviewed_on"] = _("A review is recorded once held: the date is in the future.")
    elif review.reviewed_on < recorded_on:
        errors["reviewed_on"] = _(
            "The review cannot be before the risk or opportunity was recorded (%(day)s).",
            day=recorded_on.strftime("%d %b %Y"),
        )
    if review.effective is None:
        errors["effective"] = _("Say whether the action was effective.")
    if problem := sentence_problem(
        review.notes,
        _("Write what the review found."),
        _(
            "Write what the review found as a real sentence (at least %(num)d words): "
            "a placeholder is not a record."
        ),
    ):
        errors["notes"] = problem
    errors |= residual_errors(review.residual_likelihood, review.residual_impact, scale)
    if "notes" not in errors and len(review.notes) > TEXT_MAX_LENGTH:
        errors["notes"] = _("Use at most %(limit)s characters.", limit=grouped(TEXT_MAX_LENGTH))
    return errors


def residual_errors(likelihood: int | None, impact: int | None, scale: int) -> dict[str, str]:
    """The residual scores: both or neither, each on the scale."""
    errors: dict[str, str] = {}
    if (likelihood is None) != (impact is None):
        missing = "residual_impact" if impact is None else "residual_likelihood"
        errors[missing] = _("Score both the residual likelihood and the residual impact, or neither.")
    for name, value in (("residual_likelihood", likelihood), ("residual_impact", impact)):
        if value is not None and (problem := point_error(value, POINT_NAMES[name], scale)):
            errors[name] = problem
    return errors


def unreviewed_residual_errors(likelihood: int | None, impact: int | None) -> dict[str, str]:
    """Residual scores come from a review of the action: sent without one, they are refused."""
    message = _("Residual scores come from the effectiveness review: record the review with them.")
    return {
        name: message
        for name, value in (("residual_likelihood", likelihood), ("residual_impact", impact))
        if value is not None
    }


def limit_errors(**texts: str) -> dict[str, str]:
    """Each text within its column's limit: ``owner``; any other at most ``TEXT_MAX_LENGTH``."""
    errors: dict[str, str] = {}
    for name, text in texts.items():
        limit = OWNER_MAX_LENGTH if name == "owner" else TEXT_MAX_LENGTH
        if len(text) > limit:
            errors[name] = _("Use at most %(limit)s characters.", limit=grouped(limit))
    return errors


def scale_error(new_scale: int | None, scored_above: int) -> str | None:
    """Changing the project's scale to ``new_scale``, with ``scored_above`` records scored above it (their
    likelihood, impact or residual scores)."""
    if new_scale not in SCALES:
        return _("Choose a 3-point or a 5-point scale.")
    if scored_above:
        return ngettext(
            "%(num)d risk or opportunity is scored above %(scale)d (likelihood, impact or residual): rescore "
            "them on %(scale)d points or less first, then change the scale.",
            "%(num)d risks and opportunities are scored above %(scale)d (likelihood, impact or residual): "
            "rescore them on %(scale)d points or less first, then change the scale.",
            scored_above,
            scale=new_scale,
        )
    return None


# The register's state, in words


def no_action_step(risks: int, opportunities: int) -> str:
    """ "Plan actions for the 2 high risks and 1 high opportunity (6.1.2)"."""
    if not opportunities:
        return ngettext(
            "Plan actions for the %(num)d high risk (6.1.2)",
            "Plan actions for the %(num)d high risks (6.1.2)",
            risks,
        )
    if not risks:
        return ngettext(
            "Plan actions for the %(num)d high opportunity (6.1.2)",
            "Plan actions for the %(num)d high opportunities (6.1.2)",
            opportunities,
        )
    return _(
        "Plan actions for the %(risks)s and %(opportunities)s (6.1.2)",
        risks=ngettext("%(num)d high risk", "%(num)d high risks", risks),
        opportunities=ngettext("%(num)d high opportunity", "%(num)d high opportunities", opportunities),
    )


def overdue_step(count: int) -> str:
    return ngettext(
        "Complete or review the %(num)d overdue risk action (6.1.2)",
        "Complete or review the %(num)d overdue risk actions (6.1.2)",
        count,
    )


EMPTY_STEP = _l(
    "Identify the risks and opportunities of your context and interested parties, and plan actions to "
    "address them (6.1)"
)


# Starter risks and opportunities (data/risk_starters.yaml)

STARTERS_FILE = Path(__file__).parent / "data" / "risk_starters.yaml"


@dataclass(frozen=True)
class Starter:
    """A suggested risk or opportunity of a small exporting manufacturer, scored on the 5-point scale."""

    key: str
    kind: RiskKind
    description: str
    likelihood: int
    impact: int
    hint: str  # a typical action, shown beside the suggestion

    def on_scale(self, scale: int) -> tuple[int, int]:
        """The suggested likelihood and impact on ``scale``."""
        return scaled(self.likelihood, scale), scaled(self.impact, scale)


def _starter(entry: dict[str, Any]) -> Starter:
    found = Starter(
        key=str(entry["key"]),
        kind=RiskKind(entry["kind"]),
        description=str(entry["description"]),
        likelihood=int(entry["likelihood"]),
        impact=int(entry["impact"]),
        hint=str(entry["hint"]),
    )
    if point_error(found.likelihood, "likelihood", STARTER_SCALE) or point_error(
        found.impact, "impact", STARTER_SCALE
    ):
        raise ValueError(f"Starter {found.key}: scores off the {STARTER_SCALE}-point scale.")
    return found


@cache
def starters() -> tuple[Starter, ...]:
    """The starters in the file's order (read once)."""
    entries: list[dict[str, Any]] = yaml.safe_load(STARTERS_FILE.read_text(encoding="utf-8"))
    found = tuple(_starter(entry) for entry in entries)
    if len({starter.key for starter in found}) != len(found):
        raise ValueError("Two risk starters share a key.")
    return found


def starter(key: str) -> Starter | None:
    return next((found for found in starters() if found.key == key), None)


def starters_to_offer(taken: Iterable[str | None]) -> list[Starter]:
    """The starters a project has not added yet (by key: a starter is never added twice)."""
    used = set(taken)
    return [found for found in starters() if found.key not in used]
