"""Whether a PDF carries active content: script, or actions that launch or embed other things.

Such a PDF is still accepted as evidence (a supplier's form may well contain a script), but it is only ever
downloaded, never shown inline: the browser's PDF viewer would run its JavaScript. The check is cautious:
it reads names written with ``#xx`` escapes, inflates compressed streams (where object streams hide
actions), and counts as active what it cannot read: an encrypted PDF, an object stream it cannot decode,
a file of more than 64 MiB, or more compressed data than it is willing to inflate.
"""

from __future__ import annotations

import re
import zlib
from typing import BinaryIO

ACTIVE_NAMES = frozenset(
    {b"JavaScript", b"JS", b"Launch", b"RichMedia", b"XFA", b"EmbeddedFile", b"EmbeddedFiles", b"Encrypt"}
)
MAX_SCANNED = 64 * 1024 * 1024  # a larger PDF is not read at all, and counts as active
MAX_INFLATED = 64 * 1024 * 1024  # in all, per file
DICTIONARY = 512  # how far before a stream its dictionary is looked for
NAME = re.compile(rb"/((?:[^\s/<>\[\]()%{}#]|#[0-9A-Fa-f]{2})+)")
STREAM = re.compile(rb"(?<!end)stream\r?\n")
ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _names(data: bytes) -> set[bytes]:
    return {ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw) for raw in NAME.findall(data)}


def _mentions_active(data: bytes) -> bool:
    return not ACTIVE_NAMES.isdisjoint(_names(data))


class _Inflater:
    """Inflates the compressed streams of a PDF, within a budget for the whole file."""

    def __init__(self) -> None:
        self.budget = MAX_INFLATED

    def active(self, data: bytes, start: int) -> bool | None:
        """Whether the stream starting at ``start`` holds active names; None if it is not Flate data."""
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(data[start:], self.budget + 1)
        except zlib.error:
            return None
        self.budget -= len(inflated)
        if self.budget < 0:
            return True  # more than we will read: cautious
        return _mentions_active(inflated)


def has_active_content(content: BinaryIO) -> bool:
    """Whether the PDF has script or actions, or content this check cannot read (then it says True)."""
    content.seek(0)
    try:
        data = content.read(MAX_SCANNED + 1)
    finally:
        content.seek(0)
    if len(data) > MAX_SCANNED:
        return True
    return _mentions_active(data) or _streams_active(data, _Inflater())


def _streams_active(data: bytes, inflater: _Inflater) -> bool:
    for match in STREAM.finditer(data):
        found = inflater.active(data, match.end())
        if found:
            return True
        dictionary = data[max(0, match.start() - DICTIONARY) : match.start()]
        if found is None and b"/ObjStm" in dictionary:
            return True  # an object stream it cannot decode could hide anything
    return False
