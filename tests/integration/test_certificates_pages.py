"""The certificate pages: recording a client's certificate for its sites (a site or project of another client
refused, a number the body gave another client refused beside the field, an expiry before issue refused,
the expiry three years from the decision by default), its status, its cycle (windows, audits held, the next
one due and overdue, the last surveillance), editing on the version read, and the announced new edition
shown on certificates to the older one; foreign ids 404, viewers and contributors 403."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.domain.certification import add_months, expiry
from app.extensions import db
from app.models import Certificate, EditionTransition
from tests.html import field_errors, form_values
from tests.integration import certification_support as cs
from tests.integration.evidence_support import user_as

TODAY = date.today()


def count(model: Any) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def reload(certificate_id: int) -> Certificate:
    db.session.expire_all()
    found = db.session.get(Certificate, certificate_id)
    assert found is not None
    return found


@pytest.fixture
def http(app: Any, make: Any, tree: dict[str, Any]) -> FlaskClient:
    return user_as(app, make, tree, "consultant")[0]


@pytest.fixture
def body(tree: dict[str, Any]) -> Any:
    return cs.add_body(tree["workspace"].id, "Bureau Cert")


def certificate_data(tree: dict[str, Any], body: Any, **fields: Any) -> dict[str, Any]:
    decision = TODAY - timedelta(days=30)
    return {
        "site_ids": [str(tree["site"].id)],
        "project_id": str(tree["project"].id),
        "body_id": str(body.id),
        "standard_id": str(tree["project"].standard_id),
        "number": "VN-QMS-0042",
        "scope": "Manufacture of wooden furniture for export.",
        "sector_codes": "EA 6; 23",
        "original_on": decision.isoformat(),
        "decision_on": decision.isoformat(),
        "issued_on": (decision + timedelta(days=5)).isoformat(),
        "expires_on": "",
        "suspension": "",
        "suspension_on": "",
        "notes": "",
    } | fields


def new_url(tree: dict[str, Any]) -> str:
    return f"/certificates/new/{tree['client'].id}"


# Recording


def test_a_certificate_is_recorded_with_its_expiry_from_the_decision(http, tree, body):
    response = http.post(new_url(tree), data=certificate_data(tree, body))
    assert response.status_code == 303
    certificate = db.session.execute(select(Certificate)).scalar_one()
    assert response.headers["Location"].endswith(f"/certificates/{certificate.id}")
    decision = TODAY - timedelta(days=30)
    assert certificate.expires_on == expiry(decision)
    assert certificate.sector_codes == "6, 23"
    assert [site.id for site in certificate.sites] == [tree["site"].id]
    page = http.get(response.headers["Location"])
    assert 'data-certificate-status="valid"' in page.text
    assert tree["site"].address in page.text and "edition 2015+A1:2024" in page.text
    assert f'href="/share-links?certificate={certificate.id}"' in page.text  # share it with a buyer
    listed = http.get("/certificates")
    assert "VN-QMS-0042" in listed.text and f'data-certificate-id="{certificate.id}"' in listed.text


def test_the_form_offers_only_the_clients_sites_and_projects(http, tree, body, make):
    other = make.tree(tree["workspace"])
    page = http.get(new_url(tree))
    assert page.status_code == 200
    assert tree["site"].name in page.text and other["site"].name not in page.text
    assert "Bureau Cert" in page.text


def test_a_site_of_another_client_is_refused(http, tree, body, make):
    other = make.tree(tree["workspace"])
    data = certificate_data(tree, body, site_ids=[str(tree["site"].id), str(other["site"].id)])
    response = http.post(new_url(tree), data=data)
    assert response.status_code == 422
    assert field_errors(response, "site_ids") == [
        f"Only sites of {tree['client'].name} can be covered by its certificate."
    ]
    assert count(Certificate) == 0


def test_a_project_of_another_client_is_refused(http, tree, body, make):
    other = make.tree(tree["workspace"])
    response = http.post(
        new_url(tree), data=certificate_data(tree, body, project_id=str(other["project"].id))
    )
    assert response.status_code == 422 and field_errors(response, "project_id")
    assert count(Certificate) == 0


def test_a_number_the_body_gave_another_client_is_refused_beside_the_field(http, tree, body, make):
    other = make.tree(tree["workspace"])
    cs.add_certificate(other["project"], body, number="VN-QMS-0042")
    response = http.post(new_url(tree), data=certificate_data(tree, body))
    assert response.status_code == 422
    assert field_errors(response, "number") == [
        "This certification body's number VN-QMS-0042 is already used for another client."
    ]
    assert form_values(response, "number")["scope"] == certificate_data(tree, body)["scope"]
    assert count(Certificate) == 1
    another_body = cs.add_body(
        tree["workspace"].id, "Other Cert"
    )  # the same number from another body is fine
    assert http.post(new_url(tree), data=certificate_data(tree, another_body)).status_code == 303


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"expires_on": (TODAY - timedelta(days=40)).isoformat()}, "expires_on", "after the issue date"),
        ({"expires_on": (TODAY + timedelta(days=3 * 366)).isoformat()}, "expires_on", "at most 3 years"),
        (
            {"issued_on": (TODAY - timedelta(days=31)).isoformat()},
            "issued_on",
            "on or after the certification",
        ),
        ({"original_on": TODAY.isoformat()}, "original_on", "cannot come after"),
        ({"decision_on": ""}, "decision_on", "Give the date of the certification decision."),
        ({"decision_on": "9999-12-31"}, "decision_on", "Enter a date between 1987"),
        ({"number": ""}, "number", "Give the certificate's number"),
        ({"scope": ""}, "scope", "Copy the scope"),
        ({"sector_codes": "14, 52"}, "sector_codes", "numbers from 1 to 39"),
        ({"sector_codes": "²"}, "sector_codes", "numbers from 1 to 39"),
        ({"site_ids": []}, "site_ids", "Tick at least one site"),
        ({"body_id": ""}, "body_id", "Choose the certification body"),
        ({"standard_id": "999999"}, "standard_id", "Choose the standard"),
        ({"suspension": "suspended"}, "suspension_on", "Give the day"),
        ({"suspension": "revoked"}, "suspension", "Choose suspended, withdrawn or neither."),
    ],
)
def test_a_certificate_that_breaks_a_rule_is_refused_beside_its_field(
    http, tree, body, fields, field, message
):
    response = http.post(new_url(tree), data=certificate_data(tree, body, **fields))
    assert response.status_code == 422
    assert any(message in error for error in field_errors(response, field)), field_errors(response, field)
    assert count(Certificate) == 0


def test_a_contributor_or_viewer_sees_certificates_but_records_none(app, make, tree, body):
    certificate = cs.add_certificate(tree["project"], body)
    for role in ("contributor", "viewer"):
        http = user_as(app, make, tree, role)[0]
        assert http.get("/certificates").status_code == 200
        page = http.get(f"/certificates/{certificate.id}")
        assert page.status_code == 200 and 'id="edit-certificate"' not in page.text
        assert http.get(new_url(tree)).status_code == 403
        assert http.post(new_url(tree), data=certificate_data(tree, body)).status_code == 403
        assert http.get(f"/certificates/{certificate.id}/edit").status_code == 403
    assert count(Certificate) == 1


def test_another_workspaces_certificate_and_client_are_not_found(http, tree, make):
    theirs = make.tree()
    certificate = cs.add_certificate(theirs["project"])
    assert http.get(f"/certificates/{certificate.id}").status_code == 404
    assert http.get(f"/certificates/{certificate.id}/edit").status_code == 404
    assert http.get(f"/certificates/new/{theirs['client'].id}").status_code == 404
    assert http.get(f"/certificates?client_id={theirs['client'].id}").status_code == 404


def test_a_client_manager_sees_only_the_certificates_of_their_clients(app, make, tree, body):
    mine = cs.add_certificate(tree["project"], body, number="MINE-1")
    other = make.tree(tree["workspace"])
    cs.add_certificate(other["project"], body, number="OTHER-1")
    http = user_as(app, make, tree, "client_manager")[0]
    listed = http.get("/certificates")
    assert "MINE-1" in listed.text and "OTHER-1" not in listed.text
    assert http.get(f"/certificates/{mine.id}").status_code == 200


# Editing


def test_a_certificate_is_edited_on_the_version_read_and_suspended(http, tree, body):
    certificate = cs.add_certificate(tree["project"], body, number="VN-1")
    data = certificate_data(tree, body, number="VN-1", suspension="suspended",
                            suspension_on=TODAY.isoformat(), version=str(certificate.version))  # fmt: skip
    assert http.post(f"/certificates/{certificate.id}/edit", data=data).status_code == 303
    saved = reload(certificate.id)
    assert (saved.suspension, saved.suspension_on, saved.version) == ("suspended", TODAY, 2)
    page = http.get(f"/certificates/{certificate.id}")
    assert 'data-certificate-status="suspended"' in page.text


def test_a_stale_edit_is_409_showing_the_saved_values(http, tree, body):
    certificate = cs.add_certificate(tree["project"], body, number="VN-1")
    certificate.scope = "Manufacture of cork stoppers and wine corks."
    db.session.commit()
    data = certificate_data(tree, body, number="VN-1", version="1")
    response = http.post(f"/certificates/{certificate.id}/edit", data=data)
    assert response.status_code == 409 and "Someone else saved this certificate" in response.text
    assert form_values(response, "number")["scope"] == "Manufacture of cork stoppers and wine corks."
    assert reload(certificate.id).number == "VN-1"


# The cycle


def test_the_cycle_shows_windows_audits_held_and_the_next_one_due(http, tree, body):
    project = tree["project"]
    decision = TODAY - timedelta(days=500)
    certificate = cs.add_certificate(project, body, decision_on=decision)
    held = cs.add_audit(
        project, "surveillance1", starts_on=decision + timedelta(days=300), certificate_id=certificate.id
    )
    page = http.get(f"/certificates/{certificate.id}")
    assert page.status_code == 200
    windows = page.text[page.text.index('id="cycle-windows"') :]
    assert add_months(decision, 12).strftime("%d %b %Y") in windows  # the first surveillance's latest day
    assert expiry(decision).strftime("%d %b %Y") in windows  # recertification before expiry
    next_due = page.text[page.text.index('id="next-audit"') :]
    second_year = held.ends_on.year + 1
    shown = " ".join(next_due[: next_due.index("</p>")].split())
    assert shown.startswith(
        f'id="next-audit"> Next: <strong>Second surveillance audit</strong>, due by 31 Dec {second_year}'
    )
    assert f'data-external-audit-id="{held.id}"' in page.text
    assert "Last surveillance audit:" in page.text and "none yet" not in page.text


def test_a_surveillance_audit_past_its_window_is_overdue(http, tree, body):
    certificate = cs.add_certificate(tree["project"], body, decision_on=TODAY - timedelta(days=400))
    page = http.get(f"/certificates/{certificate.id}")
    assert 'id="next-overdue"' in page.text and "First surveillance audit" in page.text


def test_an_audit_outside_its_window_is_warned_on_the_certificate(http, tree, body):
    decision = TODAY - timedelta(days=600)
    certificate = cs.add_certificate(tree["project"], body, decision_on=decision)
    cs.add_audit(
        tree["project"],
        "surveillance1",
        starts_on=decision + timedelta(days=420),
        certificate_id=certificate.id,
    )
    page = http.get(f"/certificates/{certificate.id}")
    assert "is outside its window" in page.text


# The 2026 revision


def transition(http: FlaskClient, **fields: Any) -> Any:
    data = {
        "transition-standard_code": "iso9001",
        "transition-edition": "ISO 9001:2026",
        "transition-published_on": "2026-09-15",
        "transition-deadline": "2029-09-15",
    } | fields
    return http.post("/certificates/transitions", data=data)


def test_an_owner_records_the_new_edition_and_older_certificates_show_the_deadline(app, make, tree, body):
    certificate = cs.add_certificate(tree["project"], body)
    owner = user_as(app, make, tree, "owner")[0]
    assert transition(owner).status_code == 303
    assert transition(owner, **{"transition-deadline": "2029-10-01"}).status_code == 303  # corrected
    assert count(EditionTransition) == 1
    page = owner.get(f"/certificates/{certificate.id}")
    assert (
        "ISO 9001:2026 is published: certificates to the previous edition must move to it by 2029-10-01."
        in page.text
    )
    assert "ISO 9001:2026" in owner.get("/certificates").text


def test_the_new_edition_is_for_owners_and_refused_beside_its_field(app, make, tree, http):
    assert transition(http).status_code == 403  # a consultant
    owner = user_as(app, make, tree, "owner")[0]
    response = transition(owner, **{"transition-deadline": "2026-01-01"})
    assert response.status_code == 422
    assert field_errors(response, "transition-deadline") == [
        "The transition deadline comes after the publication."
    ]
    response = transition(owner, **{"transition-edition": "the new one"})
    assert response.status_code == 422 and field_errors(response, "transition-edition")
    assert count(EditionTransition) == 0


def test_a_certificate_to_the_new_edition_shows_no_transition(app, make, tree, body):
    certificate = cs.add_certificate(tree["project"], body)
    db.session.add(EditionTransition(workspace_id=tree["workspace"].id, standard_code="iso9001",
                                     edition="ISO 9001:2015", published_on=date(2015, 9, 15),
                                     deadline=date(2018, 9, 15)))  # fmt: skip
    db.session.commit()
    page = user_as(app, make, tree, "viewer")[0].get(f"/certificates/{certificate.id}")
    assert 'id="certificate-transition"' not in page.text


# Links


def test_the_client_filter_and_the_project_audits_link_the_certificate(http, tree, body, make):
    certificate = cs.add_certificate(tree["project"], body, number="VN-7")
    other = make.tree(tree["workspace"])
    cs.add_certificate(other["project"], body, number="VN-8")
    listed = http.get(f"/certificates?client_id={tree['client'].id}")
    assert "VN-7" in listed.text and "VN-8" not in listed.text
    audits = http.get(f"/projects/{tree['project'].id}/external-audits")
    assert f"/certificates/{certificate.id}" in audits.text


def test_the_client_and_project_pages_link_the_certificates(http, tree):
    client_page = http.get(f"/clients/{tree['client'].id}").text
    assert f'href="/certificates?client_id={tree["client"].id}"' in client_page
    assert f'href="/certificates/new/{tree["client"].id}"' in client_page
    project_page = http.get(f"/projects/{tree['project'].id}").text
    assert f'href="/projects/{tree["project"].id}/external-audits"' in project_page


def test_a_client_manager_chooses_only_the_bodies_they_read(app, make, tree, body):
    other = make.tree(tree["workspace"])
    theirs = cs.add_body(tree["workspace"].id, "Only Theirs Cert")
    other["project"].body_id = theirs.id  # used by another client only
    db.session.commit()
    http = user_as(app, make, tree, "client_manager")[0]
    page = http.get(new_url(tree))
    assert "Bureau Cert" in page.text and "Only Theirs Cert" not in page.text
    response = http.post(new_url(tree), data=certificate_data(tree, theirs))
    assert response.status_code == 422 and field_errors(response, "body_id")
    assert http.post(new_url(tree), data=certificate_data(tree, body)).status_code == 303


def test_two_saves_racing_past_the_numbers_check_are_told_beside_the_field(
    http, tree, body, make, monkeypatch
):
    from app.services import certificates as service

    other = make.tree(tree["workspace"])
    cs.add_certificate(other["project"], body, number="VN-QMS-0042")
    monkeypatch.setattr(service, "_number_taken", lambda *args: None)  # the other save came in between
    response = http.post(new_url(tree), data=certificate_data(tree, body))
    assert response.status_code == 422
    assert field_errors(response, "number") == [
        "This certification body's number VN-QMS-0042 is already used for another client."
    ]
    assert count(Certificate) == 1


def test_every_id_on_the_certificate_and_audit_pages_is_unique(app, make, tree, body):
    from tests.integration.test_unique_ids import check as check_ids

    owner = user_as(app, make, tree, "owner")[0]
    app.config["WTF_CSRF_ENABLED"] = True  # each form's csrf_token field has an id too
    certificate = cs.add_certificate(tree["project"], body)
    audit = cs.add_audit(tree["project"], "surveillance1", certificate_id=certificate.id)
    project = f"/projects/{tree['project'].id}/external-audits"
    shown = f"/certificates/{certificate.id}"
    addresses = ("/certificates", shown, f"{shown}/edit", new_url(tree), "/certificates/new", project,
                 f"{project}/new", f"{project}/{audit.id}")  # fmt: skip
    for address in addresses:
        response = owner.get(address)
        assert response.status_code == 200, address
        check_ids(response.text)
