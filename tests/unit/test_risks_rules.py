"""Risks and opportunities (ISO 9001 6.1): the score and its band on each scale, the state, what a record and
a review refuse (naming the scale, the dates in order), changing the scale, the starters and the register's
next steps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.charts.risks import risk_heat_map
from app.domain import risks as rules
from app.domain.risks import Level, ReviewInput, RiskFacts, RiskInput, RiskState

TODAY = date(2026, 6, 30)
ACTION = "Approve a second bark supplier and keep six weeks of stock."
NOTES = "No line stop in the season; the stock covered two late deliveries."


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


@pytest.mark.parametrize(
    ("scale", "scores"),
    [
        (5, {Level.LOW: (1, 4), Level.MEDIUM: (5, 9), Level.HIGH: (10, 25)}),
        (3, {Level.LOW: (1, 2), Level.MEDIUM: (3, 4), Level.HIGH: (6, 9)}),
    ],
)
def test_each_band_holds_its_documented_scores(scale, scores):
    for band, (lowest, highest) in scores.items():
        assert rules.level(lowest, scale) is band and rules.level(highest, scale) is band
    every = {rules.score(lk, im) for lk in range(1, scale + 1) for im in range(1, scale + 1)}
    assert {rules.level(points, scale) for points in every} == set(Level)
    dash = rules.DASH
    assert rules.bands_text(5) == f"low 1{dash}4, medium 5{dash}9, high 10{dash}25"


def test_a_rare_severe_risk_is_medium_and_a_likely_moderate_one_high():
    assert rules.level(rules.score(1, 5), 5) is Level.MEDIUM
    assert rules.level(rules.score(4, 3), 5) is Level.HIGH
    assert rules.score_text(3, 5) == f"3 {rules.TIMES} 5 = 15" and rules.TIMES == "\N{MULTIPLICATION SIGN}"
    assert (
        rules.residual(1, 2, 5) == rules.Residual(1, 2, 2, Level.LOW) and rules.residual(None, 2, 5) is None
    )
    assert rules.residual(2, 3, 3) == rules.Residual(2, 3, 6, Level.HIGH)


def test_starter_scores_are_scaled_to_three_points():
    assert [rules.scaled(n, 3) for n in range(1, 6)] == [1, 2, 2, 3, 3]
    assert [rules.scaled(n, 5) for n in range(1, 6)] == [1, 2, 3, 4, 5]


def facts(likelihood: int = 3, impact: int = 4, **fields: object) -> RiskFacts:
    values: dict[str, object] = {"action": "", "due_date": None, "reviewed_on": None, "effective": None}
    return RiskFacts(likelihood, impact, **(values | fields))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (facts(1, 2), RiskState.ACCEPTED),  # low, no action needed
        (facts(1, 5), RiskState.NO_ACTION),  # medium without action
        (facts(4, 4), RiskState.NO_ACTION),
        (facts(action=ACTION, due_date=days(1)), RiskState.AWAITING_REVIEW),
        (facts(action=ACTION, due_date=TODAY), RiskState.AWAITING_REVIEW),  # due today is not late
        (facts(action=ACTION), RiskState.AWAITING_REVIEW),  # no due date: never overdue
        (facts(action=ACTION, due_date=days(-1)), RiskState.OVERDUE),
        (facts(action=ACTION, due_date=days(-9), reviewed_on=days(-1), effective=True), RiskState.EFFECTIVE),
        (facts(action=ACTION, reviewed_on=days(-1), effective=False), RiskState.NOT_EFFECTIVE),
    ],
)
def test_the_state_is_the_first_that_holds(given, expected):
    assert rules.state(given, 5, TODAY) is expected


def test_the_same_scores_may_need_an_action_on_three_points_and_not_on_five():
    assert rules.state(facts(1, 3), 3, TODAY) is RiskState.NO_ACTION  # 3 is medium on 3 points
    assert rules.state(facts(1, 3), 5, TODAY) is RiskState.ACCEPTED  # and low on 5


def risk(**fields: object) -> RiskInput:
    values: dict[str, object] = {
        "kind": "risk",
        "description": "The only bark supplier delivers late in the harvest season.",
        "likelihood": 3,
        "impact": 4,
    }
    return RiskInput(**(values | fields))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "scale", "field", "message"),
    [
        ({"kind": "threat"}, 5, "kind", "risk or an opportunity"),
        ({"description": "tbd"}, 5, "description", "as a real sentence"),
        ({"likelihood": None}, 5, "likelihood", "Score the likelihood from 1 to 5."),
        ({"likelihood": 6}, 5, "likelihood", "On this project's 5-point scale the likelihood is from 1 to 5"),
        ({"impact": 4}, 3, "impact", "3-point scale the impact is from 1 to 3; 4 is off it"),
        ({"impact": 0}, 5, "impact", "from 1 to 5"),
        ({"action": "done", "owner": "Ms Lan", "due_date": days(5)}, 5, "action", "real sentence"),
        ({"action": ACTION, "due_date": days(5)}, 5, "owner", "Name who owns the action."),
        ({"action": ACTION, "owner": "Ms Lan"}, 5, "due_date", "Give the date the action is due."),
        ({"due_date": days(5)}, 5, "due_date", "A due date belongs to an action"),
        (
            {"action": ACTION, "owner": "Ms Lan", "due_date": date(2033, 1, 1)},
            5,
            "due_date",
            "check the year",
        ),
        ({"action": ACTION, "owner": "Ms Lan", "due_date": date(1999, 12, 31)}, 5, "due_date", "from 2000"),
        ({"owner": "x" * 121}, 5, "owner", "at most 120 characters"),
    ],
)
def test_a_record_breaking_a_rule_is_refused_naming_it(fields, scale, field, message):
    errors = rules.risk_errors(risk(**fields), scale, TODAY)
    assert message in errors[field]


def test_a_sound_record_passes_with_or_without_an_action():
    assert rules.risk_errors(risk(), 5, TODAY) == {}
    acted = risk(action=ACTION, owner="Ms Lan", due_date=days(-3))  # already late: recorded as it stands
    assert rules.risk_errors(acted, 5, TODAY) == {}
    assert rules.risk_errors(risk(owner="Mr Hai, purchasing"), 5, TODAY) == {}  # a risk owner, no action


def review(**fields: object) -> ReviewInput:
    values: dict[str, object] = {"reviewed_on": TODAY, "effective": True, "notes": NOTES}
    return ReviewInput(**(values | fields))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "action", "field", "message"),
    [
        ({}, "", "action", "Record the action before reviewing"),
        ({"reviewed_on": None}, ACTION, "reviewed_on", "Give the date of the review."),
        ({"reviewed_on": days(1)}, ACTION, "reviewed_on", "the date is in the future"),
        ({"reviewed_on": days(-31)}, ACTION, "reviewed_on", "before the risk or opportunity was recorded"),
        ({"effective": None}, ACTION, "effective", "Say whether the action was effective."),
        ({"notes": "ok"}, ACTION, "notes", "real sentence"),
        ({"residual_likelihood": 2}, ACTION, "residual_impact", "or neither"),
        ({"residual_likelihood": 2, "residual_impact": 7}, ACTION, "residual_impact", "5-point scale"),
    ],
)
def test_a_review_breaking_a_rule_is_refused_naming_it(fields, action, field, message):
    errors = rules.review_errors(review(**fields), action, days(-30), 5, TODAY)
    assert message in errors[field]


def test_a_sound_review_passes_and_residual_scores_need_one():
    assert (
        rules.review_errors(review(residual_likelihood=1, residual_impact=4), ACTION, days(-30), 5, TODAY)
        == {}
    )
    assert rules.review_errors(review(reviewed_on=days(-30)), ACTION, days(-30), 5, TODAY) == {}  # same day
    assert set(rules.unreviewed_residual_errors(2, None)) == {"residual_likelihood"}
    assert "come from the effectiveness review" in rules.unreviewed_residual_errors(2, 3)["residual_impact"]
    assert not review(reviewed_on=None, effective=None, notes=" ").given
    assert review(reviewed_on=None, effective=None, notes="", residual_impact=2).given


def test_a_changed_action_needs_its_own_review():
    assert rules.review_stands(ACTION, f" {ACTION} ")
    assert not rules.review_stands(ACTION, "Keep twelve weeks of bark in stock instead.")
    assert not rules.review_stands(ACTION, "")


def test_the_scale_changes_only_when_nothing_is_scored_above_it():
    assert rules.scale_error(3, 0) is None
    assert rules.scale_error(4, 0) == "Choose a 3-point or a 5-point scale."
    assert rules.scale_error(None, 0) == "Choose a 3-point or a 5-point scale."
    assert "1 risk or opportunity is scored above 3" in (rules.scale_error(3, 1) or "")
    assert "2 risks and opportunities are scored above 3" in (rules.scale_error(3, 2) or "")


def test_the_starters_are_a_dozen_with_stable_keys_and_scores_on_five_points():
    starters = rules.starters()
    assert 10 <= len(starters) <= 12
    assert len({s.key for s in starters}) == len(starters)
    assert {s.kind for s in starters} == set(rules.RiskKind)
    for starter in starters:
        suggested = risk(
            kind=starter.kind,
            description=starter.description,
            likelihood=starter.likelihood,
            impact=starter.impact,
        )
        assert rules.risk_errors(suggested, 5, TODAY) == {}
        assert all(1 <= n <= 3 for n in starter.on_scale(3))
    taken = [starters[0].key, None]
    assert [s.key for s in rules.starters_to_offer(taken)] == [s.key for s in starters[1:]]
    assert rules.starter("no-such-key") is None and rules.starter(starters[0].key) == starters[0]


def test_the_register_steps_name_what_to_plan():
    assert rules.no_action_step(2, 0) == "Plan actions for the 2 high risks (6.1.2)"
    assert rules.no_action_step(1, 1) == "Plan actions for the 1 high risk and 1 high opportunity (6.1.2)"
    assert rules.overdue_step(1) == "Complete or review the 1 overdue risk action (6.1.2)"
    assert rules.overdue_step(3) == "Complete or review the 3 overdue risk actions (6.1.2)"


def test_the_heat_map_counts_risks_by_cell_coloured_by_band_with_its_table():
    chart = risk_heat_map("heat", 3, {(3, 1): 2, (1, 3): 1}, opportunities=1)
    cells = chart.figure["data"][0]
    assert cells["y"] == ["1 Unlikely", "2 Possible", "3 Likely"] and len(cells["x"]) == 3
    assert cells["text"][2][0] == "2" and cells["text"][0][2] == "1" and cells["text"][1][1] == ""
    assert cells["z"][0][0] == 0 and cells["z"][0][2] == 1 and cells["z"][2][2] == 2  # low, medium, high
    assert chart.table.columns == ("Likelihood \\ impact", "1 Minor", "2 Moderate", "3 Major")
    assert chart.table.rows[0] == ("3 Likely", "2", "0", "0")  # the highest likelihood first
    assert chart.note and chart.note.startswith("1 opportunity is in the register") and chart.empty is None
    assert risk_heat_map("heat", 5, {}, 0).empty and risk_heat_map("heat", 5, {}, 0).note is None
