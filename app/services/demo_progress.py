"""How far each demo factory has come: gap-analysis verdicts, stage dates and statuses, done tasks, and
evidence (links and notes only: the demo's files are its documents' revisions, in demo_documents).

Stages are started and finished by the stage order's rules (:mod:`app.domain.gates`, through
:func:`app.services.stages.start`): a stage starts once the one before it is done, or early with the owner's
written reason, which the stage page then shows. Deterministic (no randomness), so the demo reads the same on
every machine.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.domain import gates
from app.domain.pathway import Stage, StageStatus
from app.extensions import db
from app.models import Assessment, CertificationProject, Clause, EvidenceItem, ProjectStage, Task
from app.services import stages as stage_service

# Weeks each stage typically takes for a small factory (costs.md, section 4).
STAGE_WEEKS = {
    Stage.GAP_ANALYSIS: 3,
    Stage.DOCUMENTATION: 10,
    Stage.TRAINING: 4,
    Stage.INTERNAL_AUDIT: 4,
    Stage.MANAGEMENT_REVIEW: 2,
    Stage.EXTERNAL_AUDIT: 8,
}
# A repeating pattern of verdicts for assessed clauses: mostly met, some partial, a few gaps.
VERDICTS = ("met", "met", "partial", "met", "not_met", "met", "partial", "met")


def plan_stages(project: CertificationProject, start: date) -> list[ProjectStage]:
    stages = list(
        db.session.execute(
            select(ProjectStage).where(ProjectStage.project_id == project.id).order_by(ProjectStage.position)
        ).scalars()
    )
    cursor = start
    for row in stages:
        row.planned_start = cursor
        cursor = cursor + timedelta(weeks=STAGE_WEEKS[Stage(row.key)])
        row.planned_end = cursor
    return stages


def assess(project: CertificationProject, sections: set[str] | None, not_applicable: dict[str, str]) -> None:
    """Give verdicts to the clauses of ``sections`` (all when None); mark ``not_applicable`` with reasons."""
    rows = db.session.execute(
        select(Clause.number, Clause.section, Assessment)
        .join(Assessment, Assessment.clause_id == Clause.id)
        .where(Assessment.project_id == project.id)
        .order_by(Clause.position)
    ).all()
    for index, (number, section, assessment) in enumerate(rows):
        if number in not_applicable:
            assessment.status, assessment.justification = "not_applicable", not_applicable[number]
        elif sections is None or section in sections:
            assessment.status = VERDICTS[index % len(VERDICTS)]
            if assessment.status != "met":
                assessment.owner = "Quality lead"


def _statuses(rows: list[ProjectStage]) -> dict[Stage, StageStatus]:
    return {Stage(row.key): StageStatus(row.status) for row in rows}


def start_stage(rows: list[ProjectStage], index: int, day: date, user_id: int, reason: str = "") -> None:
    """Start the ``index``-th stage on ``day`` as the demo's owner would: refused (Invalid) when the stage
    before it is not done and no reason is given, or the reason is not a real sentence."""
    row = rows[index]
    stage_service.start(row, stage_service.Starter(user_id, True, reason), _statuses(rows), day)
    row.actual_start = day


def finish_stage(rows: list[ProjectStage], index: int, end: date) -> None:
    """Mark the ``index``-th stage (started) done on ``end``; a demo breaking the stage order raises
    ValueError. Its criteria are the demo test's to check, on the records written after."""
    row = rows[index]
    if problem := gates.done_error(Stage(row.key), _statuses(rows), bool(row.override_reason)):
        raise ValueError(f"Demo stage {row.key}: {problem}")
    if row.actual_start is None or row.actual_start > end:
        raise ValueError(f"Demo stage {row.key} ends on {end}, before it started.")
    row.status, row.actual_end = StageStatus.DONE.value, end


def finish_tasks(project: CertificationProject, stages: set[str]) -> None:
    tasks = db.session.execute(
        select(Task).where(Task.project_id == project.id, Task.stage.in_(stages))
    ).scalars()
    for task in tasks:
        task.status = "done"


# (clause, kind, title, link or note, review state, valid for days from today: None = no expiry date)
EvidenceSpec = tuple[str, str, str, str, str, int | None]


def add_evidence(
    project: CertificationProject, today: date, user_id: int, specs: tuple[EvidenceSpec, ...]
) -> None:
    """The demo user adds each item and reviews those accepted or rejected: the demo workspace has a single
    member, so an acceptance is recorded as self-accepted, as the four-eyes rule does for anyone working
    alone."""
    clause_ids = dict(
        db.session.execute(
            select(Clause.number, Clause.id).where(Clause.standard_id == project.standard_id)
        ).all()
    )
    reviewed_at = datetime.combine(today, datetime.min.time(), tzinfo=UTC)
    for number, kind, title, text, state, valid_days in specs:
        reviewed = state in ("accepted", "rejected")
        db.session.add(
            EvidenceItem(
                project_id=project.id,
                clause_id=clause_ids[number],
                kind=kind,
                title=title,
                url=text if kind == "link" else "",
                note=text if kind == "note" else "",
                review_state=state,
                added_by_id=user_id,
                reviewed_by_id=user_id if reviewed else None,
                reviewed_at=reviewed_at if reviewed else None,
                self_reviewed=state == "accepted",
                valid_until=None if valid_days is None else today + timedelta(days=valid_days),
            )
        )


