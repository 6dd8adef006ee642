"""Risk-management files (ISO 13485 7.1, by ISO 14971): one file per device family, its hazards, and each
hazard's risk before and after its controls.

A risk is scored on two 1-to-5 scales, the severity of the harm and the probability of its occurrence, and
read from the 5-by-5 :data:`MATRIX` as acceptable, to be reduced as far as possible (review) or
unacceptable. A hazard whose initial risk is not acceptable needs risk controls and the scores after them
(its residual risk), which may never be higher than the initial ones; a residual risk still unacceptable is
flagged. A file is complete once it has hazards, each controlled where needed, none left unacceptable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain.nonconformities import sentence_problem
from app.domain.text import _, _l, grouped

SCALE = range(1, 6)
SEVERITY_LABELS: Mapping[int, str] = {
    1: _l("Negligible"),
    2: _l("Minor"),
    3: _l("Serious"),
    4: _l("Critical"),
    5: _l("Catastrophic"),
}
PROBABILITY_LABELS: Mapping[int, str] = {
    1: _l("Improbable"),
    2: _l("Remote"),
    3: _l("Occasional"),
    4: _l("Probable"),
    5: _l("Frequent"),
}


class RiskLevel(StrEnum):
    ACCEPTABLE = "acceptable"
    REVIEW = "review"
    UNACCEPTABLE = "unacceptable"


LEVEL_LABELS: Mapping[RiskLevel, str] = {
    RiskLevel.ACCEPTABLE: _l("Acceptable"),
    RiskLevel.REVIEW: _l("Reduce as far as possible"),
    RiskLevel.UNACCEPTABLE: _l("Unacceptable"),
}
# Worse is higher: the worst residual level of a file is the highest rank among its hazards.
LEVEL_RANK: Mapping[RiskLevel, int] = {
    RiskLevel.ACCEPTABLE: 1,
    RiskLevel.REVIEW: 2,
    RiskLevel.UNACCEPTABLE: 3,
}
LEVEL_OF_RANK: Mapping[int, RiskLevel] = {rank: level for level, rank in LEVEL_RANK.items()}

_A, _R, _U = RiskLevel.ACCEPTABLE, RiskLevel.REVIEW, RiskLevel.UNACCEPTABLE
# Rows: severity 1 (negligible) to 5 (catastrophic); columns: probability 1 (improbable) to 5 (frequent).
MATRIX: tuple[tuple[RiskLevel, ...], ...] = (
    (_A, _A, _A, _A, _R),
    (_A, _A, _A, _R, _R),
    (_A, _A, _R, _R, _U),
    (_A, _R, _R, _U, _U),
    (_R, _R, _U, _U, _U),
)


def on_scale(value: int | None) -> bool:
    return value is not None and value in SCALE


def level(severity: int, probability: int) -> RiskLevel:
    """The matrix's level for two scores on the scale (ValueError off it)."""
    if not (on_scale(severity) and on_scale(probability)):
        raise ValueError(f"Scores are from 1 to 5, not {severity} and {probability}.")
    return MATRIX[severity - 1][probability - 1]


def cell_code(severity: int, probability: int) -> int:
    """A matrix cell as one number (severity 4, probability 3: 43), which SQL can compare too."""
    return 10 * severity + probability


def cells_of(wanted: RiskLevel) -> list[int]:
    """The cells (as :func:`cell_code`) the matrix reads as ``wanted``."""
    return [cell_code(s, p) for s in SCALE for p in SCALE if level(s, p) is wanted]


