"""The read API under /api/v1: JSON in, JSON out, every error as ``{"error": {"status", "message"}}``.

Errors are raised as the app's own refusals (:mod:`app.services.errors`), as :class:`ApiError` for what
only the API parses, or as werkzeug's HTTP exceptions, and turned into JSON here, both by the blueprint's
handlers and, for URLs under /api/ that match no route (Flask routes before it knows the blueprint), by the
app's error handlers.
"""

from __future__ import annotations

from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from app.domain.text import _l
from app.services.errors import ServiceError
from app.web.errors import status_of

API_PREFIX = "/api/v1"
AUTH_CHALLENGE = 'Bearer realm="Readiness API"'

MESSAGES = {
    400: _l("The request could not be read."),
    401: _l("Send a valid API token: Authorization: Bearer <token>."),
    403: _l("Your role in this workspace does not allow this."),
    404: _l("Not found."),
    405: _l("This method is not allowed here."),
    413: _l("The request body is too large."),
    415: _l("Send the body as JSON (Content-Type: application/json)."),
    422: _l("The request is not valid."),
    500: _l("Something went wrong on our side."),
}
STALE_WRITE_MESSAGE = _l(
    "Someone else saved this record at the same moment, so this change was not saved. "
    "Read the record again, then make the change again if it is still needed."
)


class ApiError(Exception):
    """A refusal with a message for the caller and, optionally, a message per field."""

    def __init__(self, status: int, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields = fields or {}


def is_api_request() -> bool:
    """Any URL under /api/, even one of no version we serve: a program is asking, not a browser."""
    return request.path == "/api" or request.path.startswith("/api/")


def json_error(status: int, message: str | None = None, fields: dict[str, str] | None = None) -> Response:
    # str(): a message fixed when a module loads (app.domain.text._l) is sent in the caller's language.
    body: dict[str, object] = {
        "status": status,
        "message": str(message or MESSAGES.get(status) or HTTP_STATUS_CODES.get(status, "Error")),
    }
    if fields:
        body["fields"] = {name: str(text) if isinstance(text, str) else text for name, text in fields.items()}
    response = jsonify({"error": body})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = AUTH_CHALLENGE
    return response


def handle_api_error(error: ApiError) -> Response:
    return json_error(error.status, error.message, error.fields)


def handle_http_error(error: HTTPException) -> Response:
    """werkzeug's exceptions as JSON; a message given to ``abort`` is kept, the stock HTML-ish one is not."""
    status = error.code or 500
    custom = error.description if error.description != type(error).description else None
    response = json_error(status, custom)
    for name, value in error.get_headers():
        if name.lower() == "allow":  # a 405 says which methods the URL takes
            response.headers["Allow"] = value
    return response


def handle_stale_write(_error: Exception) -> Response:
    """Two writes of one record raced and this one lost (``StaleDataError`` at commit): nothing of it was
    saved, and the caller should read the record again."""
    return json_error(409, STALE_WRITE_MESSAGE)


def handle_service_error(error: ServiceError) -> Response:
    """The app's own refusals (not found, refused, invalid, conflict) as JSON, with the same statuses as
    the pages."""
    return json_error(status_of(error), error.message, error.fields)