CORK_EVIDENCE: tuple[EvidenceSpec, ...] = (
    ("4.3", "note", "Scope statement SCC-QM-01 rev 1", "Cork stoppers made to buyers' specifications; "
     "8.3 design is not applicable (see the justification in the gap analysis).", "accepted", None),
    ("5.2.2", "link", "Quality policy, signed by the director", "https://intranet.example/scc/policy.pdf",
     "accepted", None),
    ("6.2.1", "note", "Quality objectives 2025", "Complaints under 0.5 % of shipments; on-time delivery "
     "above 95 %; reviewed monthly at the production meeting.", "accepted", None),
    ("7.1.5.2", "link", "Calibration certificate, moisture meter MM-02",
     "https://intranet.example/scc/calibration/mm-02.pdf", "accepted", -20),
    ("7.2", "note", "Training matrix, production line", "Matrix kept by Ms Lan; 2 operators still to train.",
     "submitted", None),
)  # fmt: skip
SACHET_EVIDENCE: tuple[EvidenceSpec, ...] = (
    ("4.1", "note", "Context review, kick-off workshop", "SWOT and PESTLE notes from the kick-off "
     "workshop, including the climate-change relevance decision.", "accepted", None),
    ("4.2", "note", "Interested parties register (first draft)", "Buyers, the FDA of Thailand, workers, "
     "neighbours.", "draft", None),
)  # fmt: skip
INFUSION_EVIDENCE: tuple[EvidenceSpec, ...] = (
    ("4.2.2", "link", "Quality manual PMT-QM-01 rev 2", "https://intranet.example/pmt/qm-01.pdf",
     "accepted", None),
    ("4.2.4", "link", "Document control procedure, as published", "https://intranet.example/pmt/qp-06.pdf",
     "accepted", None),
    ("5.3", "note", "Quality policy", "Signed by the managing director; posted at the clean-room entrance.",
     "accepted", None),
    ("6.2", "note", "Training records, clean-room operators", "All 14 operators trained on gowning and "
     "line clearance; records in the HR file.", "accepted", None),
    ("7.6", "link", "Calibration certificate, leak tester LT-01", "https://intranet.example/pmt/lt-01.pdf",
     "accepted", 200),
)  # fmt: skip


def cork_factory(project: CertificationProject, today: date, user_id: int) -> None:
    """Vietnam: gap analysis done, documentation under way."""
    stages = plan_stages(project, today - timedelta(weeks=8))
    no_design = "Stoppers are made to the buyers' specifications; no design is done on site."
    assess(project, None, dict.fromkeys(("8.3.1", "8.3.2", "8.3.3", "8.3.4", "8.3.5", "8.3.6"), no_design))
    finish_tasks(project, {Stage.GAP_ANALYSIS})
    start_stage(stages, 0, today - timedelta(weeks=8), user_id)
    finish_stage(stages, 0, today - timedelta(weeks=5))
    start_stage(stages, 1, today - timedelta(weeks=5), user_id)
    docs = db.session.execute(
        select(Task)
        .where(Task.project_id == project.id, Task.stage == Stage.DOCUMENTATION)
        .order_by(Task.position)
    ).scalars()
    for number, task in enumerate(docs, start=1):
        if number <= 3:
            task.status = "done"
        elif number == 4:
            task.status, task.owner, task.due_date = "in_progress", "Ms Lan", today - timedelta(days=4)
    add_evidence(project, today, user_id, CORK_EVIDENCE)


def sachet_factory(project: CertificationProject, today: date, user_id: int) -> None:
    """Thailand: just started the gap analysis (sections 4 and 5 assessed)."""
    stages = plan_stages(project, today - timedelta(weeks=1))
    assess(project, {"4", "5"}, {})
    start_stage(stages, 0, today - timedelta(weeks=1), user_id)
    add_evidence(project, today, user_id, SACHET_EVIDENCE)


# Why the infusion-set factory's owner started two stages before the one before them was done.
EARLY_AUDIT = (
    "The first internal audit, of resources and product realisation, starts while the last operators finish "
    "their training, so that its findings can be closed before the certification audit."
)
EARLY_REVIEW = (
    "Top management reviews the first audit's report now rather than after the whole programme, to decide "
    "on the validation of the pouch sealer before stage 1."
)


def infusion_factory(project: CertificationProject, today: date, user_id: int) -> None:
    """Malaysia: documentation done; training nearly done (two new starters, and the operators to retrain
    on the contamination control procedure revised ten days ago: demo_staff); the internal audit, started
    early by the owner, found a major nonconformity, and top management, also early, held a first review
    (demo_record_plans)."""
    stages = plan_stages(project, today - timedelta(weeks=20))
    outsourced = "Sets are sterilised by a contracted EO steriliser; no installation or servicing is done."
    assess(project, None, dict.fromkeys(("7.5.2", "7.5.3", "7.5.4"), outsourced))
    finish_tasks(project, {Stage.GAP_ANALYSIS, Stage.DOCUMENTATION, Stage.TRAINING})
    retrain = db.session.execute(
        select(Task).where(
            Task.project_id == project.id, Task.stage == Stage.TRAINING, Task.title.contains("new procedure")
        )
    ).scalars()
    for task in retrain:
        task.status, task.owner, task.due_date = "in_progress", "Nur Aisyah", today + timedelta(days=7)
    for index, (began, ended) in enumerate(((20, 17), (17, 7))):
        start_stage(stages, index, today - timedelta(weeks=began), user_id)
        finish_stage(stages, index, today - timedelta(weeks=ended))
    start_stage(stages, 2, today - timedelta(weeks=7), user_id)
    # The first internal audit began four weeks ago; the review after its report was held five days ago
    # (demo_record_plans): the review's criteria are met, but the programme is not complete yet.
    start_stage(stages, 3, today - timedelta(weeks=4), user_id, EARLY_AUDIT)
    start_stage(stages, 4, today - timedelta(days=5), user_id, EARLY_REVIEW)
    add_evidence(project, today, user_id, INFUSION_EVIDENCE)


PROFILES = {"VN": cork_factory, "TH": sachet_factory, "MY": infusion_factory}
