"""The starter roles and topics: what each standard's starter holds, that its clauses exist in the catalog,
and that adding it again adds nothing twice."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.domain.pathway import StandardFamily
from app.domain.staff_list import name_key
from app.domain.training import REFRESHER_MONTHS
from app.domain.training_starters import ISO_9001, ISO_13485, STARTERS, Starter, starter_for, to_add

CATALOGS = {
    StandardFamily.ISO_9001: "iso9001_2015.yaml",
    StandardFamily.ISO_13485: "iso13485_2016.yaml",
}


def catalog_numbers(family: StandardFamily) -> set[str]:
    path = Path(__file__).parents[2] / "app" / "standards" / CATALOGS[family]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {clause["number"] for clause in data["clauses"]}


def topic(starter: Starter, name: str) -> object:
    return next(t for t in starter.topics if t.name == name)


def test_iso_9001_starts_with_awareness_for_everyone_and_an_auditor_course():
    awareness = topic(ISO_9001, "Quality policy and objectives awareness")
    assert (awareness.everyone, awareness.clause_number, awareness.refresher_months) == (True, "7.3", 24)
    course = topic(ISO_9001, "Internal auditor course (ISO 19011)")
    assert course.qualifies_auditor and course.clause_number == "9.2"
    roles = {role.name: role for role in ISO_9001.roles}
    assert {"Production operator", "QC inspector", "Warehouse", "Internal auditor", "Management"} <= set(
        roles
    )
    assert roles["Internal auditor"].topics == ("Internal auditor course (ISO 19011)",)


def test_iso_13485_adds_regulatory_awareness_complaints_and_its_own_auditor_course():
    awareness = [t for t in ISO_13485.topics if t.everyone]
    assert len(awareness) == 1 and "regulatory requirements" in awareness[0].name
    assert awareness[0].clause_number == "6.2"
    course = next(t for t in ISO_13485.topics if t.qualifies_auditor)
    assert "ISO 13485" in course.name and "ISO 19011" in course.name
    customer = next(r for r in ISO_13485.roles if r.name == "Customer service")
    assert "Complaint handling and customer feedback" in customer.topics


@pytest.mark.parametrize("family", list(StandardFamily))
def test_every_starter_is_consistent(family):
    starter = starter_for(family)
    names = [name_key(t.name) for t in starter.topics]
    assert len(names) == len(set(names))
    assert len({name_key(r.name) for r in starter.roles}) == len(starter.roles)
    for role in starter.roles:
        assert role.topics and {name_key(n) for n in role.topics} <= set(names), role.name
    numbers = catalog_numbers(family)
    for t in starter.topics:
        assert t.clause_number in numbers, t.name
        assert t.refresher_months is None or t.refresher_months in REFRESHER_MONTHS
        assert len(t.name) <= 200
    assert sum(t.everyone for t in starter.topics) >= 1
    assert sum(t.qualifies_auditor for t in starter.topics) >= 1


def test_every_standard_has_a_starter():
    assert set(STARTERS) == set(StandardFamily)


def test_a_new_project_gets_the_whole_starter():
    assert to_add(ISO_9001, [], []) == ISO_9001


def test_adding_it_again_adds_nothing():
    again = to_add(ISO_9001, [t.name for t in ISO_9001.topics], [r.name for r in ISO_9001.roles])
    assert again.empty


def test_names_already_there_are_skipped_whatever_their_case_and_spacing():
    left = to_add(ISO_9001, ["  quality POLICY and objectives   awareness"], ["warehouse", "Management"])
    assert "Quality policy and objectives awareness" not in [t.name for t in left.topics]
    assert len(left.topics) == len(ISO_9001.topics) - 1
    assert [r.name for r in left.roles] == ["Production operator", "QC inspector", "Internal auditor"]
