"""Fixtures of the request tests beyond those of the whole suite (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage

import pytest

from app.services import mail


@pytest.fixture
def outbox() -> Iterator[list[EmailMessage]]:
    """The messages the app sent during the test, in order."""
    mail.outbox.clear()
    yield mail.outbox
    mail.outbox.clear()
