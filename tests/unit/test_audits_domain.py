"""The internal audit programme's rules (app/domain/audits.py) with plain values: scope, departments,
independence, dates, the checklist and its report, the steps of an audit, coverage of the cycle and the
Internal audit stage's criteria."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta

from app.domain import audits as rules
from app.domain.audits import AuditFacts, Auditor, AuditStatus, LineResult, Transition

TODAY = date.today()
REASON = "Only two people work in quality and production, so nobody else can audit it."


def auditor(name: str = "Lan", department: str = "Quality", qualified: bool = True, pid: int = 1) -> Auditor:
    return Auditor(pid, name, department, qualified)


def audit(
    scope: tuple[str, ...] = ("4", "5", "6", "7", "8"),
    status: AuditStatus = AuditStatus.REPORTED,
    reported: date | None = TODAY - timedelta(days=10),
    auditors: tuple[Auditor, ...] = (auditor(),),
    departments: tuple[str, ...] = ("Production",),
    reason: str = "",
    pid: int = 1,
) -> AuditFacts:
    return AuditFacts(
        id=pid,
        title=f"Audit {pid}",
        status=status,
        planned_start=TODAY - timedelta(days=20),
        scope=scope,
        auditors=auditors,
        departments=departments,
        independence_reason=reason,
        reported_on=reported,
    )


# Scope, sections and departments


def test_a_section_covers_every_clause_under_it_and_a_clause_only_itself_and_below():
    assert rules.in_scope("8.5.2", ["8"]) and rules.in_scope("8.5", ["8.5"])
    assert not rules.in_scope("8.5", ["8.5.1"])
    assert not rules.in_scope("10.1", ["1"])  # "1" is not a prefix of "10"
    assert rules.sections_of(["8.5.2", "7", "10.2"]) == {"8", "7", "10"}


def test_departments_are_read_from_commas_semicolons_and_lines_once_each():
    assert rules.departments_of("Production, Warehouse; QC\n production \n\n") == (
        "Production",
        "Warehouse",
        "QC",
    )
    assert rules.departments_of("  ") == ()


def test_scope_errors_name_the_clauses_the_standard_does_not_have():
    known = ["4", "4.1", "8", "8.5"]
    assert rules.scope_errors(["4", "8.5"], known, "ISO 9001") == {}
    assert rules.scope_errors([], known, "ISO 9001") == {
        "scope": "Choose the clauses (or whole sections) the audit covers."
    }
    assert rules.scope_errors(["4", "99", "8.9"], known, "ISO 9001") == {
        "scope": "ISO 9001 has no clause 99, 8.9."
    }


def test_a_scope_clause_with_no_requirement_under_it_is_refused():
    requirements = ["4.1", "4.2", "8.5.1"]
    assert rules.empty_scope_errors(["4", "8.5"], requirements, "ISO 9001") == {}
    error = rules.empty_scope_errors(["1", "4"], requirements, "ISO 9001")["scope"]
    assert error.startswith("ISO 9001 sets no requirement to audit under 1:")


def test_date_errors():
    assert rules.date_errors(TODAY, TODAY) == {}
    assert set(rules.date_errors(None, None)) == {"planned_start", "planned_end"}
    assert rules.date_errors(TODAY, TODAY - timedelta(days=1)) == {
        "planned_end": "The audit cannot end before it starts."
    }


# Independence


def test_an_auditor_of_another_department_is_independent():
    assert rules.independence_errors([auditor(department="Quality")], ["Production"], 200, "") == {}
    assert rules.independence_conflicts([auditor(department="")], ["Production"]) == []


def test_auditing_ones_own_department_is_refused_at_a_site_of_more_than_fifteen():
    team = [auditor("Lan", "Quality"), auditor("Minh", " production ", pid=2)]
    errors = rules.independence_errors(team, ["Production", "Warehouse"], 16, REASON)
    assert list(errors) == ["team"]
    assert "Minh works in  production " in errors["team"] and "Lan" not in errors["team"]
    assert rules.independence_conflicts(team, ["PRODUCTION"]) == [team[1]]


def test_at_a_small_site_it_is_allowed_with_the_reason_recorded_as_a_sentence():
    team = [auditor("Minh", "Production")]
    assert rules.is_small_site(15) and not rules.is_small_site(16)
    asked = rules.independence_errors(team, ["Production"], 15, "")
    assert list(asked) == ["independence_reason"]
    assert "Minh works in Production" in asked["independence_reason"]
    assert list(rules.independence_errors(team, ["Production"], 15, "small")) == ["independence_reason"]
    assert rules.independence_errors(team, ["Production"], 15, REASON) == {}


def test_an_audit_is_independent_without_conflicts_or_with_the_reason_recorded():
    minh = auditor("Minh", "Production")
    assert audit(auditors=(auditor(),)).independent
    assert not audit(auditors=(minh,)).independent
    assert audit(auditors=(minh,), reason=REASON).independent


def test_unqualified_auditors():
    team = [auditor("Lan"), auditor("Minh", qualified=False, pid=2)]
    assert rules.unqualified(team) == [team[1]]


# The checklist and its report


def test_the_checklist_asks_about_requirements_in_scope_less_those_not_applicable_in_catalog_order():
    requirements = ["4.1", "4.2", "7.1.5.1", "7.1.5.2", "8.3.1", "8.5.1"]
    assert rules.checklist_numbers(requirements, ["8", "7.1.5"], ["8.3.1"]) == ["7.1.5.1", "7.1.5.2", "8.5.1"]
    assert rules.checklist_numbers(requirements, ["9"], []) == []


def test_a_lines_prompt_is_the_catalogs_evidence_examples_else_its_summary():
    assert rules.line_prompt(["SWOT sheet", " issues register ", ""], "Know the context.") == (
        "Look for: SWOT sheet; issues register."
    )
    assert rules.line_prompt([], " Know the context. ") == "Know the context."


def test_a_nonconforming_line_needs_what_was_found_as_a_sentence():
    assert rules.line_errors("conforming", "") == {}
    assert rules.line_errors("not_checked", "") == {}
    assert rules.line_errors("major", "The calibration record was missing.") == {}
    for result in ("minor", "major", "observation"):
        assert list(rules.line_errors(result, "missing")) == ["notes"]
        assert rules.line_needs_notes(LineResult(result), "x")
    assert not rules.line_needs_notes(LineResult.CONFORMING, "")
    assert rules.line_errors("great", "") == {"result": "Choose what the audit found for this requirement."}
    assert list(rules.line_errors("conforming", "x" * (rules.TEXT_MAX_LENGTH + 1))) == ["notes"]


def test_a_report_needs_every_line_answered_and_described_and_a_date_from_the_start_to_today():
    start = TODAY - timedelta(days=5)
    answered = [LineResult.CONFORMING, LineResult.MINOR]
    assert rules.report_errors(answered, 0, start, TODAY, TODAY) == {}
    assert rules.report_errors(answered, 0, start, start, TODAY) == {}
    open_lines = rules.report_errors([LineResult.NOT_CHECKED] * 2 + answered, 0, start, TODAY, TODAY)
    assert open_lines == {"checklist": "2 checklist lines not answered yet: answer each first."}
    undescribed = rules.report_errors(answered, 1, start, TODAY, TODAY)["checklist"]
    assert undescribed.startswith("1 nonconforming line without a description")
    assert rules.report_errors(answered, 0, start, None, TODAY) == {
        "reported_on": "Give the date of the report."
    }
    assert rules.report_errors(answered, 0, start, TODAY + timedelta(days=1), TODAY) == {
        "reported_on": "The report date is in the future."
    }
    assert rules.report_errors(answered, 0, start, start - timedelta(days=1), TODAY) == {
        "reported_on": "The audit cannot be reported before it started."
    }


def test_the_reports_conclusion_is_a_sentence_within_the_limit():
    assert rules.summary_error("The system in scope works as planned.") is None
    assert rules.summary_error("ok") is not None
    assert (
        rules.summary_error("word " * rules.TEXT_MAX_LENGTH)
        == f"Use at most {rules.TEXT_MAX_LENGTH:,} characters."
    )


# The steps


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (AuditStatus.PLANNED, (Transition.START,)),
        (AuditStatus.IN_PROGRESS, (Transition.REPORT,)),
        (AuditStatus.REPORTED, (Transition.CLOSE,)),
        (AuditStatus.CLOSED, ()),
    ],
)
def test_each_status_allows_one_step(status, allowed):
    assert rules.allowed_transitions(status) == allowed
    for transition in Transition:
        error = rules.transition_error(status, transition)
        assert (error is None) is (transition in allowed)


def test_a_step_out_of_order_names_the_rule_and_the_status():
    assert rules.transition_error(AuditStatus.PLANNED, Transition.REPORT) == (
        "Only an audit in progress is reported: start it and answer its checklist first; "
        "this audit is planned."
    )
    assert rules.transition_error(AuditStatus.IN_PROGRESS, Transition.CLOSE).endswith(
        "this audit is in progress."
    )
    assert rules.transition_error(AuditStatus.CLOSED, Transition.START).startswith("An audit is started once")


def test_the_steps_lead_on_in_order():
    assert [rules.status_after(t) for t in Transition] == [
        AuditStatus.IN_PROGRESS,
        AuditStatus.REPORTED,
        AuditStatus.CLOSED,
    ]


def test_only_a_planned_audit_changes_its_plan_and_only_one_in_progress_its_checklist():
    assert [s for s in AuditStatus if rules.is_editable(s)] == [AuditStatus.PLANNED]
    assert [s for s in AuditStatus if rules.checklist_error(s) is None] == [AuditStatus.IN_PROGRESS]
    assert rules.checklist_error(AuditStatus.REPORTED).endswith("this audit is reported.")


def test_an_audit_starts_with_a_checklist_and_closes_once_its_findings_are_closed():
    assert rules.start_errors(3) == {}
    assert list(rules.start_errors(0)) == ["checklist"]
    assert rules.close_errors([]) == {}
    error = rules.close_errors(["Finding 3 (major, 8.5.1)", "Finding 4 (minor, 7.5.3)"])["status"]
    assert error.startswith("2 findings of this audit still open (Finding 3 (major, 8.5.1), Finding 4")


def test_nonconforming_results():
    assert {r for r in LineResult if rules.nonconforming(r)} == {
        LineResult.MINOR,
        LineResult.MAJOR,
        LineResult.OBSERVATION,
    }


# Coverage of the cycle


def test_a_section_is_covered_by_a_reported_audit_of_the_last_twelve_months():
    inside = audit(("4", "5.1"), reported=rules.cycle_start(TODAY), pid=1)
    outside = audit(("6",), reported=TODAY - relativedelta(months=12, days=1), pid=2)
    planned = audit(("6", "7.1"), status=AuditStatus.PLANNED, reported=None, pid=3)
    closed = audit(("8",), status=AuditStatus.CLOSED, reported=TODAY - timedelta(days=3), pid=4)
    result = rules.coverage(["4", "5", "6", "7", "8"], [inside, outside, planned, closed], TODAY)
    assert result.reported["4"] == (inside,) and result.reported["5"] == (inside,)
    assert result.reported["8"] == (closed,)
    assert result.planned["6"] == (planned,) and result.planned["7"] == (planned,)
    assert result.uncovered == ["6", "7"]
    assert result.unplanned == []
    assert rules.coverage(["9"], [inside], TODAY).unplanned == ["9"]
    assert rules.in_cycle([inside, outside, planned, closed], TODAY) == [inside, closed]
    assert rules.last_report([inside, outside, planned, closed]) == closed.reported_on
    assert rules.last_report([planned]) is None


def test_a_reported_audit_without_its_date_counts_for_nothing():
    undated = audit(reported=None)
    assert not undated.is_reported
    assert rules.coverage(["4"], [undated], TODAY).uncovered == ["4"]


def test_sections_whose_every_requirement_is_not_applicable_leave_the_programme():
    requirements = ["4.1", "7.1.5.1", "8.3.1", "8.3.2"]
    assert rules.applicable_sections(["4", "7", "8"], ["8.3.1", "8.3.2"], requirements) == ["4", "7"]
    assert rules.applicable_sections(["4", "7", "8"], ["8.3.1"], requirements) == ["4", "7", "8"]


# The Internal audit stage


def criteria(audits, majors=0, sections=("4", "5", "6", "7", "8")):
    return {c.key: c for c in rules.internal_audit_criteria(list(sections), list(audits), majors, TODAY)}


def test_the_stage_is_met_by_qualified_independent_audits_of_every_section_and_no_open_major():
    found = criteria([audit(("4", "5", "6"), pid=1), audit(("7", "8"), pid=2)])
    assert all(c.met for c in found.values())
    assert (
        found["internal_audit.all_sections_audited"].reason == "All 5 sections audited in the last 12 months."
    )


def test_a_section_missing_from_the_reported_audits_is_unmet():
    found = criteria(
        [audit(("4", "5", "6")), audit(("7", "8"), status=AuditStatus.PLANNED, reported=None, pid=2)]
    )
    missing = found["internal_audit.all_sections_audited"]
    assert not missing.met
    assert missing.reason == "2 sections not yet audited in a reported audit of the last 12 months: 7, 8."


def test_an_unqualified_auditor_is_unmet():
    found = criteria([audit(auditors=(auditor("Minh", qualified=False),))])
    assert not found["internal_audit.auditors_qualified"].met
    assert (
        "Minh (Audit 1) has no passed internal-auditor training"
        in found["internal_audit.auditors_qualified"].reason
    )


def test_an_auditor_of_their_own_department_is_unmet_unless_the_reason_is_recorded():
    minh = auditor("Minh", "Production")
    found = criteria([audit(auditors=(minh,))])
    assert "Audit 1 was audited by someone from the department audited" in (
        found["internal_audit.auditors_qualified"].reason
    )
    assert criteria([audit(auditors=(minh,), reason=REASON)])["internal_audit.auditors_qualified"].met


def test_no_reported_audit_and_an_audit_without_auditors_are_unmet():
    assert criteria([])["internal_audit.auditors_qualified"].reason == "No audit has been reported yet."
    assert (
        "Audit 1 has no auditor recorded"
        in criteria([audit(auditors=())])["internal_audit.auditors_qualified"].reason
    )


def test_an_open_major_from_an_internal_audit_is_unmet():
    found = criteria([audit()], majors=2)
    assert not found["internal_audit.no_open_major"].met
    assert found["internal_audit.no_open_major"].reason == "2 major findings from internal audits still open."
