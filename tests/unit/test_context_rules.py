"""The context register's rules without an app: issues, interested parties, the twelve-month review, the
climate decision, the register's state and concerns, and the starter content."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain import context as rules
from app.domain.context import ClimateFacts, ContextCounts
from app.domain.registers import RegisterKey

TODAY = date(2026, 3, 15)
ISSUE = "Export buyers ask for a certified quality system before they renew orders."
REQUIREMENTS = "Products to specification, delivered on time with the agreed documents."
REASONING = "Floods in the rainy season cut the road to the plant and delay deliveries."


def issue(**fields: object) -> dict[str, str]:
    values: dict[str, object] = {
        "kind": "external",
        "category": "market",
        "description": ISSUE,
        "effect": "",
        "owner": "",
        "reviewed_on": TODAY,
        "today": TODAY,
    } | fields
    return rules.issue_errors(**values)  # type: ignore[arg-type]


def party(**fields: object) -> dict[str, str]:
    values: dict[str, object] = {
        "name": "Overseas buyers",
        "kind": "external",
        "requirements": REQUIREMENTS,
        "monitoring": "",
        "reviewed_on": None,
        "today": TODAY,
    } | fields
    return rules.party_errors(**values)  # type: ignore[arg-type]


def decision(standing: ClimateFacts | None = None, **fields: object) -> dict[str, str]:
    values: dict[str, object] = {
        "decided_on": TODAY,
        "relevant": True,
        "reasoning": REASONING,
        "decided_by": "Mr Minh, director",
        "today": TODAY,
        "standing": standing,
    } | fields
    return rules.decision_errors(**values)  # type: ignore[arg-type]


def test_a_well_formed_issue_party_and_decision_pass():
    assert issue() == {} and issue(effect="It decides whether the buyers keep ordering from us.") == {}
    assert party() == {} and decision() == {}
    assert issue(kind="internal", category="climate", reviewed_on=None) == {}


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"kind": "both"}, "kind", "internal or external"),
        ({"category": "weather"}, "category", "category from the list"),
        ({"description": ""}, "description", "Write the issue"),
        ({"description": "n/a"}, "description", "real sentence"),
        ({"description": "x" * 10_001}, "description", "at most 10,000"),
        ({"effect": "see above"}, "effect", "real sentence, or leave it empty"),
        ({"owner": "o" * 121}, "owner", "at most 120"),
        ({"reviewed_on": date(2026, 3, 16)}, "reviewed_on", "in the future"),
        ({"reviewed_on": date(1999, 12, 31)}, "reviewed_on", "from 01 Jan 2000"),
    ],
)
def test_an_issue_is_refused_naming_the_rule(fields, field, words):
    errors = issue(**fields)
    assert list(errors) == [field] and words in errors[field]


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"name": "  "}, "name", "Name the interested party"),
        ({"name": "n" * 161}, "name", "at most 160"),
        ({"kind": ""}, "kind", "internal or external"),
        ({"requirements": "done"}, "requirements", "real sentence"),
        ({"reviewed_on": date(2026, 4, 1)}, "reviewed_on", "in the future"),
    ],
)
def test_a_party_is_refused_naming_the_rule(fields, field, words):
    errors = party(**fields)
    assert list(errors) == [field] and words in errors[field]


def test_a_climate_decision_follows_its_rules():
    standing = ClimateFacts(date(2026, 1, 10), relevant=False)
    assert decision(standing, decided_on=date(2026, 1, 10)) == {}  # the same day: a second thought
    assert "cannot be dated before it" in decision(standing, decided_on=date(2026, 1, 9))["decided_on"]
    assert "in the future" in decision(decided_on=date(2026, 3, 16))["decided_on"]
    assert decision(decided_on=None)["decided_on"] == "Give the day it was decided."
    assert "relevant issue" in decision(relevant=None)["relevant"]
    assert "real sentence" in decision(reasoning="not relevant")["reasoning"]
    assert "Name who decided" in decision(decided_by=" ")["decided_by"]


def test_a_review_is_due_once_twelve_calendar_months_have_passed():
    assert rules.review_cutoff(TODAY) == date(2025, 3, 15)
    assert not rules.review_due(date(2025, 3, 15), TODAY)  # twelve months ago to the day: still in
    assert rules.review_due(date(2025, 3, 14), TODAY)
    assert rules.review_due(None, TODAY)  # never reviewed
    assert rules.review_cutoff(date(2024, 2, 29)) == date(2023, 2, 28)


def counts(**fields: object) -> ContextCounts:
    values: dict[str, object] = {
        "issues": 5,
        "parties": 3,
        "issues_due": 0,
        "parties_due": 0,
        "climate_issues": 1,
        "standing": ClimateFacts(date(2026, 1, 10), relevant=True),
    } | fields
    return ContextCounts(**values)  # type: ignore[arg-type]


def test_a_register_in_order_has_only_its_parties_as_information():
    state = rules.register_state(counts())
    assert state.key is RegisterKey.CONTEXT and state.count == 5
    assert state.text == "5 issues, 3 interested parties" and not state.has_problems


def test_the_concerns_say_what_to_do_and_which_filter_shows_it():
    state = rules.register_state(counts(issues_due=2, parties_due=1, climate_issues=0))
    assert state.has_problems
    assert state.text == "5 issues, 3 interested parties, 1 climate issue to add, 3 not reviewed in 12 months"
    climate, review = state.concerns[1:]
    assert climate.action.startswith("Add the climate-change issue") and climate.query == (
        ("category", "climate"),
    )
    assert review.action == "Review the context and interested parties (4.1, 4.2)"
    assert review.query == (("review", "due"),)


def test_no_decision_and_empty_lists_are_urgent():
    state = rules.register_state(counts(issues=0, parties=0, climate_issues=0, standing=None))
    assert state.text == "0 issues, no issues or interested parties listed, climate decision not recorded"
    empty, climate = state.concerns
    assert empty.urgent and "issues (ISO 9001 4.1) and the interested parties" in empty.action
    assert climate.action == "Record whether climate change is a relevant issue (ISO 9001 4.1)"
    one = rules.register_state(counts(parties=0))
    assert one.text == "5 issues, no interested parties listed" and one.has_problems
    # Not relevant: no climate issue is called for.
    assert not rules.register_state(
        counts(climate_issues=0, standing=ClimateFacts(TODAY, False))
    ).has_problems


def test_the_shipped_starters_are_valid_typical_and_keyed_once():
    starters = rules.starters()
    assert 10 <= len(starters.issues) <= 14 and 8 <= len(starters.parties) <= 10
    keys = [s.key for s in starters.issues] + [s.key for s in starters.parties]
    assert len(keys) == len(set(keys))
    categories = {s.category for s in starters.issues}
    assert {"climate", "market", "regulatory", "people", "infrastructure"} <= categories
    assert {s.kind for s in starters.parties} == {"internal", "external"}
    assert starters.issue("climate-flooding") is not None and starters.issue("customers") is None
    assert starters.party("certification-body") is not None


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"issues": [], "parties": "none"}, "list of parties"),
        ({"issues": [{"key": "a", "kind": "external"}], "parties": []}, "'a'"),
        (
            {
                "issues": [
                    {
                        "key": "a",
                        "kind": "external",
                        "category": "market",
                        "description": ISSUE,
                        "effect": "",
                    },
                    {
                        "key": "a",
                        "kind": "external",
                        "category": "market",
                        "description": ISSUE,
                        "effect": "",
                    },
                ],
                "parties": [],
            },
            "unique key",
        ),
        (
            {
                "issues": [
                    {"key": "b", "kind": "external", "category": "x", "description": ISSUE, "effect": ""}
                ]
            }
            | {"parties": []},
            "category",
        ),
    ],
)
def test_broken_starter_content_is_refused(data, words):
    with pytest.raises(ValueError, match=words):
        rules.parse_starters(data)
