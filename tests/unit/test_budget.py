"""Budget roll-ups, forecast, overspend, rounding, S-curve and validation, on hand-worked examples."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.domain import pathway
from app.domain.budget import (
    CATEGORIES,
    DATE_SLACK_AFTER,
    DATE_SLACK_BEFORE,
    STAGES,
    BudgetLine,
    SpendPoint,
    Totals,
    amount_error,
    category_error,
    cumulative_spend,
    date_error,
    forecast_at_completion,
    in_line_order,
    is_overspent,
    minor_unit_for,
    overspent_lines,
    parse_amount,
    percent_spent,
    quantize_money,
    stage_error,
    summarise,
    totals,
    undated,
    validate_line,
)

D = Decimal

# Hand-worked example (figures below are worked out by hand from these five lines).
OVER = BudgetLine(
    "gap_analysis", "consultant", "Gap analysis", D("1000.00"), D("1200.00"), date(2026, 1, 10), 1
)
PARTLY = BudgetLine("gap_analysis", "internal_time", "Staff time", D("500"), D("300"), date(2026, 1, 20), 2)
UNSPENT = BudgetLine("documentation", "consultant", "Templates", D("2000"), None, date(2026, 3, 1), 3)
TEN_PCT = BudgetLine("training", "training", "Course", D("800"), D("880"), date(2026, 3, 1), 4)
AUDIT = BudgetLine("external_audit", "certification_body", "Stage 1+2", D("4800"), None, date(2026, 9, 1), 5)
LINES = [AUDIT, TEN_PCT, UNSPENT, PARTLY, OVER]  # deliberately not in stage or date order


def test_total() -> None:
    # planned 1000+500+2000+800+4800; actual 1200+300+880; 2380/9100 = 26.15...%
    assert totals(LINES) == Totals(D("9100.00"), D("2380.00"), D("-6720.00"), D("26.2"))


def test_by_stage_in_pathway_order() -> None:
    by_stage = summarise(LINES).by_stage
    assert list(by_stage) == ["gap_analysis", "documentation", "training", "external_audit"]
    assert by_stage["gap_analysis"] == Totals(D(1500), D(1500), D(0), D("100.0"))
    assert by_stage["documentation"] == Totals(D(2000), D(0), D(-2000), D("0.0"))
    assert by_stage["training"] == Totals(D(800), D(880), D(80), D("110.0"))
    assert by_stage["external_audit"] == Totals(D(4800), D(0), D(-4800), D("0.0"))


def test_by_category_in_category_order() -> None:
    by_category = summarise(LINES).by_category
    assert list(by_category) == ["certification_body", "consultant", "training", "internal_time"]
    assert by_category["consultant"] == Totals(D(3000), D(1200), D(-1800), D("40.0"))
    assert by_category["internal_time"] == Totals(D(500), D(300), D(-200), D("60.0"))
    assert by_category["certification_body"].percent_spent == D("0.0")


def test_unknown_keys_are_kept_after_known_ones() -> None:
    odd = BudgetLine("zz_stage", "other", "Legacy row", D(10), D(5))
    assert list(summarise([odd, *LINES]).by_stage)[-1] == "zz_stage"


def test_forecast_at_completion() -> None:
    # over: 1200 spent counts; partly: 300 spent of 500 still counts 500; unspent: planned; 880; 4800
    assert forecast_at_completion(LINES) == D("9380.00")
    assert summarise(LINES).forecast == D("9380.00")


def test_forecast_of_nothing_is_zero() -> None:
    assert forecast_at_completion([]) == D(0)
    assert totals([]) == Totals(D(0), D(0), D(0), None)


def test_percent_spent_is_none_when_nothing_planned() -> None:
    assert percent_spent(D(50), D(0)) is None
    assert totals([BudgetLine("training", "other", "Gift", D(0), D(0))]).percent_spent is None


@pytest.mark.parametrize(
    ("actual", "planned", "expected"),
    [
        ("1", "3", "33.3"),
        ("2", "3", "66.7"),
        ("1", "8", "12.5"),
        ("1", "1600", "0.1"),
        ("150", "100", "150.0"),
    ],
)
def test_percent_spent_rounds_half_up_to_one_place(actual: str, planned: str, expected: str) -> None:
    assert percent_spent(D(actual), D(planned)) == D(expected)


@pytest.mark.parametrize(
    ("actual", "flagged"),
    [(None, False), ("100", False), ("110.00", False), ("110.004", False), ("110.01", True), ("500", True)],
)
def test_overspend_threshold_edges(actual: str | None, flagged: bool) -> None:
    line = BudgetLine("training", "training", "Course", D("100.00"), None if actual is None else D(actual))
    assert is_overspent(line) is flagged


def test_overspend_custom_threshold_and_zero_plan() -> None:
    line = BudgetLine("training", "training", "Course", D(100), D("100.01"))
    assert is_overspent(line, threshold=D(0))
    assert not is_overspent(line, threshold=D("0.05"))
    assert is_overspent(BudgetLine("training", "other", "Unplanned", D(0), D("0.01")))
    assert not is_overspent(BudgetLine("training", "other", "Unplanned", D(0), D(0)))
    with pytest.raises(ValueError, match="negative"):
        is_overspent(line, threshold=D("-0.1"))


def test_overspent_lines_flags_only_more_than_ten_percent() -> None:
    assert overspent_lines(LINES) == [OVER]


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        ("0.025", "0.03"),
        ("2.675", "2.68"),
        ("-0.005", "-0.01"),
        ("7", "7.00"),
    ],
)
def test_money_rounds_half_up_to_the_cent(amount: str, expected: str) -> None:
    result = quantize_money(D(amount))
    assert result == D(expected)
    assert result.as_tuple().exponent == -2


def test_money_rounds_to_the_currency_minor_unit() -> None:
    assert quantize_money(D("1234.5"), minor_unit_for("krw")) == D(1235)
    assert quantize_money(D("0.0005"), minor_unit_for("KWD")) == D("0.001")
    assert minor_unit_for("EUR") == D("0.01")
    assert minor_unit_for("VND") == D(1)


def test_each_amount_is_rounded_before_summing() -> None:
    lines = [BudgetLine("training", "other", "a", D("0.005"), D("0.005"))] * 2
    result = totals(lines)
    assert (result.planned, result.actual) == (D("0.02"), D("0.02"))
    assert forecast_at_completion(lines) == D("0.02")


def test_amounts_stay_decimal() -> None:
    result = totals(LINES)
    assert all(isinstance(value, Decimal) for value in (result.planned, result.actual, result.variance))


def test_s_curve() -> None:
    assert cumulative_spend(LINES) == [
        SpendPoint(date(2026, 1, 10), D(1000), D(1200)),
        SpendPoint(date(2026, 1, 20), D(1500), D(1500)),
        SpendPoint(date(2026, 3, 1), D(4300), D(2380)),
        SpendPoint(date(2026, 9, 1), D(9100), None),  # after the last actual: the actual line stops
    ]


def test_s_curve_skips_undated_lines_and_handles_no_actuals() -> None:
    undated = BudgetLine("training", "other", "No date", D(99), D(99))
    planned_only = BudgetLine("training", "other", "Later", D(10), None, date(2026, 5, 1))
    assert cumulative_spend([undated, planned_only]) == [SpendPoint(date(2026, 5, 1), D(10), None)]
    assert cumulative_spend([]) == []


def test_parse_amount() -> None:
    assert parse_amount(" 1200.50 ") == D("1200.50")
    for text in ("12,5x", "", "inf", "NaN"):
        with pytest.raises(ValueError, match="not a number"):
            parse_amount(text)


def test_amount_errors() -> None:
    assert amount_error(D("0")) is None
    assert amount_error(D("-1"), "Planned amount") == "Planned amount cannot be negative (got -1)."
    assert amount_error(None) == "Amount is required."
    assert amount_error(None, required=False) is None
    assert amount_error(D("NaN")) == "Amount must be a number."


def test_category_and_stage_errors() -> None:
    assert category_error("travel") is None
    assert stage_error("internal_audit") is None
    assert "Unknown category 'bribes'" in (category_error("bribes") or "")
    assert "Unknown stage 'launch'" in (stage_error("launch") or "")


def test_stage_keys_match_the_pathway() -> None:
    assert list(STAGES) == [stage.value for stage in pathway.Stage]
    assert len(CATEGORIES) == 8


START, END = date(2026, 1, 1), date(2026, 12, 31)
DAY = timedelta(days=1)


def test_date_window_edges() -> None:
    assert date_error(START - DATE_SLACK_BEFORE, START, END) is None
    assert "before the project starts" in (date_error(START - DATE_SLACK_BEFORE - DAY, START, END) or "")
    assert date_error(END + DATE_SLACK_AFTER, START, END) is None
    assert "check the year" in (date_error(END + DATE_SLACK_AFTER + DAY, START, END) or "")
    assert "after the project's target date" in (date_error(date(2031, 6, 1), START, END) or "")
    assert date_error(date(1999, 1, 1), None, None) is None
    assert date_error(None, START, END) is None


def test_validate_line_reports_each_bad_field() -> None:
    bad = BudgetLine("launch", "bribes", "x", D(-5), D("-1"), date(2040, 1, 1))
    assert set(validate_line(bad, START, END)) == {"stage", "category", "planned", "actual", "date"}
    assert validate_line(OVER, START, END) == {}


# Issue 16: line order, undated lines left off the S-curve, a variance before anything is spent


def test_lines_are_ordered_by_stage_then_undated_then_date():
    """The undated stage 1 and 2 audits come before the dated surveillance audits of the same stage, and an
    undated line of an earlier stage before any dated line of a later one."""
    surveillance = BudgetLine("external_audit", "certification_body", "Surveillance 1", D(1), None,
                              date(2027, 9, 1), 1)  # fmt: skip
    stage1 = BudgetLine("external_audit", "certification_body", "Stage 1", D(1), None, None, 2)
    stage2 = BudgetLine("external_audit", "certification_body", "Stage 2", D(1), None, None, 3)
    review = BudgetLine("management_review", "internal_time", "Review", D(1), None, date(2026, 1, 1), 4)
    course = BudgetLine("training", "training", "Course", D(1), None, None, 5)
    odd = BudgetLine("unknown", "other", "Odd", D(1), None, date(2020, 1, 1), 6)
    ordered = in_line_order([odd, surveillance, stage2, review, stage1, course, AUDIT, UNSPENT])
    assert [line.description for line in ordered] == [
        "Templates", "Course", "Review", "Stage 1", "Stage 2", "Stage 1+2", "Surveillance 1", "Odd",
    ]  # fmt: skip


def test_undated_counts_the_lines_the_s_curve_leaves_out():
    lines = [
        BudgetLine("external_audit", "certification_body", "Stage 1", D("2000.505"), None, None),
        BudgetLine("external_audit", "certification_body", "Stage 2", D("2674.49"), None, None),
        OVER,
    ]
    assert undated(lines) == undated(reversed(lines))
    left_out = undated(lines)
    assert (left_out.count, left_out.planned) == (2, D("4675.00"))  # 2000.51 + 2674.49
    assert undated(LINES).count == 0 and undated(LINES).planned == 0


def test_nothing_spent_yet_is_told_apart_from_an_underspend():
    assert totals([UNSPENT, AUDIT]).nothing_spent  # variance -6,800 is only the budget still to spend
    assert not totals(LINES).nothing_spent
    assert not totals([]).nothing_spent  # nothing planned either: nothing to say
