"""One generated project's pathway: stages and tasks at a point on the way, every requirement assessed, its
evidence, budget, and (for all projects at once) its readiness history.

The mix, per project, drawn from the project's own seeded random generator:

- stages: the first ``progress`` done (0 to 6), the next in progress, planned from :data:`STAGE_WEEKS`;
- tasks: those of done stages done; of the stage in progress about 40 % done, 20 % in progress, the rest
  open, the undone ones with an owner and a due date, about a third of them past (overdue); later stages'
  tasks open, a few with a due date ahead;
- verdicts: ~55 % met, 23 % partly met, 22 % not met; not applicable only where the catalog allows it (about
  a third of those requirements), always with a justification; gaps with an owner and a due date;
- evidence: 3 to 7 items per met requirement, 2 to 5 per partly met one, 1 to 3 per gap (about 4 on
  average): 45 % links, 45 % notes, 10 % files with one small stored file each; mostly accepted (55 %
  overall), the others submitted, draft or rejected; one in five with a validity date, a quarter of those
  expired; 3 % deleted (in the trash);
- ten budget lines over the stages, paid for the stages done;
- a snapshot a day for 90 days, readiness rising to today's verdicts (today's recorded by the app's own
  :func:`app.services.history.record_snapshots`).
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.domain.budget import CATEGORIES
from app.domain.pathway import Stage, StageStatus, StandardFamily, TaskStatus
from app.domain.readiness import ClauseStatus, Readiness
from app.extensions import db
from app.models import (
    Assessment,
    BudgetLine,
    CertificationProject,
    Clause,
    EvidenceItem,
    EvidenceVersion,
    ProjectStage,
    ReadinessSnapshot,
    Standard,
    Task,
)
from app.services import history
from app.services.demo_progress import STAGE_WEEKS
from app.services.pathway import setup_project
from app.services.portfolio_rows import insert_returning, insert_rows, moment
from app.services.transaction import remove_on_rollback

HISTORY_DAYS = 90
PROGRESS_WEIGHTS = (10, 30, 20, 15, 10, 10, 5)  # stages done: 0 (gap analysis under way) to 6 (all done)
VERDICT_WEIGHTS = {ClauseStatus.MET: 55, ClauseStatus.PARTIAL: 23, ClauseStatus.NOT_MET: 22}
EVIDENCE_COUNTS = {ClauseStatus.MET: (3, 7), ClauseStatus.PARTIAL: (2, 5), ClauseStatus.NOT_MET: (1, 3)}
NOT_APPLICABLE_SHARE = 0.35  # of the requirements the catalog lets a factory leave out
OWNERS = ("Quality lead", "Production manager", "HR officer", "Managing director", "QA engineer",
          "Warehouse supervisor", "Purchasing officer")  # fmt: skip
JUSTIFICATION = "Not performed at this site: the organisation does not do this activity (see the scope)."
BUDGET_LINES = (  # stage, category, description, planned amount in US dollars
    ("gap_analysis", "consultant", "Gap analysis workshops", 1_800),
    ("documentation", "consultant", "Drafting the quality manual and procedures", 4_500),
    ("documentation", "documentation_translation", "Procedures translated into English", 900),
    ("training", "training", "Awareness training for all staff", 1_200),
    ("training", "training", "Internal auditor course (two people)", 1_600),
    ("training", "internal_time", "Staff hours in training", 2_000),
    ("internal_audit", "equipment_calibration", "Calibration of measuring equipment", 1_100),
    ("internal_audit", "consultant", "Support for the first internal audit", 1_400),
    ("external_audit", "certification_body", "Stage 1 and stage 2 audits", 5_500),
    ("external_audit", "travel", "Auditor travel", 700),
)
# Rough local-currency units per US dollar, so that the amounts read like local quotes.
RATES = {"VND": 25_000, "THB": 35, "MYR": 4.5, "IDR": 16_000, "PHP": 57, "SGD": 1.35, "USD": 1, "INR": 84,
         "BDT": 120, "LKR": 300, "CNY": 7.2, "TWD": 32}  # fmt: skip


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
    started: date
    progress: int  # stages done


def plan_project(
    where: tuple[int, int, int, str],
    catalog: Catalog,
    rng: random.Random,
    today: date,
    user_id: int,
    seed: str,
) -> Planned:
    """A project set up by the app's :func:`setup_project`, its rows given their values before they are
    written (still pending: ``setup_project`` flushes what came before it, then adds them); then its
    evidence and budget as multi-row inserts."""
    workspace_id, client_id, site_id, currency = where
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
    _add_evidence(project.id, verdicts, catalog, rng, started, today, user_id)
    _add_budget(project.id, currency, progress, started, rng)
    tally = Counter(verdicts.values())
    counts = Readiness(
        met=tally[ClauseStatus.MET],
        partial=tally[ClauseStatus.PARTIAL],
        not_met=tally[ClauseStatus.NOT_MET],
        not_applicable=tally[ClauseStatus.NOT_APPLICABLE],
    )
    return Planned(project.id, catalog.standard_id, site_id, catalog.family, seed, counts, started, progress)


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


def _review_state(verdict: ClauseStatus, rng: random.Random) -> str:
    draw = rng.random()
    if verdict == ClauseStatus.MET:
        return "accepted" if draw < 0.75 else "submitted" if draw < 0.92 else "draft"
    if verdict == ClauseStatus.PARTIAL:
        return "accepted" if draw < 0.45 else "submitted" if draw < 0.8 else "draft"
    return "accepted" if draw < 0.1 else "submitted" if draw < 0.4 else "rejected" if draw < 0.6 else "draft"


def _add_evidence(
    project_id: int,
    verdicts: dict[int, ClauseStatus],
    catalog: Catalog,
    rng: random.Random,
    started: date,
    today: date,
    user_id: int,
) -> None:
    """The project's evidence: links and notes in one insert, files (with their version row and a small
    stored file) in another."""
    plain: list[dict[str, Any]] = []
    files: list[dict[str, Any]] = []
    span = max(1, (today - started).days)
    for clause_id, verdict in verdicts.items():
        if verdict == ClauseStatus.NOT_APPLICABLE:
            continue
        clause = catalog.clauses[clause_id]
        low, high = EVIDENCE_COUNTS[verdict]
        for n in range(rng.randint(low, high)):
            draw = rng.random()
            kind = "link" if draw < 0.45 else "note" if draw < 0.9 else "file"
            example = clause.examples[n % len(clause.examples)] if clause.examples else "Record"
            state = _review_state(verdict, rng)
            added = started + timedelta(days=rng.randint(0, span))
            valid = None
            if rng.random() < 0.2:
                valid = today + timedelta(
                    days=rng.randint(-60, -1) if rng.random() < 0.25 else rng.randint(30, 700)
                )
            reviewed = state in ("accepted", "rejected")
            row = {
                "project_id": project_id,
                "clause_id": clause_id,
                "task_id": None,
                "kind": kind,
                "title": f"{example[:180]} ({clause.number})",
                "url": f"https://intranet.example/qms/{project_id}/{clause.number}/{n + 1}"
                if kind == "link"
                else "",
                "note": f"Seen on site: {example.lower()}." if kind == "note" else "",
                "valid_until": valid,
                "review_state": state,
                "reviewer_comment": "Not enough: the record is unsigned." if state == "rejected" else "",
                "reviewed_by_id": user_id if reviewed else None,
                "reviewed_at": moment(added) if reviewed else None,
                "self_reviewed": state == "accepted",
                "added_by_id": user_id,
                "created_at": moment(added),
                "deleted_at": moment(today) if rng.random() < 0.03 else None,
                "deleted_by_id": None,
            }
            row["deleted_by_id"] = user_id if row["deleted_at"] else None
            (files if kind == "file" else plain).append(row)
    insert_rows(EvidenceItem, plain)
    ids = insert_returning(EvidenceItem, files)
    store = Path(current_app.config["EVIDENCE_DIR"])
    store.mkdir(parents=True, exist_ok=True)
    versions = [_stored_file(store, item_id, row) for item_id, row in zip(ids, files, strict=True)]
    insert_rows(EvidenceVersion, versions)


def _stored_file(store: Path, item_id: int, item: dict[str, Any]) -> dict[str, Any]:
    """A small text file in the evidence store for ``item`` (removed again if the run does not commit).
    Its name is random, as an upload's: a second portfolio on the same store never collides."""
    content = f"{item['title']}\nGenerated evidence file of item {item_id}.\n".encode()
    storage_name = secrets.token_hex(32)
    path = store / storage_name
    path.write_bytes(content)
    remove_on_rollback(path)
    return {
        "evidence_id": item_id,
        "number": 1,
        "storage_name": storage_name,
        "filename": f"evidence-{item_id}.txt",
        "content_type": "text/plain",
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "uploaded_by_id": item["added_by_id"],
        "uploaded_at": item["created_at"],
    }


