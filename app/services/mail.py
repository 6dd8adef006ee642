"""Outgoing e-mail: SMTP when ``MAIL_SERVER`` is set, else an in-process outbox (tests) or the log.

The app works with no mail server: in development every message is written to the log, links and all, so
a developer can follow them; the test suite reads :data:`outbox`. In production without a mail server the
log records that a message was not sent, without its links (they are credentials).

SMTP delivery runs on one background thread: no request waits on the mail server, and how long a request
takes says nothing about whether it sent a message (a password reset for an unknown address sends none).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from flask import current_app

log = logging.getLogger(__name__)

outbox: list[EmailMessage] = []  # what the "outbox" backend (the test suite's) has sent
SMTP_SETTINGS = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME", "MAIL_PASSWORD")
SMTP_TIMEOUT_SECONDS = 20

_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None
_pending: set[Future[None]] = set()


def one_line(text: str) -> str:
    """A header value on one line: a workspace name with a line break cannot add headers."""
    return " ".join(text.split())


def message(to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    """A message from ``MAIL_SENDER``: plain text, with an HTML alternative when one is given."""
    mail = EmailMessage()
    sender = current_app.config["MAIL_SENDER"]
    mail["From"] = sender
    mail["To"] = one_line(to)
    mail["Subject"] = one_line(subject)
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    mail.set_content(text)
    if html is not None:
        mail.add_alternative(html, subtype="html")
    return mail


def deliver(messages: Iterable[EmailMessage]) -> Future[None] | None:
    """Send ``messages`` by the configured backend; SMTP returns the future of the background send."""
    messages = list(messages)
    if not messages:
        return None
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "smtp":
        settings = {name: current_app.config[name] for name in SMTP_SETTINGS}
        return _submit(settings, messages)
    if backend == "outbox":
        outbox.extend(messages)
    elif current_app.config["ENVIRONMENT"] == "development":
        for mail in messages:
            log.info("E-mail (MAIL_SERVER is not set, so it is only logged):\n%s", mail.as_string())
    else:
        for mail in messages:
            log.warning("Not sent (MAIL_SERVER is not set): %r to %s", mail["Subject"], mail["To"])
    return None


def _submit(settings: Mapping[str, Any], messages: list[EmailMessage]) -> Future[None]:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mail")
        future = _executor.submit(send_smtp, settings, messages)
        _pending.add(future)
    future.add_done_callback(_pending.discard)
    return future


def send_smtp(settings: Mapping[str, Any], messages: list[EmailMessage]) -> None:
    """One connection for the messages of one request; a failure is logged (the person can ask again)."""
    try:
        with smtplib.SMTP(
            settings["MAIL_SERVER"], settings["MAIL_PORT"], timeout=SMTP_TIMEOUT_SECONDS
        ) as smtp:
            if settings["MAIL_USE_TLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if settings["MAIL_USERNAME"]:
                smtp.login(settings["MAIL_USERNAME"], settings["MAIL_PASSWORD"])
            for mail in messages:
                smtp.send_message(mail)
    except (OSError, smtplib.SMTPException):
        log.exception("Could not send %d e-mail(s) through %s", len(messages), settings["MAIL_SERVER"])


def wait_for_delivery(timeout: float = 10) -> None:
    """Wait until the background SMTP sends are done (the tests of the SMTP backend use this)."""
    with _lock:
        pending = set(_pending)
    wait(pending, timeout=timeout)
