"""The demo's context registers: each factory's register as its story says (the cork plant with reviews due,
the sachet plant without a climate decision, the certified moulding plant in good order), dated histories,
and nothing for an ISO 13485 project."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import ClimateDecision, ContextIssue, RegisterEvent
from app.services import context as service
from app.services.demo_context import seed

TODAY = date(2026, 6, 15)


def seeded(make: Any, tree: dict[str, Any], site_name: str, code: str = "iso9001") -> Any:
    make.user(tree["workspace"], role="owner")
    project = make.project(make.site(tree["client"], name=site_name), code)
    seed(project, TODAY)
    db.session.commit()
    return project


def test_each_demo_factory_gets_the_register_its_story_tells(app, make, tree):
    cork = seeded(make, tree, "Binh Duong stopper plant")
    assert (
        service.register_state(cork, TODAY).text
        == "6 issues, 5 interested parties, 3 not reviewed in 12 months"
    )
    sachet = seeded(make, tree, "Samut Prakan sachet plant")
    state = service.register_state(sachet, TODAY)
    assert state.has_problems and "climate decision not recorded" in state.text
    certified = seeded(make, tree, "Nhon Trach moulding plant")
    state = service.register_state(certified, TODAY)
    assert state.text == "7 issues, 5 interested parties" and not state.has_problems
    decisions, _ = service.decision_page(certified.id, 1, 10)
    assert [d.relevant for d in decisions] == [True, False]
    tape = seeded(make, tree, "Any label-tape plant")
    assert not service.register_state(tape, TODAY).has_problems
    infusion = seeded(make, tree, "Bayan Lepas infusion-set plant", "iso13485")
    for model in (ContextIssue, ClimateDecision):
        found = select(func.count()).select_from(model).where(model.project_id == infusion.id)
        assert db.session.execute(found).scalar_one() == 0


def test_the_demo_history_is_dated_when_it_happened(app, make, tree):
    project = seeded(make, tree, "Binh Duong stopper plant")
    issue = db.session.execute(
        select(ContextIssue).where(
            ContextIssue.project_id == project.id, ContextIssue.starter_key == "staff-turnover"
        )
    ).scalar_one()
    events = db.session.execute(
        select(RegisterEvent)
        .where(RegisterEvent.record_id == issue.id, RegisterEvent.register == "context_issue")
        .order_by(RegisterEvent.id)
    ).scalars()
    dated = [(event.occurred_at.date(), event.summary) for event in events]
    assert dated == [
        (TODAY - timedelta(days=420), "Internal issue added (people and knowledge), from the suggestions."),
        (
            TODAY - timedelta(days=60),
            f"Changed the owner. Reviewed on {TODAY - timedelta(days=60):%d %b %Y}.",
        ),
    ]
    assert all(event.actor_id is not None for event in db.session.execute(select(RegisterEvent)).scalars())
