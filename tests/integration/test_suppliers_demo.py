"""The demo's supplier lists (app.services.demo_suppliers): each factory gets the suppliers of its products
through the service, the cork plant still preparing has one re-evaluation overdue and one supplier not
evaluated, the infusion plant (ISO 13485) classifies every supplier and writes the high-risk ones' controls,
and the certified moulding plant is in order."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import RegisterEvent, Supplier
from app.services import demo_suppliers
from app.services import suppliers as service

TODAY = date(2026, 11, 20)


def seeded(make: Any, site_name: str, code: str = "iso9001") -> Any:
    tree = make.tree(code=code)
    tree["site"].name = site_name
    make.user(tree["workspace"], role="owner")
    demo_suppliers.seed(tree["project"], TODAY)
    db.session.commit()
    return tree["project"]


def concerns(project: Any) -> dict[str, int]:
    state = service.register_state(project, TODAY)
    return {"count": state.count} | {concern.label: concern.count for concern in state.concerns}


def test_each_demo_factory_gets_its_own_suppliers_with_what_needs_attention(make):
    cork = seeded(make, "Binh Duong stopper plant")
    assert concerns(cork) == {
        "count": 7,
        "not evaluated": 1,
        "re-evaluation overdue": 1,
        "conditional": 1,
        "blocked": 0,
    }
    sachets = seeded(make, "Samut Prakan sachet plant")
    assert concerns(sachets) == {
        "count": 6,
        "not evaluated": 1,
        "re-evaluation overdue": 0,
        "conditional": 1,
        "blocked": 1,
    }
    moulding = seeded(make, "Nhon Trach moulding plant")
    state = service.register_state(moulding, TODAY)
    assert state.count == 6 and not any(concern.count for concern in state.concerns)
    tape = seeded(make, "Long An label-tape plant")
    assert concerns(tape)["count"] == 4 and concerns(tape)["not evaluated"] == 1
    events = db.session.execute(select(RegisterEvent.summary).where(RegisterEvent.project_id == cork.id))
    assert sum("Evaluated on" in line for line in events.scalars()) == 7


def test_the_infusion_plant_controls_its_suppliers_in_proportion_to_risk(make):
    infusion = seeded(make, "Bayan Lepas infusion-set plant", "iso13485")
    rows = db.session.execute(select(Supplier).where(Supplier.project_id == infusion.id)).scalars().all()
    assert len(rows) == 7 and all(row.risk_class for row in rows)
    high = [row for row in rows if row.risk_class == "high"]
    assert high and all(row.controls and row.reevaluate_months <= 12 for row in high)
    assert any("sterilisation" in row.supplies.lower() for row in rows)
    assert concerns(infusion)["not evaluated"] == 1 and concerns(infusion)["re-evaluation overdue"] == 0
