"""The certification body and quote API: every answer in its documented shape, the accreditation warning in
each body's answer, changes with If-Match, quotes against the IAF audit days and their acceptance (once);
every refusal as JSON naming its field, other workspaces' ids 404, roles 403."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain.certification import accreditation_warning
from app.extensions import db
from app.models import BudgetLine, CertificationBody, CertificationProject, Quote
from tests.integration.body_support import add_body, add_quote, choose
from tests.integration.test_api import assert_error, bearer, check, documented, token_for

TODAY = date.today()
BODIES = "/api/v1/certification-bodies"
BODY = f"{BODIES}/{{body_id}}"
QUOTES = "/api/v1/projects/{project_id}/quotes"
ACCEPT = f"{QUOTES}/{{quote_id}}/accept"
UNKNOWN = "Totally Real Accreditation"


def count(model: Any) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def headers_for(make: Any, tree: dict[str, Any], role: str) -> dict[str, str]:
    clients = [tree["client"]] if role == "client_manager" else None
    return bearer(token_for(make.user(tree["workspace"], role=role, clients=clients)))


@pytest.fixture
def headers(make: Any, tree: dict[str, Any]) -> dict[str, str]:
    return headers_for(make, tree, "consultant")


# Certification bodies


def test_a_body_is_added_and_answered_with_its_accreditation(client, tree, headers):
    sent = {"name": "Example Certification Asia", "accreditation_body": "United Kingdom Accreditation "
            "Service",
            "sector_codes": [19, 14, 19], "contact_email": "hoa@example-cert.example",
            "website": "https://example-cert.example", "major_deadline_days": 60}  # fmt: skip
    response = client.post(BODIES, json=sent, headers=headers)
    assert response.status_code == 201
    check(response.json, documented(BODIES, "post", 201))
    body = db.session.execute(select(CertificationBody)).scalar_one()
    assert response.headers["ETag"] == f'"v{body.version}"'
    answer = response.json
    assert (answer["accreditation_body"], answer["on_iaf_mla"], answer["accreditation_warning"]) == (
        "UKAS",
        True,
        None,
    )
    assert answer["accreditation_body_name"] == "UKAS (United Kingdom Accreditation Service)"
    assert (answer["sector_codes"], answer["major_deadline_days"]) == ([14, 19], 60)
    assert (body.workspace_id, body.sector_codes) == (tree["workspace"].id, "14, 19")
    listed = client.get(BODIES, headers=headers)
    check(listed.json, documented(BODIES, "get"))
    assert listed.json["total"] == 1 and listed.json["items"] == [answer]
    assert client.get(answer["url"], headers=headers).json == answer


def test_an_accreditation_body_not_on_the_list_is_kept_and_warned_about(client, headers):
    response = client.post(
        BODIES, json={"name": "Shady Cert", "accreditation_body": UNKNOWN}, headers=headers
    )
    assert response.status_code == 201
    answer = response.json
    assert (answer["accreditation_body"], answer["on_iaf_mla"]) == (UNKNOWN, False)
    assert answer["accreditation_body_name"] is None
    assert answer["accreditation_warning"] == accreditation_warning(UNKNOWN)


@pytest.mark.parametrize(
    ("sent", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "Taken Cert"}, "name"),
        ({"name": "x", "sector_codes": [45]}, "sector_codes.0"),
        ({"name": "x", "sector_codes": "14"}, "sector_codes"),
        ({"name": "x", "contact_email": "nobody"}, "contact_email"),
        ({"name": "x", "website": "javascript:alert(1)"}, "website"),
        ({"name": "x", "major_deadline_days": 0}, "major_deadline_days"),
        ({"name": "x", "colour": "red"}, "colour"),
        ({"accreditation_body": "UKAS"}, "name"),
    ],
)
def test_a_bad_body_is_refused_naming_its_field(client, tree, headers, sent, field):
    add_body(tree["workspace"], "Taken Cert")
    error = assert_error(client.post(BODIES, json=sent, headers=headers), 422)
    assert field in error["fields"]
    assert field.split(".")[0] in error["message"]
    assert count(CertificationBody) == 1


def test_a_body_is_changed_on_the_etag_read(client, tree, headers):
    body = add_body(tree["workspace"], "Alpha Cert")
    url = BODY.format(body_id=body.id)
    read = client.get(url, headers=headers)
    check(read.json, documented(BODY, "get"))
    etag = read.headers["ETag"]
    assert client.get(url, headers=headers | {"If-None-Match": etag}).status_code == 304
    changed = client.patch(
        url, json={"accreditation_body": "JAS-ANZ", "sector_codes": [3]}, headers=headers | {"If-Match": etag}
    )
    assert changed.status_code == 200
    check(changed.json, documented(BODY, "patch"))
    assert (changed.json["accreditation_body"], changed.json["sector_codes"], changed.json["name"]) == (
        "JAS-ANZ",
        [3],
        "Alpha Cert",
    )
    assert changed.headers["ETag"] != etag
    stale = client.patch(url, json={"notes": "Old copy"}, headers=headers | {"If-Match": etag})
    assert_error(stale, 412)
    assert_error(client.patch(url, json={"name": ""}, headers=headers), 422)
    db.session.expire_all()
    assert (
        db.session.get(CertificationBody, body.id).notes,
        db.session.get(CertificationBody, body.id).name,
    ) == (
        "",
        "Alpha Cert",
    )


def test_who_reads_and_who_changes_bodies(client, make, tree):
    other = make.tree(tree["workspace"])
    theirs, mine = add_body(tree["workspace"], "Theirs"), add_body(tree["workspace"], "Mine")
    choose(other["project"], theirs)
    choose(tree["project"], mine)
    foreign = add_body(make.workspace(), "Foreign")
    viewer = headers_for(make, tree, "viewer")
    assert client.get(BODIES, headers=viewer).json["total"] == 2
    assert_error(client.post(BODIES, json={"name": "New"}, headers=viewer), 403)
    assert_error(client.patch(BODY.format(body_id=mine.id), json={"notes": "x"}, headers=viewer), 403)
    manager = headers_for(make, tree, "client_manager")
    assert [item["name"] for item in client.get(BODIES, headers=manager).json["items"]] == ["Mine"]
    for body in (theirs, foreign):
        assert_error(client.get(BODY.format(body_id=body.id), headers=manager), 404)
        assert_error(client.patch(BODY.format(body_id=body.id), json={"notes": "x"}, headers=manager), 404)
    choose(make.project(make.site(other["client"]), "iso13485"), mine)  # now another client uses it too
    assert_error(client.patch(BODY.format(body_id=mine.id), json={"notes": "x"}, headers=manager), 403)
    assert_error(client.get(BODY.format(body_id=foreign.id), headers=viewer), 404)


# Quotes


def test_a_quote_is_recorded_and_listed_against_the_iaf_figure(client, tree, headers):
    project = tree["project"]  # 30 employees, ISO 9001: 4 days
    body = add_body(tree["workspace"], "Alpha Cert", accreditation_body=UNKNOWN)
    sent = {"body_id": body.id, "received_on": (TODAY - timedelta(days=1)).isoformat(), "audit_days": 2.5,
            "surveillance_days": "1", "day_rate": "1,200.50", "fees": 100, "travel": "0"}  # fmt: skip
    url = QUOTES.format(project_id=project.id)
    response = client.post(url, json=sent, headers=headers)
    assert response.status_code == 201, response.json
    check(response.json, documented(QUOTES, "post", 201))
    answer = response.json
    assert (answer["audit_days"], answer["day_rate"], answer["total"]) == ("2.5", "1200.50", "3101.25")
    assert (answer["expected_audit_days"], answer["surveillance_total"], answer["currency"]) == (
        "4",
        "1200.50",
        "USD",
    )
    assert "2.5 audit days is well below the 4 days IAF MD 5 gives" in answer["warning"]
    assert answer["body"]["accreditation_warning"] == accreditation_warning(UNKNOWN)
    assert answer["status"] == "received" and answer["accepted_on"] is None
    listed = client.get(url, headers=headers)
    check(listed.json, documented(QUOTES, "get"))
    assert listed.json["items"] == [answer]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"audit_days": "4,5"}, "audit_days"),
        ({"audit_days": 0}, "audit_days"),
        ({"day_rate": -1}, "day_rate"),
        ({"day_rate": 1e300}, "day_rate"),
        ({"received_on": "2026-02-30"}, "received_on"),
        ({"received_on": (TODAY + timedelta(days=1)).isoformat()}, "received_on"),
        ({"body_id": 2147483647}, "body_id"),
        ({"fees": True}, "fees"),
    ],
)
def test_a_bad_quote_is_refused_naming_its_field(client, tree, headers, changes, field):
    body = add_body(tree["workspace"], "Alpha Cert")
    sent = {"body_id": body.id, "received_on": TODAY.isoformat(), "audit_days": 4, "day_rate": 1000} | changes
    error = assert_error(
        client.post(QUOTES.format(project_id=tree["project"].id), json=sent, headers=headers), 422
    )
    assert field in {name.split(".")[0] for name in error["fields"]}
    assert count(Quote) == 0


def test_a_quote_of_another_workspaces_body_is_refused(client, make, tree, headers):
    foreign = add_body(make.workspace(), "Foreign")
    sent = {"body_id": foreign.id, "received_on": TODAY.isoformat(), "audit_days": 4, "day_rate": 1000}
    error = assert_error(
        client.post(QUOTES.format(project_id=tree["project"].id), json=sent, headers=headers), 422
    )
    assert error["fields"] == {"body_id": "Choose one of the workspace's certification bodies."}


def test_accepting_a_quote_sets_the_body_and_adds_its_lines_once(client, tree, headers):
    project = tree["project"]
    body = add_body(tree["workspace"], "Alpha Cert")
    quote = add_quote(
        project, body, audit_days="4", day_rate="1000", surveillance_days=None, travel=Decimal(0)
    )
    url = ACCEPT.format(project_id=project.id, quote_id=quote.id)
    response = client.post(url, headers=headers)
    assert response.status_code == 200
    check(response.json, documented(ACCEPT, "post"))
    added = response.json["budget_lines_added"]
    assert [(line["description"].split(" (")[0], line["planned"]) for line in added] == [
        ("Certification body: initial audit, stage 1 and 2", "4000.00"),
        ("Certification body: fees", "500.00"),
    ]
    assert response.json["quote"]["status"] == "accepted"
    assert response.json["quote"]["accepted_on"] == TODAY.isoformat()
    db.session.expire_all()
    assert db.session.get(CertificationProject, project.id).body_id == body.id
    again = client.post(url, headers=headers)
    assert again.status_code == 200 and again.json["budget_lines_added"] == []
    assert count(BudgetLine) == 2


def test_accepting_is_refused_while_another_quote_is_accepted_and_to_roles_that_do_not_manage(
    client, make, tree, headers
):
    project = tree["project"]
    first = add_quote(
        project, add_body(tree["workspace"], "Alpha Cert"), status="accepted", accepted_on=TODAY
    )
    second = add_quote(project, add_body(tree["workspace"], "Beta Cert"))
    url = ACCEPT.format(project_id=project.id, quote_id=second.id)
    error = assert_error(client.post(url, headers=headers), 409)
    assert "Alpha Cert is already accepted for this project: decline it first." in error["message"]
    contributor = headers_for(make, tree, "contributor")
    assert_error(client.post(url, headers=contributor), 403)
    assert client.get(QUOTES.format(project_id=project.id), headers=contributor).status_code == 200
    db.session.expire_all()
    assert db.session.get(Quote, second.id).status == "received" and first.id
    assert count(BudgetLine) == 0


def test_quotes_of_other_projects_and_workspaces_are_not_found(client, make, tree, headers):
    body = add_body(tree["workspace"], "Alpha Cert")
    elsewhere = add_quote(make.project(make.site(tree["client"]), "iso13485"), body)
    theirs = make.tree()
    foreign = add_quote(theirs["project"], add_body(theirs["workspace"]))
    for quote in (elsewhere, foreign):
        url = ACCEPT.format(project_id=tree["project"].id, quote_id=quote.id)
        assert_error(client.post(url, headers=headers), 404)
    assert_error(client.get(QUOTES.format(project_id=theirs["project"].id), headers=headers), 404)
    assert count(BudgetLine) == 0
