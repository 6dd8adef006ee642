"""A forgotten password: a reset link by e-mail, which works once, for an hour, and ends every session."""

from __future__ import annotations

from datetime import timedelta

from itsdangerous.timed import TimestampSigner

from app.auth.routes import LOGIN_FAILED
from app.extensions import db
from app.services import account_links, mail
from app.services.passwords import TOO_GUESSABLE
from tests.factories import login
from tests.html import field_errors
from tests.mailbox import links, only_link_to, sent_to
from tests.smtp import running_smtp_server

NEW_PASSWORD = "harbour-lantern-quietly"


def new_password(client, link: str, password: str = NEW_PASSWORD):
    return client.post(link, data={"password": password, "confirm": password})


def test_asking_says_the_same_for_every_address_and_mails_only_an_account(client, make, outbox):
    make.user(email="lan@example.com")
    gone = make.user(email="gone@example.com")
    gone.active = False
    db.session.commit()
    answers = [
        client.post("/password/forgot", data={"email": address})
        for address in ("LAN@example.com", "nobody@example.com", "gone@example.com")
    ]
    assert {(a.status_code, a.headers["Location"]) for a in answers} == {(303, "/check-email")}
    assert [m["To"] for m in outbox] == ["lan@example.com"]
    assert "Forgotten your password?" in client.get("/login").text


def test_the_link_sets_a_new_password_once_and_ends_every_session(app, client, make, outbox):
    user = make.user(email="lan@example.com")
    elsewhere = app.test_client()
    with app.app_context():
        login(elsewhere, user)
    client.post("/password/forgot", data={"email": "lan@example.com"})
    link = only_link_to("lan@example.com", "/password/reset/")
    assert client.get(link).status_code == 200

    response = new_password(client, link)
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    with app.app_context():
        assert elsewhere.get("/clients").status_code == 302
    old = client.post("/login", data={"email": "lan@example.com", "password": "correct-horse-battery"})
    assert field_errors(old, "password") == [LOGIN_FAILED]
    login(client, user, NEW_PASSWORD)
    client.post("/logout")
    again = new_password(client, link, "another-fresh-passphrase")
    assert again.status_code == 400 and "works once" in again.text


def test_the_new_password_follows_the_password_rule(client, make, outbox):
    make.user(email="lan@example.com")
    client.post("/password/forgot", data={"email": "lan@example.com"})
    link = only_link_to("lan@example.com", "/password/reset/")
    for weak in ("lan@example.com", "password1234"):
        assert field_errors(new_password(client, link, weak), "password")[0].startswith(TOO_GUESSABLE)
    assert new_password(client, link).status_code == 303  # the link still works after a refusal


def test_a_tampered_expired_or_confirmation_link_is_refused(client, make, outbox, monkeypatch):
    user = make.user(email="lan@example.com")
    client.post("/password/forgot", data={"email": "lan@example.com"})
    link = only_link_to("lan@example.com", "/password/reset/")
    token = link.rsplit("/", 1)[1]
    assert client.get(link[:-3] + "xyz").status_code == 400
    assert client.get("/verify/" + token).status_code == 400  # another purpose
    confirmation = account_links.verification_token(user)
    assert client.get("/password/reset/" + confirmation).status_code == 400
    monkeypatch.setattr(account_links, "RESET_MAX_AGE", timedelta(seconds=-1))
    expired = new_password(client, link)
    assert expired.status_code == 400 and "Ask for a new one" in expired.text
    login(client, user)  # nothing changed


def refused_offers_a_new_link(response) -> None:
    """The refusal page: why, and the forgot-password form at once (posting where the form always does)."""
    assert response.status_code == 400 and "Ask for a new one" in response.text
    assert 'action="/password/forgot"' in response.text and 'name="email"' in response.text


def test_every_refused_link_says_why_and_offers_the_form_for_a_new_one(client, make, outbox, monkeypatch):
    make.user(email="lan@example.com")
    client.post("/password/forgot", data={"email": "lan@example.com"})
    link = only_link_to("lan@example.com", "/password/reset/")
    tampered = client.get(link[:-3] + "xyz")
    refused_offers_a_new_link(tampered)
    assert "lan@example.com" not in tampered.text  # nothing says whose link it was
    assert new_password(client, link).status_code == 303
    refused_offers_a_new_link(client.get(link))  # used
    monkeypatch.setattr(account_links, "RESET_MAX_AGE", timedelta(seconds=-1))
    client.post("/password/forgot", data={"email": "lan@example.com"})
    refused_offers_a_new_link(client.get(sent_links("lan@example.com")[-1]))  # expired
    assert client.get("/password/reset/" + "A" * 600).status_code == 400  # too long to parse


def sent_links(address: str) -> list[str]:
    return [path for message in sent_to(address) for path in links(message) if "/password/reset/" in path]


def test_the_reset_link_arrives_through_a_real_smtp_server(app, client, make):
    user = make.user(email="lan@example.com")
    with running_smtp_server() as server:
        server.use(app)
        answer = client.post("/password/forgot", data={"email": "lan@example.com"})
        unknown = client.post("/password/forgot", data={"email": "nobody@example.com"})
        mail.wait_for_delivery()
        link = server.only_link_to("lan@example.com", "/password/reset/")
        assert [m["To"] for m in server.messages] == ["lan@example.com"]
    same = {(r.status_code, r.headers["Location"]) for r in (answer, unknown)}
    assert same == {(303, "/check-email")}
    assert new_password(client, link).status_code == 303
    login(client, user, NEW_PASSWORD)


def made_minutes_ago(monkeypatch, user, minutes: int) -> str:
    """A reset link signed ``minutes`` ago (its timestamp is in the signature)."""
    now = TimestampSigner.get_timestamp
    with monkeypatch.context() as earlier:
        earlier.setattr(TimestampSigner, "get_timestamp", lambda signer: now(signer) - minutes * 60)
        return "/password/reset/" + account_links.reset_token(user)


def test_a_link_works_for_an_hour(client, make, monkeypatch):
    user = make.user(email="lan@example.com")
    assert client.get(made_minutes_ago(monkeypatch, user, 59)).status_code == 200
    late = made_minutes_ago(monkeypatch, user, 61)
    refused_offers_a_new_link(client.get(late))
    assert new_password(client, late).status_code == 400
    login(client, user)  # unchanged
