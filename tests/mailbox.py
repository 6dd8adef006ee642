"""Read what the app e-mailed (the "outbox" mail backend of the test configuration)."""

from __future__ import annotations

import re
from email.message import EmailMessage
from urllib.parse import urlsplit

from app.services import mail

LINK = re.compile(r"https?://\S+")


def sent_to(address: str) -> list[EmailMessage]:
    return [message for message in mail.outbox if message["To"] == address]


def body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def links(message: EmailMessage) -> list[str]:
    """The paths of the links in a message (the test client takes paths)."""
    return [urlsplit(url).path for url in LINK.findall(body(message))]


def only_link(messages: list[EmailMessage], starts_with: str) -> str:
    """The one link starting with ``starts_with`` in the one message of ``messages``."""
    assert len(messages) == 1, [m["Subject"] for m in messages]
    found = [path for path in links(messages[0]) if path.startswith(starts_with)]
    assert len(found) == 1, links(messages[0])
    return found[0]


def only_link_to(address: str, starts_with: str) -> str:
    """The one link starting with ``starts_with`` in the one message sent to ``address``."""
    return only_link(sent_to(address), starts_with)
