"""A real SMTP server in the test process (aiosmtpd), for the tests that read what the app sent by SMTP.

``running_smtp_server()`` starts one on a free port of 127.0.0.1 and stops it after; ``SmtpServer.use(app)``
points the app's mail settings at it (the ``app`` fixture restores the config after each test). What
arrived is in ``messages``, parsed; ``refuse_with`` makes the server refuse every message, and ``stop()``
takes it down, for the paths where the mail server fails.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from flask import Flask

from tests.mailbox import only_link

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class Collector:
    """The aiosmtpd handler: keeps each message that arrives, or refuses it with ``refusal``."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.refusal: str | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refusal:
            return self.refusal
        raw = envelope.original_content or envelope.content
        parsed = message_from_bytes(raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted"


class SmtpServer:
    def __init__(self, controller: Controller, collector: Collector, port: int) -> None:
        self.controller = controller
        self.collector = collector
        self.port = port
        self.running = True

    @property
    def recipients(self) -> list[list[str]]:
        return self.collector.recipients

    @property
    def messages(self) -> list[EmailMessage]:
        return self.collector.messages

    def refuse_with(self, reply: str) -> None:
        self.collector.refusal = reply

    def stop(self) -> None:
        if self.running:
            self.controller.stop()
            self.running = False

    def use(self, app: Flask) -> None:
        app.config.update(
            MAIL_BACKEND="smtp",
            MAIL_SERVER=HOST,
            MAIL_PORT=self.port,
            MAIL_USE_TLS=False,
            MAIL_USE_SSL=False,
            MAIL_USERNAME="",
            MAIL_TIMEOUT=5,
        )

    def sent_to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]

    def only_link_to(self, address: str, starts_with: str) -> str:
        """The one link (a path) starting ``starts_with`` in the one message that came for ``address``."""
        return only_link(self.sent_to(address), starts_with)


@contextmanager
def running_smtp_server() -> Iterator[SmtpServer]:
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname=HOST, port=port)
    controller.start()
    server = SmtpServer(controller, collector, port)
    try:
        yield server
    finally:
        server.stop()
