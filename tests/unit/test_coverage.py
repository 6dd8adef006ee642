"""Evidence coverage and the documented-information checklist, worked by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.domain.coverage import (
    ChecklistStatus,
    Coverage,
    EvidenceFact,
    EvidenceTally,
    MandatoryClause,
    checklist_counts,
    checklist_status,
    coverage_of,
    covered_numbers,
    documented_information_checklist,
    is_current,
    is_expired,
    shown_state,
    tally_by_clause,
)
from app.domain.readiness import ClauseAssessment
from app.domain.readiness import ClauseStatus as S

TODAY = date(2026, 5, 31)
YESTERDAY = TODAY - timedelta(days=1)
TOMORROW = TODAY + timedelta(days=1)


def fact(number: str | None, state: str = "accepted", until: date | None = None, deleted: bool = False):
    return EvidenceFact(number, state, until, deleted)


# Nine requirements; the table in the comments is what each contributes.
ASSESSMENTS = [
    ClauseAssessment("4.1", S.MET),  # accepted, no expiry             -> covered
    ClauseAssessment("4.2", S.NOT_ASSESSED),  # submitted only          -> not covered
    ClauseAssessment("5.1", S.PARTIAL),  # rejected only                -> not covered
    ClauseAssessment("5.2", S.MET),  # accepted but deleted             -> not covered
    ClauseAssessment("6.1", S.MET),  # accepted, valid until yesterday  -> not covered (expired)
    ClauseAssessment("6.2", S.NOT_APPLICABLE),  # accepted              -> left out
    ClauseAssessment("7.1", S.NOT_MET),  # two accepted                 -> covered once
    ClauseAssessment("7.2", S.MET),  # accepted, valid until today      -> covered
    ClauseAssessment("8.1", S.NOT_ASSESSED),  # no evidence             -> not covered
]
EVIDENCE = [
    fact("4.1"),
    fact("4.2", "submitted"),
    fact("5.1", "rejected"),
    fact("5.2", deleted=True),
    fact("6.1", until=YESTERDAY),
    fact("6.2"),
    fact("7.1"),
    fact("7.1", until=TOMORROW),
    fact("7.2", until=TODAY),
    fact(None),  # attached to a task only
]


def test_expiry_is_strictly_after_the_date():
    today = date(2026, 5, 1)
    assert not is_expired(None, today)
    assert not is_expired(today, today)
    assert is_expired(date(2026, 4, 30), today)


@pytest.mark.parametrize("state", ["draft", "submitted", "accepted", "rejected"])
@pytest.mark.parametrize("deleted", [False, True])
@pytest.mark.parametrize("until", [None, YESTERDAY, TODAY, TOMORROW])
def test_current_is_accepted_and_not_deleted_and_not_expired(state, deleted, until):
    """Every combination: current exactly when all three parts of the rule hold."""
    item = fact("4.1", state, until, deleted)
    expected = state == "accepted" and not deleted and until != YESTERDAY  # written out, not derived
    assert is_current(item, TODAY) is expected
    assert shown_state(item, TODAY) == (
        "expired" if state == "accepted" and not deleted and until == YESTERDAY else state
    )


def test_current_means_accepted_not_deleted_and_in_date():
    assert is_current(fact("4.1"), TODAY)
    assert is_current(fact("4.1", until=TODAY), TODAY)  # the last valid day still counts
    assert not is_current(fact("4.1", until=YESTERDAY), TODAY)
    assert not is_current(fact("4.1", deleted=True), TODAY)
    for state in ("draft", "submitted", "rejected"):
        assert not is_current(fact("4.1", state), TODAY)


def test_covered_numbers_ignore_items_without_a_clause():
    assert covered_numbers(EVIDENCE, TODAY) == {"4.1", "6.2", "7.1", "7.2"}


def test_overall_coverage_of_the_hand_worked_table():
    result = coverage_of(ASSESSMENTS, covered_numbers(EVIDENCE, TODAY))
    # 8 applicable (6.2 left out); 4.1, 7.1 (once) and 7.2 covered: 3 / 8 = 37.5 %, half up to 38 %.
    assert result.overall == Coverage(covered=3, applicable=8)
    assert result.percent == result.overall.percent == 38
    assert result.covered == {"4.1", "7.1", "7.2"}  # evidence on the n/a 6.2 is not coverage


def test_coverage_by_section_in_numeric_order():
    result = coverage_of(ASSESSMENTS, covered_numbers(EVIDENCE, TODAY))
    assert result.by_section == {
        "4": Coverage(1, 2),
        "5": Coverage(0, 2),
        "6": Coverage(0, 1),
        "7": Coverage(2, 2),
        "8": Coverage(0, 1),
    }
    assert {s: c.percent for s, c in result.by_section.items()} == {
        "4": 50,
        "5": 0,
        "6": 0,
        "7": 100,
        "8": 0,
    }
    ten = coverage_of([ClauseAssessment("10.1"), ClauseAssessment("9.1")], set())
    assert list(ten.by_section) == ["9", "10"]


def test_coverage_is_undefined_when_nothing_is_applicable():
    assert coverage_of([], set()).percent is None
    only_na = coverage_of([ClauseAssessment("8.3.1", S.NOT_APPLICABLE)], {"8.3.1"})
    assert only_na.overall == Coverage(0, 0)
    assert only_na.percent is None
    assert only_na.by_section["8"].percent is None


def test_coverage_does_not_depend_on_the_verdict():
    verdicts = [ClauseAssessment("4.1", S.MET), ClauseAssessment("4.2", S.NOT_ASSESSED)]
    assert coverage_of(verdicts, {"4.2"}).overall == Coverage(1, 2)


@pytest.mark.parametrize(
    ("covered", "applicable", "expected"),
    [(1, 8, 13), (2, 3, 67), (1, 3, 33), (0, 5, 0), (5, 5, 100), (1, 200, 1), (1, 201, 0)],
)
def test_coverage_rounds_half_up(covered, applicable, expected):
    assert Coverage(covered, applicable).percent == expected


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], ChecklistStatus.MISSING),
        ([fact("4.3", "rejected")], ChecklistStatus.MISSING),
        ([fact("4.3", deleted=True)], ChecklistStatus.MISSING),
        ([fact("4.3", "draft")], ChecklistStatus.DRAFT),
        ([fact("4.3", "draft"), fact("4.3", "rejected")], ChecklistStatus.DRAFT),
        ([fact("4.3", "draft"), fact("4.3", "submitted")], ChecklistStatus.SUBMITTED),
        ([fact("4.3", "submitted"), fact("4.3")], ChecklistStatus.ACCEPTED),
        ([fact("4.3", until=TODAY)], ChecklistStatus.ACCEPTED),
        ([fact("4.3", until=YESTERDAY)], ChecklistStatus.EXPIRED),
        ([fact("4.3", until=YESTERDAY), fact("4.3", "submitted")], ChecklistStatus.EXPIRED),
        ([fact("4.3", until=YESTERDAY), fact("4.3", until=TOMORROW)], ChecklistStatus.ACCEPTED),
        ([fact("4.3", until=YESTERDAY, deleted=True), fact("4.3", "draft")], ChecklistStatus.DRAFT),
    ],
)
def test_checklist_status_of_each_case(items, expected):
    assert checklist_status(True, items, TODAY) is expected


def test_a_not_applicable_requirement_is_not_applicable_whatever_its_evidence():
    assert checklist_status(False, [fact("8.3.2")], TODAY) is ChecklistStatus.NOT_APPLICABLE
    assert checklist_status(False, [], TODAY) is ChecklistStatus.NOT_APPLICABLE


def test_the_checklist_keeps_mandatory_items_in_order_and_says_document_or_record():
    clauses = [
        MandatoryClause("4.2", "Interested parties", "none"),
        MandatoryClause("4.3", "Scope", "maintain", "Scope statement"),
        MandatoryClause("7.2", "Competence", "retain"),
        MandatoryClause("8.1", "Operational planning", "both"),
        MandatoryClause("8.3.2", "Design planning", "retain", status=S.NOT_APPLICABLE),
    ]
    evidence = {"4.3": [fact("4.3")], "7.2": [fact("7.2", until=YESTERDAY)], "8.3.2": [fact("8.3.2")]}
    # 4.3's document comes from the register; its accepted evidence does not make a controlled document.
    documents = {"4.3": "accepted", "8.1": "missing"}
    lines = documented_information_checklist(clauses, evidence, documents, TODAY)
    assert [(ln.clause.number, ln.status, ln.document, ln.record) for ln in lines] == [
        ("4.3", ChecklistStatus.ACCEPTED, True, False),
        ("7.2", ChecklistStatus.EXPIRED, False, True),
        ("8.1", ChecklistStatus.MISSING, True, True),
        ("8.3.2", ChecklistStatus.NOT_APPLICABLE, False, True),
    ]
    counts = checklist_counts(lines)
    assert counts[ChecklistStatus.ACCEPTED] == counts[ChecklistStatus.EXPIRED] == 1
    assert counts[ChecklistStatus.MISSING] == counts[ChecklistStatus.NOT_APPLICABLE] == 1
    assert counts[ChecklistStatus.DRAFT] == counts[ChecklistStatus.SUBMITTED] == 0


def test_a_document_line_follows_the_register_not_the_evidence():
    clauses = [MandatoryClause("4.3", "Scope", "maintain")]
    evidence = {"4.3": [fact("4.3")]}  # accepted evidence, but nothing in the register
    [line] = documented_information_checklist(clauses, evidence, {}, TODAY)
    assert (line.status, line.document_status, line.record_status) == (
        ChecklistStatus.MISSING,
        "missing",
        None,
    )


@pytest.mark.parametrize(
    ("document", "record", "expected"),
    [
        ("accepted", "accepted", "accepted"),
        ("accepted", "expired", "expired"),
        ("submitted", "accepted", "submitted"),
        ("draft", "missing", "draft"),
        ("missing", "accepted", "missing"),
    ],
)
def test_a_both_line_is_accepted_only_when_document_and_records_are(document, record, expected):
    clauses = [MandatoryClause("8.1", "Operational planning", "both")]
    evidence = {"8.1": [fact("8.1", "accepted" if record == "accepted" else "draft", until=None)]}
    if record == "expired":
        evidence = {"8.1": [fact("8.1", until=YESTERDAY)]}
    elif record == "missing":
        evidence = {}
    [line] = documented_information_checklist(clauses, evidence, {"8.1": document}, TODAY)
    assert line.status == expected
    assert (line.document_status, line.record_status) == (document, "draft" if record == "draft" else record)


def test_shown_state_marks_expired_accepted_items():
    assert shown_state(fact("7.2", until=YESTERDAY), TODAY) == "expired"
    assert shown_state(fact("7.2", until=TODAY), TODAY) == "accepted"
    assert shown_state(fact("7.2", "submitted", until=YESTERDAY), TODAY) == "submitted"
    assert shown_state(fact("7.2", "rejected"), TODAY) == "rejected"


def test_tally_by_clause_counts_live_items_by_shown_state():
    tallies = tally_by_clause(EVIDENCE, TODAY)
    assert tallies["7.1"] == EvidenceTally(current=2)
    assert tallies["6.1"] == EvidenceTally(expired=1)
    assert tallies["4.2"] == EvidenceTally(submitted=1)
    assert tallies["5.1"].total == 0  # rejected items are not counted
    assert "5.2" not in tallies  # deleted
    assert None not in tallies
