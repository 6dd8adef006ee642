"""A ZIP written as it is sent: Python's :mod:`zipfile` writing to a sink that keeps only the bytes not yet
handed on, so neither a whole member nor the whole archive is ever in memory or on disk.

Each member is written with ``force_zip64`` (its size is not known to :mod:`zipfile` in advance, and
may pass 4 GiB) and, the sink not being seekable, with a data descriptor after its bytes (bit 3), which
every unzip tool reads. Only the central directory (a few dozen bytes per member) is kept until the end.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime

FILE_MODE = 0o644 << 16  # rw-r--r-- when unpacked on Unix
EARLIEST = (1980, 1, 1, 0, 0, 0)  # the first time a ZIP can record


class _Sink(io.RawIOBase):
    """Write-only and unseekable: holds what was written until :meth:`take` hands it on."""

    def __init__(self) -> None:
        super().__init__()
        self._pending = bytearray()
        self._written = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._pending += data
        self._written += len(data)
        return len(data)

    def tell(self) -> int:
        return self._written

    def take(self) -> bytes:
        taken = bytes(self._pending)
        self._pending.clear()
        return taken


def zip_time(moment: datetime | None) -> tuple[int, int, int, int, int, int]:
    if moment is None or moment.year < EARLIEST[0]:
        return EARLIEST
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


class ZipStream:
    """``yield from stream.member(name, chunks)`` for each member, then ``yield from stream.finish()``."""

    def __init__(self) -> None:
        self._sink = _Sink()
        self._zip = zipfile.ZipFile(self._sink, "w")  # closed by finish()

    def member(
        self, name: str, chunks: Iterable[bytes], modified: datetime | None = None, compress: bool = False
    ) -> Iterator[bytes]:
        """Write one member from ``chunks``, yielding the archive's bytes as each chunk is written.
        Stored files (PDFs, images, Office files) are compressed already: they are stored as they are."""
        info = zipfile.ZipInfo(name, zip_time(modified))
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = FILE_MODE
        with self._zip.open(info, "w", force_zip64=True) as entry:
            for chunk in chunks:
                entry.write(chunk)
                if pending := self._sink.take():
                    yield pending
        if pending := self._sink.take():
            yield pending

    def finish(self) -> Iterator[bytes]:
        """The central directory: the archive's last bytes."""
        self._zip.close()
        if pending := self._sink.take():
            yield pending
