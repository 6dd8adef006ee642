"""The rules of the approved-supplier list (app.domain.suppliers), without an app: the status from the latest
evaluation, the re-evaluation's due date and when it is overdue (and the day the SQL filter compares with),
names folded for case and accents, and what a supplier or an evaluation may not be, ISO 13485's controls
proportionate to risk among it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from app.domain import suppliers as rules
from app.domain.pathway import StandardFamily

NINE, MED = StandardFamily.ISO_9001, StandardFamily.ISO_13485
TODAY = date(2026, 11, 20)
CONTROLS = "Incoming inspection of every lot, a quality agreement and a yearly audit on site."
NOTES = "Both lots received this quarter met the specification and arrived on time."


def test_the_status_is_the_latest_evaluations_outcome_by_date_then_by_record():
    E = rules.Evaluation
    assert rules.status_of([]) == (rules.SupplierStatus.NOT_EVALUATED, None)
    history = [E(1, date(2026, 3, 1), "approved"), E(2, date(2025, 3, 1), "blocked")]
    assert rules.status_of(history) == (rules.SupplierStatus.APPROVED, date(2026, 3, 1))
    same_day = [E(5, date(2026, 3, 1), "conditional"), E(4, date(2026, 3, 1), "approved")]
    assert rules.status_of(same_day) == (rules.SupplierStatus.CONDITIONAL, date(2026, 3, 1))


def test_the_re_evaluation_is_due_calendar_months_later_and_late_the_day_after():
    assert rules.reevaluation_due(None, 12) is None
    assert rules.reevaluation_due(date(2026, 1, 31), 1) == date(2026, 2, 28)  # clipped at the month's end
    assert rules.reevaluation_due(date(2025, 11, 20), 12) == TODAY
    approved = rules.SupplierStatus.APPROVED
    assert not rules.is_overdue(approved, date(2025, 11, 20), 12, TODAY)  # the due day is not late
    assert rules.is_overdue(approved, date(2025, 11, 19), 12, TODAY)
    assert rules.is_overdue(rules.SupplierStatus.CONDITIONAL, date(2026, 5, 1), 6, TODAY)
    # Not evaluated is its own concern; a blocked supplier is not used, so not re-evaluated.
    assert not rules.is_overdue(rules.SupplierStatus.BLOCKED, date(2020, 1, 1), 12, TODAY)
    assert not rules.is_overdue(rules.SupplierStatus.NOT_EVALUATED, None, 12, TODAY)
    assert rules.next_due(rules.SupplierStatus.BLOCKED, date(2020, 1, 1), 12) is None
    assert rules.next_due(rules.SupplierStatus.CONDITIONAL, date(2026, 1, 31), 1) == date(2026, 2, 28)


@pytest.mark.parametrize("months", [1, 2, 6, 12, 13, 36])
def test_the_day_the_sql_filter_compares_with_agrees_with_the_rule(months):
    """Every evaluation date over three years against every "today" around month ends and a leap day."""
    todays = [date(2028, 2, 28), date(2028, 2, 29), date(2028, 3, 1), date(2027, 3, 31), date(2026, 12, 31)]
    for today in todays:
        threshold = rules.overdue_before(today, months)
        for back in range(0, 1200, 1):
            evaluated = today - timedelta(days=back)
            expected = rules.is_overdue("approved", evaluated, months, today)
            assert (evaluated < threshold) == expected, (today, months, evaluated)


def test_names_are_compared_without_case_accents_or_spacing():
    assert rules.fold_name("Công ty  Nhựa Đông Á") == rules.fold_name("cong ty nhua dong a")
    assert rules.fold_name(" Thai Cork ") == "thai cork"
    assert rules.fold_name("Straße") == "strasse"
    assert rules.fold_name("Nhựa A") != rules.fold_name("Nhựa B")


def supplier(family: StandardFamily = NINE, **fields: Any) -> dict[str, str]:
    values = {
        "name": "Thai Cork Ltd.",
        "supplies": "Natural cork bark",
        "criteria": "",
        "risk_class": "medium",
        "controls": "",
        "months": 12,
        "contact": "",
    } | fields
    return rules.supplier_errors(family=family, **values)


def test_a_supplier_as_a_small_factory_writes_it_is_accepted():
    assert supplier() == {}
    assert supplier(risk_class="") == {}  # ISO 9001 does not ask for a class
    assert supplier(MED, risk_class="high", controls=CONTROLS, months=12) == {}
    assert supplier(MED, risk_class="low", months=36) == {}


@pytest.mark.parametrize(
    ("family", "fields", "field", "words"),
    [
        (NINE, {"name": "  "}, "name", "Give the supplier's name."),
        (NINE, {"name": "n" * 161}, "name", "at most 160"),
        (NINE, {"supplies": ""}, "supplies", "Say what it supplies"),
        (NINE, {"risk_class": "extreme"}, "risk_class", "low, medium or high"),
        (NINE, {"months": 0}, "reevaluate_months", "from 1 to 36"),
        (NINE, {"months": 37}, "reevaluate_months", "from 1 to 36"),
        (NINE, {"months": None}, "reevaluate_months", "whole months"),
        (NINE, {"contact": "c" * 161}, "contact", "at most 160"),
        (MED, {"risk_class": ""}, "risk_class", "ISO 13485 (7.4.1)"),
        (MED, {"risk_class": "high", "controls": "audit"}, "controls", "as a sentence"),
        (MED, {"risk_class": "high", "controls": CONTROLS, "months": 24}, "reevaluate_months", "every 12"),
    ],
)
def test_a_supplier_that_breaks_a_rule_is_refused_naming_it(family, fields, field, words):
    errors = supplier(family, **fields)
    assert list(errors) == [field] and words in errors[field]


def test_iso_9001_does_not_apply_the_medical_device_controls():
    assert supplier(NINE, risk_class="high", controls="", months=36) == {}


def evaluation(**fields: Any) -> dict[str, str]:
    values = {
        "evaluated_on": TODAY,
        "evaluated_by": "Ms Lan",
        "outcome": "approved",
        "score": None,
        "score_typed": "",
        "notes": NOTES,
        "today": TODAY,
    } | fields
    return rules.evaluation_errors(**values)


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        (
            {"evaluated_on": TODAY + timedelta(days=1)},
            "evaluated_on",
            "A supplier cannot be evaluated in the future.",
        ),
        ({"evaluated_on": None}, "evaluated_on", "Give the date"),
        ({"evaluated_by": ""}, "evaluated_by", "Name who evaluated"),
        ({"outcome": "maybe"}, "outcome", "Choose the outcome"),
        ({"score": 101, "score_typed": "101"}, "score", "from 0 to 100"),
        ({"score": None, "score_typed": "-3"}, "score", "from 0 to 100"),
        ({"notes": "ok"}, "notes", "real sentence"),
        ({"notes": ""}, "notes", "Write what the evaluation found."),
    ],
)
def test_an_evaluation_that_breaks_a_rule_is_refused_naming_it(fields, field, words):
    errors = evaluation(**fields)
    assert list(errors) == [field] and words in errors[field]


def test_an_evaluation_of_today_with_or_without_a_score_is_accepted():
    assert evaluation() == {}
    assert evaluation(score=0, score_typed="0", outcome="blocked") == {}
    assert evaluation(score=100, score_typed=" 100 ", outcome="conditional") == {}


def test_typed_numbers_and_the_history_line():
    assert [rules.parse_whole(t) for t in ("12", " 7 ", "1.5", "-1", "", "١٢", "9999999")] == [
        12,
        7,
        None,
        None,
        None,
        None,
        None,
    ]
    line = rules.evaluation_summary(date(2026, 11, 3), "Vinacontrol", "conditional", 72)
    assert line == "Evaluated on 3 Nov 2026 by Vinacontrol: approved with conditions, scored 72 %."
    assert rules.evaluation_summary(date(2026, 1, 9), "Ms Lan", "approved", None).endswith(
        "Ms Lan: approved."
    )
