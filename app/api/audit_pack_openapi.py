"""The OpenAPI operation of the audit pack (merged into the document by :mod:`app.api.openapi`)."""

from __future__ import annotations

from app.api.openapi import PROJECT, Operation, Schema

REFUSALS = {
    "403": "The token's role does not allow reading the project's evidence.",
    "404": "No such project in the token's workspace (another workspace's ids are not found either).",
}
ZIP = {"application/zip": {"schema": {"type": "string", "format": "binary"}}}

OPERATIONS: tuple[Operation, ...] = (
    Operation("get", f"{PROJECT}/audit-pack", "getAuditPack",
              "The audit pack for the certification body: a ZIP of the current approved revision of each "
              "controlled document and the latest file of each accepted evidence item still in date, in one "
              "folder per requirement, with index.html, index.pdf and manifest-sha256.txt (sha256sum format, "
              "the SHA-256 recorded at upload). Streamed as it is read: its size is not known in advance.",
              None, "The ZIP, as an attachment named after the client, site, standard and day.",
              ("403", "404"), content=ZIP, notes=REFUSALS),
)  # fmt: skip
PATH_PARAMETERS: dict[str, Schema] = {}
