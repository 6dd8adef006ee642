"""The measuring equipment pages: the register (most urgent first, filtered by status and location, paged,
a fixed number of queries), adding an instrument, its page (edited on the version read, calibrated, the
assessment of an out-of-tolerance calibration, out of and back into service, its history and evidence);
refusals beside their fields, stale saves 409, foreign ids 404, viewers 403."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.models import Calibration, Instrument, RegisterEvent
from tests.evidence_samples import add_file
from tests.html import field_errors, form_values
from tests.integration.equipment_support import ACTION, ASSESSMENT, TODAY, add_instrument, calibrated
from tests.integration.evidence_support import user_as
from tests.integration.test_unique_ids import check as unique_ids
from tests.querycount import count_queries

NEW = {
    "code": "CAL-01",
    "description": "Digital caliper, 0 to 150 mm",
    "location": "Finishing line 2",
    "measuring_range": "0 to 150 mm",
    "accuracy": "± 0.02 mm",
    "interval_months": "12",
    "traceability": "Gauge blocks calibrated by QUATEST 3 (VILAS 012), traceable to SI.",
}


def url(project: Any, *parts: Any) -> str:
    return "/".join([f"/projects/{project.id}/equipment", *(str(p) for p in parts)])


def reload(instrument_id: int) -> Instrument:
    db.session.expire_all()
    found = db.session.get(Instrument, instrument_id)
    assert found is not None
    return found


def count(model: Any) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def history(instrument_id: int) -> list[str]:
    rows = db.session.execute(
        select(RegisterEvent.summary)
        .where(RegisterEvent.register == "instrument", RegisterEvent.record_id == instrument_id)
        .order_by(RegisterEvent.id)
    )
    return list(rows.scalars())


def listed(http: FlaskClient, project: Any, query: str = "") -> list[int]:
    response = http.get(url(project) + query)
    assert response.status_code == 200
    return [int(i) for i in re.findall(r'<tr data-instrument-id="(\d+)"', response.text)]


def calibrate(http: FlaskClient, instrument: Instrument, **fields: Any) -> Any:
    values = {"calibrated_on": TODAY, "next_due": "", "result": "pass", "performed_by": "QUATEST 3"} | fields
    data = {f"calibration-{k}": v.isoformat() if isinstance(v, date) else v for k, v in values.items()}
    return http.post(url_of(instrument, "calibrations"), data=data)


def url_of(instrument: Instrument, *parts: Any) -> str:
    return "/".join(
        [f"/projects/{instrument.project_id}/equipment/{instrument.id}", *(str(p) for p in parts)]
    )


@pytest.fixture
def http(app: Any, make: Any, tree: dict[str, Any]) -> FlaskClient:
    return user_as(app, make, tree, "contributor")[0]


# Adding and calibrating


def test_an_instrument_is_added_then_calibrated_with_its_next_due_from_the_interval(http, tree):
    project = tree["project"]
    assert 'name="interval_months"' in http.get(url(project, "new")).text
    response = http.post(url(project, "new"), data=NEW)
    assert response.status_code == 303
    instrument = db.session.execute(select(Instrument)).scalar_one()
    assert response.headers["Location"].endswith(f"{url(project, instrument.id)}#calibrations")
    page = http.get(url(project, instrument.id))
    assert 'data-status="not_calibrated"' in page.text and "No calibration recorded yet." in page.text
    day = TODAY - timedelta(days=5)
    assert calibrate(http, instrument, calibrated_on=day, certificate_ref="Q3-2611-044").status_code == 303
    saved = reload(instrument.id)
    assert (saved.last_calibrated_on, saved.next_due) == (day, day.replace(year=day.year + 1))
    page = http.get(url(project, instrument.id))
    assert 'data-status="in_use"' in page.text and "Q3-2611-044" in page.text
    assert history(instrument.id) == [
        "Added CAL-01 (Digital caliper, 0 to 150 mm), calibrated every 12 months.",
        f"Calibrated on {day.day} {day:%b %Y} by QUATEST 3: pass.",
    ]
    assert 'id="history-list"' in page.text and "QUATEST 3: pass." in page.text
    assert 'id="evidence"' in page.text and "Measuring equipment and calibration" in page.text


def test_an_older_calibration_recorded_late_leaves_the_latest_dates(http, tree):
    instrument = add_instrument(tree["project"], calibrations=[calibrated(20, 345)])
    latest = (reload(instrument.id).last_calibrated_on, reload(instrument.id).next_due)
    assert calibrate(http, instrument, calibrated_on=TODAY - timedelta(days=400)).status_code == 303
    saved = reload(instrument.id)
    assert (saved.last_calibrated_on, saved.next_due) == latest and len(saved.calibrations) == 2


INSTRUMENT_REFUSALS = [
    ({"code": "cal-01"}, "code", "Another instrument of this project has the code cal-01"),
    ({"code": ""}, "code", "Give the equipment id"),
    ({"description": ""}, "description", "Say what the instrument is"),
    ({"interval_months": "0"}, "interval_months", "from 1 to 120"),
    ({"interval_months": "twelve"}, "interval_months", "from 1 to 120"),
    ({"accuracy": "a" * 81}, "accuracy", "at most 80 characters"),
]
CALIBRATION_REFUSALS = [
    ({"calibrated_on": TODAY + timedelta(days=1)}, "calibrated_on", "the date is in the future"),
    ({"calibrated_on": ""}, "calibrated_on", "Give the date of the calibration."),
    ({"calibrated_on": "31/02/2026"}, "calibrated_on", "Not a valid date"),
    ({"next_due": TODAY}, "next_due", "The next calibration must come after this one."),
    ({"result": "fine"}, "result", "Choose the result"),
    ({"performed_by": ""}, "performed_by", "Name who calibrated it"),
]


def test_an_instrument_or_calibration_that_breaks_a_rule_is_refused_beside_its_field(http, tree):
    instrument = add_instrument(tree["project"], "CAL-01")
    for fields, field, message in INSTRUMENT_REFUSALS:
        response = http.post(url(tree["project"], "new"), data=NEW | fields)
        assert response.status_code == 422
        assert any(message in error for error in field_errors(response, field)), field
        assert form_values(response, "code")["traceability"] == NEW["traceability"]  # what was typed stays
    for fields, field, message in CALIBRATION_REFUSALS:
        response = calibrate(http, instrument, **fields)
        assert response.status_code == 422
        assert any(message in error for error in field_errors(response, f"calibration-{field}")), field
    assert count(Instrument) == 1 and count(Calibration) == 0 and reload(instrument.id).next_due is None


# Out of tolerance: the assessment of earlier results


def assessment_data(page: Any, calibration_id: int, **fields: str) -> dict[str, str]:
    prefix = f"assessment-{calibration_id}"
    values = form_values(page, f"{prefix}-version")
    sent = {"assessed_on": TODAY.isoformat(), "assessment": ASSESSMENT, "assessment_action": ACTION} | fields
    return values | {f"{prefix}-{name}": value for name, value in sent.items()}


def test_out_of_tolerance_shows_until_the_earlier_results_are_assessed(http, tree):
    project = tree["project"]
    instrument = add_instrument(project, "CAL-07", calibrations=[calibrated(400, -35)])
    response = calibrate(http, instrument, calibrated_on=TODAY - timedelta(days=2), result="out_of_tolerance")
    assert response.status_code == 303
    page = http.get(url(project, instrument.id))
    calibration = reload(instrument.id).calibrations[-1]
    assert "Out of tolerance — earlier results not assessed" in page.text
    assert f'id="assessment-{calibration.id}-form"' in page.text
    assert listed(http, project, "?status=unassessed") == [instrument.id]
    assert history(instrument.id)[-1].endswith("by QUATEST 3: out of tolerance.")

    target = url(project, instrument.id, "calibrations", calibration.id, "assessment")
    refused = http.post(target, data=assessment_data(page, calibration.id, assessment="checked"))
    assert refused.status_code == 422
    assert "real sentence" in field_errors(refused, f"assessment-{calibration.id}-assessment")[0]
    assert reload(instrument.id).calibrations[-1].assessed_on is None

    read = page  # the page the assessment was made on
    assert http.post(target, data=assessment_data(read, calibration.id)).status_code == 303
    page = http.get(url(project, instrument.id))
    assert "Out of tolerance — earlier results not assessed" not in page.text
    assert f'data-assessed="{calibration.id}"' in page.text and ASSESSMENT in page.text
    assert listed(http, project, "?status=unassessed") == []
    assert history(instrument.id)[-1].startswith("Assessed the results measured before the calibration of")

    stale = http.post(target, data=assessment_data(read, calibration.id))  # read at version 1
    assert stale.status_code == 409 and "Someone else saved this calibration" in stale.text
    again = {f"assessment-{calibration.id}-version": "2"}
    twice = http.post(target, data=assessment_data(read, calibration.id) | again)
    assert twice.status_code == 422 and "This assessment was recorded on" in twice.text


def test_only_an_out_of_tolerance_calibration_of_this_instrument_is_assessed(http, tree):
    project = tree["project"]
    passed = add_instrument(project, calibrations=[calibrated(3, 360)])
    other = add_instrument(project, calibrations=[calibrated(3, 360, "out_of_tolerance")])
    calibration = passed.calibrations[0]
    sent = {
        "assessed_on": TODAY.isoformat(),
        "assessment": ASSESSMENT,
        "assessment_action": ACTION,
        "version": "1",
    }
    data = {f"assessment-{calibration.id}-{k}": v for k, v in sent.items()}
    response = http.post(url(project, passed.id, "calibrations", calibration.id, "assessment"), data=data)
    assert (
        response.status_code == 422 and "Only a calibration that found the instrument out of" in response.text
    )
    foreign = url(project, passed.id, "calibrations", other.calibrations[0].id, "assessment")
    assert http.post(foreign, data=data).status_code == 404


# Editing, and service


def edit_data(page: Any, **fields: str) -> dict[str, str]:
    return form_values(page, "version") | fields


def test_an_instrument_is_edited_on_the_version_read_and_a_stale_edit_is_409(http, tree):
    project = tree["project"]
    instrument = add_instrument(project, "CAL-01")
    add_instrument(project, "SC-02")
    page = http.get(url(project, instrument.id))
    assert http.post(url(project, instrument.id), data=edit_data(page, location="Store")).status_code == 303
    assert reload(instrument.id).location == "Store"
    assert history(instrument.id)[-1] == "Changed the location."
    stale = http.post(url(project, instrument.id), data=edit_data(page, accuracy="± 0.01 mm"))
    assert stale.status_code == 409 and "Someone else saved this instrument" in stale.text
    assert "± 0.01 mm" in stale.text and form_values(stale, "version")["location"] == "Store"
    page = http.get(url(project, instrument.id))
    taken = http.post(url(project, instrument.id), data=edit_data(page, code="SC-02"))
    assert taken.status_code == 422 and "has the code SC-02" in field_errors(taken, "code")[0]
    assert reload(instrument.id).code == "CAL-01"
    unchanged = http.post(url(project, instrument.id), data=edit_data(page))
    assert unchanged.status_code == 303 and len(history(instrument.id)) == 1


def test_out_of_service_with_a_reason_and_back(http, tree):
    project = tree["project"]
    instrument = add_instrument(project, calibrations=[calibrated(30, -3)])
    page = http.get(url(project, instrument.id))
    data = form_values(page, "service-version")
    refused = http.post(url(project, instrument.id, "service"), data=data)
    assert refused.status_code == 422 and "Say why" in field_errors(refused, "service-reason")[0]
    sent = data | {"service-reason": "Display faulty, sent for repair."}
    assert http.post(url(project, instrument.id, "service"), data=sent).status_code == 303
    assert reload(instrument.id).out_of_service
    assert listed(http, project, "?status=out_of_service") == [instrument.id]
    assert listed(http, project, "?status=overdue") == []
    assert (
        http.post(url(project, instrument.id, "service"), data=sent).status_code == 409
    )  # read when in service
    page = http.get(url(project, instrument.id))
    back = form_values(page, "service-version")
    assert http.post(url(project, instrument.id, "service"), data=back).status_code == 303
    assert not reload(instrument.id).out_of_service
    assert history(instrument.id) == [
        "Taken out of service: Display faulty, sent for repair.",
        "Put back in service.",
    ]


# The register


@pytest.fixture
def register(tree: dict[str, Any]) -> dict[str, Instrument]:
    project = tree["project"]
    return {
        "fine": add_instrument(project, "A-FINE", [calibrated(30, 300)], location="QC lab"),
        "due": add_instrument(project, "B-DUE", [calibrated(340, 20)], location="Line 1"),
        "late": add_instrument(project, "C-LATE", [calibrated(400, -35)], location="Line 1"),
        "never": add_instrument(project, "D-NEW", location="Store"),
        "oot": add_instrument(project, "E-OOT", [calibrated(5, 360, "out_of_tolerance")], location="QC lab"),
        "away": add_instrument(project, "F-AWAY", [calibrated(500, -100)], out_of_service=True),
    }


def test_the_register_lists_the_most_urgent_first_and_filters(http, tree, register):
    project, r = tree["project"], register
    order = ["late", "oot", "never", "due", "fine", "away"]
    assert listed(http, project) == [r[k].id for k in order]
    page = http.get(url(project)).text
    row = re.search(rf'<tr data-instrument-id="{r["late"].id}".*?</tr>', page, re.S)
    assert row and "Overdue" in row.group(0) and "Line 1" in row.group(0) and "12 months" in row.group(0)
    pairs = [("overdue", "late"), ("unassessed", "oot"), ("not_calibrated", "never"), ("due", "due"),
             ("in_use", "fine"), ("out_of_service", "away")]  # fmt: skip
    for status, key in pairs:
        assert listed(http, project, f"?status={status}") == [r[key].id], status
    assert listed(http, project, "?location=Line+1") == [r["late"].id, r["due"].id]
    assert listed(http, project, "?location=Line+1&status=due") == [r["due"].id]
    unknown = http.get(url(project) + "?status=broken")
    assert 'id="filter-refusal"' in unknown.text and "There is no status “broken”" in unknown.text
    assert listed(http, project, "?status=broken") == listed(http, project)
    assert 'id="instruments-empty"' in http.get(url(project) + "?location=Nowhere").text


def test_the_register_pages_25_at_a_time_and_is_empty_with_guidance(http, tree):
    project = tree["project"]
    assert "7.1.5" in http.get(url(project)).text and 'id="instruments-empty"' in http.get(url(project)).text
    for _ in range(26):
        add_instrument(project)
    assert len(listed(http, project)) == 25 and len(listed(http, project, "?page=2")) == 1
    assert "Page 1 of 2" in http.get(url(project)).text


def test_the_register_runs_the_same_queries_for_3_and_30_instruments(http, tree):
    project = tree["project"]
    for days in (10, 380, 200):
        add_instrument(project, calibrations=[calibrated(days, 365 - days)], location=f"Line {days}")
    http.get(url(project))
    with count_queries() as few:
        assert http.get(url(project)).status_code == 200
    for index in range(27):
        add_instrument(project, calibrations=[calibrated(index * 20, 365 - index * 20, "out_of_tolerance")],
                       location=f"Place {index}")  # fmt: skip
    with count_queries() as many:
        assert http.get(url(project)).status_code == 200
    assert len(many) == len(few)


# Who may do what


def test_a_viewer_reads_the_register_and_a_page_but_changes_nothing(app, make, tree):
    viewer = user_as(app, make, tree, "viewer")[0]
    project = tree["project"]
    instrument = add_instrument(project, calibrations=[calibrated(3, 360, "out_of_tolerance")])
    calibration = instrument.calibrations[0]
    assert viewer.get(url(project)).status_code == 200
    page = viewer.get(url(project, instrument.id))
    assert page.status_code == 200 and 'id="instrument-form"' not in page.text
    assert 'id="calibration-form"' not in page.text and "assessment-" not in page.text
    assert viewer.get(url(project, "new")).status_code == 403
    targets = [url(project, "new"), url(project, instrument.id), url(project, instrument.id, "calibrations"),
               url(project, instrument.id, "service"),
               url(project, instrument.id, "calibrations", calibration.id, "assessment")]  # fmt: skip
    for target in targets:
        assert viewer.post(target, data=NEW).status_code == 403, target
    assert count(Instrument) == 1 and count(Calibration) == 1


def test_another_workspaces_instrument_is_not_found(http, make, tree):
    theirs = make.tree()["project"]
    instrument = add_instrument(theirs, calibrations=[calibrated(3, 360, "out_of_tolerance")])
    mine = tree["project"]
    for target in (url(mine, instrument.id), url(theirs, instrument.id)):
        assert http.get(target).status_code == 404
        assert http.post(f"{target}/calibrations", data={}).status_code == 404
    assert (
        http.post(
            url(mine, instrument.id, "calibrations", instrument.calibrations[0].id, "assessment")
        ).status_code
        == 404
    )
    assert http.post(url(mine, "9999999999999")).status_code == 404


def test_evidence_links_to_the_instrument_and_every_id_is_unique(http, tree):
    project = tree["project"]
    instrument = add_instrument(
        project, calibrations=[calibrated(3, 360, "out_of_tolerance"), calibrated(400, -30)]
    )
    evidence = add_file(project)
    linked = http.post(f"/projects/{project.id}/registers/instrument/{instrument.id}/evidence",
                       data={"evidence_id": str(evidence.id)})  # fmt: skip
    assert linked.status_code == 303 and linked.headers["Location"].endswith(
        f"{url(project, instrument.id)}#evidence"
    )
    page = http.get(url(project, instrument.id))
    assert 'id="linked-evidence"' in page.text and evidence.title in page.text
    unique_ids(page.text)
    unique_ids(http.get(url(project)).text)
    unique_ids(http.get(url(project, "new")).text)


def test_two_instruments_given_one_code_at_once_the_second_is_refused_beside_the_code(
    http, tree, monkeypatch
):
    """The check before saving let both through (a race): the database's constraint refuses the second."""
    from app.services import equipment

    project = tree["project"]
    add_instrument(project, "CAL-01")
    monkeypatch.setattr(equipment, "_code_taken", lambda *args: False)
    response = http.post(url(project, "new"), data=NEW)
    assert response.status_code == 422
    assert "has the code CAL-01" in field_errors(response, "code")[0]
    assert count(Instrument) == 1
