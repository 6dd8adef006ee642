"""The pathway tells the truth: the stage order and its override, the derived project status, and the
stage 2 go / no-go (app.domain.gates)."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain import gates
from app.domain.gates import GoFacts, go_conditions, is_go
from app.domain.pathway import Stage, StageStatus

DONE, STARTED, NOT_STARTED = StageStatus.DONE, StageStatus.IN_PROGRESS, StageStatus.NOT_STARTED
REASON = "The trainer is only free this month, so awareness training starts now."
TODAY = date(2026, 5, 15)


def statuses(done_up_to: Stage | None) -> dict[Stage, StageStatus]:
    """Every stage up to ``done_up_to`` done, the rest not started."""
    order = list(Stage)
    last = order.index(done_up_to) if done_up_to else -1
    return {stage: DONE if i <= last else NOT_STARTED for i, stage in enumerate(order)}


# The stage order


def test_each_stage_follows_the_one_before_it():
    assert gates.previous_stage(Stage.GAP_ANALYSIS) is None
    assert gates.previous_stage(Stage.TRAINING) == Stage.DOCUMENTATION
    assert gates.previous_stage(Stage.EXTERNAL_AUDIT) == Stage.MANAGEMENT_REVIEW


def test_the_first_stage_starts_whenever():
    assert gates.start_error(Stage.GAP_ANALYSIS, {}) is None


@pytest.mark.parametrize("before", [NOT_STARTED, STARTED])
def test_a_stage_waits_for_the_one_before_it_to_be_done(before):
    order = statuses(Stage.GAP_ANALYSIS) | {Stage.DOCUMENTATION: before}
    assert gates.start_error(Stage.TRAINING, order) == (
        "Training starts once Documentation is done. An owner may start it earlier with a written reason."
    )
    assert gates.start_error(Stage.TRAINING, order | {Stage.DOCUMENTATION: DONE}) is None


def test_only_the_stage_right_before_counts():
    # Documentation done, the gap analysis reopened since: training may still start.
    order = statuses(Stage.DOCUMENTATION) | {Stage.GAP_ANALYSIS: STARTED}
    assert gates.start_error(Stage.TRAINING, order) is None


def test_only_an_owner_may_override():
    assert gates.may_override("owner")
    for role in ("consultant", "client_manager", "contributor", "viewer", "nobody"):
        assert not gates.may_override(role)


@pytest.mark.parametrize("reason", ["", "x", "done", "see above", "n/a", "Trainer available now."])
def test_an_override_reason_must_be_a_real_sentence(reason):
    assert gates.override_error(reason) is not None


def test_a_real_sentence_is_a_reason():
    assert gates.override_error(REASON) is None


def test_starting_out_of_order_is_refused_beside_the_status_for_anyone_but_an_owner():
    blocked = statuses(Stage.GAP_ANALYSIS)
    message = gates.start_error(Stage.TRAINING, blocked)
    refusal = gates.start_refusal(Stage.TRAINING, blocked, reason=REASON, may_override=False)
    assert refusal == {"status": message}


def test_an_owner_without_a_reason_gets_the_order_refusal():
    blocked = statuses(Stage.GAP_ANALYSIS)
    refusal = gates.start_refusal(Stage.TRAINING, blocked, reason="  ", may_override=True)
    assert refusal == {"status": gates.start_error(Stage.TRAINING, blocked)}


def test_an_owner_with_a_placeholder_reason_is_refused_beside_the_reason():
    refusal = gates.start_refusal(Stage.TRAINING, statuses(Stage.GAP_ANALYSIS), reason="x", may_override=True)
    assert refusal == {"override_reason": gates.override_error("x")}


def test_an_owner_with_a_reason_may_start_early():
    assert gates.start_refusal(Stage.TRAINING, statuses(None), reason=REASON, may_override=True) == {}


def test_no_reason_is_needed_in_order():
    order = statuses(Stage.DOCUMENTATION)
    assert gates.start_refusal(Stage.TRAINING, order, reason="", may_override=False) == {}


def test_marking_done_needs_the_stage_before_done_or_an_override():
    blocked = statuses(Stage.GAP_ANALYSIS)
    message = gates.done_error(Stage.TRAINING, blocked, overridden=False)
    assert message is not None and message.startswith(
        "Training can be marked done once Documentation is done"
    )
    assert gates.done_error(Stage.TRAINING, blocked, overridden=True) is None
    assert gates.done_error(Stage.TRAINING, statuses(Stage.DOCUMENTATION), overridden=False) is None
    assert gates.done_error(Stage.GAP_ANALYSIS, {}, overridden=False) is None


# The project's status


def test_certified_is_derived_from_a_valid_certificate():
    assert gates.project_status("in_progress", certified=True) == "certified"
    assert gates.project_status("in_progress", certified=False) == "in_progress"
    assert gates.project_status("closed", certified=True) == "certified"


def test_typing_certified_is_refused_with_the_reason():
    assert gates.status_error("certified") == (
        "A project is certified once a valid certificate is recorded for it; the status follows it."
    )
    for typed in ("planning", "in_progress", "on_hold", "closed"):
        assert gates.status_error(typed) is None


def test_status_labels():
    assert gates.status_label("certified") == "Certified"
    assert gates.status_label("on_hold") == "On hold"


# Go / no-go


def facts(**changes) -> GoFacts:
    """A project ready for stage 2: every condition met."""
    values = {
        "readiness_percent": 100,
        "threshold": 100,
        "statuses": statuses(Stage.MANAGEMENT_REVIEW),
        "open_majors": 0,
        "unevidenced": (),
        "documentation_done_on": date(2026, 1, 10),
        "operating_months": 3,
    } | changes
    return GoFacts(**values)


def condition(conditions, key):
    return next(c for c in conditions if c.key == key)


def test_every_condition_met_is_go():
    conditions = go_conditions(facts(), TODAY)
    assert [c.key for c in conditions] == [
        "readiness",
        "stage.documentation",
        "stage.training",
        "stage.internal_audit",
        "stage.management_review",
        "no_open_major",
        "evidence",
        "operating",
    ]
    assert all(c.met for c in conditions)
    assert is_go(conditions)


@pytest.mark.parametrize(
    ("percent", "threshold", "met"),
    [(100, 100, True), (99, 100, False), (None, 100, False), (90, 90, True), (89, 90, False), (0, 50, False)],
)
def test_readiness_at_or_above_the_threshold(percent, threshold, met):
    conditions = go_conditions(facts(readiness_percent=percent, threshold=threshold), TODAY)
    readiness = condition(conditions, "readiness")
    assert readiness.met is met
    assert readiness.label == f"Readiness at least {threshold} %"
    assert readiness.detail == f"Readiness is {percent or 0} % of the applicable requirements met."
    assert is_go(conditions) is met
    assert readiness.target == ("gap_analysis", {})


@pytest.mark.parametrize(
    "stage", [Stage.DOCUMENTATION, Stage.TRAINING, Stage.INTERNAL_AUDIT, Stage.MANAGEMENT_REVIEW]
)
@pytest.mark.parametrize("status", [NOT_STARTED, STARTED])
def test_each_prerequisite_stage_must_be_done(stage, status):
    conditions = go_conditions(facts(statuses=statuses(Stage.MANAGEMENT_REVIEW) | {stage: status}), TODAY)
    unmet = [c for c in conditions if not c.met]
    assert [c.key for c in unmet] == [f"stage.{stage.value}"]
    assert "is not done yet" in unmet[0].detail
    assert unmet[0].target == ("stage", {"stage": stage.value})
    assert not is_go(conditions)


def test_the_gap_analysis_and_external_audit_are_no_condition():
    order = statuses(Stage.MANAGEMENT_REVIEW) | {Stage.GAP_ANALYSIS: STARTED}
    assert is_go(go_conditions(facts(statuses=order), TODAY))


@pytest.mark.parametrize(
    ("majors", "text"), [(1, "1 major nonconformity still open."), (3, "3 major nonconformities still open.")]
)
def test_an_open_major_is_no_go(majors, text):
    conditions = go_conditions(facts(open_majors=majors), TODAY)
    major = condition(conditions, "no_open_major")
    assert not major.met and major.detail == text
    assert major.target == ("findings", {"severity": "major", "state": "open"})
    assert not is_go(conditions)


def test_requirements_met_without_current_evidence_are_no_go():
    missing = ("4.1", "4.2", "5.1", "6.1", "7.1.5.1", "8.5.1")
    conditions = go_conditions(facts(unevidenced=missing), TODAY)
    evidence = condition(conditions, "evidence")
    assert not evidence.met
    assert evidence.detail == (
        "6 requirements assessed met without current evidence: 4.1, 4.2, 5.1, 6.1, 7.1.5.1 and more."
    )
    assert evidence.target == ("evidence", {})
    assert not is_go(conditions)


def test_too_short_a_run_is_advice_and_does_not_block():
    conditions = go_conditions(facts(documentation_done_on=date(2026, 4, 1)), TODAY)
    operating = condition(conditions, "operating")
    assert not operating.met and operating.advice
    assert "(2026-07-01)" in operating.detail
    assert is_go(conditions)  # advice only


def test_no_documentation_done_yet_means_no_run_at_all():
    conditions = go_conditions(facts(documentation_done_on=None), TODAY)
    operating = condition(conditions, "operating")
    assert not operating.met
    assert operating.detail.startswith("The documentation stage is not done yet")


def test_zero_months_is_met_from_the_day_documentation_is_done():
    assert gates.operating_since_ok(TODAY, 0, TODAY)
    assert not gates.operating_since_ok(None, 0, TODAY)


@pytest.mark.parametrize(
    ("done_on", "months", "first_day"),
    [
        (date(2025, 11, 30), 3, date(2026, 2, 28)),  # no 30 February: the month's last day
        (date(2023, 11, 30), 3, date(2024, 2, 29)),  # a leap year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # a leap day, a year on
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2026, 1, 15), 3, date(2026, 4, 15)),
    ],
)
def test_months_of_records_at_month_ends(done_on, months, first_day):
    assert gates.operating_since_ok(done_on, months, first_day)
    assert not gates.operating_since_ok(done_on, months, date.fromordinal(first_day.toordinal() - 1))


def test_every_failure_is_a_reason_at_once():
    conditions = go_conditions(
        facts(
            readiness_percent=57, statuses=statuses(Stage.DOCUMENTATION), open_majors=1, unevidenced=("4.1",)
        ),
        TODAY,
    )
    assert {c.key for c in conditions if not c.met} == {
        "readiness",
        "stage.training",
        "stage.internal_audit",
        "stage.management_review",
        "no_open_major",
        "evidence",
    }
    assert not is_go(conditions)


@pytest.mark.parametrize(("value", "ok"), [(None, False), (49, False), (50, True), (100, True), (101, False)])
def test_threshold_limits(value, ok):
    assert (gates.threshold_error(value) is None) is ok


@pytest.mark.parametrize(("value", "ok"), [(None, False), (-1, False), (0, True), (24, True), (25, False)])
def test_operating_months_limits(value, ok):
    assert (gates.operating_months_error(value) is None) is ok
