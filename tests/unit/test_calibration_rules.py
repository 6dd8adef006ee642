"""The rules of measuring equipment (app.domain.calibration), with plain values: an instrument's statuses,
a calibration's default next due date and refusals, the assessment of an out-of-tolerance calibration, and
the register's concerns with their next steps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.domain import calibration as rules
from app.domain.calibration import InstrumentFacts, Status
from app.domain.pathway import StandardFamily

TODAY = date(2026, 3, 15)
SENTENCE = "Lots 2411 to 2418 were measured with it; re-measured, all within tolerance."
ACTION = "The eight lots were re-inspected with another caliper and released."


def facts(due_in: int | None, out_of_service: bool = False, unassessed: bool = False) -> InstrumentFacts:
    due = None if due_in is None else TODAY + timedelta(days=due_in)
    return InstrumentFacts(out_of_service, due, unassessed)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (facts(None), (Status.NOT_CALIBRATED,)),
        (facts(-1), (Status.OVERDUE,)),
        (facts(0), (Status.DUE,)),  # due today is not late yet
        (facts(30), (Status.DUE,)),
        (facts(31), (Status.IN_USE,)),
        (facts(-400, out_of_service=True), (Status.OUT_OF_SERVICE,)),
        (facts(200, unassessed=True), (Status.UNASSESSED,)),
        (facts(-5, unassessed=True), (Status.OVERDUE, Status.UNASSESSED)),
        (facts(10, out_of_service=True, unassessed=True), (Status.UNASSESSED, Status.OUT_OF_SERVICE)),
    ],
)
def test_an_instruments_statuses_most_urgent_first(given, expected):
    assert rules.statuses(given, TODAY) == expected
    assert rules.status(given, TODAY) is expected[0]


def test_every_status_and_result_has_a_label():
    assert set(rules.STATUS_LABELS) == set(Status)
    assert rules.STATUS_LABELS[Status.UNASSESSED] == "Out of tolerance — earlier results not assessed"
    assert set(rules.RESULT_LABELS) == set(rules.Result)


def test_the_default_next_due_is_one_interval_of_calendar_months_on():
    assert rules.default_next_due(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert rules.default_next_due(date(2026, 3, 15), 12) == date(2027, 3, 15)


@pytest.mark.parametrize(
    ("text", "months", "error"),
    [("12", 12, False), (" 6 ", 6, False), ("0", 0, True), ("121", 121, True), ("twelve", None, True),
     ("1.5", None, True), ("-3", None, True), ("99999", None, True), ("\uff11\uff12", None, True)],
)  # fmt: skip
def test_the_interval_is_whole_months_from_1_to_120(text, months, error):
    assert rules.parse_months(text) == months
    assert (rules.interval_error(months) == rules.INTERVAL_RULE) is error


def test_an_instrument_needs_a_code_a_description_and_an_interval():
    assert rules.instrument_errors("CAL-01", "Caliper", 12) == {}
    assert set(rules.instrument_errors(" ", "", None)) == {"code", "description", "interval_months"}
    assert rules.limit_errors(code="C" * 41, notes="n" * 10_001) == {
        "code": "Use at most 40 characters.",
        "notes": "Use at most 10,000 characters.",
    }


@pytest.mark.parametrize(
    ("calibrated_on", "next_due", "result", "by", "field", "message"),
    [
        (TODAY + timedelta(days=1), None, "pass", "Lab", "calibrated_on", "the date is in the future"),
        (None, None, "pass", "Lab", "calibrated_on", "Give the date of the calibration."),
        (date(1900, 1, 1), None, "pass", "Lab", "calibrated_on", "before 1950"),
        (TODAY, TODAY, "pass", "Lab", "next_due", "The next calibration must come after this one."),
        (TODAY, TODAY - timedelta(days=3), "pass", "Lab", "next_due", "must come after this one"),
        (TODAY, date(2037, 1, 1), "pass", "Lab", "next_due", "within 120 months"),
        (TODAY, None, "ok", "Lab", "result", "pass, adjusted, or out of tolerance"),
        (TODAY, None, "pass", " ", "performed_by", "Name who calibrated it"),
    ],
)
def test_a_calibration_that_breaks_a_rule_is_refused(calibrated_on, next_due, result, by, field, message):
    errors = rules.calibration_errors(calibrated_on, next_due, result, by, TODAY)
    assert list(errors) == [field] and message in errors[field]


def test_a_calibration_today_due_in_a_year_passes():
    assert rules.calibration_errors(TODAY, TODAY + timedelta(days=365), "adjusted", "QUATEST 3", TODAY) == {}
    assert rules.calibration_errors(TODAY, None, "out_of_tolerance", "QUATEST 3", TODAY) == {}


def test_only_an_out_of_tolerance_calibration_not_assessed_needs_the_assessment():
    assert rules.needs_assessment("out_of_tolerance", None)
    assert not rules.needs_assessment("out_of_tolerance", TODAY)
    assert not rules.needs_assessment("pass", None) and not rules.needs_assessment("adjusted", None)


@pytest.mark.parametrize(
    ("assessed_on", "assessment", "action", "field", "message"),
    [
        (TODAY - timedelta(days=11), SENTENCE, ACTION, "assessed_on", "comes after the calibration"),
        (TODAY + timedelta(days=1), SENTENCE, ACTION, "assessed_on", "the date is in the future"),
        (None, SENTENCE, ACTION, "assessed_on", "Give the date of the assessment."),
        (TODAY, "n/a", ACTION, "assessment", "as a real sentence"),
        (TODAY, "", ACTION, "assessment", "Write which products or lots"),
        (TODAY, SENTENCE, "done", "assessment_action", "as a real sentence"),
    ],
)
def test_an_assessment_that_breaks_a_rule_is_refused(assessed_on, assessment, action, field, message):
    calibrated_on = TODAY - timedelta(days=10)
    errors = rules.assessment_errors(calibrated_on, assessed_on, assessment, action, TODAY)
    assert list(errors) == [field] and message in errors[field]
    assert rules.assessment_errors(calibrated_on, calibrated_on, SENTENCE, ACTION, TODAY) == {}


def test_the_concerns_in_order_with_their_next_steps_and_filters():
    counts = {Status.UNASSESSED: 1, Status.OVERDUE: 2, Status.NOT_CALIBRATED: 3, Status.DUE: 4}
    found = rules.concerns(counts, StandardFamily.ISO_9001)
    assert [(c.count, c.label, c.urgent) for c in found] == [
        (1, "out of tolerance, earlier results not assessed", True),
        (2, "overdue", True),
        (3, "not calibrated", True),
        (4, "due within 30 days", False),
        (0, "out of service", False),
    ]
    assert (
        found[0].action
        == "Assess the results measured with the instrument found out of calibration (7.1.5.2)"
    )
    assert found[1].action == "Calibrate the 2 overdue instruments (7.1.5.1)"
    assert (
        found[2].action.startswith("Calibrate the 3 instruments not calibrated yet")
        and "(7.1.5.1)" in found[2].action
    )
    assert [c.query for c in found] == [
        (("status", s),) for s in ("unassessed", "overdue", "not_calibrated", "due", "out_of_service")
    ]
    assert [c.action for c in found[3:]] == ["", ""]


def test_iso_13485_names_7_6_for_both_steps():
    found = rules.concerns({Status.UNASSESSED: 2, Status.OVERDUE: 1}, StandardFamily.ISO_13485)
    assert (
        found[0].action == "Assess the results measured with the 2 instruments found out of calibration (7.6)"
    )
    assert found[1].action == "Calibrate the overdue instrument (7.6)"


def test_a_calibration_reads_as_one_line_of_history():
    line = rules.calibration_summary(date(2026, 11, 3), "Vinacontrol", "out_of_tolerance")
    assert line == "Calibrated on 3 Nov 2026 by Vinacontrol: out of tolerance."
