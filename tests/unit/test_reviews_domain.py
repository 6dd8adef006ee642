"""The management review's rules: the inputs and outputs each standard requires, dates, attendees, inputs
written as sentences, decisions and actions, the stage's criteria and the texts written in from the app's
records."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.domain import reviews as rules
from app.domain.pathway import StandardFamily
from app.domain.reviews import (
    ActionState,
    ActionStatus,
    AuditResult,
    ObjectiveStatus,
    PrefillFacts,
    ReviewFacts,
)

ISO_9001, ISO_13485 = StandardFamily.ISO_9001, StandardFamily.ISO_13485
TODAY = date(2025, 6, 30)
SENTENCE = "The team looked at this and wrote down what it showed."


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def every_input(family: StandardFamily) -> dict[str, str]:
    return {item.key: SENTENCE for item in rules.review_inputs(family)}


def every_output(family: StandardFamily) -> dict[str, int]:
    return {item.key: 1 for item in rules.review_outputs(family)}


# What each standard requires


def test_iso_9001_inputs_are_a_b_c1_to_c7_d_e_f():
    refs = [item.ref for item in rules.review_inputs(ISO_9001)]
    assert refs == ["a", "b", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "d", "e", "f"]
    assert len({item.key for item in rules.review_inputs(ISO_9001)}) == 12


def test_iso_13485_inputs_are_a_to_l():
    refs = [item.ref for item in rules.review_inputs(ISO_13485)]
    assert refs == list("abcdefghijkl")
    assert len({item.key for item in rules.review_inputs(ISO_13485)}) == 12


def test_outputs_of_each_standard():
    assert [o.ref for o in rules.review_outputs(ISO_9001)] == ["a", "b", "c"]
    assert [o.key for o in rules.review_outputs(ISO_9001)] == ["improvement", "system_changes", "resources"]
    assert [o.ref for o in rules.review_outputs(ISO_13485)] == ["a", "b", "c", "d"]
    assert rules.CLAUSES[ISO_9001] == ("9.3.2", "9.3.3") and rules.CLAUSES[ISO_13485] == ("5.6.2", "5.6.3")


# Dates, attendees, inputs


def test_dates_in_order_are_accepted():
    assert rules.date_errors(TODAY, days(-365), TODAY, TODAY) == {}


def test_a_review_in_the_future_is_refused():
    assert "future" in rules.date_errors(days(1), days(-30), days(-1), TODAY)["held_on"]


def test_a_period_ending_after_the_review_is_refused():
    errors = rules.date_errors(days(-10), days(-100), days(-5), TODAY)
    assert errors == {"period_end": "The period reviewed cannot end after the review was held."}


def test_a_period_ending_before_it_starts_is_refused():
    assert "before it starts" in rules.date_errors(TODAY, days(-1), days(-2), TODAY)["period_end"]


def test_missing_dates_are_each_asked_for():
    assert set(rules.date_errors(None, None, None, TODAY)) == {"held_on", "period_start", "period_end"}


def test_attendees_one_per_line_at_least_one():
    assert rules.attendee_list(" Mr Minh, director \n\n Ms Lan \n") == ["Mr Minh, director", "Ms Lan"]
    assert "attendees" in rules.record_errors(" \n ", "")
    assert rules.record_errors("Mr Minh, director", "") == {}
    assert "120" in rules.record_errors("x" * 121, "")["attendees"]
    assert "notes" in rules.record_errors("Mr Minh", "n" * (rules.TEXT_MAX_LENGTH + 1))


def test_default_period_follows_the_previous_review_or_looks_back_a_year():
    assert rules.default_period(None, TODAY) == (date(2024, 6, 30), TODAY)
    assert rules.default_period(days(-100), TODAY) == (days(-99), TODAY)
    assert rules.default_period(TODAY, TODAY) == (TODAY, TODAY)  # never a period starting after it ends


def test_an_input_is_empty_or_a_real_sentence():
    assert rules.input_errors(ISO_9001, {"audit_results": "", "resources": SENTENCE}) == {}
    errors = rules.input_errors(ISO_9001, {"audit_results": "x", "resources": "n/a"})
    assert set(errors) == {"audit_results", "resources"} and "placeholder" in errors["audit_results"]


def test_an_input_the_standard_does_not_list_is_refused():
    assert "complaints" in rules.input_errors(ISO_9001, {"complaints": SENTENCE})
    assert rules.input_errors(ISO_13485, {"complaints": SENTENCE}) == {}


# Decisions and actions


def test_an_action_needs_an_owner_and_a_due_date_not_before_the_review():
    errors = rules.output_field_errors(ISO_9001, "improvement", "action", SENTENCE, " ", None, TODAY)
    assert set(errors) == {"owner", "due_date"}
    early = rules.output_field_errors(ISO_9001, "improvement", "action", SENTENCE, "Lan", days(-1), TODAY)
    assert early == {"due_date": "An action cannot be due before the review that decided it."}
    assert rules.output_field_errors(ISO_9001, "improvement", "action", SENTENCE, "Lan", TODAY, TODAY) == {}


def test_a_decision_needs_neither_owner_nor_date_but_a_sentence_and_a_category():
    assert rules.output_field_errors(ISO_9001, "resources", "decision", SENTENCE, "", None, TODAY) == {}
    errors = rules.output_field_errors(ISO_9001, "regulatory_changes", "decision", "ok", "", None, TODAY)
    assert set(errors) == {"category", "text"}  # a 13485 output, and a placeholder


def test_the_kind_and_the_limits_are_checked():
    errors = rules.output_field_errors(ISO_9001, "resources", "wish", SENTENCE, "o" * 121, None, TODAY)
    assert set(errors) == {"kind", "owner"}


@pytest.mark.parametrize(
    ("due", "done_on", "state"),
    [
        (days(-1), None, ActionState.OVERDUE),
        (TODAY, None, ActionState.OPEN),  # due today is not late yet
        (days(5), None, ActionState.OPEN),
        (days(-5), days(-1), ActionState.DONE),
        (None, None, ActionState.OPEN),
    ],
)
def test_action_state(due, done_on, state):
    assert rules.action_state(due, done_on, TODAY) is state


def test_an_action_is_done_between_its_review_and_today():
    held = days(-10)
    assert rules.done_errors(days(-3), held, TODAY) == {}
    assert "future" in rules.done_errors(days(1), held, TODAY)["done_on"]
    assert "before the review" in rules.done_errors(days(-11), held, TODAY)["done_on"]
    assert rules.done_errors(None, held, TODAY) == {"done_on": "Give the day the action was done."}


# The stage's criteria


def criteria(family, reviews, last_report):
    return {c.key.split(".")[1]: c for c in rules.management_review_criteria(family, reviews, last_report)}


def test_no_review_meets_nothing():
    found = criteria(ISO_9001, [], days(-30))
    assert [c.met for c in found.values()] == [False, False, False]
    assert found["held_after_audit"].reason == "No management review is recorded yet."


def test_a_review_held_before_the_last_audit_report_does_not_count():
    review = ReviewFacts(1, days(-40), every_input(ISO_9001), every_output(ISO_9001))
    found = criteria(ISO_9001, [review], days(-30))
    assert (
        not found["held_after_audit"].met
        and "before the last internal audit" in found["held_after_audit"].reason
    )
    assert found["inputs_covered"].met and found["outputs_recorded"].met


def test_no_audit_report_means_the_review_cannot_consider_it():
    review = ReviewFacts(1, TODAY, every_input(ISO_9001), every_output(ISO_9001))
    assert "No internal audit is reported" in criteria(ISO_9001, [review], None)["held_after_audit"].reason


def test_missing_inputs_are_named():
    inputs = every_input(ISO_9001) | {"customer_satisfaction": "", "supplier_performance": ""}
    found = criteria(ISO_9001, [ReviewFacts(1, TODAY, inputs, every_output(ISO_9001))], days(-1))
    assert not found["inputs_covered"].met
    assert found["inputs_covered"].reason == (
        "2 inputs not yet recorded: (c1) customer satisfaction and feedback from interested parties; "
        "(c7) performance of external providers."
    )


def test_a_placeholder_input_is_not_recorded():
    inputs = every_input(ISO_13485) | {"complaints": "x"}
    review = ReviewFacts(1, TODAY, inputs, every_output(ISO_13485))
    assert not criteria(ISO_13485, [review], days(-1))["inputs_covered"].met
    assert [i.key for i in review.missing_inputs(ISO_13485)] == ["complaints"]


def test_an_output_without_a_decision_or_action_is_named():
    outputs = every_output(ISO_9001) | {"resources": 0}
    found = criteria(ISO_9001, [ReviewFacts(1, TODAY, every_input(ISO_9001), outputs)], days(-1))
    assert not found["outputs_recorded"].met and "(c) resource needs" in found["outputs_recorded"].reason


def test_all_met_on_the_latest_review():
    old = ReviewFacts(1, days(-400))
    latest = ReviewFacts(2, days(-1), every_input(ISO_13485), every_output(ISO_13485))
    found = criteria(ISO_13485, [latest, old], days(-2))
    assert all(c.met for c in found.values())
    assert found["inputs_covered"].reason == "All 12 required inputs are recorded."


# What the app writes in from its records


FACTS = PrefillFacts(
    start=days(-365),
    end=TODAY,
    previous_actions=(
        ActionStatus("Train two more internal auditors", "Ms Lan", days(-100), days(-120)),
        ActionStatus("Replace the scale in the warehouse", "Mr Hung", days(-5), None),
    ),
    audits=(AuditResult("Audit of production", days(-60), {"conforming": 8, "minor": 2}),),
    open_findings={"major": 1, "minor": 2, "observation": 0},
    findings_raised=4,
    findings_closed=1,
    findings_overdue=1,
    readiness_percent=Decimal(72),
    coverage_percent=Decimal("55.4"),
    training_percent=Decimal(90),
    budget_planned="12,000.00 USD",
    budget_actual="4,500.00 USD",
    objectives=(ObjectiveStatus("Deliver on time", "at least 95 %", "96.5 %", True),),
)


def test_prefill_for_iso_9001_writes_what_the_app_knows():
    texts = rules.prefill(ISO_9001, FACTS, TODAY)
    assert set(texts) == {
        "previous_actions", "objectives", "process_performance", "nonconformities", "audit_results",
        "resources",
    }  # fmt: skip
    assert texts["previous_actions"].startswith("1 of 2 actions from earlier reviews done, 1 overdue.")
    assert "- Replace the scale in the warehouse (Mr Hung, due " in texts["previous_actions"]
    assert texts["audit_results"] == (
        "1 internal audit reported in the period:\n"
        f"- Audit of production, reported {days(-60).isoformat()}: 8 conforming, 2 minor."
    )
    assert texts["nonconformities"] == (
        "In the period 4 findings raised, 1 closed. Open now: 3 (1 major, 2 minor), of which 1 overdue."
    )
    assert "72 %" in texts["process_performance"] and "55 %" in texts["process_performance"]
    assert "90 %" in texts["resources"] and "4,500.00 USD spent of 12,000.00 USD" in texts["resources"]
    assert texts["objectives"] == "- Deliver on time: latest 96.5 %, target at least 95 % (met)."
    # Everything written in counts as recorded.
    assert all(rules.ReviewFacts(1, TODAY, texts).inputs[key] for key in texts)
    assert not {i.key for i in ReviewFacts(1, TODAY, texts).missing_inputs(ISO_9001)} & set(texts)


def test_prefill_for_iso_13485_puts_the_same_records_under_its_own_inputs():
    texts = rules.prefill(ISO_13485, FACTS, TODAY)
    assert set(texts) == {"previous_actions", "audits", "corrective_action", "process_monitoring"}
    assert texts["audits"] == rules.prefill(ISO_9001, FACTS, TODAY)["audit_results"]
    assert "Deliver on time" in texts["process_monitoring"] and "Budget" in texts["process_monitoring"]


def test_prefill_of_a_first_review_with_no_records():
    texts = rules.prefill(ISO_9001, PrefillFacts(start=days(-365), end=TODAY), TODAY)
    assert "objectives" not in texts  # nothing to say: the user writes it
    assert "first review" in texts["previous_actions"]
    assert texts["audit_results"].startswith("No internal audit was reported between")
    assert "not measured" in texts["process_performance"]
    assert "No budget is planned yet." in texts["resources"]
