"""The demo factories' measuring equipment (app.services.demo_equipment): each factory's instruments fit its
products and pass the register's rules; the cork-stopper plant, still preparing, has one instrument overdue
and one out of tolerance with its earlier results not assessed; the certified factory is in order."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from app.domain.calibration import Status
from app.extensions import db
from app.models import Calibration, Instrument, RegisterEvent
from app.services import demo_equipment, equipment
from app.services.equipment import KIND
from app.services.register_records import history

SITES = {
    "Binh Duong stopper plant": ("iso9001", 7, {Status.UNASSESSED: 1, Status.OVERDUE: 1, Status.DUE: 1}),
    "Samut Prakan sachet plant": ("iso9001", 6, {Status.NOT_CALIBRATED: 1, Status.DUE: 2}),
    "Bayan Lepas infusion-set plant": ("iso13485", 7, {Status.DUE: 2, Status.OUT_OF_SERVICE: 1}),
    "Nhon Trach moulding plant": ("iso9001", 6, {}),
    "Long An label-tape plant": ("iso9001", 6, {}),
}


def test_each_demo_factory_has_its_instruments_and_what_needs_attention(make):
    today = date.today()
    workspace = make.workspace()
    user = make.user(workspace, role="owner")
    client = make.client(workspace)
    projects: dict[str, Any] = {}
    for name, (code, _, _) in SITES.items():
        projects[name] = make.project(make.site(client, name=name), code)
        demo_equipment.seed(projects[name], today)
    db.session.commit()
    for name, (_, count, concerns) in SITES.items():
        found = equipment.register_state(projects[name], today)
        assert found.count == count, name
        assert {c.label: c.count for c in found.concerns if c.count} == {
            equipment.rules.CONCERN_LABELS[s]: n for s, n in concerns.items()
        }, name
    moulding = projects["Nhon Trach moulding plant"].id
    assessed = db.session.execute(
        select(Calibration)
        .join(Instrument)
        .where(Instrument.project_id == moulding, Calibration.result == "out_of_tolerance")
    ).scalar_one()
    assert assessed.assessed_on is not None and "retained samples" in assessed.assessment
    mirrored = db.session.execute(select(Instrument).where(Instrument.code == "CK-EF-01")).scalar_one()
    assert mirrored.last_calibrated_on == max(c.calibrated_on for c in mirrored.calibrations)
    dated = [(event.occurred_at.date(), event.summary) for event in reversed(history(KIND, mirrored.id))]
    first, last = (c.calibrated_on for c in mirrored.calibrations)
    assert dated == [
        (
            first - timedelta(days=1),
            "Added CK-EF-01 (Stopper extraction force tester), calibrated every 12 months.",
        ),
        (first, f"Calibrated on {first.day} {first:%b %Y} by QUATEST 3 (VILAS 004): pass."),
        (last, f"Calibrated on {last.day} {last:%b %Y} by QUATEST 3 (VILAS 004): pass."),
    ]
    events = db.session.execute(select(func.count(), func.min(RegisterEvent.actor_id))).one()
    assert events == (
        db.session.execute(select(func.count(Calibration.id))).scalar_one() + 32 + 1 + 2,
        user.id,
    )


def test_the_demo_days_are_counted_back_from_any_today(make):
    """Seeded on a leap day, the cork-stopper plant still has exactly what needs attention."""
    workspace = make.workspace()
    make.user(workspace, role="owner")
    project = make.project(make.site(make.client(workspace), name="Binh Duong stopper plant"))
    today = date(2028, 2, 29)
    demo_equipment.seed(project, today)
    db.session.commit()
    found = {c.label: c.count for c in equipment.register_state(project, today).concerns if c.count}
    assert found == {
        "out of tolerance, earlier results not assessed": 1,
        "overdue": 1,
        "due within 30 days": 1,
    }
