"""Readiness: how close a project is to meeting its standard, as whole percents.

The formula
-----------
Each requirement of the standard (a leaf clause of the catalog, such as 4.1 or 7.1.5.1) scores by its
gap-analysis status::

    met = 1    partial = 0.5    not_met = 0    not_assessed = 0    not_applicable = left out

For a group of requirements (one section such as "7", or the whole standard)::

    readiness % = round_half_up(100 x (met + 0.5 x partial) / (requirements - not_applicable))

- Overall readiness pools every requirement of the standard, so each requirement weighs the same and
  a large section counts for more than a small one. It is not the mean of the section percentages.
- Section readiness applies the same formula to the requirements of one section (the part of the
  clause number before the first dot).
- A requirement not yet assessed counts as 0: nothing assessed gives 0 %, because an unproven
  requirement is a gap until shown otherwise.
- Readiness is undefined (None, shown as a dash) when no requirement is left in the denominator: an
  empty standard, or every requirement not applicable.
- Rounding is half up to a whole percent (66.5 gives 67, 66.49 gives 66), in Decimal, never float.
- A requirement is open (work is left on it) while it is not assessed, not met or partly met.

Example: 3 met, 2 partial, 1 not met and 1 not applicable give (3 + 1) / 6 = 66.67 %, shown as 67 %.

Stage progress
--------------
A stage's progress gives equal weight to its exit criteria and to its checklist::

    progress % = round_half_up(100 x (criteria met / criteria + tasks done / tasks) / 2)

A task counts only once it is done (in progress counts 0). A stage with no checklist tasks is
measured by its exit criteria alone, and one with no criteria by its tasks alone; with neither,
progress is undefined (None).

A stage not started counts none of its exit criteria as met: some hold before any work is done ("no
open major finding" with no audit held yet), and a stage nobody has started has not made progress on
them. Its done tasks still count, so a stage with nothing done shows 0 %.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Protocol

from app.domain.catalog import clause_sort_key

HUNDRED = Decimal(100)
TASK_DONE = "done"


class ClauseStatus(StrEnum):
    NOT_ASSESSED = "not_assessed"
    NOT_MET = "not_met"
    PARTIAL = "partial"
    MET = "met"
    NOT_APPLICABLE = "not_applicable"


_SCORES: dict[ClauseStatus, Decimal | None] = {
    ClauseStatus.MET: Decimal(1),
    ClauseStatus.PARTIAL: Decimal("0.5"),
    ClauseStatus.NOT_MET: Decimal(0),
    ClauseStatus.NOT_ASSESSED: Decimal(0),
    ClauseStatus.NOT_APPLICABLE: None,
}


@dataclass(frozen=True)
class ClauseAssessment:
    """The gap-analysis state of one requirement of a project.

    ``owner`` is the display name of whoever closes the gap (None when nobody is named);
    ``justification`` is required by the pathway when the status is not_applicable.
    """

    number: str
    status: ClauseStatus = ClauseStatus.NOT_ASSESSED
    justification: str = ""
    owner: str | None = None
    due_date: date | None = None

    @property
    def section(self) -> str:
        return section_of(self.number)


@dataclass(frozen=True)
class Readiness:
    """Counts of requirements by status for one group; ``percent`` applies the module's formula."""

    met: int = 0
    partial: int = 0
    not_met: int = 0
    not_assessed: int = 0
    not_applicable: int = 0

    @property
    def total(self) -> int:
        return self.met + self.partial + self.not_met + self.not_assessed + self.not_applicable

    @property
    def open(self) -> int:
        """Requirements with work left: not assessed, not met or partly met."""
        return self.not_assessed + self.not_met + self.partial

    @property
    def applicable(self) -> int:
        """The denominator: every requirement except the not applicable ones."""
        return self.total - self.not_applicable

    @property
    def points(self) -> Decimal:
        return self.met * Decimal(1) + self.partial * Decimal("0.5")

    @property
    def percent(self) -> int | None:
        return percent(self.points, Decimal(self.applicable))

    @property
    def met_percent(self) -> int | None:
        """The share of applicable requirements fully met (partly met counts 0): the go / no-go's measure."""
        return percent(Decimal(self.met), Decimal(self.applicable))


