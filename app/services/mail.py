"""Outgoing e-mail: SMTP when ``MAIL_SERVER`` is set, else an in-process outbox (tests) or the log.

The app works with no mail server: in development every message is written to the log, links and all, and
to a file of its own in ``MAIL_FILE_DIR`` (``instance/mail/``), so a developer can follow them; the test
suite reads :data:`outbox`. In production without a mail server the log records that a message was not
sent, without its links (they are credentials).

Two ways to send. :func:`deliver` hands the messages to one background thread: no request waits on the
mail server, and how long a request takes says nothing about whether it sent a message (a password reset
for an unknown address sends none). :func:`send_now` sends at once, within ``MAIL_TIMEOUT``, and says how
it went, for the one message whose outcome is shown (an invitation: "sent", or "not sent" with a resend).
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
import threading
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

from flask import current_app, has_request_context
from flask_babel import force_locale, get_locale

from app.domain.languages import DEFAULT, LANGUAGES
from app.models.base import utcnow

log = logging.getLogger(__name__)

outbox: list[EmailMessage] = []  # what the "outbox" backend (the test suite's) has sent
SMTP_SETTINGS = (
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USE_TLS",
    "MAIL_USE_SSL",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_TIMEOUT",
)
MAX_ERROR_LENGTH = 300
NO_SERVER = "No mail server is set up (MAIL_SERVER), so nothing was sent."

_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None
_pending: set[Future[None]] = set()


def one_line(text: str) -> str:
    """A header value on one line: a workspace name with a line break cannot add headers."""
    return " ".join(text.split())


def recipient_language(chosen: str | None) -> str:
    """The language of an e-mail: the recipient's own choice (or their workspace's) if the app speaks it,
    else the language of the request that sends it, else (a command, from cron) English."""
    if chosen and chosen in LANGUAGES:
        return chosen
    if has_request_context():
        return str(get_locale() or DEFAULT)
    return DEFAULT


@contextmanager
def in_language(chosen: str | None) -> Iterator[str]:
    """Write an e-mail (its subject, its text) in its recipient's language (:func:`recipient_language`):
    ``with mail.in_language(user.locale) as language: ... message(..., language=language)``."""
    language = recipient_language(chosen)
    with force_locale(language):
        yield language


def message(
    to: str, subject: str, text: str, html: str | None = None, language: str | None = None
) -> EmailMessage:
    """A message from ``MAIL_SENDER``: plain text, with an HTML alternative when one is given, and the
    language it is written in (``Content-Language``, as a BCP 47 tag) when known."""
    mail = EmailMessage()
    sender = current_app.config["MAIL_SENDER"]
    mail["From"] = sender
    mail["To"] = one_line(to)
    mail["Subject"] = one_line(subject)
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    mail.set_content(text)
    if html is not None:
        mail.add_alternative(html, subtype="html")
    if language:  # after the content, which replaces every Content-* header
        mail["Content-Language"] = language.replace("_", "-")
    return mail


def deliver(messages: Iterable[EmailMessage]) -> Future[None] | None:
    """Send ``messages`` by the configured backend; SMTP returns the future of the background send."""
    messages = list(messages)
    if not messages:
        return None
    if current_app.config["MAIL_BACKEND"] == "smtp":
        return _submit(_smtp_settings(), messages)
    _without_server(messages)
    return None


def send_now(messages: Iterable[EmailMessage]) -> str:
    """Send ``messages`` before returning: "" when they went (or, without a mail server, were kept for the
    test suite or a developer), else what went wrong, in words for the person who asked (also logged)."""
    messages = list(messages)
    config = current_app.config
    if config["MAIL_BACKEND"] != "smtp":
        _without_server(messages)
        kept = config["MAIL_BACKEND"] == "outbox" or config["ENVIRONMENT"] == "development"
        return "" if kept else NO_SERVER
    settings = _smtp_settings()
    try:
        _send(settings, messages)
    except (OSError, smtplib.SMTPException) as exc:
        log.exception("Could not send %d e-mail(s) through %s", len(messages), settings["MAIL_SERVER"])
        return describe_failure(exc, settings)
    return ""


def describe_failure(exc: BaseException, settings: Mapping[str, Any]) -> str:
    """A failure to send, said for the person who asked (no password, no stack trace)."""
    server = f"{settings['MAIL_SERVER']}:{settings['MAIL_PORT']}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refusals = "; ".join(
            f"{code} {reply.decode(errors='replace')}" for code, reply in exc.recipients.values()
        )
        text = f"The mail server refused the address ({refusals})."
    elif isinstance(exc, smtplib.SMTPAuthenticationError):
        text = f"The mail server {server} refused the app's log-in (MAIL_USERNAME, MAIL_PASSWORD)."
    elif isinstance(exc, smtplib.SMTPResponseException):
        text = f"The mail server {server} answered {exc.smtp_code} {exc.smtp_error.decode(errors='replace')}."
    elif isinstance(exc, smtplib.SMTPException):
        text = f"The mail server {server} failed: {exc}."
    elif isinstance(exc, TimeoutError):
        text = f"The mail server {server} did not answer in time."
    else:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        text = f"The mail server {server} could not be reached ({reason})."
    return one_line(text)[:MAX_ERROR_LENGTH]


def _smtp_settings() -> dict[str, Any]:
    return {name: current_app.config[name] for name in SMTP_SETTINGS}


def _without_server(messages: list[EmailMessage]) -> None:
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "outbox":
        outbox.extend(messages)
    elif current_app.config["ENVIRONMENT"] == "development":
        folder = Path(current_app.config["MAIL_FILE_DIR"])
        for mail in messages:
            where = _write_file(folder, mail)
            log.info("E-mail (MAIL_SERVER is not set, so it is only kept%s):\n%s", where, mail.as_string())
    else:
        for mail in messages:
            log.warning("Not sent (MAIL_SERVER is not set): %r to %s", mail["Subject"], mail["To"])


def file_name(mail: EmailMessage) -> str:
    """``20261202-173512-123456-set-a-new-password-for-readiness.eml``: in the order they were written."""
    slug = re.sub(r"[^a-z0-9]+", "-", str(mail["Subject"] or "").lower()).strip("-")[:60].strip("-")
    return f"{utcnow():%Y%m%d-%H%M%S-%f}-{slug or 'message'}.eml"


def _write_file(folder: Path, mail: EmailMessage) -> str:
    """Write ``mail`` to a new file in ``folder``; " in <path>", or "" when it could not be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / file_name(mail)
        with path.open("xb") as out:  # never over another message
            out.write(mail.as_bytes())
    except OSError as exc:
        log.warning("Could not write the e-mail to %s: %s", folder, exc)
        return ""
    return f" in {path}"


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
        _send(settings, messages)
    except (OSError, smtplib.SMTPException):
        log.exception("Could not send %d e-mail(s) through %s", len(messages), settings["MAIL_SERVER"])


def _send(settings: Mapping[str, Any], messages: list[EmailMessage]) -> None:
    """Send over one connection: implicit TLS (``MAIL_USE_SSL``) or STARTTLS (``MAIL_USE_TLS``); raises."""
    host, port, timeout = settings["MAIL_SERVER"], settings["MAIL_PORT"], settings["MAIL_TIMEOUT"]
    smtp: smtplib.SMTP
    if settings["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if settings["MAIL_USE_TLS"] and not settings["MAIL_USE_SSL"]:
            smtp.starttls(context=ssl.create_default_context())
        if settings["MAIL_USERNAME"]:
            smtp.login(settings["MAIL_USERNAME"], settings["MAIL_PASSWORD"])
        for mail in messages:
            smtp.send_message(mail)


def wait_for_delivery(timeout: float = 10) -> None:
    """Wait until the background SMTP sends are done (the tests of the SMTP backend use this)."""
    with _lock:
        pending = set(_pending)
    wait(pending, timeout=timeout)
