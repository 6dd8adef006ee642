"""The nonconformity register's rules with plain values: a real sentence, each transition and its refusals,
effectiveness checks, closing, observations, deadlines, due dates, overdue, and who may lift a major."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.domain import nonconformities as rules
from app.domain.nonconformities import (
    CheckResult,
    EffectivenessCheck,
    FindingFacts,
    FindingState,
    Severity,
    Transition,
)
from app.domain.permissions import Action, action_to_change_finding

TODAY = date(2026, 6, 15)
RAISED = TODAY - timedelta(days=30)
ROOT_CAUSE = "The calibration interval of the scale was never entered in the maintenance plan."
ACTION = "Add every measuring instrument to the maintenance plan with its calibration interval."
NOTES = "Three months of calibration records were sampled and every scale was on time."
PASSED = EffectivenessCheck(TODAY - timedelta(days=2), "Mr Binh", CheckResult.EFFECTIVE, NOTES)
FAILED = EffectivenessCheck(TODAY - timedelta(days=8), "Mr Binh", CheckResult.INEFFECTIVE, NOTES)


def facts(
    state: FindingState = FindingState.OPEN, severity: Severity = Severity.MAJOR, **fields
) -> FindingFacts:
    return FindingFacts(severity=severity, state=state, raised_on=RAISED, **fields)


PLANNED = facts(
    FindingState.ACTION_PLANNED,
    root_cause_method="five_whys",
    root_cause=ROOT_CAUSE,
    corrective_action=ACTION,
    action_owner="Ms Lan",
    action_due=TODAY + timedelta(days=10),
)
IMPLEMENTED = replace(PLANNED, state=FindingState.IMPLEMENTED, implemented_on=TODAY - timedelta(days=5))
VERIFIED = replace(IMPLEMENTED, state=FindingState.VERIFIED, checks=(PASSED,))
PLAN = {
    "root_cause_method": "fishbone",
    "root_cause": ROOT_CAUSE,
    "corrective_action": ACTION,
    "action_owner": "Ms Lan",
    "action_due": TODAY + timedelta(days=14),
}
CHECK = {"checked_on": TODAY, "checked_by": "Mr Binh", "result": "effective", "notes": NOTES}


# A real sentence


@pytest.mark.parametrize(
    "text",
    [None, "", "   ", "x", "done", "n/a", "N/A - see above", "see above", "ok", "Did it work ok", "a" * 40,
     "已完成", "不适用", "เสร็จแล้ว", "ไม่มี"],
)  # fmt: skip
def test_placeholders_are_not_sentences(text):
    assert not rules.is_sentence(text)


@pytest.mark.parametrize(
    "text",
    [
        ROOT_CAUSE,
        "Operators were retrained on WI-12.",
        "Nhân viên chưa được đào tạo lại theo quy trình mới.",  # Vietnamese
        "ไม่มีบันทึกการสอบเทียบ",  # Thai: "there is no calibration record"
        "ผู้ตรวจสอบพบว่าเอกสารไม่ได้รับการอนุมัติก่อนใช้งาน",  # Thai, written without spaces
        "校准记录未按规定保存",  # Chinese: "calibration records were not kept as required"
        "操作员未接受新版作业指导书的培训",
        "WI-12の教育を実施していなかった",  # Japanese
    ],
)
def test_real_sentences_in_any_script_are_sentences(text):
    assert rules.is_sentence(text)


def test_the_sentence_error_says_what_to_write():
    assert rules.sentence_error("", "the root cause analysis") == "Write the root cause analysis."
    assert "real sentence (at least 4 words)" in rules.sentence_error("x", "the root cause analysis")
    assert rules.sentence_error(ROOT_CAUSE, "the root cause analysis") is None


# The order of the workflow


@pytest.mark.parametrize(
    ("finding", "allowed"),
    [
        (facts(), (Transition.PLAN,)),
        (facts(severity=Severity.MINOR), (Transition.PLAN,)),
        (facts(severity=Severity.OBSERVATION), (Transition.PLAN, Transition.CLOSE)),
        (PLANNED, (Transition.PLAN, Transition.IMPLEMENT)),  # the plan may be revised until implemented
        (IMPLEMENTED, (Transition.CHECK,)),
        (VERIFIED, (Transition.CLOSE,)),
        (replace(VERIFIED, state=FindingState.CLOSED), ()),
        (replace(PLANNED, severity=Severity.OBSERVATION), (Transition.PLAN, Transition.IMPLEMENT)),
    ],
)
def test_each_state_allows_its_steps(finding, allowed):
    assert rules.allowed_transitions(finding) == allowed


@pytest.mark.parametrize(
    ("finding", "step", "says"),
    [
        (facts(), Transition.IMPLEMENT, "Only a planned action is implemented"),
        (facts(), Transition.CHECK, "Effectiveness is checked after the action is implemented"),
        (facts(), Transition.CLOSE, "closes only after a passed effectiveness check; this finding is open"),
        (PLANNED, Transition.CHECK, "this finding is action planned"),
        (PLANNED, Transition.CLOSE, "closes only after a passed effectiveness check"),
        (IMPLEMENTED, Transition.PLAN, "until the action is implemented"),
        (IMPLEMENTED, Transition.CLOSE, "this finding is implemented"),
        (VERIFIED, Transition.IMPLEMENT, "this finding is verified effective"),
        (replace(VERIFIED, state=FindingState.CLOSED), Transition.PLAN, "this finding is closed"),
    ],
)
def test_a_step_out_of_order_is_refused_on_the_state(finding, step, says):
    errors = rules.transition_errors(finding, step, PLAN | CHECK | {"implemented_on": TODAY}, TODAY)
    assert list(errors) == ["state"] and says in errors["state"]


# Plan


def test_a_full_plan_is_accepted_and_leads_to_action_planned():
    assert rules.transition_errors(facts(), Transition.PLAN, PLAN, TODAY) == {}
    assert rules.state_after(facts(), Transition.PLAN, PLAN) is FindingState.ACTION_PLANNED
    with_check_date = PLAN | {"effectiveness_due": PLAN["action_due"] + timedelta(days=30)}
    assert rules.plan_errors(facts(), with_check_date, TODAY) == {}


def test_a_plan_needs_each_of_its_parts():
    errors = rules.plan_errors(facts(), {}, TODAY)
    assert errors == {
        "root_cause_method": "Choose how the root cause was analysed.",
        "root_cause": "Write the root cause analysis.",
        "corrective_action": "Write the corrective action.",
        "action_owner": "Name who carries out the corrective action.",
        "action_due": "Give the date the corrective action is due.",
    }


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"root_cause_method": "guesswork"}, "root_cause_method", "Choose how"),
        ({"root_cause": "x"}, "root_cause", "real sentence"),
        ({"corrective_action": "done"}, "corrective_action", "real sentence"),
        ({"corrective_action": "n/a"}, "corrective_action", "real sentence"),
        ({"root_cause": "word " * 1001}, "root_cause", "at most 5000"),
        ({"action_owner": "   "}, "action_owner", "Name who"),
        ({"action_owner": "x" * 121}, "action_owner", "at most 120"),
        ({"action_due": RAISED - timedelta(days=1)}, "action_due", "before the finding was raised"),
        ({"action_due": "2026-07-01"}, "action_due", "Give the date"),
        ({"action_due": date(1999, 12, 31)}, "action_due", "between 2000"),
        (
            {"effectiveness_due": PLAN["action_due"] - timedelta(days=1)},
            "effectiveness_due",
            "before the action",
        ),
    ],
)
def test_a_plan_refuses_each_fault_beside_its_field(change, field, says):
    errors = rules.plan_errors(facts(), PLAN | change, TODAY)
    assert list(errors) == [field] and says in errors[field]


def test_the_plan_may_be_revised_before_it_is_implemented():
    revised = PLAN | {
        "corrective_action": "Replace the paper plan with reminders in the maintenance software."
    }
    assert rules.transition_errors(PLANNED, Transition.PLAN, revised, TODAY) == {}


# Implement


def test_implementing_records_a_past_day():
    assert rules.transition_errors(PLANNED, Transition.IMPLEMENT, {"implemented_on": TODAY}, TODAY) == {}
    assert rules.state_after(PLANNED, Transition.IMPLEMENT, {}) is FindingState.IMPLEMENTED


@pytest.mark.parametrize(
    ("day", "says"),
    [
        (None, "Give the date the action was implemented."),
        ("yesterday", "Give the date the action was implemented."),
        (TODAY + timedelta(days=1), "the date is in the future."),
        (RAISED - timedelta(days=1), "cannot be implemented before the finding was raised."),
    ],
)
def test_implementing_refuses_a_missing_future_or_early_day(day, says):
    errors = rules.transition_errors(PLANNED, Transition.IMPLEMENT, {"implemented_on": day}, TODAY)
    assert says in errors["implemented_on"]


def test_after_an_ineffective_check_the_action_is_implemented_again_after_it():
    reopened = replace(PLANNED, checks=(FAILED,))
    before = rules.implement_errors(reopened, FAILED.checked_on - timedelta(days=1), TODAY)
    assert "after the check that found the last one ineffective" in before["implemented_on"]
    assert rules.implement_errors(reopened, FAILED.checked_on, TODAY) == {}


# Check


def test_an_effective_check_verifies_and_an_ineffective_one_reopens_the_action():
    assert rules.transition_errors(IMPLEMENTED, Transition.CHECK, CHECK, TODAY) == {}
    assert rules.state_after(IMPLEMENTED, Transition.CHECK, CHECK) is FindingState.VERIFIED
    failed = CHECK | {"result": "ineffective"}
    assert rules.transition_errors(IMPLEMENTED, Transition.CHECK, failed, TODAY) == {}
    assert rules.state_after(IMPLEMENTED, Transition.CHECK, failed) is FindingState.ACTION_PLANNED


def test_a_check_dated_before_the_implementation_is_refused():
    early = CHECK | {"checked_on": IMPLEMENTED.implemented_on - timedelta(days=1)}
    errors = rules.transition_errors(IMPLEMENTED, Transition.CHECK, early, TODAY)
    implemented = IMPLEMENTED.implemented_on.isoformat()
    says = f"The effectiveness check cannot come before the action was implemented ({implemented})."
    assert errors == {"checked_on": says}
    same_day = CHECK | {"checked_on": IMPLEMENTED.implemented_on}
    assert rules.transition_errors(IMPLEMENTED, Transition.CHECK, same_day, TODAY) == {}


def test_a_check_needs_its_day_who_the_result_and_a_real_note():
    errors = rules.check_errors(IMPLEMENTED, None, " ", "maybe", "ok", TODAY)
    assert set(errors) == {"checked_on", "checked_by", "result", "notes"}
    future = rules.check_errors(IMPLEMENTED, TODAY + timedelta(days=1), "Mr Binh", "effective", NOTES, TODAY)
    assert future == {"checked_on": "A check is recorded once made: the date is in the future."}
    assert (
        "at most 120"
        in rules.check_errors(IMPLEMENTED, TODAY, "x" * 121, "effective", NOTES, TODAY)["checked_by"]
    )


# Close


def test_closing_needs_a_passed_check():
    assert rules.transition_errors(VERIFIED, Transition.CLOSE, {}, TODAY) == {}
    assert rules.state_after(VERIFIED, Transition.CLOSE, {}) is FindingState.CLOSED
    last_failed = replace(VERIFIED, checks=(PASSED, FAILED))
    assert rules.close_errors(last_failed) == {
        "state": "A finding closes only after a passed effectiveness check."
    }
    assert rules.close_errors(replace(VERIFIED, checks=())) == {
        "state": "A finding closes only after a passed effectiveness check."
    }


def test_closing_needs_the_root_cause_and_the_action_recorded():
    bare = replace(VERIFIED, root_cause="x", corrective_action="")
    assert set(rules.close_errors(bare)) == {"root_cause", "corrective_action"}


def test_an_observation_closes_from_open_with_its_response():
    observation = facts(severity=Severity.OBSERVATION)
    response = {"corrective_action": "We will add a reminder to the weekly production meeting agenda."}
    assert rules.transition_errors(observation, Transition.CLOSE, response, TODAY) == {}
    assert rules.state_after(observation, Transition.CLOSE, response) is FindingState.CLOSED
    refused = rules.transition_errors(observation, Transition.CLOSE, {"corrective_action": "noted"}, TODAY)
    assert "real sentence" in refused["corrective_action"]
    assert rules.transition_errors(observation, Transition.CLOSE, {}, TODAY) == {
        "corrective_action": "Write the response to the observation."
    }
    # a minor or a major never closes from open, whatever is sent
    minor = facts(severity=Severity.MINOR)
    assert list(rules.transition_errors(minor, Transition.CLOSE, response, TODAY)) == ["state"]


# Deadlines, due dates, overdue


def test_a_certification_bodys_major_is_due_in_90_days_unless_it_says_otherwise():
    assert rules.external_deadline(RAISED, Severity.MAJOR) == RAISED + timedelta(days=90)
    assert rules.external_deadline(RAISED, Severity.MAJOR, days=60) == RAISED + timedelta(days=60)
    assert rules.external_deadline(RAISED, Severity.MINOR) is None
    assert rules.external_deadline(RAISED, Severity.OBSERVATION) is None


def test_the_due_date_follows_the_state():
    deadline = TODAY + timedelta(days=3)
    planned = replace(PLANNED, effectiveness_due=TODAY + timedelta(days=40))
    assert rules.due_date(facts()) is None
    assert rules.due_date(planned) == planned.action_due  # the action, until implemented
    assert rules.due_date(replace(planned, deadline=deadline)) == deadline  # the earlier of the two
    implemented = replace(planned, state=FindingState.IMPLEMENTED)
    assert rules.due_date(implemented) == planned.effectiveness_due  # then the check
    assert rules.due_date(replace(implemented, state=FindingState.VERIFIED)) is None
    assert rules.due_date(replace(implemented, state=FindingState.VERIFIED, deadline=deadline)) == deadline
    assert rules.due_date(replace(implemented, state=FindingState.CLOSED, deadline=deadline)) is None


def test_overdue_starts_the_day_after_the_due_date():
    due_today = replace(PLANNED, action_due=TODAY)
    assert not rules.is_overdue(due_today, TODAY)
    assert rules.is_overdue(due_today, TODAY + timedelta(days=1))
    assert not rules.is_overdue(replace(due_today, state=FindingState.CLOSED), TODAY + timedelta(days=9))
    assert not rules.is_overdue(facts(), TODAY + timedelta(days=999))  # nothing due


# The descriptive fields


def test_a_finding_with_every_field_right_has_no_error():
    values = {
        "source": "external_audit",
        "severity": "major",
        "description": "Scale 3 had no calibration record.",
        "containment": "",
        "clause_number": "7.1.5.1",
        "raised_on": TODAY,
        "deadline": TODAY + timedelta(days=90),
        "action_owner": "",
        "action_due": None,
    }
    assert rules.field_errors(values, TODAY) == {}


@pytest.mark.parametrize(
    ("values", "field", "says"),
    [
        ({"source": "rumour"}, "source", "Choose where"),
        ({"severity": "grave"}, "severity", "Choose major, minor or observation."),
        ({"description": " "}, "description", "Describe the finding"),
        ({"description": "x" * 5001}, "description", "at most 5000"),
        ({"clause_number": "1" * 21}, "clause_number", "at most 20"),
        ({"raised_on": None}, "raised_on", "Give the date"),
        ({"raised_on": TODAY + timedelta(days=1)}, "raised_on", "in the future"),
        ({"raised_on": date(1999, 1, 1)}, "raised_on", "between 2000"),
        (
            {"raised_on": TODAY, "deadline": TODAY - timedelta(days=1)},
            "deadline",
            "before the finding was raised",
        ),
        ({"deadline": date(2200, 1, 1)}, "deadline", "between 2000"),
    ],
)
def test_each_descriptive_field_has_its_rule(values, field, says):
    errors = rules.field_errors(values, TODAY)
    assert list(errors) == [field] and says in errors[field]


def test_an_edit_compares_its_dates_with_the_saved_day_raised():
    early = {"action_due": RAISED - timedelta(days=1)}
    assert "before the finding was raised" in rules.field_errors(early, TODAY, RAISED)["action_due"]
    assert rules.field_errors({"action_due": RAISED}, TODAY, RAISED) == {}


def test_a_closed_finding_keeps_its_severity_deadline_and_action():
    assert rules.editable_fields(FindingState.CLOSED) == ("clause_number", "description", "containment")
    assert "severity" in rules.editable_fields(FindingState.VERIFIED)


def test_the_register_filter_open_means_anything_not_closed():
    assert rules.filter_states("open") == frozenset(FindingState) - {FindingState.CLOSED}
    assert rules.filter_states("new") == {FindingState.OPEN}
    assert rules.filter_states("verified") == {FindingState.VERIFIED}
    assert rules.is_open("implemented") and not rules.is_open(FindingState.CLOSED)


def test_a_findings_label_and_the_figures_total():
    assert rules.label(12, "major", "7.5.6") == "Finding 12 (major, 7.5.6)"
    assert rules.label(3, "observation", None) == "Finding 3 (observation)"
    figures = rules.RegisterFigures({"major": 1, "minor": 2, "observation": 0}, 1, 4, 5)
    assert figures.open_total == 3


# Who may lift a major


@pytest.mark.parametrize(
    ("before", "after", "action"),
    [
        (("major", "verified"), ("major", "closed"), Action.MANAGE_PROJECTS),  # closing a major
        (("major", "implemented"), ("minor", "implemented"), Action.MANAGE_PROJECTS),  # lowering it
        (("major", "open"), ("observation", "open"), Action.MANAGE_PROJECTS),
        (("major", "open"), ("major", "action_planned"), Action.EDIT_CONTENT),  # working on it
        (("major", "action_planned"), ("major", "implemented"), Action.EDIT_CONTENT),
        (("major", "implemented"), ("major", "verified"), Action.EDIT_CONTENT),
        (("minor", "verified"), ("minor", "closed"), Action.EDIT_CONTENT),
        (("observation", "open"), ("observation", "closed"), Action.EDIT_CONTENT),
        (("minor", "open"), ("major", "open"), Action.EDIT_CONTENT),  # raising the severity
        (None, ("major", "open"), Action.EDIT_CONTENT),
        (("major", "closed"), ("major", "closed"), Action.EDIT_CONTENT),  # correcting a closed one's text
    ],
)
def test_lifting_an_open_major_needs_manage_projects(before, after, action):
    assert action_to_change_finding(before, after) is action
