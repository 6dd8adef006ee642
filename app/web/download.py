"""Sending a stored file (an evidence version, a document revision): streamed from disk, never read into
memory, with safe headers.

Shared by the page routes and the API. The response always carries the recorded content type (never a
guess), ``X-Content-Type-Options: nosniff``, a ``Content-Disposition`` with the sanitised name in both
forms of RFC 6266 (an ASCII ``filename`` and a UTF-8 ``filename*``), and a locked-down CSP with
``sandbox``: even an image or PDF previewed inline runs no script and reaches nothing else. A PDF is
previewed inline only without script or actions: it is read once to check (remembered by its SHA-256).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

from flask import Response, current_app, send_file

from app.domain.file_types import may_show_inline
from app.domain.pdf_content import has_active_content
from app.domain.text import _
from app.services import evidence as service
from app.services.errors import NotFound

DOWNLOAD_CSP = "default-src 'none'; img-src 'self'; sandbox"


class StoredVersion(Protocol):
    """A file kept in the evidence store, as its row records it (EvidenceVersion, DocumentRevision)."""

    @property
    def storage_name(self) -> str: ...
    @property
    def filename(self) -> str: ...
    @property
    def content_type(self) -> str: ...
    @property
    def sha256(self) -> str: ...


def content_disposition(disposition: str, name: str) -> str:
    """``attachment; filename="..."; filename*=UTF-8''...`` for a sanitised name (no quotes or slashes)."""
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    fallback = "".join(ch for ch in fallback if ch.isprintable() and ch not in '"\\') or "evidence"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _active_pdf(version: StoredVersion, path: Path) -> bool:
    return version.content_type == "application/pdf" and _has_active_content(version.sha256, str(path))


@lru_cache(maxsize=1024)
def _has_active_content(sha256: str, path: str) -> bool:
    """Keyed by the content's SHA-256 as well: a stored file never changes, so it is read once."""
    with open(path, "rb") as content:
        return has_active_content(content)


def send_version(version: StoredVersion, inline: bool = False) -> Response:
    """The version's exact bytes; ``inline`` is honoured for images and for PDFs without script or
    actions (:mod:`app.domain.pdf_content`), which are otherwise downloaded like any other file."""
    path = service.store().path(version.storage_name)
    if not path.is_file():
        current_app.logger.error("Stored file %s is missing from the store.", version.storage_name)
        raise NotFound(_("The stored file is missing."))
    response = send_file(
        path, mimetype=version.content_type, conditional=True, etag=version.sha256, max_age=0
    )
    shown = inline and may_show_inline(version.content_type, _active_pdf(version, path))
    response.headers["Content-Disposition"] = content_disposition(
        "inline" if shown else "attachment", version.filename
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.private = True
    return response
