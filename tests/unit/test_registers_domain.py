"""The register table (which clauses each register evidences), register states, and how the next steps, the
management review and the documented-information checklist read them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from app.domain.catalog import bundled_catalogs
from app.domain.coverage import ChecklistStatus, MandatoryClause, documented_information_checklist
from app.domain.next_steps import MAX_REGISTER_LEADS, NextStepKind, ProjectSnapshot, next_steps
from app.domain.pathway import Stage as S
from app.domain.pathway import StandardFamily, TaskSnapshot
from app.domain.registers import (
    REGISTERS,
    Concern,
    RegisterKey,
    registers_for,
    registers_for_clause,
    state,
    states_for_clause,
)
from app.domain.reviews import PrefillFacts, prefill

NINE, MED = StandardFamily.ISO_9001, StandardFamily.ISO_13485
TODAY = date(2026, 12, 2)
K = RegisterKey


def test_each_standard_has_its_registers():
    assert [r.key for r in registers_for(NINE)] == [
        K.CONTEXT, K.RISKS, K.EQUIPMENT, K.SUPPLIERS, K.COMPLAINTS, K.SATISFACTION
    ]  # fmt: skip
    assert [r.key for r in registers_for(MED)] == [
        K.EQUIPMENT, K.SUPPLIERS, K.COMPLAINTS, K.SATISFACTION, K.RISK_FILES, K.SOFTWARE
    ]  # fmt: skip


def test_every_clause_a_register_names_is_a_clause_of_its_standard():
    catalogs = {catalog.code: catalog for catalog in bundled_catalogs()}
    for family in (NINE, MED):
        numbers = {clause.number for clause in catalogs[family.value].clauses}
        for register in REGISTERS:
            assert set(register.clauses_for(family)) <= numbers, (register.key, family)


def test_a_requirement_finds_the_registers_that_evidence_it():
    assert [r.key for r in registers_for_clause(NINE, "7.1.5.2")] == [K.EQUIPMENT]
    assert [r.key for r in registers_for_clause(NINE, "9.1.2")] == [K.COMPLAINTS, K.SATISFACTION]
    assert [r.key for r in registers_for_clause(MED, "7.6")] == [K.EQUIPMENT, K.SOFTWARE]
    assert registers_for_clause(MED, "4.2") == [] and registers_for_clause(NINE, "7.1") == []


def test_a_state_reads_as_a_count_and_its_nonzero_concerns():
    found = state(K.EQUIPMENT, 12, [(2, "overdue"), (0, "due within 30 days")])
    assert found.text == "12 instruments, 2 overdue"
    assert found.has_problems and not found.empty
    assert state(K.EQUIPMENT, 1).text == "1 instrument"
    assert state(K.RISKS, 3).text == "3 risks and opportunities"
    quiet = state(K.SUPPLIERS, 4, [Concern(1, "conditional", urgent=False)])
    assert quiet.text == "4 suppliers, 1 conditional" and not quiet.has_problems
    assert state(K.SUPPLIERS, 0).empty


def test_states_for_clause_keeps_only_the_registers_of_that_requirement():
    states = [state(K.EQUIPMENT, 3), state(K.SUPPLIERS, 2), state(K.COMPLAINTS, 1)]
    assert [s.key for s in states_for_clause(NINE, "8.4.1", states)] == [K.SUPPLIERS]


CALIBRATE = Concern(
    2, "overdue", action="Calibrate the 2 overdue instruments", query=(("status", "overdue"),)
)
ASSESS = Concern(1, "not assessed", action="Assess the earlier results", query=(("status", "unassessed"),))


def snapshot_with(*states):
    return ProjectSnapshot(
        NINE,
        tasks=(TaskSnapshot(7, "Write the quality policy", S.DOCUMENTATION, due_date=date(2026, 11, 1)),),
        registers=tuple(states),
        as_of=TODAY,
    )


def test_overdue_calibration_leads_the_next_steps():
    supplier = state(K.SUPPLIERS, 4, [Concern(1, "not evaluated", action="Evaluate the supplier")])
    overdue = snapshot_with(supplier, state(K.EQUIPMENT, 12, [CALIBRATE]))
    assert next_steps(overdue, today=TODAY)[0].title == CALIBRATE.action
    assert next_steps(overdue, today=TODAY)[0].target == (
        "register",
        {"key": "equipment", "status": "overdue"},
    )

    snapshot = snapshot_with(
        supplier,
        state(K.EQUIPMENT, 12, [ASSESS, CALIBRATE, Concern(3, "due within 30 days", urgent=False)]),
    )
    steps = next_steps(snapshot, today=TODAY, limit=10)
    assert MAX_REGISTER_LEADS == 1 and steps[0].title == ASSESS.action  # an unassessed result comes first
    assert steps[0].kind is NextStepKind.REGISTER
    assert steps[0].target == ("register", {"key": "equipment", "status": "unassessed"})
    assert steps[0].detail == (
        "Measuring equipment and calibration: "
        "12 instruments, 1 not assessed, 2 overdue, 3 due within 30 days."
    )
    # the other register concerns wait until after the overdue task and the stage's own steps
    titles = [step.title for step in steps]
    assert titles.index(CALIBRATE.action) > titles.index("Overdue: Write the quality policy")
    assert titles.index("Evaluate the supplier") == titles.index(CALIBRATE.action) + 1


def test_a_concern_without_action_or_count_is_no_step():
    quiet = snapshot_with(
        state(K.EQUIPMENT, 5, [Concern(0, "overdue", action="Calibrate"), Concern(2, "due", urgent=False)]),
        state(K.CONTEXT, 3, [Concern(1, "not reviewed")]),  # urgent, but says nothing to do
    )
    assert all(step.kind is not NextStepKind.REGISTER for step in next_steps(quiet, today=TODAY, limit=10))
    assert next_steps(replace(quiet, registers=()), today=TODAY, limit=10) == next_steps(
        quiet, today=TODAY, limit=10
    )


def test_the_review_inputs_are_prefilled_from_the_registers():
    facts = PrefillFacts(
        TODAY.replace(year=2025),
        TODAY,
        registers=(
            state(K.SUPPLIERS, 6, [(1, "re-evaluation overdue")]),
            state(K.COMPLAINTS, 3, [(1, "open")]),
            state(K.SATISFACTION, 0),  # nothing recorded: nothing written
            state(K.EQUIPMENT, 9),
        ),
    )
    inputs = prefill(NINE, facts, TODAY)
    assert inputs["supplier_performance"] == "Approved suppliers: 6 suppliers, 1 re-evaluation overdue."
    assert inputs["customer_satisfaction"] == "Customer complaints: 3 complaints, 1 open."
    assert inputs["resources"].endswith("Measuring equipment and calibration: 9 instruments.")
    assert "risk_actions" not in inputs and "context_changes" not in inputs
    medical = prefill(MED, facts, TODAY)
    assert medical["complaints"] == "Customer complaints: 3 complaints, 1 open."
    assert "supplier_performance" not in medical


def test_a_register_with_records_is_the_retained_records_a_clause_asks_for():
    clauses = [
        MandatoryClause("7.1.5.1", "Monitoring and measuring resources", "retain"),
        MandatoryClause("8.4.1", "General", "retain"),
    ]
    lines = documented_information_checklist(clauses, {}, {}, TODAY, {"7.1.5.1": 12, "8.4.1": 0})
    assert [line.record_status for line in lines] == [ChecklistStatus.ACCEPTED, ChecklistStatus.MISSING]
    assert [line.status for line in documented_information_checklist(clauses, {}, {}, TODAY)] == [
        ChecklistStatus.MISSING,
        ChecklistStatus.MISSING,
    ]


def test_an_empty_register_to_start_never_leads():
    empty = snapshot_with(
        state(K.RISKS, 0, [Concern(1, "none recorded", action="List the risks", counted=False)]),
        state(K.SUPPLIERS, 2, [Concern(1, "not evaluated", action="Evaluate the supplier")]),
    )
    titles = [step.title for step in next_steps(empty, today=TODAY, limit=10)]
    assert titles[0] == "Evaluate the supplier"  # a register with records leads
    assert titles.index("List the risks") > titles.index("Overdue: Write the quality policy")
