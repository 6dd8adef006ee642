"""Outgoing e-mail: the outbox (tests), the log (development; production without a server), SMTP, and
that a message leaves only when its request succeeded, with links on PUBLIC_URL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from email import message_from_bytes, policy
from typing import Any

import pytest
from flask import Response

from app.auth import emails
from app.models.base import utcnow
from app.services import mail
from tests.mailbox import body, links
from tests.smtp import SmtpServer, running_smtp_server


def test_a_message_is_plain_text_from_the_sender_with_one_line_headers(app, outbox):
    app.config["MAIL_SENDER"] = "Readiness <no-reply@readiness.example>"
    message = mail.message("lan@example.com", "Join Cork\r\nBcc: spam@example.com", "Hello")
    mail.deliver([message])
    sent = outbox[-1]
    assert (sent["From"], sent["To"]) == ("Readiness <no-reply@readiness.example>", "lan@example.com")
    assert sent["Subject"] == "Join Cork Bcc: spam@example.com" and sent["Bcc"] is None
    assert sent.get_content_type() == "text/plain" and body(sent).strip() == "Hello"
    assert sent["Message-ID"].endswith("@readiness.example>")


def test_a_message_may_carry_an_html_alternative(app, outbox):
    mail.deliver([mail.message("lan@example.com", "Hi", "Hello", html="<p>Hello</p>")])
    sent = outbox[-1]
    assert sent.get_content_type() == "multipart/alternative"
    assert sent.get_body(preferencelist=("html",)).get_content().strip() == "<p>Hello</p>"


def test_development_logs_the_whole_message_and_production_only_that_it_was_not_sent(app, outbox, caplog):
    app.config["MAIL_BACKEND"] = "log"
    message = mail.message("lan@example.com", "Confirm", "Follow http://localhost/verify/secret-token")
    with caplog.at_level(logging.INFO, logger="app.services.mail"):
        app.config["ENVIRONMENT"] = "development"
        mail.deliver([message])
        assert "verify/secret-token" in caplog.text
        caplog.clear()
        app.config["ENVIRONMENT"] = "production"
        mail.deliver([message])
    assert "secret-token" not in caplog.text and "Not sent (MAIL_SERVER is not set)" in caplog.text
    assert outbox == []


def test_queued_mail_leaves_only_with_a_successful_answer(app, outbox):
    for status, delivered in ((500, 0), (404, 0), (303, 1), (200, 1)):
        outbox.clear()
        with app.test_request_context("/"):
            emails.queue("lan@example.com", "Confirm", "verify", user=None, link="http://x/verify/t")
            emails.deliver_queued(Response(status=status))
        assert len(outbox) == delivered, status


def test_links_are_made_on_the_public_url_whatever_host_the_request_named(app, client, make, outbox):
    make.user(email="lan@example.com")
    app.config["PUBLIC_URL"] = "https://readiness.example"
    client.post("/password/forgot", data={"email": "lan@example.com"}, headers={"Host": "evil.example"})
    text = body(outbox[-1])
    assert "https://readiness.example/password/reset/" in text and "evil.example" not in text
    assert links(outbox[-1])[0].startswith("/password/reset/")


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with running_smtp_server() as server:
        yield server


def test_smtp_sends_in_the_background_and_the_server_gets_the_message(app, client, make, smtp_server):
    make.user(email="lan@example.com")
    smtp_server.use(app)
    response = client.post("/password/forgot", data={"email": "lan@example.com"})
    assert response.status_code == 303
    mail.wait_for_delivery()
    [received] = smtp_server.messages
    assert received["To"] == "lan@example.com" and smtp_server.recipients == [["lan@example.com"]]
    assert "/password/reset/" in body(received)


def test_sending_now_says_whether_the_server_took_the_message(app, smtp_server, caplog):
    smtp_server.use(app)
    assert mail.send_now([mail.message("a@example.com", "Hi", "x")]) == ""
    assert [m["To"] for m in smtp_server.messages] == ["a@example.com"]

    smtp_server.refuse_with("451 4.3.0 Mailbox temporarily unavailable")
    with caplog.at_level(logging.ERROR, logger="app.services.mail"):
        refused = mail.send_now([mail.message("b@example.com", "Hi", "y")])
    server = f"127.0.0.1:{smtp_server.port}"
    assert refused == f"The mail server {server} answered 451 4.3.0 Mailbox temporarily unavailable."
    smtp_server.stop()
    down = mail.send_now([mail.message("c@example.com", "Hi", "z")])
    assert down.startswith(f"The mail server 127.0.0.1:{smtp_server.port} could not be reached")
    assert "Could not send 1 e-mail(s) through 127.0.0.1" in caplog.text


def test_without_a_server_sending_now_keeps_the_message_as_deliver_does(app, outbox, tmp_path, caplog):
    assert mail.send_now([mail.message("a@example.com", "Hi", "x")]) == ""
    assert [m["To"] for m in outbox] == ["a@example.com"]
    app.config.update(MAIL_BACKEND="log", ENVIRONMENT="development", MAIL_FILE_DIR=str(tmp_path))
    assert mail.send_now([mail.message("b@example.com", "Hi", "x")]) == ""  # kept in a file to open
    app.config["ENVIRONMENT"] = "production"
    with caplog.at_level(logging.WARNING, logger="app.services.mail"):
        assert mail.send_now([mail.message("c@example.com", "Hi", "x")]) == mail.NO_SERVER
    assert "Not sent (MAIL_SERVER is not set)" in caplog.text


def test_development_writes_each_message_to_a_file_of_its_own(app, tmp_path, caplog):
    app.config.update(MAIL_BACKEND="log", ENVIRONMENT="development", MAIL_FILE_DIR=str(tmp_path / "mail"))
    first = mail.message("lan@example.com", "Set a new password: Readiness!", "http://localhost/reset/t1")
    second = mail.message("lan@example.com", "Set a new password: Readiness!", "http://localhost/reset/t2")
    with caplog.at_level(logging.INFO, logger="app.services.mail"):
        mail.deliver([first, second])
    files = sorted((tmp_path / "mail").iterdir())
    assert len(files) == 2 and all(f.name.endswith("-set-a-new-password-readiness.eml") for f in files)
    assert files[0].name[:8] == utcnow().strftime("%Y%m%d")
    kept = [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    assert sorted(body(m).strip() for m in kept) == ["http://localhost/reset/t1", "http://localhost/reset/t2"]
    assert str(files[0]) in caplog.text


def test_a_folder_that_cannot_be_written_still_leaves_the_message_in_the_log(app, tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    app.config.update(MAIL_BACKEND="log", ENVIRONMENT="development", MAIL_FILE_DIR=str(blocker))
    with caplog.at_level(logging.INFO, logger="app.services.mail"):
        mail.deliver([mail.message("lan@example.com", "Hi", "http://localhost/verify/t")])
    assert "Could not write the e-mail" in caplog.text and "verify/t" in caplog.text


class FakeSMTP:
    """Records what smtplib would have done, for the settings no local test server speaks (TLS, log-in)."""

    calls: list[str]

    def __init__(self, host: str, port: int, timeout: float, context: Any = None) -> None:
        kind = "SSL" if context is not None else "plain"
        self.calls.append(f"connect {kind} {host}:{port} within {timeout}s")

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *exc: object) -> None:
        self.calls.append("quit")

    def starttls(self, context: Any) -> None:
        self.calls.append("starttls")

    def login(self, user: str, password: str) -> None:
        self.calls.append(f"login {user}")

    def send_message(self, message: Any) -> None:
        self.calls.append(f"send {message['To']}")


@pytest.fixture
def smtp_calls(monkeypatch) -> list[str]:
    calls: list[str] = []
    monkeypatch.setattr(FakeSMTP, "calls", calls, raising=False)
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setattr(mail.smtplib, "SMTP_SSL", FakeSMTP)
    return calls


def test_smtp_uses_starttls_and_logs_in_when_configured(app, smtp_calls):
    app.config.update(
        MAIL_BACKEND="smtp",
        MAIL_SERVER="smtp.example",
        MAIL_PORT=587,
        MAIL_USERNAME="app",
        MAIL_PASSWORD="pw",
    )
    mail.deliver(
        [mail.message("a@example.com", "Hi", "x"), mail.message("b@example.com", "Hi", "y")]
    ).result()
    assert smtp_calls == [
        "connect plain smtp.example:587 within 10s",
        "starttls",
        "login app",
        "send a@example.com",
        "send b@example.com",
        "quit",
    ]


def test_smtp_over_implicit_tls_needs_no_starttls(app, smtp_calls):
    app.config.update(
        MAIL_BACKEND="smtp",
        MAIL_SERVER="smtp.example",
        MAIL_PORT=465,
        MAIL_USE_SSL=True,
        MAIL_USE_TLS=False,
        MAIL_USERNAME="app",
        MAIL_PASSWORD="pw",
        MAIL_TIMEOUT=3,
    )
    assert mail.send_now([mail.message("a@example.com", "Hi", "x")]) == ""
    assert smtp_calls == ["connect SSL smtp.example:465 within 3s", "login app", "send a@example.com", "quit"]


def test_an_smtp_failure_is_logged_not_raised(app, caplog):
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_USE_TLS=False)
    with caplog.at_level(logging.ERROR, logger="app.services.mail"):
        mail.deliver([mail.message("a@example.com", "Hi", "x")]).result()
    assert "Could not send 1 e-mail(s) through 127.0.0.1" in caplog.text
