"""Bearer-token authentication for the API: the token's membership becomes the request's scope.

The API never looks at the session cookie: a browser that is logged in gets a 401 here like anybody
else, so a page on another site cannot drive the API with the user's cookie (the API is CSRF-exempt).
"""

from __future__ import annotations

from flask import g, request

from app.api import ApiError
from app.domain.permissions import Action
from app.services import tokens
from app.services.scope import Scope

PUBLIC_ENDPOINTS = frozenset({"api.openapi_document"})


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header (scheme case-insensitive), else None."""
    scheme, _, credentials = (header or "").strip().partition(" ")
    credentials = credentials.strip()
    if scheme.lower() != "bearer" or not credentials:
        return None
    return credentials


def load_token_scope() -> None:
    """Before every API request: set ``g.scope`` from the bearer token, or refuse with 401."""
    g.scope = None  # whatever the session cookie said, it does not count here
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    secret = bearer_token(request.headers.get("Authorization"))
    if secret is None:
        raise ApiError(401, "Send your API token in the header: Authorization: Bearer <token>.")
    membership = tokens.authenticate(secret)
    if membership is None:
        raise ApiError(401, "This API token is not valid or has been revoked.")
    scope = Scope.of(membership)
    if not scope.can(Action.VIEW):
        raise ApiError(403, "Your role in this workspace does not allow reading it.")
    g.scope = scope
