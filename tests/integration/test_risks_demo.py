"""The demo's risks and opportunities: six to ten for each ISO 9001 factory, all passing the register's own
rules, linked to the context issues already there; the factories preparing have some needing attention,
the certified one none; an ISO 13485 factory gets none."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.domain.registers import RecordKind
from app.extensions import db
from app.models import ContextIssue, Risk
from app.services import demo_risks, register_records, risks
from tests.integration.risks_support import TODAY

SITES = {
    "cork": "Binh Duong stopper plant",
    "sachets": "Samut Prakan sachet plant",
    "tape": "Cikarang label-tape plant",
    "certified": "Nhon Trach moulding plant",
}


def seeded(make: Any, tree: dict[str, Any], name: str, code: str = "iso9001") -> Any:
    make.user(tree["workspace"], role="owner")  # who the history names
    project = make.project(make.site(tree["client"], name=name), code=code)
    demo_risks.seed(project, TODAY)
    db.session.commit()
    return project


def risks_of(project: Any) -> list[Risk]:
    return list(db.session.execute(select(Risk).where(Risk.project_id == project.id)).scalars())


def test_each_iso_9001_factory_gets_a_register_the_rules_accept(make, tree):
    states = {}
    for key, name in SITES.items():
        project = seeded(make, tree, name)
        found = risks_of(project)
        assert 6 <= len(found) <= 10, key
        assert {risk.kind for risk in found} == {"risk", "opportunity"}, key
        states[key] = risks.register_state(project, TODAY)
    assert states["cork"].has_problems and states["sachets"].has_problems and states["tape"].has_problems
    assert not states["certified"].has_problems
    overdue = {
        state.key: c.count for state in states.values() for c in state.concerns if c.label == "overdue"
    }
    assert overdue and min(overdue.values()) == 0  # the certified factory: nothing overdue
    reviewed = next(r for r in risks_of(project) if r.reviewed_on)  # the certified factory's
    events = sorted(register_records.history(RecordKind.RISK, reviewed.id), key=lambda e: e.occurred_at)
    assert [e.occurred_at.date() for e in events] == [reviewed.created_at.date(), reviewed.reviewed_on]
    assert all(e.actor is not None for e in events)
    medical = seeded(make, tree, "Bayan Lepas infusion-set plant", code="iso13485")
    assert risks_of(medical) == []


def test_the_sachet_plant_scores_on_three_points_and_risks_link_to_its_context(make, tree):
    make.user(tree["workspace"], role="owner")
    project = make.project(make.site(tree["client"], name=SITES["sachets"]))
    climate = ContextIssue(project_id=project.id, kind="external", category="climate",
                           description="Monsoon flooding around the industrial estate.")  # fmt: skip
    db.session.add(climate)
    db.session.commit()
    demo_risks.seed(project, TODAY)
    db.session.commit()
    assert project.risk_scale == 3
    found = risks_of(project)
    assert all(1 <= r.likelihood <= 3 and 1 <= r.impact <= 3 for r in found)
    assert [r.description for r in found if r.issue_id == climate.id] == [
        "Flooding around Bang Phli in the rainy season stops the deliveries of film and cartons."
    ]
