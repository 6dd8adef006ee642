"""The risk-management file rules (ISO 13485 7.1, by ISO 14971): the 5-by-5 matrix, what a hazard needs and
may not have, and a file's state."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.domain import risk_files as rules
from app.domain.risk_files import FileCounts, FileState, HazardScores, RiskLevel

A, R, U = RiskLevel.ACCEPTABLE, RiskLevel.REVIEW, RiskLevel.UNACCEPTABLE
TODAY = date(2026, 3, 10)
SITUATION = "The set is primed incompletely and air is infused into the patient's vein."
CONTROLS = "A hydrophobic air-stop filter in the drip chamber and priming instructions on the label."


def test_the_matrix_reads_each_level_and_never_improves_as_a_score_worsens():
    assert (rules.level(1, 1), rules.level(5, 1), rules.level(3, 3), rules.level(5, 5)) == (A, R, R, U)
    assert rules.level(1, 5) is R and rules.level(4, 3) is R and rules.level(4, 4) is U
    for s in rules.SCALE:
        for p in rules.SCALE:
            rank = rules.LEVEL_RANK[rules.level(s, p)]
            if s < 5:
                assert rules.LEVEL_RANK[rules.level(s + 1, p)] >= rank
            if p < 5:
                assert rules.LEVEL_RANK[rules.level(s, p + 1)] >= rank
    cells = [cell for level in RiskLevel for cell in rules.cells_of(level)]
    assert sorted(cells) == sorted(10 * s + p for s in rules.SCALE for p in rules.SCALE)
    assert 43 in rules.cells_of(R) and 44 in rules.cells_of(U)
    with pytest.raises(ValueError):
        rules.level(0, 3)


@pytest.mark.parametrize(
    ("text", "score"), [("4", 4), (" 2 ", 2), ("", None), (None, None), ("x", None), ("²", None), ("7", 7)]
)
def test_a_score_is_read_as_typed(text, score):
    assert rules.parse_score(text) == score


def test_a_hazards_levels_before_and_after_its_controls():
    uncontrolled = HazardScores(4, 4)
    assert uncontrolled.initial is U and uncontrolled.residual is None
    assert uncontrolled.needs_controls and not uncontrolled.flagged and uncontrolled.standing is U
    controlled = HazardScores(4, 4, 4, 1)
    assert controlled.residual is A and not controlled.needs_controls and controlled.standing is A
    still_bad = HazardScores(5, 5, 5, 4)
    assert still_bad.flagged and still_bad.standing is U
    low = HazardScores(1, 2)
    assert low.initial is A and not low.needs_controls and low.standing is A


def errors(**fields):
    values = {
        "hazard": "Air in the fluid path",
        "situation": SITUATION,
        "harm": "Air embolism",
        "severity": 4,
        "probability": 4,
    } | fields
    return rules.hazard_errors(**values)


def test_a_hazard_may_wait_for_its_controls_and_takes_them_with_the_scores_after():
    assert errors() == {}
    assert (
        errors(controls=CONTROLS, residual_severity=4, residual_probability=1, verification="Tested.") == {}
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"severity": None}, "severity", "Choose the severity, from 1 to 5."),
        ({"probability": 6}, "probability", "The probability is scored from 1 to 5."),
        ({"severity": 0}, "severity", "The severity is scored from 1 to 5."),
        ({"hazard": " "}, "hazard", "Name the hazard"),
        ({"harm": ""}, "harm", "Name the harm"),
        ({"situation": "air"}, "situation", "as a real sentence"),
        ({"hazard": "h" * 201}, "hazard", "at most 200 characters"),
        ({"controls": "done", "residual_severity": 4, "residual_probability": 1}, "controls",
         "real sentence"),
        ({"controls": CONTROLS}, "residual_severity", "Score the risk after the controls"),
        ({"residual_severity": 4, "residual_probability": 1}, "controls", "Describe the risk controls"),
        ({"controls": CONTROLS, "residual_severity": 3}, "residual_probability", "Score both"),
        ({"controls": CONTROLS, "residual_severity": 4, "residual_probability": 5}, "residual_probability",
         "cannot be higher than the initial one (4)"),
        ({"controls": CONTROLS, "residual_severity": 9, "residual_probability": 1}, "residual_severity",
         "scored from 1 to 5"),
    ],
)  # fmt: skip
def test_a_hazard_that_breaks_a_rule_is_refused_naming_it(fields, field, message):
    found = errors(**fields)
    assert message in found[field], found


def test_a_file_needs_a_family_an_intended_use_and_a_review_not_in_the_future():
    use = "Single-use gravity infusion of fluids by trained nurses."
    assert rules.risk_file_errors("Infusion sets", use, "", TODAY, TODAY) == {}
    found = rules.risk_file_errors("", "iv", "p" * 10_001, TODAY + timedelta(days=1), TODAY)
    assert set(found) == {"device_family", "intended_use", "acceptability_policy", "reviewed_on"}
    assert "in the future" in found["reviewed_on"]
    # "ß" folds to "ss": a name within the limit whose key is not is refused too, never cut by the database
    assert "at most 160" in rules.risk_file_errors("ß" * 100, use, "", None, TODAY)["device_family"]
    assert rules.family_key("  Infusion   SETS ") == rules.family_key("infusion sets") == "infusion sets"


def test_a_files_state_and_the_lists_filter():
    scores = [HazardScores(4, 4), HazardScores(5, 5, 5, 4), HazardScores(4, 4, 4, 1), HazardScores(1, 1)]
    counts = rules.counts_of(scores)
    assert counts == FileCounts(hazards=4, uncontrolled=1, unacceptable=1, worst=U)
    assert rules.file_state(counts) is FileState.UNCONTROLLED
    assert [rules.matches(counts, s) for s in FileState] == [False, True, True, False]
    flagged = rules.counts_of(scores[1:])
    assert rules.file_state(flagged) is FileState.UNACCEPTABLE
    complete = rules.counts_of(scores[2:])
    assert complete.worst is A and rules.file_state(complete) is FileState.COMPLETE
    assert rules.matches(complete, FileState.COMPLETE) and not rules.matches(complete, FileState.UNACCEPTABLE)
    empty = rules.counts_of([])
    assert empty.worst is None and rules.file_state(empty) is FileState.NO_HAZARDS
    assert rules.matches(empty, FileState.NO_HAZARDS)
