"""The external audit and certificate API: every answer in its documented shape, audits recorded and edited
with If-Match and their warnings (scheduled on NO-GO, outside the window), certificates with their status
and cycle; every refusal as JSON naming its field, other workspaces' ids 404, viewers 403."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain.certification import expiry
from app.extensions import db
from app.models import Certificate, ExternalAudit
from tests.integration import certification_support as cs
from tests.integration.test_api import assert_error, bearer, check, documented, token_for

TODAY = date.today()
PROJECT = "/api/v1/projects/{project_id}"
AUDITS = f"{PROJECT}/external-audits"
AUDIT = f"{AUDITS}/{{external_audit_id}}"
CERTIFICATES = "/api/v1/certificates"
CERTIFICATE = f"{CERTIFICATES}/{{certificate_id}}"


def count(model: Any) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def headers(make: Any, tree: dict[str, Any]) -> dict[str, str]:
    return bearer(token_for(make.user(tree["workspace"], role="consultant")))


@pytest.fixture
def viewer(make: Any, tree: dict[str, Any]) -> dict[str, str]:
    return bearer(token_for(make.user(tree["workspace"], role="viewer")))


def at(path: str, project: Any | None = None, **ids: int) -> str:
    return path.format(project_id=project.id if project else 0, **ids)


def new_audit(**fields: Any) -> dict[str, Any]:
    day = (TODAY - timedelta(days=4)).isoformat()
    return {"kind": "stage1", "starts_on": day, "ends_on": day, "held": True} | fields


def new_certificate(tree: dict[str, Any], body: Any, **fields: Any) -> dict[str, Any]:
    day = (TODAY - timedelta(days=10)).isoformat()
    return {
        "client_id": tree["client"].id,
        "site_ids": [tree["site"].id],
        "body_id": body.id,
        "standard_id": tree["project"].standard_id,
        "number": "API-0001",
        "scope": "Manufacture of furniture.",
        "original_on": day,
        "decision_on": day,
        "issued_on": day,
    } | fields


# External audits


def test_an_audit_is_recorded_and_listed_in_the_documented_shape(client, tree, headers):
    project = tree["project"]
    body = cs.add_body(tree["workspace"].id, "Bureau Cert")
    response = client.post(
        at(AUDITS, project), json=new_audit(body_id=body.id, auditors="Ms Hoa"), headers=headers
    )
    assert response.status_code == 201
    check(response.json, documented(AUDITS, "post", 201))
    assert response.json["body"] == {"id": body.id, "name": "Bureau Cert"}
    assert response.json["kind_label"] == "Stage 1 audit" and response.json["warnings"] == []
    assert response.headers["ETag"] == '"v1"'
    listed = client.get(at(AUDITS, project), headers=headers)
    check(listed.json, documented(AUDITS, "get"))
    assert [item["id"] for item in listed.json["items"]] == [response.json["id"]]


def test_stage_2_scheduled_on_no_go_answers_its_warning(client, tree, headers):
    day = (TODAY + timedelta(days=20)).isoformat()
    sent = new_audit(kind="stage2", starts_on=day, ends_on=day, held=False)
    response = client.post(at(AUDITS, tree["project"]), json=sent, headers=headers)
    assert response.status_code == 201
    assert response.json["scheduled_on_no_go"] is True
    assert response.json["warnings"][0].startswith("The stage 2 go / no-go says NO-GO")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "stage3"}, "kind"),
        ({"ends_on": (TODAY - timedelta(days=9)).isoformat()}, "ends_on"),
        ({"starts_on": "2026-02-30"}, "starts_on"),
        ({"held": "yes"}, "held"),
        ({"body_id": 2**40}, "body_id"),
        ({"decision_on": TODAY.isoformat()}, "decision_on"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_an_audit_that_breaks_a_rule_is_422_naming_the_field(client, tree, headers, fields, field):
    response = client.post(at(AUDITS, tree["project"]), json=new_audit(**fields), headers=headers)
    assert_error(response, 422)
    assert field in response.json["error"]["fields"]
    assert count(ExternalAudit) == 0


def test_an_audit_is_patched_with_if_match(client, tree, headers):
    audit = cs.add_audit(tree["project"], "stage2")
    url = at(AUDIT, tree["project"], external_audit_id=audit.id)
    read = client.get(url, headers=headers)
    check(read.json, documented(AUDIT, "get"))
    stale = client.patch(url, json={"auditors": "Mr Tam"}, headers=headers | {"If-Match": '"v9"'})
    assert_error(stale, 412)
    sent = {"decision_on": TODAY.isoformat()}
    response = client.patch(url, json=sent, headers=headers | {"If-Match": read.headers["ETag"]})
    assert response.status_code == 200
    check(response.json, documented(AUDIT, "patch"))
    assert response.json["decision_on"] == TODAY.isoformat() and response.headers["ETag"] == '"v2"'
    assert_error(client.patch(url, json={"ends_on": "1999-01-01"}, headers=headers), 422)


def test_a_viewer_reads_audits_but_records_none(client, tree, viewer):
    audit = cs.add_audit(tree["project"], "stage1")
    assert client.get(at(AUDITS, tree["project"]), headers=viewer).status_code == 200
    assert_error(client.post(at(AUDITS, tree["project"]), json=new_audit(), headers=viewer), 403)
    url = at(AUDIT, tree["project"], external_audit_id=audit.id)
    assert_error(client.patch(url, json={"notes": "x"}, headers=viewer), 403)
    assert count(ExternalAudit) == 1


def test_another_workspaces_audit_is_404(client, tree, headers, make):
    theirs = make.tree()
    audit = cs.add_audit(theirs["project"], "stage1")
    assert_error(client.get(at(AUDIT, tree["project"], external_audit_id=audit.id), headers=headers), 404)
    assert_error(client.get(at(AUDIT, theirs["project"], external_audit_id=audit.id), headers=headers), 404)


# Certificates


def test_a_certificate_is_recorded_with_its_status_and_cycle(client, tree, headers):
    body = cs.add_body(tree["workspace"].id, accreditation_body="Totally Real Accreditation")
    response = client.post(
        CERTIFICATES, json=new_certificate(tree, body, sector_codes="EA 6"), headers=headers
    )
    assert response.status_code == 201
    answer = response.json
    check(answer, documented(CERTIFICATES, "post", 201))
    decision = TODAY - timedelta(days=10)
    assert answer["expires_on"] == expiry(decision).isoformat() and answer["status"] == "valid"
    assert answer["sector_codes"] == "6"
    assert answer["body"]["accreditation_warning"].startswith(
        "“Totally Real Accreditation” is not on the IAF"
    )
    assert [w["kind"] for w in answer["cycle"]["windows"]] == [
        "surveillance1",
        "surveillance2",
        "recertification",
    ]
    assert answer["cycle"]["next_audit"]["kind"] == "surveillance1"
    site = tree["site"]
    assert answer["sites"] == [
        {"id": site.id, "name": site.name, "address": site.address, "country": site.country}
    ]
    listed = client.get(CERTIFICATES, headers=headers)
    check(listed.json, documented(CERTIFICATES, "get"))
    assert listed.json["total"] == 1


def test_a_certificate_refused_names_the_field(client, tree, headers, make):
    body = cs.add_body(tree["workspace"].id)
    other = make.tree(tree["workspace"])
    cs.add_certificate(other["project"], body, number="API-0001")
    cases = {
        "number": new_certificate(tree, body),  # the body's number already used for another client
        "site_ids": new_certificate(tree, body, number="B", site_ids=[other["site"].id]),
        "expires_on": new_certificate(
            tree, body, number="C", expires_on=(TODAY - timedelta(days=20)).isoformat()
        ),
        "client_id": new_certificate(tree, body, number="D", client_id=make.tree()["client"].id),
        "standard_id": new_certificate(tree, body, number="E", standard_id=2**40),
    }
    for field, sent in cases.items():
        response = client.post(CERTIFICATES, json=sent, headers=headers)
        assert_error(response, 422)
        assert field in response.json["error"]["fields"], (field, response.json)
    assert count(Certificate) == 1


def test_a_certificate_is_patched_with_if_match_and_suspended(client, tree, headers):
    certificate = cs.add_certificate(tree["project"])
    url = at(CERTIFICATE, certificate_id=certificate.id)
    read = client.get(url, headers=headers)
    check(read.json, documented(CERTIFICATE, "get"))
    assert_error(client.patch(url, json={"notes": "x"}, headers=headers | {"If-Match": '"v7"'}), 412)
    sent = {"suspension": "withdrawn", "suspension_on": TODAY.isoformat()}
    response = client.patch(url, json=sent, headers=headers | {"If-Match": read.headers["ETag"]})
    assert response.status_code == 200
    check(response.json, documented(CERTIFICATE, "patch"))
    assert response.json["status"] == "withdrawn"


def test_certificates_are_for_managers_and_scoped(client, tree, viewer, make, headers):
    mine = cs.add_certificate(tree["project"])
    theirs = cs.add_certificate(make.tree()["project"])
    assert client.get(CERTIFICATES, headers=viewer).json["total"] == 1
    assert_error(client.post(CERTIFICATES, json=new_certificate(tree, mine.body), headers=viewer), 403)
    assert_error(client.patch(at(CERTIFICATE, certificate_id=mine.id), json={}, headers=viewer), 403)
    assert_error(client.get(at(CERTIFICATE, certificate_id=theirs.id), headers=headers), 404)
    assert_error(client.patch(at(CERTIFICATE, certificate_id=theirs.id), json={}, headers=headers), 404)
