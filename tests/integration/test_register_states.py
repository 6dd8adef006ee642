"""All of a project's register states in one statement (app.services.register_states): the same states each
register's own service counts alone, for every register of both standards, and one query whatever the
registers hold."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.extensions import db
from app.models import CertificationProject
from app.services import (
    demo_complaints,
    demo_context,
    demo_equipment,
    demo_risk_files,
    demo_risks,
    demo_satisfaction,
    demo_software,
    demo_suppliers,
    register_states,
)
from app.services.register_states import SERVICES
from tests.querycount import count_queries

TODAY = date(2026, 5, 4)
SEEDS = (
    demo_context,
    demo_risks,
    demo_equipment,
    demo_suppliers,
    demo_complaints,
    demo_satisfaction,
    demo_risk_files,
    demo_software,
)


def seeded(make: Any, tree: dict[str, Any], name: str, code: str) -> Any:
    project = make.project(make.site(tree["client"], name=name), code=code)
    for demo in SEEDS:
        demo.seed(project, TODAY)
    db.session.commit()
    return project


def alone(project: Any) -> list[Any]:
    """Each register's state as its service counts it by itself (one query each)."""
    return [
        register_states._service(state.key).register_state(project, TODAY)
        for state in register_states.states_of(project, TODAY)
    ]


def test_the_states_in_one_statement_are_those_each_register_counts_alone(make, tree):
    make.user(tree["workspace"], role="owner")  # who the demo's history names
    nine = seeded(make, tree, "Binh Duong stopper plant", "iso9001")
    medical = seeded(make, tree, "Bayan Lepas infusion-set plant", "iso13485")
    empty = make.project(make.site(tree["client"], name="Empty plant"), code="iso13485")
    seen, counts = set(), {}
    for name, project_id in (("nine", nine.id), ("medical", medical.id), ("empty", empty.id)):
        with count_queries() as statements:
            project = db.session.get(CertificationProject, project_id)
            assert project.standard.code  # (loaded first: count_queries starts a new session)
            before = len(statements)
            states = register_states.states_of(project, TODAY)
            assert len(statements) == before + 1
        assert states == alone(project)
        seen |= {state.key for state in states}
        counts[name] = [state.count for state in states]
    assert seen == set(SERVICES)
    assert all(counts["nine"]) and all(counts["medical"]) and not any(counts["empty"])


def test_only_the_registers_asked_for_and_none_without_a_query(make, tree):
    make.user(tree["workspace"], role="owner")
    project = seeded(make, tree, "Bayan Lepas infusion-set plant", "iso13485")
    keys = {state.key for state in register_states.states_of(project, TODAY)}
    for key in keys:
        (found,) = register_states.states_of(project, TODAY, {key})
        assert found == register_states._service(key).register_state(project, TODAY)
    with count_queries() as statements:
        assert register_states.states_for_clause(project, "4.2.3", TODAY) == []  # no register evidences it
    assert statements == []
