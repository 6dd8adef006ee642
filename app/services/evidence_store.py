"""Evidence files on disk, under ``EVIDENCE_DIR`` (never under ``static/``), each under a random name.

An upload is copied in chunks into a temporary file in the same directory while it is hashed and
counted; the copy stops as soon as it passes the size limit. Only a complete, checked file is moved into
place (``os.replace``, atomic within one directory). Whatever goes wrong on the way (too large, refused
type, the client gone) the temporary file is removed; a file moved into place is removed again when the
transaction that names it does not commit (:mod:`app.services.transaction`): no partial or orphan
file remains.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK_SIZE = 64 * 1024
TEMP_PREFIX = ".incoming-"  # a crash (power cut, SIGKILL) can leave one; they are safe to delete
STORAGE_NAME = re.compile(r"[0-9a-f]{64}")


class TooLarge(Exception):
    """The upload passed the size limit; nothing was kept."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"The upload is larger than {limit} bytes.")
        self.limit = limit


@dataclass(frozen=True)
class Received:
    """A complete upload in its temporary file, with its size and SHA-256."""

    path: Path
    size: int
    sha256: str

    def open(self) -> BinaryIO:
        return self.path.open("rb")


class EvidenceStore:
    def __init__(self, root: str | Path, chunk_size: int = CHUNK_SIZE) -> None:
        self.root = Path(root)
        self.chunk_size = chunk_size

    @contextmanager
    def receive(self, stream: BinaryIO, max_bytes: int) -> Iterator[Received]:
        """Copy ``stream`` to a temporary file; it is removed when the block ends unless :meth:`keep` moved
        it. Raises :class:`TooLarge` (after removing it) once more than ``max_bytes`` arrive."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=self.root)
        path = Path(name)
        try:
            with os.fdopen(fd, "wb") as out:
                size, sha256 = self._copy(stream, out, max_bytes)
            yield Received(path, size, sha256)
        finally:
            path.unlink(missing_ok=True)  # already gone when kept

    def _copy(self, stream: BinaryIO, out: BinaryIO, max_bytes: int) -> tuple[int, str]:
        digest = hashlib.sha256()
        size = 0
        while chunk := stream.read(self.chunk_size):
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(max_bytes)
            digest.update(chunk)
            out.write(chunk)
        return size, digest.hexdigest()

    def keep(self, received: Received) -> str:
        """Move a received file into place under a new random name, and return that name."""
        storage_name = secrets.token_hex(32)
        target = self.root / storage_name
        os.replace(received.path, target)
        return storage_name

    def path(self, storage_name: str) -> Path:
        if not STORAGE_NAME.fullmatch(storage_name):
            raise ValueError("Not a storage name.")  # never a path taken from anywhere else
        return self.root / storage_name

    def open(self, storage_name: str) -> BinaryIO:
        """The stored file, open for reading in chunks (``send_file`` streams it)."""
        return self.path(storage_name).open("rb")

    def exists(self, storage_name: str) -> bool:
        return self.path(storage_name).is_file()
