"""Share links for buyers: the exporter's management page (create, see the link once, revoke, the optional
progress page) and the public verification page it opens (no log-in, no cookie, not indexed, nothing
internal, one plain 404 for every token that opens nothing, its JSON form and QR codes)."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.domain.certification import BUYER_CHECKS, IAF_CERTSEARCH
from app.domain.sharing import new_token
from app.extensions import db
from app.models import BudgetLine, CertificationProject, EditionTransition, Finding, ShareLink
from app.models.base import utcnow
from app.services import sharing
from app.services.sharing import NOT_SHARED
from tests.html import field_errors
from tests.integration.evidence_support import MemberClient, user_as
from tests.qr_reading import qr_text
from tests.sharing_samples import add_audit, add_body, add_certificate, add_link

TODAY = date.today()
SURVEILLANCE_ON = TODAY - timedelta(days=30)
FINDING_TEXT = "Welding jig 4 had no maintenance record since March"
BUDGET_TEXT = "Consultant retainer for the mock audit"
CERTIFICATE_NOTES = "Internal: renegotiate the audit fee before surveillance"
BODY_NOTES = "Internal: the lead auditor prefers morning starts"
URL = re.compile(r"^http://localhost/check/[A-Za-z0-9_-]{43}$")


def shown(day: date) -> str:
    return day.strftime("%d %b %Y")


@pytest.fixture
def certified(tree: dict[str, Any]) -> dict[str, Any]:
    """The tree's project certified by a UKAS-accredited body, its first surveillance held, a finding and a
    budget line recorded (internal), and a link to the certificate."""
    project = tree["project"]
    body = add_body(tree["workspace"].id, contact_email="lead@vinacert.example", notes=BODY_NOTES)
    certificate = add_certificate(project, body, notes=CERTIFICATE_NOTES, sector_codes="17, 14")
    add_audit(project, "surveillance1", SURVEILLANCE_ON, True, certificate_id=certificate.id, body_id=body.id)
    db.session.add_all(
        [
            Finding(
                project_id=project.id, source="external_audit", severity="major", description=FINDING_TEXT,
                raised_on=TODAY - timedelta(days=20),
            ),
            BudgetLine(
                project_id=project.id, stage="external_audit", category="consulting", description=BUDGET_TEXT,
                planned=Decimal("98765.43"),
            ),
        ]
    )  # fmt: skip
    db.session.commit()
    created = add_link(certificate, "Buyer: Acme GmbH, catalog 2026")
    return {"body": body, "certificate": certificate, "link": created.row, "token": created.token}


def anonymous(app: Flask) -> MemberClient:
    return MemberClient(app, app.response_class)


@pytest.fixture
def exporter(app: Flask, make: Any, tree: dict[str, Any]) -> MemberClient:
    """The workspace's owner, logged in on a client of their own (requests of the anonymous buyer's client
    in between do not carry over)."""
    http, _ = user_as(app, make, tree, "owner")
    return http


def page_url(token: str) -> str:
    return f"/check/{token}"


def public_answers(http: Any, token: str) -> dict[str, Any]:
    return {
        suffix: http.get(page_url(token) + suffix, buffered=True)
        for suffix in ("", ".json", "/qr.png", "/qr.svg")
    }


def assert_no_cookie(response: Any) -> None:
    assert "Set-Cookie" not in response.headers, response.headers.get_all("Set-Cookie")


# The management page


def test_an_owner_creates_a_link_and_sees_it_once(exporter, tree, certified):
    certificate = certified["certificate"]
    page = exporter.get(f"/share-links?certificate={certificate.id}")
    assert page.status_code == 200
    assert certificate.number in page.text and "Create a share link" in page.text
    assert f'<option selected value="certificate-{certificate.id}">' in page.text

    data = {"target": f"certificate-{certificate.id}", "label": "Trade fair Hanoi", "expires_on": ""}
    created = exporter.post("/share-links", data=data)
    assert created.status_code == 200
    url = re.search(r'id="new-link-url" type="text" readonly value="([^"]+)"', created.text).group(1)
    assert URL.match(url), url
    token = url.rsplit("/", 1)[1]
    row = db.session.execute(select(ShareLink).where(ShareLink.label == "Trade fair Hanoi")).scalar_one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.certificate_id == certificate.id and row.expires_at is None and row.revoked_at is None
    assert f"/check/{token}/qr.png" in created.text and f"/check/{token}/qr.svg" in created.text
    assert (
        created.headers["Cache-Control"].startswith("no-store")
        or "no-store" in created.headers["Cache-Control"]
    )

    later = exporter.get("/share-links")
    assert token not in later.text and "new-link-url" not in later.text
    assert f"#{row.token_hash[:8]}" in later.text and "Trade fair Hanoi" in later.text
    assert anonymous(exporter.application).get(url).status_code == 200


def test_the_public_page_shows_the_certificate_to_anyone(app, tree, certified):
    certificate, body = certified["certificate"], certified["body"]
    http = anonymous(app)
    response = http.get(page_url(certified["token"]))
    assert response.status_code == 200
    html = response.text
    site = tree["site"]
    due = date(SURVEILLANCE_ON.year + 1, 12, 31)
    for fact in [
        tree["client"].name,
        site.name,
        site.address,
        "Vietnam",
        "ISO 9001, edition 2015",
        certificate.number,
        certificate.scope,
        "14, 17",
        body.name,
        "UKAS (United Kingdom Accreditation Service)",
        "IAF MLA signatory",
        "Accreditation number 0123",
        "Valid",
        f'First certified</dt><dd class="col-sm-8">{shown(certificate.original_on)}',
        f'Issued</dt><dd class="col-sm-8">{shown(certificate.issued_on)}',
        f'Expires</dt><dd class="col-sm-8">{shown(certificate.expires_on)}',
        f"First surveillance audit, {shown(SURVEILLANCE_ON)}",
        f"Second surveillance audit, by {shown(due)}",
        f'href="{body.website}"',
        f'href="{IAF_CERTSEARCH}"',
        "What to check on any supplier",
        *(check.replace("'", "&#39;") for check in BUYER_CHECKS),
    ]:
        assert fact in html, fact
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in html
    assert "no-store" in response.headers["Cache-Control"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "<script" not in html and "style=" not in html and "<form" not in html
    assert_no_cookie(response)


def test_nothing_internal_is_on_the_page_or_in_its_json(app, tree, certified):
    http = anonymous(app)
    answers = [http.get(page_url(certified["token"])), http.get(page_url(certified["token"]) + ".json")]
    for response in answers:
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        for secret in [
            FINDING_TEXT, BUDGET_TEXT, "98765", "98,765", CERTIFICATE_NOTES, BODY_NOTES,
            "lead@vinacert.example", "Buyer: Acme GmbH", "readiness %", "major", tree["workspace"].name,
        ]:  # fmt: skip
            assert secret not in text, secret


def test_unknown_revoked_and_expired_tokens_get_the_same_plain_404(app, tree, certified):
    certificate = certified["certificate"]
    revoked = add_link(certificate, "Revoked one")
    sharing.revoke(revoked.row, utcnow())
    expired = add_link(certificate, "Expired one", TODAY)
    expired.row.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    http = anonymous(app)
    tokens = {"unknown": new_token(), "revoked": revoked.token, "expired": expired.token}
    answers = {name: public_answers(http, token) for name, token in tokens.items()}
    for suffix in ("", ".json", "/qr.png", "/qr.svg"):
        bodies = {name: answers[name][suffix].data for name in tokens}
        assert {name: answers[name][suffix].status_code for name in tokens} == dict.fromkeys(tokens, 404)
        assert len(set(bodies.values())) == 1, (suffix, bodies)
    page = answers["unknown"][""]
    assert page.mimetype == "text/html" and "Not found" in page.text
    assert answers["unknown"][".json"].json == {"error": {"status": 404, "message": "Not found."}}
    for word in ("revoked", "expired", "existed", certificate.number, tree["client"].name):
        assert word not in page.text.lower().replace("not found", "")
    for response in (r for group in answers.values() for r in group.values()):
        assert response.headers["X-Robots-Tag"] == "noindex"
        assert_no_cookie(response)
    assert http.get(page_url("x" * 500)).data == page.data  # too long to be one: not even looked up
    assert http.get(page_url(certified["token"])).status_code == 200  # the live link still opens


def test_public_answers_set_no_cookie_even_when_logged_in(app, client, owner, tree, certified):
    app.config["WTF_CSRF_ENABLED"] = True
    other = add_link(certified["certificate"], "To revoke")
    page = client.get("/share-links")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    # A flashed message waits in the session: the public pages neither show nor consume it.
    revoked = client.post(f"/share-links/{other.row.id}/revoke", data={"csrf_token": csrf})
    assert revoked.status_code == 303
    for response in [*public_answers(client, certified["token"]).values(), client.get(page_url(new_token()))]:
        assert_no_cookie(response)
        assert b"csrf_token" not in response.data and b"To revoke" not in response.data
    after = client.get("/share-links")
    assert after.status_code == 200  # still logged in
    assert "“To revoke” is revoked" in after.text  # the flash waited for the next page of the app


def test_the_qr_codes_hold_the_pages_address(app, tree, certified):
    http = anonymous(app)
    token = certified["token"]
    png_answer = http.get(page_url(token) + "/qr.png")
    assert png_answer.status_code == 200 and png_answer.mimetype == "image/png"
    assert qr_text(png_answer.data) == f"http://localhost/check/{token}"
    svg_answer = http.get(page_url(token) + "/qr.svg")
    assert svg_answer.status_code == 200 and svg_answer.mimetype == "image/svg+xml"
    assert svg_answer.data.startswith(b"<?xml") and b"<svg" in svg_answer.data
    assert b"<script" not in svg_answer.data
    app.config["PUBLIC_URL"] = "https://readiness.example"
    assert qr_text(http.get(page_url(token) + "/qr.png").data) == f"https://readiness.example/check/{token}"


def test_the_json_form_says_what_the_page_says(app, tree, certified):
    certificate, body, token = certified["certificate"], certified["body"], certified["token"]
    answer = anonymous(app).get(page_url(token) + ".json")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    assert answer.headers["X-Robots-Tag"] == "noindex"
    assert_no_cookie(answer)
    found = answer.json
    site = tree["site"]
    assert found == {
        "kind": "certificate",
        "page_url": f"http://localhost/check/{token}",
        "company": tree["client"].name,
        "sites": [{"name": site.name, "address": site.address, "country": "VN", "country_name": "Vietnam"}],
        "standard": {"code": "iso9001", "name": "ISO 9001", "edition": "2015"},
        "certificate_number": certificate.number,
        "scope": certificate.scope,
        "sector_codes": [14, 17],
        "sector_codes_text": "17, 14",
        "certification_body": {"name": body.name, "website": body.website, "accreditation_number": "0123"},
        "accreditation_body": {
            "name": "UKAS", "full_name": "UKAS (United Kingdom Accreditation Service)", "on_iaf_mla": True,
            "warning": None,
        },
        "status": "valid",
        "status_label": "Valid",
        "original_certification_date": certificate.original_on.isoformat(),
        "issue_date": certificate.issued_on.isoformat(),
        "expiry_date": certificate.expires_on.isoformat(),
        "last_surveillance_audit": {
            "kind": "surveillance1", "label": "First surveillance audit",
            "held_on": SURVEILLANCE_ON.isoformat(),
        },
        "next_audit_due": {
            "kind": "surveillance2", "label": "Second surveillance audit",
            "due_by": date(SURVEILLANCE_ON.year + 1, 12, 31).isoformat(), "overdue": False,
        },
        "transition_note": None,
        "check_links": {"certification_body": body.website, "iaf_certsearch": IAF_CERTSEARCH},
        "what_to_check": list(BUYER_CHECKS),
    }  # fmt: skip


def test_an_unlisted_accreditation_body_is_warned_and_a_bad_website_not_linked(app, tree):
    body = add_body(tree["workspace"].id, accreditation_body="(not IAF)", website="javascript:alert(1)")
    token = add_link(add_certificate(tree["project"], body)).token
    html = anonymous(app).get(page_url(token)).text
    assert "Not on the IAF MLA list" in html and "IAF MLA signatory" not in html
    assert "is not on the IAF MLA list this app knows" in html
    assert 'href="javascript' not in html and "javascript:alert(1)" in html  # shown as text only
    assert anonymous(app).get(page_url(token) + ".json").json["accreditation_body"]["on_iaf_mla"] is False


def test_a_suspended_certificate_says_so_and_no_audit_is_due(app, tree):
    certificate = add_certificate(
        tree["project"], suspension="suspended", suspension_on=TODAY - timedelta(days=2)
    )
    token = add_link(certificate).token
    html = anonymous(app).get(page_url(token)).text
    assert "Suspended" in html and "None: the certificate is not valid" in html
    found = anonymous(app).get(page_url(token) + ".json").json
    assert found["status"] == "suspended" and found["next_audit_due"] is None


def test_an_announced_new_edition_says_by_when_the_certificate_must_move(app, tree, certified):
    deadline = TODAY + timedelta(days=900)
    db.session.add(
        EditionTransition(
            workspace_id=tree["workspace"].id, standard_code="iso9001", edition="ISO 9001:2026",
            published_on=TODAY - timedelta(days=30), deadline=deadline,
        )
    )  # fmt: skip
    db.session.commit()
    note = (
        "ISO 9001:2026 is published: certificates to the previous edition must move to it by "
        f"{deadline:%Y-%m-%d}."
    )
    assert note in anonymous(app).get(page_url(certified["token"])).text
    assert anonymous(app).get(page_url(certified["token"]) + ".json").json["transition_note"] == note


def test_a_deleted_clients_certificate_no_longer_opens(app, tree, certified):
    tree["client"].deleted_at = utcnow()
    db.session.commit()
    assert anonymous(app).get(page_url(certified["token"])).status_code == 404


# Revoking and expiry


def test_revoking_on_the_page_closes_the_link_at_once(app, exporter, certified):
    link = certified["link"]
    assert anonymous(app).get(page_url(certified["token"])).status_code == 200
    response = exporter.post(f"/share-links/{link.id}/revoke")
    assert response.status_code == 303
    assert anonymous(app).get(page_url(certified["token"])).status_code == 404
    page = exporter.get("/share-links")
    assert re.search(rf'data-share-link-id="{link.id}" data-state="revoked"', page.text)
    assert "is revoked: it no longer opens" in page.text
    assert exporter.post(f"/share-links/{link.id}/revoke").status_code == 303  # again: nothing changes


def test_a_link_opens_through_its_expiry_day_then_stops(app, exporter, certified):
    certificate = certified["certificate"]
    data = {"target": f"certificate-{certificate.id}", "label": "Short", "expires_on": TODAY.isoformat()}
    created = exporter.post("/share-links", data=data)
    url = re.search(r'id="new-link-url" type="text" readonly value="([^"]+)"', created.text).group(1)
    assert anonymous(app).get(url).status_code == 200
    row = db.session.execute(select(ShareLink).where(ShareLink.label == "Short")).scalar_one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert anonymous(app).get(url).status_code == 404
    assert re.search(
        rf'data-share-link-id="{row.id}" data-state="expired"', exporter.get("/share-links").text
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"label": ""}, "label", "Say who the link is for"),
        ({"label": "x" * 121}, "label", "Use at most 120 characters."),
        ({"expires_on": (TODAY - timedelta(days=1)).isoformat()}, "expires_on", "cannot be in the past"),
        (
            {"expires_on": (TODAY + timedelta(days=6 * 366)).isoformat()},
            "expires_on",
            "at most 5 years ahead",
        ),
        ({"expires_on": "2026-02-30"}, "expires_on", "Not a valid date value."),
        ({"target": ""}, "target", "Choose a certificate"),
        ({"target": "certificate-abc"}, "target", "Choose a certificate"),
        ({"target": "budget-1"}, "target", "Choose a certificate"),
    ],
)
def test_bad_input_is_refused_beside_its_field(client, owner, certified, data, field, message):
    values = {
        "target": f"certificate-{certified['certificate'].id}",
        "label": "Buyer",
        "expires_on": "",
    } | data
    response = client.post("/share-links", data=values)
    assert response.status_code == 422
    assert any(message in error for error in field_errors(response, field)), field_errors(response, field)
    assert "new-link-url" not in response.text
    assert db.session.execute(select(func.count(ShareLink.id))).scalar_one() == 1  # the fixture's only


# Who may do what


def test_another_workspaces_certificate_and_links_are_not_found(app, client, owner, make, tree, certified):
    theirs = make.tree()
    their_certificate = add_certificate(theirs["project"])
    their_link = add_link(their_certificate, "Theirs")
    their_project = theirs["project"]
    their_project.show_progress_to_buyers = True
    db.session.commit()
    for target in (f"certificate-{their_certificate.id}", f"project-{their_project.id}"):
        response = client.post("/share-links", data={"target": target, "label": "Mine now", "expires_on": ""})
        assert response.status_code == 404, target
    assert client.post(f"/share-links/{their_link.row.id}/revoke").status_code == 404
    version = their_project.version
    progress = client.post(
        f"/share-links/projects/{their_project.id}/progress", data={"show": "off", "version": version}
    )
    assert progress.status_code == 404
    assert db.session.execute(select(func.count(ShareLink.id))).scalar_one() == 2
    db.session.refresh(their_link.row)
    assert their_link.row.revoked_at is None
    page = client.get("/share-links")
    assert their_certificate.number not in page.text and "Theirs" not in page.text


@pytest.mark.parametrize("role", ["viewer", "contributor"])
def test_viewers_and_contributors_see_the_links_but_cannot_create_or_revoke(app, make, tree, certified, role):
    http, _ = user_as(app, make, tree, role)
    page = http.get("/share-links")
    assert page.status_code == 200 and certified["certificate"].number in page.text
    assert "Create a share link</h2>" not in page.text and "Revoke</button>" not in page.text
    data = {"target": f"certificate-{certified['certificate'].id}", "label": "Sneaky", "expires_on": ""}
    assert http.post("/share-links", data=data).status_code == 403
    assert http.post(f"/share-links/{certified['link'].id}/revoke").status_code == 403
    project = tree["project"]
    toggle = {"show": "on", "version": project.version}
    assert http.post(f"/share-links/projects/{project.id}/progress", data=toggle).status_code == 403
    assert db.session.execute(select(func.count(ShareLink.id))).scalar_one() == 1
    assert certified["link"].revoked_at is None


def test_a_client_manager_sees_and_shares_only_their_clients_certificates(app, make, tree, certified):
    other = make.tree(tree["workspace"])
    other_certificate = add_certificate(other["project"])
    other_link = add_link(other_certificate, "Other client's link")
    http, _ = user_as(app, make, tree, "client_manager")
    page = http.get("/share-links")
    assert certified["certificate"].number in page.text
    assert other_certificate.number not in page.text and "Other client" not in page.text
    assert http.post(f"/share-links/{other_link.row.id}/revoke").status_code == 404
    data = {"target": f"certificate-{other_certificate.id}", "label": "Mine", "expires_on": ""}
    assert http.post("/share-links", data=data).status_code == 404
    data["target"] = f"certificate-{certified['certificate'].id}"
    assert http.post("/share-links", data=data).status_code == 200


# The optional progress page of a project not yet certified


def toggle(http: Any, project: CertificationProject, show: str) -> Any:
    db.session.refresh(project)
    return http.post(
        f"/share-links/projects/{project.id}/progress", data={"show": show, "version": project.version}
    )


def test_a_progress_link_is_off_by_default_then_says_when_and_with_whom(app, exporter, make, tree):
    project = tree["project"]
    assert project.show_progress_to_buyers is False
    page = exporter.get("/share-links")
    assert f'value="project-{project.id}"' not in page.text and "Show progress to buyers" in page.text
    data = {"target": f"project-{project.id}", "label": "Prospect", "expires_on": ""}
    refused = exporter.post("/share-links", data=data)
    assert refused.status_code == 422 and NOT_SHARED in field_errors(refused, "target")

    body = add_body(tree["workspace"].id, name="Bureau Kiem Dinh")
    audit_day = TODAY + timedelta(days=60)
    add_audit(project, "stage2", audit_day + timedelta(days=1), False, body_id=body.id)
    assert toggle(exporter, project, "on").status_code == 303
    assert f'value="project-{project.id}"' in exporter.get("/share-links").text
    created = exporter.post("/share-links", data=data)
    assert created.status_code == 200
    url = re.search(r'id="new-link-url" type="text" readonly value="([^"]+)"', created.text).group(1)

    response = anonymous(app).get(url)
    assert response.status_code == 200
    statement = (
        f"Working towards ISO 9001 certification: certification audit planned for {audit_day:%B %Y} with "
        "Bureau Kiem Dinh."
    )
    assert statement in response.text and "not certified" in response.text
    assert (
        response.headers["X-Robots-Tag"] == "noindex"
        and '<meta name="robots" content="noindex">' in response.text
    )
    assert_no_cookie(response)
    found = anonymous(app).get(url + ".json").json
    assert found["kind"] == "progress" and found["statement"] == statement
    assert found["certification_audit"] == {
        "month": audit_day.strftime("%Y-%m"), "held": False, "certification_body": "Bureau Kiem Dinh",
    }  # fmt: skip
    assert "%" not in response.text  # no readiness

    assert toggle(exporter, project, "off").status_code == 303
    off = anonymous(app).get(url)
    assert off.status_code == 404 and off.data == anonymous(app).get(page_url(new_token())).data

    assert toggle(exporter, project, "on").status_code == 303
    certificate = add_certificate(project, body)
    later = anonymous(app).get(url)
    assert later.status_code == 200 and certificate.number in later.text  # certified since: the certificate
    assert f'value="project-{project.id}"' not in exporter.get("/share-links").text


def test_a_stale_progress_toggle_changes_nothing(client, owner, tree):
    project = tree["project"]
    old = project.version
    assert toggle(client, project, "on").status_code == 303
    stale = client.post(f"/share-links/projects/{project.id}/progress", data={"show": "off", "version": old})
    assert stale.status_code == 409 and "Someone else saved this project" in stale.text
    db.session.refresh(project)
    assert project.show_progress_to_buyers is True
    assert (
        client.post(f"/share-links/projects/{project.id}/progress", data={"show": "maybe"}).status_code == 422
    )


def test_the_forms_need_their_csrf_token(app, client, owner, tree, certified):
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/share-links")
    assert page.status_code == 200
    refused = client.post(
        "/share-links", data={"target": f"certificate-{certified['certificate'].id}", "label": "No token"}
    )
    assert refused.status_code == 400  # Flask-WTF refuses it before the view
    assert client.post(f"/share-links/{certified['link'].id}/revoke").status_code == 400
    db.session.refresh(certified["link"])
    assert certified["link"].revoked_at is None  # without the token, nothing was revoked


def test_every_id_on_the_management_page_is_unique_and_labels_point_at_their_controls(
    app, exporter, make, tree, certified
):
    from tests.integration.test_unique_ids import check

    app.config["WTF_CSRF_ENABLED"] = True
    project = make.project(make.site(tree["client"]))  # not certified
    project.show_progress_to_buyers = True
    db.session.commit()
    add_link(project, "Progress link")
    add_link(certified["certificate"], "Second")
    page = exporter.get("/share-links")
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    data = {"csrf_token": csrf, "target": f"certificate-{certified['certificate'].id}", "label": "New"}
    refused = exporter.post("/share-links", data=data | {"label": ""})
    assert refused.status_code == 422
    for response in (page, exporter.post("/share-links", data=data), refused):
        found = check(response.text)
        assert {"target", "label", "expires_on"} <= set(found.label_for)
