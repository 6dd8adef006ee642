"""The pathway tells the truth: the stage order and its override, the project's derived status, and the
stage 2 go / no-go.

* **Stage order.** A stage starts only once the stage before it is done. An owner may start it earlier with a
  written reason (a real sentence), recorded and shown on the stage.
* **Status.** "Certified" is never typed: a project is certified while a valid certificate covers it.
* **Go / no-go** for the certification audit: readiness at or above the project's threshold (100 % of the
  applicable requirements met by default), the documentation, training, internal audit and management review
  stages done, no open major nonconformity from any source, every requirement assessed met backed by current
  evidence, and (advice, not a block) the system has run long enough: three months of records since the
  documentation stage was done by default. Stage 1 and 2 may still be scheduled on NO-GO, with a warning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from app.domain.nonconformities import is_sentence
from app.domain.pathway import Stage, StageStatus, stage_info
from app.domain.text import _, _l, ngettext

CERTIFIED = "certified"
STATUS_LABELS = {
    "planning": _l("Planning"),
    "in_progress": _l("In progress"),
    "on_hold": _l("On hold"),
    "closed": _l("Closed"),
    CERTIFIED: _l("Certified"),
}
OVERRIDE_ROLE = "owner"  # the one role that may start a stage before the one before it is done
PREREQUISITES = (Stage.DOCUMENTATION, Stage.TRAINING, Stage.INTERNAL_AUDIT, Stage.MANAGEMENT_REVIEW)


def previous_stage(stage: Stage) -> Stage | None:
    order = list(Stage)
    position = order.index(stage)
    return order[position - 1] if position else None


def start_error(stage: Stage, statuses: Mapping[Stage, StageStatus]) -> str | None:
    """Why ``stage`` may not start yet (None when the stage before it is done, or it is the first)."""
    before = previous_stage(stage)
    if before is None or statuses.get(before) == StageStatus.DONE:
        return None
    return _(
        "%(stage)s starts once %(before)s is done. An owner may start it earlier with a written reason.",
        stage=stage_info(stage).title,
        before=stage_info(before).title,
    )


def override_error(reason: str) -> str | None:
    if is_sentence(reason):
        return None
    return _("Write why this stage starts before the one before it is done, in a real sentence.")


def may_override(role: str) -> bool:
    """Starting a stage out of order is the owner's call alone (consultants and clients follow the order)."""
    return role == OVERRIDE_ROLE


def start_refusal(
    stage: Stage, statuses: Mapping[Stage, StageStatus], *, reason: str, may_override: bool
) -> dict[str, str]:
    """Why starting ``stage`` is refused, by form field (empty: it may start).

    The stage before it done: it starts. Otherwise only an owner starts it, with a reason that is a real
    sentence; without a reason (or for anyone else) the refusal is the stage order's, beside the status."""
    blocked = start_error(stage, statuses)
    if blocked is None:
        return {}
    if not may_override or not reason.strip():
        return {"status": blocked}
    bad_reason = override_error(reason)
    return {"override_reason": bad_reason} if bad_reason else {}


def done_error(stage: Stage, statuses: Mapping[Stage, StageStatus], overridden: bool) -> str | None:
    """Why ``stage`` may not be marked done whatever its criteria: the stage before it is not done and no
    owner started this one early with a reason."""
    blocked = start_error(stage, statuses)
    if blocked is None or overridden:
        return None
    before = previous_stage(stage)
    assert before is not None  # a stage with nothing before it is never blocked
    return _(
        "%(stage)s can be marked done once %(before)s is done "
        "(or once an owner has started it early with a written reason).",
        stage=stage_info(stage).title,
        before=stage_info(before).title,
    )


def project_status(typed: str, certified: bool) -> str:
    """What the project's status is: certified while a valid certificate covers it, else what was set."""
    return CERTIFIED if certified else typed


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def status_error(typed: str) -> str | None:
    if typed == CERTIFIED:
        return _("A project is certified once a valid certificate is recorded for it; the status follows it.")
    return None


@dataclass(frozen=True)
class GoFacts:
    readiness_percent: int | None  # of applicable requirements met
    threshold: int
    statuses: Mapping[Stage, StageStatus]
    open_majors: int
    unevidenced: Sequence[str]  # requirements assessed met without current evidence
    documentation_done_on: date | None
    operating_months: int


