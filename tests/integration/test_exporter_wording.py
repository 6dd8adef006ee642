"""An exporter's workspace speaks of "your company", a consultancy's of clients; the evidence page names
who accepts submitted evidence to fit the workspace; the demo's evidence names the member who added it."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from typing import Any

import pytest
from sqlalchemy import select

from app.domain.wording import who_accepts
from app.extensions import db
from app.models import EvidenceItem, Membership, User
from app.services import demo
from tests import evidence_samples as samples
from tests.factories import login
from tests.integration.evidence_support import evidence_url

PASSWORD = "a-long-enough-passphrase"


def text(html: str) -> str:
    """The page's words, without tags, on one line."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def nav_entry(html: str) -> str:
    found = re.search(r'<a class="nav-link[^"]*"\s+href="/clients">([^<]*)</a>', html)
    assert found, "no nav entry for /clients"
    return found.group(1)


def logged_in(http: Any, make: Any, kind: str, members: int = 1) -> tuple[Any, Any]:
    workspace = make.workspace(kind=kind)
    owner = make.user(workspace, role="owner")
    for _ in range(members - 1):
        make.user(workspace, role="consultant")
    login(http, owner)
    return workspace, owner


# Signing up as an exporter


def test_an_exporter_who_signs_up_lands_on_setting_up_their_company(client, outbox):
    data = {
        "name": "Lan Nguyen",
        "email": "lan@example.com",
        "workspace_name": "Saigon Cork Co",
        "kind": "exporter",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    assert client.post("/signup", data=data).status_code == 303
    link = re.search(r"https?://[^/\s]+(/verify/\S+)", outbox[0].get_body().get_content())  # type: ignore[union-attr]
    assert link
    client.get(link.group(1))
    logged = client.post("/login", data={"email": "lan@example.com", "password": PASSWORD})
    landing = client.get(logged.headers["Location"], follow_redirects=True)

    html = landing.text
    assert nav_entry(html) == "Your company"
    assert "<title>Your company" in html
    words = text(html)
    assert "Set up your company" in words
    assert "set up your company" in words and 'href="/clients/new"' in html
    assert "client" not in words.lower().replace("/clients", "")


# The company pages


def test_an_exporters_pages_speak_of_your_company(client, make):
    logged_in(client, make, "exporter")
    new = client.get("/clients/new")
    assert '<h1 class="h3 mb-3">Add your company</h1>' in new.text
    assert nav_entry(new.text) == "Your company"
    assert "client" not in text(new.text).lower()

    created = client.post(
        "/clients/new", data={"name": "Saigon Cork Co", "country": "VN"}, follow_redirects=True
    )
    words = text(created.text)
    assert "Your company “Saigon Cork Co” is set up. Now add its factory site." in words
    assert "Your sites" in words
    assert "client" not in words.lower()

    listed = client.get("/clients")
    assert '<h1 class="h3 mb-0">Your company</h1>' in listed.text
    assert "Add your company" in listed.text

    taken = client.post("/clients/new", data={"name": "saigon cork co", "country": "VN"})
    assert "This workspace already has a company with that name." in unescape(taken.text)


def test_a_consultancys_pages_still_speak_of_clients(client, make):
    logged_in(client, make, "consultancy")
    listed = client.get("/clients")
    assert nav_entry(listed.text) == "Clients"
    words = text(listed.text)
    assert "No clients yet" in words and "add a client" in words
    assert "Your company" not in words

    created = client.post(
        "/clients/new", data={"name": "Saigon Cork Co", "country": "VN"}, follow_redirects=True
    )
    words = text(created.text)
    assert "Client “Saigon Cork Co” added. Now add its factory site." in words
    assert "Sites" in words and "Your sites" not in words
    assert '<h1 class="h3 mb-3">Add a client</h1>' in client.get("/clients/new").text


# Who accepts submitted evidence


@pytest.mark.parametrize(
    ("kind", "members", "expected"),
    [
        ("exporter", 2, "Someone else in your company then accepts it, or says what to fix."),
        ("consultancy", 2, "A consultant or client manager then accepts it, or says what to fix."),
        ("exporter", 1, "You then accept it yourself"),
        ("consultancy", 1, "You then accept it yourself"),
    ],
)
def test_the_evidence_page_says_who_accepts_in_words_that_fit_the_workspace(
    client, make, kind, members, expected
):
    workspace, owner = logged_in(client, make, kind, members)
    project = make.tree(workspace)["project"]
    item = samples.add_note(project, owner.id)
    page = client.get(evidence_url(project, item.id))
    assert page.status_code == 200
    said = re.search(r'<p class="small" id="who-accepts">([^<]*)</p>', page.text)
    assert said and unescape(said.group(1)).startswith(expected)
    if members == 1:
        assert "self-accepted" in said.group(1)
    if kind == "exporter":
        assert "consultant" not in said.group(1) and "client" not in said.group(1)


def test_who_accepts_is_one_choice_of_kind_and_members():
    assert who_accepts("exporter", 3) != who_accepts("consultancy", 3)
    assert who_accepts("exporter", 1) == who_accepts("consultancy", 1)
    assert who_accepts(None, 2) == who_accepts("consultancy", 2)


# The demo's evidence


def test_the_demo_evidence_names_the_demo_user_who_added_and_reviewed_it(app, client):
    demo.create_demo(date(2026, 6, 15))
    db.session.commit()
    user = db.session.execute(select(User).where(User.email == demo.DEMO_EMAIL)).scalar_one()
    items = list(db.session.execute(select(EvidenceItem)).scalars())
    assert items
    members = db.session.execute(select(Membership).where(Membership.user_id == user.id)).scalars().all()
    assert len(members) == 1
    for item in items:
        assert item.added_by_id == user.id, item.title
        if item.review_state in ("accepted", "rejected"):
            assert item.reviewed_by_id == user.id, item.title
        assert item.self_reviewed == (
            item.review_state == "accepted" and item.reviewed_by_id == item.added_by_id
        )

    login(client, user, demo.DEMO_PASSWORD)
    for item in items:
        page = client.get(f"/projects/{item.project_id}/evidence/{item.id}")
        assert page.status_code == 200
        assert "someone no longer here" not in page.text, item.title
        assert user.name in page.text
