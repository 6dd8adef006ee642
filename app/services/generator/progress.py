"""One generated project's pathway: stages and tasks at a point on the way, every requirement assessed, and
its evidence (:mod:`.evidence`); its budget and history are :mod:`.history`'s.

The mix, per project, drawn from the project's own seeded random generator:

- stages: the first ``progress`` done (0 to 6), the next in progress, planned from :data:`STAGE_WEEKS`;
- tasks: those of done stages done; of the stage in progress about 40 % done, 20 % in progress, the rest
  open, the undone ones with an owner and a due date, about a third of them past (overdue); later stages'
  tasks open, a few with a due date ahead;
- verdicts: ~55 % met, 23 % partly met, 22 % not met; not applicable only where the catalog allows it (about
  a third of those requirements), always with a justification; gaps with an owner and a due date;
- evidence: about 4 items per requirement assessed, more where it is met.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.domain.pathway import Stage, StageStatus, StandardFamily, TaskStatus
from app.domain.readiness import ClauseStatus, Readiness
from app.extensions import db
from app.models import (
    Assessment,
    CertificationProject,
    Clause,
    ProjectStage,
    Standard,
    Task,
)
from app.services.demo_progress import STAGE_WEEKS
from app.services.generator.evidence import add_evidence
from app.services.generator.rows import Batch
from app.services.pathway import setup_project

PROGRESS_WEIGHTS = (10, 30, 20, 15, 10, 10, 5)  # stages done: 0 (gap analysis under way) to 6 (all done)
VERDICT_WEIGHTS = {ClauseStatus.MET: 55, ClauseStatus.PARTIAL: 23, ClauseStatus.NOT_MET: 22}
NOT_APPLICABLE_SHARE = 0.35  # of the requirements the catalog lets a factory leave out
OWNERS = ("Quality lead", "Production manager", "HR officer", "Managing director", "QA engineer",
          "Warehouse supervisor", "Purchasing officer")  # fmt: skip
JUSTIFICATION = "Not performed at this site: the organisation does not do this activity (see the scope)."


@dataclass(frozen=True)
class ClauseInfo:
    id: int
    number: str
    requirement: bool
    may_be_not_applicable: bool
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Catalog:
    standard_id: int
    family: StandardFamily
    clauses: dict[int, ClauseInfo]

    @classmethod
    def of(cls, standard: Standard) -> Catalog:
        rows = db.session.execute(select(Clause).where(Clause.standard_id == standard.id)).scalars()
        clauses = {
            c.id: ClauseInfo(
                c.id,
                c.number,
                c.is_requirement,
                c.may_be_not_applicable,
                tuple(str(e) for e in c.evidence_examples or ()),
            )
            for c in rows
        }
        return cls(standard.id, StandardFamily(standard.code), clauses)


@dataclass(frozen=True)
class Planned:
    """What later steps need of a generated project."""

    project_id: int
    standard_id: int
    site_id: int
    family: StandardFamily
    seed: str  # seeds its registers' generator
    counts: Readiness  # today's verdicts
    currency: str
    started: date
    progress: int  # stages done


def plan_project(
    where: tuple[int, int, int, str],
    catalog: Catalog,
    seed: str,
    today: date,
    user_id: int,
    batch: Batch,
) -> Planned:
    """A project set up by the app's :func:`setup_project`, its rows given their values before they are
    written (still pending: ``setup_project`` flushes what came before it, then adds them); then its
    evidence into ``batch``. ``seed`` seeds the project's own random generator."""
    workspace_id, client_id, site_id, currency = where
    rng = random.Random(seed)
    progress = rng.choices(range(len(PROGRESS_WEIGHTS)), weights=PROGRESS_WEIGHTS)[0]
    done_weeks = sum(STAGE_WEEKS[stage] for stage in list(Stage)[:progress])
    current_weeks = STAGE_WEEKS[list(Stage)[progress]] if progress < len(Stage) else 0
    started = (
        today - timedelta(weeks=done_weeks) - timedelta(days=rng.randint(2, max(3, current_weeks * 7 - 2)))
    )
    remaining = sum(STAGE_WEEKS.values()) - done_weeks
    status = "planning" if progress == 0 else "on_hold" if rng.random() < 0.03 else "in_progress"
    project = CertificationProject(
        workspace_id=workspace_id,
        client_id=client_id,
        site_id=site_id,
        standard_id=catalog.standard_id,
        currency=currency,
        status=status,
        target_date=today + timedelta(weeks=max(remaining, 2)),
    )
    db.session.add(project)
    with db.session.no_autoflush:  # a query on the way (its standard, lazily) would write them as they are
        setup_project(project)
        pending = [row for row in db.session.new if getattr(row, "project_id", None) == project.id]
    _stages([o for o in pending if isinstance(o, ProjectStage)], progress, started, today, rng)
    verdicts = _assess([o for o in pending if isinstance(o, Assessment)], catalog, rng, today)
    _tasks([o for o in pending if isinstance(o, Task)], progress, today, rng)
    add_evidence(batch, project.id, verdicts, catalog, rng, started, today, user_id)
    tally = Counter(verdicts.values())
    counts = Readiness(
        met=tally[ClauseStatus.MET],
        partial=tally[ClauseStatus.PARTIAL],
        not_met=tally[ClauseStatus.NOT_MET],
        not_applicable=tally[ClauseStatus.NOT_APPLICABLE],
    )
    return Planned(
        project.id, catalog.standard_id, site_id, catalog.family, seed, counts, currency, started, progress
    )


