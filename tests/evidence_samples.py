"""Small real files of each accepted type (and a few that must be refused), and evidence in one call."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import Any

from app.extensions import db
from app.models import CertificationProject, EvidenceItem, Membership
from app.services import evidence as evidence_service
from app.services.evidence import NewEvidence, Upload
from app.services.scope import Scope


def png(width: int = 2, height: int = 2) -> bytes:
    """A valid PNG image (grey pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def pdf(padding: int = 0) -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + b"%" * padding + b"\n%%EOF\n"


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8 \x0e\x00\x00\x00" + b"\x00" * 14
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
CSV = "clause,owner\n7.1.5.1,Lan\nđo lường,Minh\n".encode()
TEXT = b"Calibration done on 2026-03-01.\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def office(folder: str, extra: tuple[str, ...] = ()) -> bytes:
    """An Office Open XML package: [Content_Types].xml and a part under word/, xl/ or ppt/."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(f"{folder}/document.xml", "<document/>")
        for name in extra:
            archive.writestr(name, b"\x00")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


def scope_for(user_id: int | None, project: CertificationProject) -> Scope:
    """The user's scope in the project's workspace; without a user, an owner's scope with nobody behind it."""
    if user_id is None:
        return Scope(0, None, project.workspace_id, "", "owner", None)  # type: ignore[arg-type]
    membership = (
        db.session.query(Membership).filter_by(user_id=user_id, workspace_id=project.workspace_id).one()
    )
    return Scope.of(membership)


def add_file(
    project: CertificationProject,
    user_id: int | None = None,
    data: bytes | None = None,
    name: str = "photo.png",
    clause: str | None = "7.1.5.1",
    **fields: Any,
) -> EvidenceItem:
    """File evidence stored through the service, committed (as a finished request would)."""
    new = NewEvidence(
        kind="file",
        title=fields.pop("title", "Signed attendance sheet"),
        clause=clause,
        upload=Upload(name, io.BytesIO(png() if data is None else data)),
        **fields,
    )
    item = evidence_service.create_item(scope_for(user_id, project), project, new)
    db.session.commit()
    return item


def add_note(
    project: CertificationProject, user_id: int | None = None, clause: str | None = "4.1", **fields: Any
) -> EvidenceItem:
    new = NewEvidence(
        kind="note", title=fields.pop("title", "Context reviewed"), clause=clause, note="Seen.", **fields
    )
    item = evidence_service.create_item(scope_for(user_id, project), project, new)
    db.session.commit()
    return item
