"""Outgoing e-mail: the outbox (tests), the log (development; production without a server), SMTP, and
that a message leaves only when its request succeeded, with links on PUBLIC_URL."""

from __future__ import annotations

import logging
import socketserver
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from typing import Any

import pytest
from flask import Flask, Response

from app.auth import emails
from app.services import mail
from tests.mailbox import body, links


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


class Recorder(socketserver.StreamRequestHandler):
    """Just enough of an SMTP server on 127.0.0.1 to receive what smtplib sends."""

    received: list[bytes]

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 test ready")
        while line := self.rfile.readline():
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 test")
            elif command == "DATA":
                self.reply("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.server.received.append(data)  # type: ignore[attr-defined]
                self.reply("250 queued")
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@pytest.fixture
def smtp_server() -> Iterator[Any]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Recorder)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def use_smtp(app: Flask, port: int) -> None:
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)


def test_smtp_sends_in_the_background_and_the_server_gets_the_message(app, client, make, smtp_server):
    make.user(email="lan@example.com")
    use_smtp(app, smtp_server.server_address[1])
    response = client.post("/password/forgot", data={"email": "lan@example.com"})
    assert response.status_code == 303
    mail.wait_for_delivery()
    [raw] = smtp_server.received
    received = message_from_bytes(raw, policy=policy.default)
    assert received["To"] == "lan@example.com" and "/password/reset/" in received.get_content()


def test_smtp_uses_starttls_and_logs_in_when_configured(app, monkeypatch):
    calls: list[str] = []

    class FakeSMTP:
        def __init__(self, host: str, port: int, timeout: float) -> None:
            calls.append(f"connect {host}:{port}")

        def __enter__(self) -> FakeSMTP:
            return self

        def __exit__(self, *exc: object) -> None:
            calls.append("quit")

        def starttls(self, context: Any) -> None:
            calls.append("starttls")

        def login(self, user: str, password: str) -> None:
            calls.append(f"login {user}")

        def send_message(self, message: Any) -> None:
            calls.append(f"send {message['To']}")

    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
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
    assert calls == [
        "connect smtp.example:587",
        "starttls",
        "login app",
        "send a@example.com",
        "send b@example.com",
        "quit",
    ]


def test_an_smtp_failure_is_logged_not_raised(app, caplog):
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_USE_TLS=False)
    with caplog.at_level(logging.ERROR, logger="app.services.mail"):
        mail.deliver([mail.message("a@example.com", "Hi", "x")]).result()
    assert "Could not send 1 e-mail(s) through 127.0.0.1" in caplog.text