def parse_score(text: str | None) -> int | None:
    """A score as a form sends it ("4"), or None when empty or no number."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 3 else None


def score_text(severity: int, probability: int) -> str:
    return f"S{severity} \u00d7 P{probability}"


# A hazard


@dataclass(frozen=True)
class HazardScores:
    severity: int
    probability: int
    residual_severity: int | None = None
    residual_probability: int | None = None

    @property
    def initial(self) -> RiskLevel:
        return level(self.severity, self.probability)

    @property
    def scored_after_controls(self) -> bool:
        return self.residual_severity is not None and self.residual_probability is not None

    @property
    def residual(self) -> RiskLevel | None:
        """The level after the controls; None when not scored after controls."""
        if self.residual_severity is None or self.residual_probability is None:
            return None
        return level(self.residual_severity, self.residual_probability)

    @property
    def needs_controls(self) -> bool:
        """Its initial risk is not acceptable and nothing brings it down yet."""
        return self.initial is not RiskLevel.ACCEPTABLE and not self.scored_after_controls

    @property
    def flagged(self) -> bool:
        """Still unacceptable after its controls."""
        return self.residual is RiskLevel.UNACCEPTABLE

    @property
    def standing(self) -> RiskLevel:
        """The risk as it stands: the residual level once scored, else the initial one."""
        return self.residual or self.initial


HAZARD_MAX_LENGTH = 200
FAMILY_MAX_LENGTH = 160
TEXT_MAX_LENGTH = 10_000


# The scores' names inside the messages that refuse them.
SCORE_NAMES: Mapping[str, str] = {"severity": _l("severity"), "probability": _l("probability")}


def score_error(value: int | None, what: str) -> str | None:
    """A score on the scale; ``what`` is its name in words (:data:`SCORE_NAMES`)."""
    if value is None:
        return _("Choose the %(what)s, from 1 to 5.", what=what)
    if not on_scale(value):
        return _("The %(what)s is scored from 1 to 5.", what=what)
    return None


def _residual_errors(
    severity: int | None,
    probability: int | None,
    residual_severity: int | None,
    residual_probability: int | None,
    controls: str,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    pairs = {
        "residual_severity": (residual_severity, severity, SCORE_NAMES["severity"]),
        "residual_probability": (residual_probability, probability, SCORE_NAMES["probability"]),
    }
    scored = [name for name, (value, _, _) in pairs.items() if value is not None]
    if not scored:
        if controls.strip():
            message = _("Score the risk after the controls: its severity and its probability.")
            errors = dict.fromkeys(pairs, message)
        return errors
    for name, (value, initial, what) in pairs.items():
        if value is None:
            errors[name] = _("Score both the severity and the probability after the controls.")
        elif not on_scale(value):
            errors[name] = _("The residual %(what)s is scored from 1 to 5.", what=what)
        elif on_scale(initial) and initial is not None and value > initial:
            errors[name] = _(
                "The residual %(what)s (%(value)d) cannot be higher than the initial one (%(initial)d): "
                "controls do not make a risk worse.",
                what=what,
                value=value,
                initial=initial,
            )
    if not controls.strip():
        errors["controls"] = _("Describe the risk controls that bring the risk to these residual scores.")
    return errors


def hazard_errors(
    hazard: str,
    situation: str,
    harm: str,
    severity: int | None,
    probability: int | None,
    controls: str = "",
    residual_severity: int | None = None,
    residual_probability: int | None = None,
    verification: str = "",
) -> dict[str, str]:
    """What is wrong with a hazard as given (empty when nothing is). A hazard may be saved without
    controls (it is then listed as needing them); controls once given are a real sentence, with the
    scores after them."""
    errors: dict[str, str] = {}
    if not hazard.strip():
        errors["hazard"] = _("Name the hazard, e.g. “Air in the fluid path”.")
    if problem := sentence_problem(
        situation,
        _("Write the hazardous situation."),
        _(
            "Write the hazardous situation as a real sentence (at least %(num)d words): "
            "a placeholder is not a record."
        ),
    ):
        errors["situation"] = problem
    if not harm.strip():
        errors["harm"] = _("Name the harm it can lead to, e.g. “Air embolism”.")
    for name, value in (("severity", severity), ("probability", probability)):
        if problem := score_error(value, SCORE_NAMES[name]):
            errors[name] = problem
    if controls.strip() and (
        problem := sentence_problem(
            controls,
            _("Write the risk controls."),
            _(
                "Write the risk controls as a real sentence (at least %(num)d words): "
                "a placeholder is not a record."
            ),
        )
    ):
        errors["controls"] = problem
    for name, message in _residual_errors(
        severity, probability, residual_severity, residual_probability, controls
    ).items():
        errors.setdefault(name, message)
    texts = {
        "hazard": hazard,
        "situation": situation,
        "harm": harm,
        "controls": controls,
        "verification": verification,
    }
    for name, text in texts.items():
        limit = HAZARD_MAX_LENGTH if name == "hazard" else TEXT_MAX_LENGTH
        if len(text) > limit:
            errors[name] = _("Use at most %(limit)s characters.", limit=grouped(limit))
    return errors


# A file


def family_key(name: str) -> str:
    """A device family folded for comparison: "Infusion  sets" and "infusion sets" are one family."""
    return " ".join(name.split()).casefold()


def risk_file_errors(
    device_family: str, intended_use: str, acceptability_policy: str, reviewed_on: date | None, today: date
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not device_family.strip():
        errors["device_family"] = _("Name the device family, e.g. “Gravity infusion sets”.")
    elif max(len(device_family), len(family_key(device_family))) > FAMILY_MAX_LENGTH:
        errors["device_family"] = _("Use at most %(limit)s characters.", limit=str(FAMILY_MAX_LENGTH))
    if problem := sentence_problem(
        intended_use,
        _("Write the intended use."),
        _(
            "Write the intended use as a real sentence (at least %(num)d words): "
            "a placeholder is not a record."
        ),
    ):
        errors["intended_use"] = problem
    elif len(intended_use) > TEXT_MAX_LENGTH:
        errors["intended_use"] = _("Use at most %(limit)s characters.", limit=grouped(TEXT_MAX_LENGTH))
    if len(acceptability_policy) > TEXT_MAX_LENGTH:
        errors["acceptability_policy"] = _(
            "Use at most %(limit)s characters.", limit=grouped(TEXT_MAX_LENGTH)
        )
    if reviewed_on is not None and reviewed_on > today:
        errors["reviewed_on"] = _("A review is recorded once held: the date is in the future.")
    return errors


class FileState(StrEnum):
    NO_HAZARDS = "no_hazards"
    UNCONTROLLED = "uncontrolled"
    UNACCEPTABLE = "unacceptable"
    COMPLETE = "complete"


FILE_STATE_LABELS: Mapping[FileState, str] = {
    FileState.NO_HAZARDS: _l("No hazards yet"),
    FileState.UNCONTROLLED: _l("Hazards without controls"),
    FileState.UNACCEPTABLE: _l("Unacceptable residual risk"),
    FileState.COMPLETE: _l("Complete"),
}
# The list's filter: a file "with" hazards without controls, "with" an unacceptable residual risk (a file
# may have both), or in one of the two other states.
FILTER_LABELS: Mapping[FileState, str] = {
    FileState.NO_HAZARDS: _l("No hazards yet"),
    FileState.UNCONTROLLED: _l("With hazards without controls"),
    FileState.UNACCEPTABLE: _l("With unacceptable residual risk"),
    FileState.COMPLETE: _l("Complete"),
}


@dataclass(frozen=True)
class FileCounts:
    """What a file's hazards add up to."""

    hazards: int
    uncontrolled: int  # hazards that need controls
    unacceptable: int  # hazards still unacceptable after their controls
    worst: RiskLevel | None  # the worst standing risk; None without hazards


def counts_of(hazards: list[HazardScores]) -> FileCounts:
    worst = max((LEVEL_RANK[h.standing] for h in hazards), default=None)
    return FileCounts(
        hazards=len(hazards),
        uncontrolled=sum(h.needs_controls for h in hazards),
        unacceptable=sum(h.flagged for h in hazards),
        worst=None if worst is None else LEVEL_OF_RANK[worst],
    )


def file_state(counts: FileCounts) -> FileState:
    """The first that applies: no hazards yet, hazards without controls, unacceptable residual risk,
    complete."""
    if counts.hazards == 0:
        return FileState.NO_HAZARDS
    if counts.uncontrolled:
        return FileState.UNCONTROLLED
    if counts.unacceptable:
        return FileState.UNACCEPTABLE
    return FileState.COMPLETE


def matches(counts: FileCounts, wanted: FileState) -> bool:
    """Whether a file passes the list's filter ``wanted`` (see :data:`FILTER_LABELS`)."""
    if wanted is FileState.UNCONTROLLED:
        return counts.uncontrolled > 0
    if wanted is FileState.UNACCEPTABLE:
        return counts.unacceptable > 0
    return file_state(counts) is wanted


def plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"