@dataclass(frozen=True)
class StageProgress:
    criteria_met: int
    criteria_total: int
    tasks_done: int
    tasks_total: int
    started: bool = True  # a stage not started counts no criterion as met (module docstring)

    @property
    def percent(self) -> int | None:
        """Equal weight to the two shares; one share alone when the other is empty (module docstring)."""
        cm, ct, td, tt = self.criteria_met, self.criteria_total, self.tasks_done, self.tasks_total
        if not self.started:
            cm = 0
        if ct and tt:
            # One exact fraction, (cm/ct + td/tt) / 2, so the half-up rounding sees the true value.
            return percent(Decimal(cm * tt + td * ct), Decimal(2 * ct * tt))
        if ct:
            return percent(Decimal(cm), Decimal(ct))
        return percent(Decimal(td), Decimal(tt))


class HasMet(Protocol):
    @property
    def met(self) -> bool: ...


class HasStatus(Protocol):
    @property
    def status(self) -> str: ...


def section_of(number: str) -> str:
    """The section (top-level clause) of a clause number: "7" for "7.1.5.1"."""
    return number.split(".", 1)[0]


def percent(part: Decimal, whole: Decimal) -> int | None:
    """100 x part / whole as a whole number rounded half up; None when ``whole`` is 0."""
    if whole == 0:
        return None
    return int((HUNDRED * part / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def clause_score(status: ClauseStatus) -> Decimal | None:
    """The score of one requirement; None for not_applicable (left out of the denominator)."""
    return _SCORES[status]


def readiness_of(assessments: Iterable[ClauseAssessment]) -> Readiness:
    counts = Counter(assessment.status for assessment in assessments)
    return Readiness(
        met=counts[ClauseStatus.MET],
        partial=counts[ClauseStatus.PARTIAL],
        not_met=counts[ClauseStatus.NOT_MET],
        not_assessed=counts[ClauseStatus.NOT_ASSESSED],
        not_applicable=counts[ClauseStatus.NOT_APPLICABLE],
    )


def overall_readiness(assessments: Iterable[ClauseAssessment]) -> Readiness:
    """Readiness over every requirement given, pooled (not the mean of the sections)."""
    return readiness_of(assessments)


def readiness_by_section(assessments: Iterable[ClauseAssessment]) -> dict[str, Readiness]:
    """Readiness per section, keyed by section number in numeric order ("4", "5", ... "10").

    Only sections that have at least one requirement appear.
    """
    grouped: dict[str, list[ClauseAssessment]] = {}
    for assessment in assessments:
        grouped.setdefault(assessment.section, []).append(assessment)
    return {section: readiness_of(grouped[section]) for section in sorted(grouped, key=clause_sort_key)}


def section_to_show(by_section: Mapping[str, Readiness]) -> str | None:
    """The section the gap analysis opens on when the user has not chosen one: the first, in the order
    given (catalog order), with an open requirement, else the first; None when there is no section.

    A consultant works through the standard section by section, so the page opens where work is left
    rather than on a section already done.
    """
    for section, readiness in by_section.items():
        if readiness.open:
            return section
    return next(iter(by_section), None)


def stage_progress(
    criteria: Sequence[HasMet], tasks: Sequence[HasStatus], started: bool = True
) -> StageProgress:
    """Progress of one stage from its exit criteria and its checklist tasks (module docstring);
    ``started`` is False for a stage not started yet."""
    return StageProgress(
        criteria_met=sum(1 for criterion in criteria if criterion.met),
        criteria_total=len(criteria),
        tasks_done=sum(1 for task in tasks if task.status == TASK_DONE),
        tasks_total=len(tasks),
        started=started,
    )
