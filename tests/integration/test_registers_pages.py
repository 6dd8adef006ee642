"""The registers page (each register of the project's standard with its state) and linking the project's
evidence to any register record, with its history."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import CertificationProject, Instrument, RegisterEvent, RegisterEvidence
from tests.evidence_samples import add_note
from tests.factories import login
from tests.querycount import count_queries


def instrument(project, code="CAL-01") -> Instrument:
    row = Instrument(project_id=project.id, code=code, description="Digital caliper", interval_months=12)
    db.session.add(row)
    db.session.commit()
    return row


def evidence_url(project, row, suffix=""):
    return f"/projects/{project.id}/registers/instrument/{row.id}/evidence{suffix}"


def cards(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'<section class="card[^"]*" id="register-(\w+)"', response.text)


def card(response, key: str) -> str:
    text = response.text
    start = text.index(f'id="register-{key}"')
    return text[start : text.index("</section>", start)]


def test_the_registers_page_lists_the_registers_of_the_projects_standard(client, make, tree, owner):
    nine = client.get(f"/projects/{tree['project'].id}/registers")
    assert cards(nine) == ["context", "risks", "equipment", "suppliers", "complaints", "satisfaction"]
    assert "Evidences 7.1.5, 7.1.5.1, 7.1.5.2" in card(nine, "equipment")
    medical = make.project(tree["site"], code="iso13485")
    shown = client.get(f"/projects/{medical.id}/registers")
    assert cards(shown) == ["equipment", "suppliers", "complaints", "satisfaction", "risk_files", "software"]
    assert "Evidences 7.6" in card(shown, "equipment")
    assert 'id="registers-link"' in client.get(f"/projects/{tree['project'].id}").text


def test_evidence_is_linked_once_unlinked_and_both_are_in_the_records_history(client, tree, owner):
    project = tree["project"]
    row = instrument(project)
    note = add_note(project, title="Calibration certificate CAL-01 2026")
    for _ in range(2):  # linking twice changes nothing
        response = client.post(evidence_url(project, row), data={"evidence_id": note.id})
        assert response.status_code == 303
        assert response.location.endswith(f"/equipment/{row.id}#evidence")
    links = db.session.query(RegisterEvidence).filter_by(register="instrument", record_id=row.id).all()
    assert [link.evidence_id for link in links] == [note.id]

    assert client.post(evidence_url(project, row, f"/{note.id}/delete")).status_code == 303
    assert db.session.query(RegisterEvidence).count() == 0
    assert db.session.get(type(note), note.id) is not None  # the evidence itself stays
    events = (
        db.session.query(RegisterEvent)
        .filter_by(register="instrument", record_id=row.id)
        .order_by(RegisterEvent.id)
        .all()
    )
    assert [event.summary for event in events] == [
        "Linked the evidence “Calibration certificate CAL-01 2026”.",
        "Unlinked the evidence “Calibration certificate CAL-01 2026”.",
    ]
    assert {event.actor_id for event in events} == {owner.id}


def test_linking_refuses_evidence_of_another_project_or_in_the_bin(client, make, tree, owner):
    project = tree["project"]
    row = instrument(project)
    elsewhere = add_note(make.project(tree["site"]))
    binned = add_note(project)
    binned.deleted_at = binned.created_at
    db.session.commit()
    for evidence_id in (elsewhere.id, binned.id, "x", 2**70):
        response = client.post(evidence_url(project, row), data={"evidence_id": evidence_id})
        assert response.status_code == 303
        assert db.session.query(RegisterEvidence).count() == 0
    follow = client.get(response.location)
    assert "Choose evidence of this project" in follow.get_data(as_text=True)


def test_unknown_kinds_links_and_other_projects_records_are_404(client, make, tree, owner):
    project = tree["project"]
    row = instrument(project)
    other = instrument(make.project(tree["site"]), code="CAL-99")
    note = add_note(project)
    assert client.post(f"/projects/{project.id}/registers/gauge/{row.id}/evidence").status_code == 404
    assert client.post(evidence_url(project, other), data={"evidence_id": note.id}).status_code == 404
    assert client.post(evidence_url(project, row, f"/{note.id}/delete")).status_code == 404  # never linked


@pytest.mark.parametrize("role", ["viewer"])
def test_a_viewer_may_see_the_registers_but_not_link(client, make, tree, role):
    login(client, make.user(tree["workspace"], role=role))
    project = tree["project"]
    row = instrument(project)
    note = add_note(project)
    assert client.get(f"/projects/{project.id}/registers").status_code == 200
    assert client.post(evidence_url(project, row), data={"evidence_id": note.id}).status_code == 403
    assert db.session.query(RegisterEvidence).count() == 0


def test_a_requirement_page_shows_the_registers_that_evidence_it(client, tree, owner):
    project = tree["project"]
    instrument(project)
    shown = client.get(f"/projects/{project.id}/requirements/7.1.5.2").text
    line = shown[shown.index('data-register="equipment"') :]
    assert f'<a href="/projects/{project.id}/equipment">Measuring equipment and calibration</a>' in line
    assert re.search(r"data-register-state>1 instrument\b", line)
    assert 'id="requirement-registers"' not in client.get(f"/projects/{project.id}/requirements/5.1.1").text


def test_the_checklist_counts_a_registers_records_as_the_records_a_requirement_retains(client, tree, owner):
    project = tree["project"]
    url = f"/projects/{project.id}/documented-information"
    before = client.get(url).text
    assert re.search(r'data-clause="7.1.5.1" data-status="missing"', before)
    instrument(project)
    after = client.get(url).text
    assert re.search(r'data-clause="7.1.5.1" data-status="accepted"', after)
    row = after[after.index('data-clause="7.1.5.1"') :]
    row = row[: row.index("</tr>")]
    assert "Kept in the register" in row and f'href="/projects/{project.id}/equipment"' in row
    assert "1 instrument" in row
    assert re.search(r'data-clause="8.4.1" data-status="missing"', after)  # no supplier listed yet


def test_the_registers_page_counts_every_register_in_one_query_whatever_they_hold(client, tree, owner):
    project_id = tree["project"].id
    url = f"/projects/{project_id}/registers"
    client.get(url)
    with count_queries() as empty:
        assert client.get(url).status_code == 200
    project = db.session.get(CertificationProject, project_id)  # count_queries starts a new session
    for number in range(5):
        instrument(project, code=f"CAL-{number:02}")
    with count_queries() as held:
        assert "5 instruments" in card(client.get(url), "equipment")
    # The session's user with its scope, the project, and the six registers' states in one statement.
    assert len(held) == len(empty) <= 3