# The rows below get a value for every column they set, None included: rows of one table that set the same
# columns go in one batched INSERT, where a column left unset on some would split them into one per row.


def _stages(rows: list[ProjectStage], progress: int, started: date, today: date, rng: random.Random) -> None:
    cursor = started
    for row in sorted(rows, key=lambda r: r.position):
        weeks = STAGE_WEEKS[Stage(row.key)]
        row.planned_start, row.planned_end = cursor, cursor + timedelta(weeks=weeks)
        row.status, row.actual_start, row.actual_end = StageStatus.NOT_STARTED.value, None, None
        if row.position < progress:
            row.status, row.actual_start = StageStatus.DONE.value, cursor
            row.actual_end = min(today, cursor + timedelta(weeks=weeks, days=rng.randint(-3, 5)))
        elif row.position == progress:
            row.status, row.actual_start = StageStatus.IN_PROGRESS.value, min(cursor, today)
        cursor = row.planned_end


def _assess(
    rows: list[Assessment], catalog: Catalog, rng: random.Random, today: date
) -> dict[int, ClauseStatus]:
    """Every requirement's verdict; clause id -> status."""
    statuses, weights = list(VERDICT_WEIGHTS), list(VERDICT_WEIGHTS.values())
    verdicts = {}
    for row in rows:
        clause = catalog.clauses[row.clause_id]
        row.status, row.justification, row.owner, row.due_date, row.notes = "not_assessed", "", "", None, ""
        if not clause.requirement:
            continue
        if clause.may_be_not_applicable and rng.random() < NOT_APPLICABLE_SHARE:
            verdict = ClauseStatus.NOT_APPLICABLE
            row.justification = JUSTIFICATION
        else:
            verdict = rng.choices(statuses, weights=weights)[0]
        if verdict in (ClauseStatus.PARTIAL, ClauseStatus.NOT_MET):
            row.owner = rng.choice(OWNERS)
            row.due_date = today + timedelta(days=rng.randint(-30, 90))
            row.notes = "Gap found at the gap analysis; action agreed with the owner."
        row.status = verdict.value
        verdicts[row.clause_id] = verdict
    return verdicts


def _tasks(rows: list[Task], progress: int, today: date, rng: random.Random) -> None:
    order = [stage.value for stage in Stage]
    for task in rows:
        position = order.index(task.stage)
        task.status, task.owner, task.due_date = TaskStatus.OPEN.value, "", None
        if position < progress:
            task.status = TaskStatus.DONE.value
        elif position == progress:
            draw = rng.random()
            task.status = (TaskStatus.DONE if draw < 0.4 else TaskStatus.IN_PROGRESS if draw < 0.6
                           else TaskStatus.OPEN).value  # fmt: skip
            if task.status != TaskStatus.DONE:
                task.owner = rng.choice(OWNERS)
                overdue = rng.random() < 0.35
                task.due_date = today + timedelta(days=-rng.randint(1, 20) if overdue else rng.randint(1, 30))
        elif rng.random() < 0.15:
            task.owner, task.due_date = rng.choice(OWNERS), today + timedelta(days=rng.randint(30, 120))
