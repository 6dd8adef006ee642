"""The demo's complaint and satisfaction registers (app.services.demo_complaints, demo_satisfaction), seeded
through the services for each demo factory: the factories still preparing have something needing
attention, the infusion-set factory a complaint awaiting its reportability decision and its kinked-line
complaint linked to its finding, the certified factory nothing; every history line dated in the past."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Complaint, Finding, RegisterEvent, SatisfactionMeasure
from app.services import complaints, demo_complaints, demo_satisfaction, satisfaction
from tests.integration.finding_support import add_finding

TODAY = date.today()


def factory(make: Any, site: str, code: str = "iso9001") -> Any:
    workspace = make.workspace()
    make.user(workspace, role="owner")
    project = make.project(make.site(make.client(workspace), name=site), code)
    return project


@pytest.mark.parametrize(
    ("site", "code", "complaint_state", "satisfaction_state"),
    [
        ("Binh Duong stopper plant", "iso9001", "3 complaints, 1 open for more than 30 days, 2 open",
         "3 measures, 1 not measured in 6 months, 1 below target"),
        ("Samut Prakan sachet plant", "iso9001", "2 complaints, 1 open for more than 30 days, 1 open",
         "2 measures, 2 below target"),
        ("Bayan Lepas infusion-set plant", "iso13485", "4 complaints, 1 reportability not decided, 1 open",
         "3 measures"),
        ("Nhon Trach moulding plant", "iso9001", "3 complaints", "3 measures"),
        ("A label-tape plant", "iso9001", "2 complaints, 1 open", "2 measures"),
    ],
)  # fmt: skip
def test_each_demo_factory_gets_its_registers(make, site, code, complaint_state, satisfaction_state):
    project = factory(make, site, code)
    if code == "iso13485":
        add_finding(
            project, source="customer_complaint", clause_number="7.5.1", raised_on=TODAY - timedelta(days=75)
        )
    demo_complaints.seed(project, TODAY)
    demo_satisfaction.seed(project, TODAY)
    db.session.commit()
    assert complaints.register_state(project, TODAY).text == complaint_state
    assert satisfaction.register_state(project, TODAY).text == satisfaction_state
    measures = db.session.execute(select(SatisfactionMeasure)).scalars().all()
    assert all(4 <= len(m.values) <= 8 for m in measures)
    events = db.session.execute(select(RegisterEvent.occurred_at)).scalars().all()
    now = datetime.now(UTC)
    assert events and all(event.replace(tzinfo=UTC) <= now for event in events)
    linked = db.session.execute(
        select(Complaint.finding_id).where(Complaint.finding_id.is_not(None))
    ).scalars()
    findings = db.session.execute(select(Finding.source)).scalars().all()
    if site.startswith(("Binh Duong", "Bayan Lepas")):
        assert len(list(linked)) == 1 and findings == ["customer_complaint"]
    else:
        assert list(linked) == [] and findings == []
