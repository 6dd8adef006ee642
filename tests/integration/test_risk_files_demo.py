"""The demo's ISO 13485 files: the infusion-set plant's risk-management files and QMS software list, written
through the services (so every rule holds), with what still needs attention; nothing for ISO 9001."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models import RegisterEvent, RiskFile, SoftwareValidation
from app.services import demo_risk_files, demo_software
from app.services import risk_files as risk_file_service
from app.services import software as software_service
from tests.integration.evidence_support import user_as
from tests.integration.test_unique_ids import check as check_ids

TODAY = date(2026, 5, 4)


def test_the_infusion_plant_keeps_its_files_and_the_others_none(app, make):
    medical = make.tree(code="iso13485")
    http = user_as(app, make, medical, "owner")[0]
    nine = make.tree(medical["workspace"])["project"]
    for project in (medical["project"], nine):
        demo_risk_files.seed(project, TODAY)
        demo_software.seed(project, TODAY)
    db.session.commit()
    project = medical["project"]
    files = risk_file_service.register_state(project, TODAY)
    assert files.text == "2 device families, 1 hazard without controls"
    software = software_service.register_state(project, TODAY)
    assert software.text == "5 applications, 1 not validated, 1 revalidation due"
    hazards = [len(f.hazards) for f in db.session.execute(select(RiskFile)).scalars()]
    assert sorted(hazards) == [5, 5]
    stored = db.session.execute(select(func.count()).select_from(SoftwareValidation)).scalar_one()
    assert stored == 5  # none for the ISO 9001 project
    days = db.session.execute(select(RegisterEvent.occurred_at)).scalars().all()
    assert len(days) == 2 + 10 + 5 + 4 and max(day.date() for day in days) <= TODAY
    assert min(day.date() for day in days) < TODAY
    # An ISO 13485 project's lists show the files without the notice that they are optional
    for area, rows in (("risk-files", "data-risk-file-id="), ("software", "data-software-id=")):
        page = http.get(f"/projects/{project.id}/{area}")
        assert page.status_code == 200 and 'id="not-required"' not in page.text
        assert page.text.count(rows) == (2 if area == "risk-files" else 5)
        check_ids(page.text)
