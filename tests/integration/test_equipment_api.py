"""The measuring equipment API: the register with its filters, adding an instrument, reading one with its
calibrations and ETag, recording a calibration and the assessment of earlier results, every refusal as JSON
naming the rule; and the register's queries (a fixed number; the SQL filters agree with the rule; the
register's state for the registers page and the next steps)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain import calibration as rules
from app.domain.calibration import InstrumentFacts, Status
from app.extensions import db
from app.models import Calibration, Instrument
from app.services import equipment as service
from tests.factories import login
from tests.integration.equipment_support import ACTION, ASSESSMENT, TODAY, add_instrument, calibrated
from tests.integration.test_api import assert_error, bearer, check, documented, token_for
from tests.querycount import count_queries

LIST = "/api/v1/projects/{project_id}/instruments"
ONE = "/api/v1/projects/{project_id}/instruments/{instrument_id}"
CALIBRATIONS = "/api/v1/projects/{project_id}/instruments/{instrument_id}/calibrations"
ASSESS = "/api/v1/projects/{project_id}/instruments/{instrument_id}/calibrations/{calibration_id}/assessment"
NEW = {"code": "TT-01", "description": "Torque tester", "interval_months": 6, "location": "Capping line"}


@pytest.fixture
def headers(make: Any, tree: dict[str, Any]) -> dict[str, str]:
    return bearer(token_for(make.user(tree["workspace"], role="owner")))


def url(path: str, project: Any, **ids: int) -> str:
    return path.format(project_id=project.id, **ids)


def stored(model: Any) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def listed(client: Any, project: Any, headers: dict[str, str], query: str = "") -> dict[str, Any]:
    response = client.get(url(LIST, project) + query, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    check(response.json, documented(LIST, "get"))
    return response.json


def test_the_list_answers_each_instrument_as_the_register_shows_it(client, tree, headers):
    project = tree["project"]
    late = add_instrument(project, "C-LATE", [calibrated(400, -35)], location="Line 1", accuracy="± 1 N")
    oot = add_instrument(project, "E-OOT", [calibrated(5, 360, "out_of_tolerance")], out_of_service=True)
    fine = add_instrument(project, "A-FINE", [calibrated(30, 300)])
    body = listed(client, project, headers)
    assert (body["page"], body["per_page"], body["total"]) == (1, 20, 3)
    assert [item["id"] for item in body["items"]] == [late.id, oot.id, fine.id]
    assert body["items"][0] == {
        "id": late.id,
        "code": "C-LATE",
        "description": "Digital caliper",
        "location": "Line 1",
        "measuring_range": "",
        "accuracy": "± 1 N",
        "interval_months": 12,
        "last_calibrated_on": (TODAY - timedelta(days=400)).isoformat(),
        "next_due": (TODAY - timedelta(days=35)).isoformat(),
        "out_of_service": False,
        "status": "overdue",
        "statuses": ["overdue"],
        "url": url(ONE, project, instrument_id=late.id),
    }
    assert body["items"][1]["statuses"] == ["unassessed", "out_of_service"]
    assert [i["id"] for i in listed(client, project, headers, "?status=out_of_service")["items"]] == [oot.id]
    assert [i["id"] for i in listed(client, project, headers, "?location=Line%201")["items"]] == [late.id]
    assert listed(client, project, headers, "?per_page=1&page=3")["items"][0]["id"] == fine.id


def test_a_list_filter_that_cannot_be_is_refused(client, tree, headers):
    for query, field in [
        ("?status=broken", "status"),
        (f"?location={'x' * 121}", "location"),
        ("?page=0", "page"),
    ]:
        error = assert_error(client.get(url(LIST, tree["project"]) + query, headers=headers), 422)
        assert field in error["fields"]


def test_an_instrument_is_added_read_calibrated_and_assessed(client, tree, headers):
    project = tree["project"]
    created = client.post(url(LIST, project), json=NEW, headers=headers)
    assert created.status_code == 201, created.get_data(as_text=True)
    check(created.json, documented(LIST, "post", 201))
    assert created.json["status"] == "not_calibrated" and created.json["calibrations"] == []
    one = url(ONE, project, instrument_id=created.json["id"])
    read = client.get(one, headers=headers)
    assert read.status_code == 200 and read.headers["ETag"] == '"v1"'
    assert client.get(one, headers=headers | {"If-None-Match": '"v1"'}).status_code == 304

    day = TODAY - timedelta(days=3)
    sent = {"calibrated_on": day.isoformat(), "result": "out_of_tolerance", "performed_by": "SGS Vietnam"}
    calibrated_now = client.post(f"{one}/calibrations", json=sent, headers=headers)
    assert calibrated_now.status_code == 201, calibrated_now.get_data(as_text=True)
    check(calibrated_now.json, documented(CALIBRATIONS, "post", 201))
    body = calibrated_now.json
    assert body["last_calibrated_on"] == day.isoformat() and body["status"] == "unassessed"
    assert body["next_due"] == rules.default_next_due(day, 6).isoformat()  # one interval on
    calibration = body["calibrations"][0]
    assert calibration["needs_assessment"] and calibration["version"] == 1

    target = f"{one}/calibrations/{calibration['id']}/assessment"
    assessed = {
        "assessed_on": TODAY.isoformat(),
        "assessment": ASSESSMENT,
        "assessment_action": ACTION,
        "version": 1,
    }
    answer = client.post(target, json=assessed, headers=headers)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    check(answer.json, documented(ASSESS, "post"))
    assert answer.json["status"] == "in_use" and not answer.json["calibrations"][0]["needs_assessment"]
    stale = assert_error(client.post(target, json=assessed, headers=headers), 409)
    assert "Someone else saved this calibration" in stale["message"]
    twice = assert_error(client.post(target, json=assessed | {"version": 2}, headers=headers), 422)
    assert "This assessment was recorded on" in twice["message"]


INSTRUMENT_REFUSALS = [
    ({"code": "tt-01"}, "code", "has the code tt-01"),
    ({"interval_months": 0}, "interval_months", "from 1 to 120"),
    ({"interval_months": 121}, "interval_months", "from 1 to 120"),
    ({"description": " "}, "description", "Say what the instrument is"),
    ({"interval_months": "12"}, "interval_months", "valid integer"),
    ({"colour": "red"}, "colour", "Unknown field."),
]
CALIBRATION_REFUSALS = [
    ({"next_due": (TODAY - timedelta(days=1)).isoformat()}, "next_due", rules.NEXT_AFTER),
    (
        {"calibrated_on": (TODAY + timedelta(days=1)).isoformat()},
        "calibrated_on",
        "the date is in the future",
    ),
    ({"calibrated_on": None}, "calibrated_on", "Give the date of the calibration."),
    ({"calibrated_on": "2026-02-30"}, "calibrated_on", "is not a date"),
    ({"result": "fine"}, "result", "pass, adjusted, or out of tolerance"),
    ({"performed_by": ""}, "performed_by", "Name who calibrated it"),
]


def test_an_instrument_or_calibration_that_breaks_a_rule_is_422_naming_it(client, tree, headers):
    instrument = add_instrument(tree["project"], "TT-01")
    for change, field, rule in INSTRUMENT_REFUSALS:
        error = assert_error(client.post(url(LIST, tree["project"]), json=NEW | change, headers=headers), 422)
        assert rule in error["fields"][field] and rule in error["message"], field
    target = url(CALIBRATIONS, tree["project"], instrument_id=instrument.id)
    for change, field, rule in CALIBRATION_REFUSALS:
        sent = {"calibrated_on": TODAY.isoformat(), "result": "pass", "performed_by": "QUATEST 3"} | change
        error = assert_error(client.post(target, json=sent, headers=headers), 422)
        assert rule in error["fields"][field] and rule in error["message"], field
    assert stored(Instrument) == 1 and stored(Calibration) == 0


def test_refusals_foreign_ids_viewers_and_the_wrong_calibration(client, make, tree, headers):
    project = tree["project"]
    theirs = make.tree()["project"]
    foreign = add_instrument(theirs, calibrations=[calibrated(3, 360, "out_of_tolerance")])
    passed = add_instrument(project, calibrations=[calibrated(3, 360)])
    calibration = {"calibrated_on": TODAY.isoformat(), "result": "pass", "performed_by": "Lab"}
    assessment = {"assessed_on": TODAY.isoformat(), "assessment": ASSESSMENT, "assessment_action": ACTION}
    assert_error(client.get(url(ONE, project, instrument_id=foreign.id), headers=headers), 404)
    assert_error(client.get(url(LIST, theirs), headers=headers), 404)
    assert_error(
        client.post(url(CALIBRATIONS, project, instrument_id=foreign.id), json=calibration, headers=headers),
        404,
    )
    other = url(ASSESS, project, instrument_id=passed.id, calibration_id=foreign.calibrations[0].id)
    assert_error(client.post(other, json=assessment, headers=headers), 404)
    own = url(ASSESS, project, instrument_id=passed.id, calibration_id=passed.calibrations[0].id)
    error = assert_error(client.post(own, json=assessment, headers=headers), 422)
    assert "Only a calibration that found the instrument out of tolerance" in error["message"]
    viewer = bearer(token_for(make.user(tree["workspace"], role="viewer")))
    assert listed(client, project, viewer)["total"] == 1
    assert_error(client.post(url(LIST, project), json=NEW, headers=viewer), 403)
    assert_error(
        client.post(url(CALIBRATIONS, project, instrument_id=passed.id), json=calibration, headers=viewer),
        403,
    )
    assert stored(Instrument) == 2 and stored(Calibration) == 2


def test_the_list_runs_the_same_queries_for_3_and_30_instruments(client, tree, headers):
    project = tree["project"].id
    for days in (10, 380, 200):
        add_instrument(project, calibrations=[calibrated(days, 365 - days)])
    target = LIST.format(project_id=project)
    client.get(target, headers=headers)
    with count_queries() as few:
        assert client.get(target, headers=headers).status_code == 200
    for index in range(27):
        add_instrument(project, calibrations=[calibrated(index * 20, 365 - index * 20, "out_of_tolerance")])
    with count_queries() as many:
        assert client.get(target + "?per_page=100", headers=headers).status_code == 200
    assert len(many) == len(few)


# The register's queries


def test_each_status_filter_keeps_exactly_the_instruments_the_rule_gives_it(tree):
    project = tree["project"]
    dues = [None, -400, -1, 0, 30, 31, 365]
    for due in dues:
        for out_of_service in (False, True):
            for result in ("pass", "out_of_tolerance"):
                made = [calibrated(20, due, result)] if due is not None else []
                add_instrument(project, calibrations=made, out_of_service=out_of_service)
    instruments = db.session.execute(select(Instrument)).scalars().all()
    by_rule = {
        i.id: rules.statuses(
            InstrumentFacts(
                i.out_of_service, i.next_due, any(c.result == "out_of_tolerance" for c in i.calibrations)
            ),
            TODAY,
        )
        for i in instruments
    }
    for status in Status:
        rows, total = service.register_page(project.id, service.RegisterFilters(status), 1, 100, TODAY)
        assert {row.id for row in rows} == {i for i, found in by_rule.items() if status in found}, status
        assert total == len(rows) and all(row.statuses == by_rule[row.id] for row in rows)
    state = service.register_state(project, TODAY)
    counts = {s: sum(s in found for found in by_rule.values()) for s in Status}
    assert state.count == len(instruments)
    assert [(c.label, c.count) for c in state.concerns] == [
        (rules.CONCERN_LABELS[s], counts[s])
        for s in (Status.UNASSESSED, Status.OVERDUE, Status.NOT_CALIBRATED, Status.DUE, Status.OUT_OF_SERVICE)
    ]


def test_the_registers_page_shows_the_state_in_two_queries_at_most(client, make):
    iso13485 = make.tree(code="iso13485")
    project = iso13485["project"]
    login(client, make.user(iso13485["workspace"], role="owner"))
    add_instrument(project, calibrations=[calibrated(400, -35)])
    add_instrument(project, calibrations=[calibrated(5, 360, "out_of_tolerance")])
    add_instrument(project)
    page = client.get(f"/projects/{project.id}/registers")
    assert page.status_code == 200 and "1 overdue" in page.text
    assert project.standard.code == "iso13485"  # loaded: the count starts from a fresh session
    with count_queries() as queries:
        state = service.register_state(project, TODAY)
    assert len(queries) <= 2
    assert (
        state.text
        == "3 instruments, 1 out of tolerance, earlier results not assessed, 1 overdue, 1 not calibrated"
    )
    assert (
        state.concerns[0].action
        == "Assess the results measured with the instrument found out of calibration (7.6)"
    )
