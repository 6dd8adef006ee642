"""The budget estimator: CB lines from the audit-day tables, consultant, training and internal-time lines."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from app.domain.budget import STAGES, BudgetLine, validate_line
from app.domain.cost_sources import SOURCES_BY_KEY
from app.domain.estimator import Estimate, EstimateInputs, ProposedLine, estimate_budget, plural

D = Decimal


BASE = EstimateInputs(
    employees=30,
    standard="iso9001",
    cb_day_rate=D(1200),
    consultant_day_rate=D(800),
    consultant_model="light",
    staff_hourly_cost=D(25),
)


def _estimate(**changes: Any) -> Estimate:
    return estimate_budget(replace(BASE, **changes))


def _line(estimate: Estimate, description_start: str) -> ProposedLine:
    matches = [line for line in estimate.lines if line.description.startswith(description_start)]
    assert len(matches) == 1, [line.description for line in estimate.lines]
    return matches[0]


def test_cb_lines_for_the_worked_example() -> None:
    estimate = _estimate()
    stage1 = _line(estimate, "Certification body: initial audit, stage 1")
    assert stage1.planned == D("1800.00")  # 1.5 days x 1,200
    assert stage1.basis.startswith("Audit days for 30 staff: 4 (IAF MD 5, table QMS 1)")
    assert "1.5 days \u00d7 1,200.00 a day" in stage1.basis
    assert stage1.sources == ("iaf-md5", "audit-cycle")
    assert _line(estimate, "Certification body: initial audit, stage 2").planned == D("3000.00")
    for year in (1, 2):
        surveillance = _line(estimate, f"Certification body: surveillance audit, year {year}")
        assert (surveillance.planned, surveillance.cycle_year) == (D("1800.00"), year)
        assert surveillance.basis == (
            "Audit days for 30 staff: 4 (IAF MD 5, table QMS 1); surveillance a third of that, "
            "rounded to the half day: 1.5 days \u00d7 1,200.00 a day"
        )
    recert = _line(estimate, "Certification body: recertification")
    assert (recert.planned, recert.cycle_year, recert.future_cycle) == (D("3000.00"), 3, True)
    assert _line(estimate, "Contingency").planned == D("600.00")  # 0.5 day
    assert all(
        line.stage == "external_audit" for line in estimate.lines if line.category == "certification_body"
    )


def test_iso13485_uses_md9() -> None:
    estimate = _estimate(standard="iso13485")
    assert estimate.audit.days == D(6)
    assert _line(estimate, "Certification body: initial audit, stage 1").planned == D("2400.00")  # 2 days
    assert _line(estimate, "Certification body: initial audit, stage 2").planned == D("4800.00")  # 4 days
    stage1 = _line(estimate, "Certification body: initial audit, stage 1")
    assert "Audit days for 30 staff: 6 (IAF MD 9)" in stage1.basis
    assert stage1.sources == ("iaf-md9", "audit-cycle")
    assert any("13485" in note for note in estimate.notes)


@pytest.mark.parametrize(
    ("model", "gap", "implementation"),
    [("light", "1600.00", "6000.00"), ("full", "2400.00", "18000.00")],  # 2 / 7.5 and 3 / 22.5 days x 800
)
def test_consultant_days_by_model(model: str, gap: str, implementation: str) -> None:
    estimate = _estimate(consultant_model=model)
    assert _line(estimate, "Consultant: gap analysis").planned == D(gap)
    assert _line(estimate, "Consultant: gap analysis").stage == "gap_analysis"
    assert _line(estimate, "Consultant: implementation").planned == D(implementation)
    assert "days \u00d7 800.00 a day" in _line(estimate, "Consultant: implementation").basis
    assert _line(estimate, "Consultant: implementation").sources == ("consultant-days",)


def test_no_consultant_means_no_consultant_lines() -> None:
    estimate = _estimate(consultant_model="none")
    assert not [line for line in estimate.lines if line.category == "consultant"]
    assert any("No consultant" in note for note in estimate.notes)


def test_internal_time_lines_are_marked_assumption() -> None:
    estimate = _estimate()
    internal = [line for line in estimate.lines if line.category == "internal_time"]
    assert len(internal) == 6
    assert all(line.assumption and line.basis.startswith("Assumption: ") for line in internal)
    assert not any(line.assumption for line in estimate.lines if line.category != "internal_time")
    assert _line(estimate, "Awareness training").planned == D("2250.00")  # 30 staff x 3 h x 25
    assert _line(estimate, "QMS lead time").planned == D("13000.00")  # 2080 h x 40% x 7.5/12 = 520 h x 25
    assert _line(estimate, "Process owners").planned == D("2775.00")  # 3 owners x 37 h x 25
    assert _line(estimate, "Internal auditors' training").planned == D("1000.00")  # 2 x 2.5 d x 8 h x 25
    assert _line(estimate, "Internal audit cycle").planned == D("500.00")  # round_half(30/12.5)=2.5 d x 8 h
    assert _line(estimate, "Management review").planned == D("150.00")  # 0.75 d x 8 h x 25


def test_internal_auditor_course_fee() -> None:
    assert _line(_estimate(), "Internal-auditor course").planned == D("0.00")
    assert "enter a local quote" in _line(_estimate(), "Internal-auditor course").basis
    with_fee = _line(_estimate(auditor_course_fee=D(400)), "Internal-auditor course")
    assert (with_fee.planned, with_fee.category, with_fee.stage) == (D("800.00"), "training", "training")


def test_totals_leave_recertification_to_the_next_cycle() -> None:
    estimate = _estimate()
    recert = _line(estimate, "Certification body: recertification")
    assert estimate.total - estimate.first_cycle_total == recert.planned
    # consultant 7600 + internal 19675 + course 0 + CB 1800+3000+600+1800+1800
    assert estimate.first_cycle_total == D("36275.00")


def test_every_line_is_a_valid_budget_line_in_pathway_order() -> None:
    estimate = _estimate(consultant_model="full", auditor_course_fee=D("350.50"))
    order = list(STAGES)
    positions = [order.index(line.stage) for line in estimate.lines]
    assert positions == sorted(positions)
    for line in estimate.lines:
        assert line.basis
        assert line.planned.as_tuple().exponent == -2
        assert validate_line(line.to_budget_line(date(2026, 6, 1))) == {}


def test_to_budget_line() -> None:
    line = _line(_estimate(), "Consultant: gap analysis")
    assert line.to_budget_line(date(2026, 2, 1)) == BudgetLine(
        "gap_analysis", "consultant", "Consultant: gap analysis", D("1600.00"), None, date(2026, 2, 1)
    )


def test_zero_decimal_currency() -> None:
    estimate = _estimate(cb_day_rate=D(1300000), consultant_day_rate=D("800000.25"), minor_unit=D(1))
    stage1 = _line(estimate, "Certification body: initial audit, stage 1")
    assert stage1.planned == D(1950000)
    assert "1,300,000 a day" in stage1.basis
    assert _line(estimate, "Consultant: gap analysis").planned == D(
        1600001
    )  # 2 x 800000.25 = 1600000.5, half up


def test_beyond_the_table_says_so() -> None:
    estimate = _estimate(employees=12000)
    assert estimate.audit.days == D(23)
    basis = _line(estimate, "Certification body: initial audit, stage 1").basis
    assert (
        "Audit days for 12000 staff: 23 (beyond the IAF MD 5 table: one day more per band, see the notes)"
        in basis
    )
    assert any("extrapolation" in note for note in estimate.notes)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"employees": 0}, "at least 1"),
        ({"standard": "iso27001"}, "Unknown standard"),
        ({"consultant_model": "heavy"}, "Unknown consultant model"),
        ({"cb_day_rate": D(-1)}, "CB day rate"),
        ({"staff_hourly_cost": D("NaN")}, "Staff hourly cost"),
        ({"auditor_course_fee": D(-5)}, "Auditor course fee"),
    ],
)
def test_unusable_inputs_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _estimate(**changes)


@pytest.mark.parametrize(
    ("employees", "standard", "model"),
    [
        (1, "iso9001", "light"),
        (30, "iso9001", "full"),
        (500, "iso13485", "light"),
        (12000, "iso9001", "none"),
    ],
)
def test_every_basis_is_plain_words_with_a_source_on_the_sources_page(
    employees: int, standard: str, model: str
) -> None:
    estimate = _estimate(employees=employees, standard=standard, consultant_model=model)
    for line in estimate.lines:
        for jargon in ("costs.md", "round_half", "(s)", "ASSUMPTION", "CB "):
            assert jargon not in line.basis, (jargon, line.basis)
        assert line.sources and all(key in SOURCES_BY_KEY for key in line.sources), line
    for note in estimate.notes:
        assert "costs.md" not in note and "round_half" not in note
    assert SOURCES_BY_KEY[estimate.audit.source_key]


@pytest.mark.parametrize(
    ("count", "noun", "many", "expected"),
    [
        (1, "owner", None, "1 owner"),
        (5, "owner", None, "5 owners"),
        (D("1.5"), "day", None, "1.5 days"),
        (D("0.5"), "day", None, "0.5 days"),
        (2, "person", "people", "2 people"),
        (1, "person", "people", "1 person"),
    ],
)
def test_plural(count: Any, noun: str, many: str | None, expected: str) -> None:
    assert plural(count, noun, many) == expected


def test_one_process_owner_is_singular() -> None:
    assert "1 process owner (one per 10 staff)" in _line(_estimate(employees=8), "Process owners").basis
    assert "3 process owners (one per 10 staff)" in _line(_estimate(), "Process owners").basis
