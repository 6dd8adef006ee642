"""The OpenAPI operations of the share links for buyers (merged into the document by
:mod:`app.api.openapi`)."""

from __future__ import annotations

from app.api import sharing_schemas as h
from app.api.openapi import Operation, Schema

LINKS = "/share-links"
LINK = f"{LINKS}/{{share_link_id}}"

REFUSALS = {
    "403": "The token's role does not allow this: creating and revoking links takes the owner, consultant "
    "or client manager role.",
    "404": "No such share link, certificate or project in the token's workspace (another workspace's or an "
    "unnamed client's ids are not found either).",
    "422": "A field is invalid (no label, an expiry in the past or more than five years ahead, both or "
    "neither of certificate_id and project_id, a project that does not show its progress to buyers or "
    "already holds a valid certificate); `fields` says which.",
}

OPERATIONS: tuple[Operation, ...] = (
    Operation("get", LINKS, "listShareLinks",
              "The workspace's share links for buyers (of the certificates and projects the token sees), "
              "newest first, with their state; never their tokens.",
              h.ShareLinkList, "Every link.", notes=REFUSALS),
    Operation("post", LINKS, "createShareLink",
              "Create a link a buyer opens to check a certificate (or, for a project that shows its "
              "progress to buyers and holds no valid certificate, its progress). The answer carries the "
              "token, the public page's address and its QR codes once: only the token's SHA-256 is kept.",
              h.NewShareLink, "The link, with its token.", ("400", "403", "404", "415", "422"),
              body=h.ShareLinkCreate, status=201, notes=REFUSALS),
    Operation("get", LINK, "getShareLink",
              "One share link and its state (active, revoked or expired).",
              h.ShareLinkItem, "The link.", ("404",), notes=REFUSALS),
    Operation("post", f"{LINK}/revoke", "revokeShareLink",
              "Revoke a link: from now on it opens the same plain 404 as a link that never existed. "
              "Revoking a revoked link changes nothing.",
              h.ShareLinkItem, "The link, revoked.", ("403", "404"), notes=REFUSALS),
)  # fmt: skip
PATH_PARAMETERS: dict[str, Schema] = {
    "share_link_id": {"schema": {"type": "integer"}},
}
