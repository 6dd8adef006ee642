"""The guided pathway: six stages in order, their statuses, and the exit criteria the app checks itself.

One function per stage turns plain values (built by the service layer from the database) into a list
of ``Criterion``. Each criterion says in plain words what is still missing, so the stage page can tell
the user why the stage cannot be closed yet; when it is met, ``reason`` is a short confirmation.
``can_mark_done`` is the gate. ``next_steps.exit_criteria`` runs these functions on a whole project
snapshot; the per-standard data (review inputs, checklists) lives in ``checklists``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain.catalog import clause_sort_key
from app.domain.readiness import ClauseAssessment, ClauseStatus
from app.domain.text import _, _l, ngettext

SAMPLE_SIZE = 5  # how many clause numbers a reason names before "and N more"


class Stage(StrEnum):
    GAP_ANALYSIS = "gap_analysis"
    DOCUMENTATION = "documentation"
    TRAINING = "training"
    INTERNAL_AUDIT = "internal_audit"
    MANAGEMENT_REVIEW = "management_review"
    EXTERNAL_AUDIT = "external_audit"


class StageStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class TaskStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


STAGE_STATUS_LABELS: Mapping[str, str] = {
    StageStatus.NOT_STARTED: _l("Not started"),
    StageStatus.IN_PROGRESS: _l("In progress"),
    StageStatus.DONE: _l("Done"),
}
TASK_STATUS_LABELS: Mapping[str, str] = {
    TaskStatus.OPEN: _l("Open"),
    TaskStatus.IN_PROGRESS: _l("In progress"),
    TaskStatus.DONE: _l("Done"),
}


class StandardFamily(StrEnum):
    """The standards the pathway knows; values match the catalog ``code``."""

    ISO_9001 = "iso9001"
    ISO_13485 = "iso13485"


@dataclass(frozen=True)
class StageInfo:
    key: Stage
    title: str
    description: str


STAGES: tuple[StageInfo, ...] = (
    StageInfo(Stage.GAP_ANALYSIS, _l("Gap analysis"),
              _l("Compare how the factory works today with every requirement of the standard.")),
    StageInfo(Stage.DOCUMENTATION, _l("Documentation"),
              _l("Write and approve the policy, scope, objectives and every mandatory document.")),
    StageInfo(Stage.TRAINING, _l("Training"),
              _l("Make every employee aware of the system and train the people who run and audit it.")),
    StageInfo(Stage.INTERNAL_AUDIT, _l("Internal audit"),
              _l("Audit every part of the system once and correct what the audits find.")),
    StageInfo(Stage.MANAGEMENT_REVIEW, _l("Management review"),
              _l("Top management reviews the results of the system and decides what to improve.")),
    StageInfo(Stage.EXTERNAL_AUDIT, _l("External audit"),
              _l("The certification body audits in two stages; close its findings to get the certificate.")),
)  # fmt: skip

# The clause groups an internal audit programme must cover at least once.
AUDIT_SECTIONS: Mapping[StandardFamily, tuple[str, ...]] = {
    StandardFamily.ISO_9001: ("4", "5", "6", "7", "8", "9", "10"),
    StandardFamily.ISO_13485: ("4", "5", "6", "7", "8"),
}


@dataclass(frozen=True)
class ReviewInput:
    """One input top management must consider in a management review; ``ref`` is the item letter."""

    key: str
    ref: str
    title: str


@dataclass(frozen=True)
class Criterion:
    """One exit criterion; ``key`` is "<stage>.<name>", e.g. "gap_analysis.all_assessed"."""

    key: str
    label: str
    met: bool
    reason: str


@dataclass(frozen=True)
class TaskSnapshot:
    id: int
    title: str
    stage: Stage
    status: TaskStatus = TaskStatus.OPEN
    due_date: date | None = None
    owner: str | None = None

    def is_overdue(self, today: date) -> bool:
        return is_overdue(self.status == TaskStatus.DONE, self.due_date, today)


def is_overdue(done: bool, due: date | None, today: date) -> bool:
    """Overdue: not done, and its due date (a task's due date, a stage's planned end) has passed.

    The due day itself is not late yet; without a date nothing is overdue. The one rule for tasks and
    stages: the project page, the stage page, the next steps and the timeline chart all use it.
    """
    return not done and due is not None and due < today


def stage_info(key: Stage) -> StageInfo:
    return next(info for info in STAGES if info.key == key)


def current_stage(statuses: Mapping[Stage, StageStatus]) -> Stage | None:
    """The first stage, in pathway order, that is not done; None once every stage is done."""
    return next((stage for stage in Stage if statuses.get(stage) != StageStatus.DONE), None)


def standard_family(code: str) -> StandardFamily:
    """The family of a catalog code or name ("iso13485", "ISO 9001:2015"); ValueError if unknown."""
    compact = code.replace(" ", "")
    for family, digits in ((StandardFamily.ISO_13485, "13485"), (StandardFamily.ISO_9001, "9001")):
        if digits in compact:
            return family
    raise ValueError(f"Unknown standard: {code!r}")


def describe_list(items: Sequence[str], limit: int = SAMPLE_SIZE) -> str:
    """ "4.1, 4.2, 4.3" or, past ``limit`` items, "4.1, 4.2, 4.3, 4.4, 5.1 and 7 more"."""
    shown = ", ".join(items[:limit])
    if len(items) <= limit:
        return shown
    return ngettext(
        "%(items)s and %(num)d more", "%(items)s and %(num)d more", len(items) - limit, items=shown
    )


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def check_criterion(key: str, label: str, missing: str | None, confirmation: str) -> Criterion:
    """Met, saying ``confirmation``, when nothing is ``missing``; otherwise unmet, saying what is."""
    return Criterion(key, label, missing is None, confirmation if missing is None else missing)


def _sorted_numbers(numbers: Iterable[str]) -> list[str]:
    return sorted(numbers, key=clause_sort_key)


def gap_analysis_criteria(clauses: Sequence[ClauseAssessment]) -> list[Criterion]:
    """Every requirement assessed; every not applicable one justified. No requirements: not met."""
    todo = _sorted_numbers(c.number for c in clauses if c.status == ClauseStatus.NOT_ASSESSED)
    bare = _sorted_numbers(
        c.number for c in clauses if c.status == ClauseStatus.NOT_APPLICABLE and not c.justification.strip()
    )
    missing = None
    if not clauses:
        missing = _("No requirements are loaded for this standard yet.")
    elif todo:
        missing = ngettext(
            "%(num)d requirement not yet assessed: %(list)s.",
            "%(num)d requirements not yet assessed: %(list)s.",
            len(todo),
            list=describe_list(todo),
        )
    unjustified = None
    if bare:
        unjustified = ngettext(
            "%(num)d requirement marked not applicable without a justification: %(list)s.",
            "%(num)d requirements marked not applicable without a justification: %(list)s.",
            len(bare),
            list=describe_list(bare),
        )
    every = ngettext("All %(num)d requirement assessed.", "All %(num)d requirements assessed.", len(clauses))
    return [
        check_criterion("gap_analysis.all_assessed", _("Every requirement assessed"), missing, every),
        check_criterion(
            "gap_analysis.not_applicable_justified",
            _("Every not applicable requirement justified"),
            unjustified,
            _("Every not applicable requirement carries a justification."),
        ),
    ]


def documentation_criteria(
    maintain: Sequence[str], approved: Iterable[str], not_applicable: Iterable[str] = ()
) -> list[Criterion]:
    """Every mandatory "maintain" document controlled, except for requirements marked not applicable.

    ``approved`` names the requirements that have a controlled document in the register: not withdrawn,
    its current revision approved and its review not past due (``documents.controlled_numbers``, the rule
    the documented-information checklist shows too)."""
    skipped, have = set(not_applicable), set(approved)
    required = [number for number in maintain if number not in skipped]
    todo = _sorted_numbers(number for number in required if number not in have)
    missing = None
    if todo:
        missing = ngettext(
            "%(num)d mandatory document without an approved, reviewed document in the register: %(list)s.",
            "%(num)d mandatory documents without an approved, reviewed document in the register: %(list)s.",
            len(todo),
            list=describe_list(todo),
        )
    done = (
        ngettext(
            "All %(num)d mandatory document approved.",
            "All %(num)d mandatory documents approved.",
            len(required),
        )
        if required
        else _("No mandatory document required.")
    )
    return [
        check_criterion(
            "documentation.documents_approved", _("Every mandatory document approved"), missing, done
        )
    ]


def can_mark_done(stage: Stage, criteria: Sequence[Criterion]) -> tuple[bool, list[Criterion]]:
    """Whether ``stage`` may be marked done, and the criteria that still fail.

    Raises ValueError when a criterion belongs to another stage (the caller passed the wrong list)
    or when the list is empty (every stage has criteria, so an empty list is a bug, not a pass).
    """
    if not criteria:
        raise ValueError(f"No exit criteria given for {stage}")
    strangers = [c.key for c in criteria if not c.key.startswith(f"{stage}.")]
    if strangers:
        raise ValueError(f"Criteria {strangers} do not belong to {stage}")
    unmet = [criterion for criterion in criteria if not criterion.met]
    return not unmet, unmet