@dataclass(frozen=True)
class GoCondition:
    key: str
    label: str
    met: bool
    detail: str
    target: tuple[str, Mapping[str, str]]
    advice: bool = False  # shown, but does not make the answer NO-GO


def operating_since_ok(done_on: date | None, months: int, today: date) -> bool:
    return done_on is not None and done_on + relativedelta(months=months) <= today


def go_conditions(facts: GoFacts, today: date) -> list[GoCondition]:
    percent = facts.readiness_percent
    ready = percent is not None and percent >= facts.threshold
    conditions = [
        GoCondition(
            "readiness", _("Readiness at least %(threshold)d %%", threshold=facts.threshold), ready,
            _("Readiness is %(percent)d %% of the applicable requirements met.",
              percent=percent if percent is not None else 0),
            ("gap_analysis", {}),
        ),
    ]  # fmt: skip
    for stage in PREREQUISITES:
        done = facts.statuses.get(stage) == StageStatus.DONE
        title = stage_info(stage).title
        conditions.append(
            GoCondition(
                f"stage.{stage.value}",
                _("%(stage)s done", stage=title),
                done,
                _("%(stage)s is done.", stage=title)
                if done
                else _("%(stage)s is not done yet: its exit criteria say what is missing.", stage=title),
                ("stage", {"stage": stage.value}),
            )
        )
    majors = facts.open_majors
    open_text = ngettext(
        "%(num)d major nonconformity still open.", "%(num)d major nonconformities still open.", majors
    )
    conditions.append(
        GoCondition(
            "no_open_major", _("No open major nonconformity"), not majors,
            open_text if majors else _("No major nonconformity is open."),
            ("findings", {"severity": "major", "state": "open"}),
        )
    )  # fmt: skip
    missing = list(facts.unevidenced)
    conditions.append(
        GoCondition(
            "evidence", _("Every requirement met has current evidence"), not missing,
            _unevidenced_text(missing) if missing
            else _("Every requirement assessed met has accepted, current evidence."),
            ("evidence", {}),
        )
    )  # fmt: skip
    done_on, months = facts.documentation_done_on, facts.operating_months
    running = operating_since_ok(done_on, months, today)
    if done_on is None:
        detail = _("The documentation stage is not done yet, so the system has not started running on it.")
    else:
        detail = ngettext(
            "The system has run since %(start)s; certification bodies usually expect "
            "%(num)d month of records before stage 2 (%(since)s).",
            "The system has run since %(start)s; certification bodies usually expect "
            "%(num)d months of records before stage 2 (%(since)s).",
            months,
            start=done_on.isoformat(),
            since=(done_on + relativedelta(months=months)).isoformat(),
        )
    label = ngettext("%(num)d month of records", "%(num)d months of records", months)
    conditions.append(
        GoCondition("operating", label, running, detail,
                    ("stage", {"stage": Stage.DOCUMENTATION.value}), advice=True)
    )  # fmt: skip
    return conditions


def _unevidenced_text(missing: Sequence[str]) -> str:
    """The requirements assessed met without current evidence: the first five clauses, then "and more"."""
    shown = ", ".join(missing[:5])
    if len(missing) > 5:
        return ngettext(
            "%(num)d requirement assessed met without current evidence: %(clauses)s and more.",
            "%(num)d requirements assessed met without current evidence: %(clauses)s and more.",
            len(missing),
            clauses=shown,
        )
    return ngettext(
        "%(num)d requirement assessed met without current evidence: %(clauses)s.",
        "%(num)d requirements assessed met without current evidence: %(clauses)s.",
        len(missing),
        clauses=shown,
    )


def is_go(conditions: Sequence[GoCondition]) -> bool:
    return all(c.met for c in conditions if not c.advice)


def threshold_error(value: int | None) -> str | None:
    if value is None or not 50 <= value <= 100:
        return _("Give a readiness threshold between 50 and 100 %.")
    return None


def operating_months_error(value: int | None) -> str | None:
    if value is None or not 0 <= value <= 24:
        return _("Give between 0 and 24 months.")
    return None