def _add_budget(project_id: int, currency: str, progress: int, started: date, rng: random.Random) -> None:
    order = [stage.value for stage in Stage]
    rate = Decimal(str(RATES.get(currency, 1)))
    rows = []
    for stage, category, description, dollars in BUDGET_LINES:
        assert category in CATEGORIES
        planned = (Decimal(dollars) * rate * Decimal(rng.randint(80, 130)) / 100).quantize(Decimal(1))
        paid = order.index(stage) < progress
        spent_on = started + timedelta(weeks=sum(STAGE_WEEKS[s] for s in list(Stage)[: order.index(stage)]))
        rows.append(
            {
                "project_id": project_id,
                "stage": stage,
                "category": category,
                "description": description,
                "vendor": "",
                "planned": planned,
                "actual": (planned * Decimal(rng.randint(85, 125)) / 100).quantize(Decimal(1))
                if paid
                else None,
                "spent_on": spent_on if paid else None,
                "basis": "",
            }
        )
    insert_rows(BudgetLine, rows)


def add_history(projects: list[Planned], today: date) -> None:
    """A snapshot a day for the last 90 days (readiness rising from a third of today's verdicts, with the
    project's start as its floor), then today's, recorded by the app from the verdicts themselves."""
    rows = []
    for planned in projects:
        now = planned.counts
        for days_ago in range(HISTORY_DAYS - 1, 0, -1):
            share = Decimal(HISTORY_DAYS - days_ago) / HISTORY_DAYS
            share = share * 2 / 3 + Decimal(1) / 3
            part = {name: int(getattr(now, name) * share) for name in ("met", "partial", "not_met")}
            past = Readiness(**part, not_assessed=now.applicable - sum(part.values()),
                             not_applicable=now.not_applicable)  # fmt: skip
            rows.append(
                {
                    "project_id": planned.project_id,
                    "taken_on": today - timedelta(days=days_ago),
                    "readiness": past.percent,
                    "coverage": int(70 * share),
                    **{name: getattr(past, name) for name in history.COUNTED},
                    "recorded_at": moment(today - timedelta(days=days_ago)),
                }
            )
        if len(rows) >= 9_000:  # a few statements rather than one of 90,000 rows at 1,000 clients
            insert_rows(ReadinessSnapshot, rows)
            rows = []
    insert_rows(ReadinessSnapshot, rows)
    history.record_snapshots([planned.project_id for planned in projects], today)
