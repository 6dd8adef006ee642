"""The HTML error pages, for werkzeug's HTTP errors and for the app's own refusals (the API has its own
JSON handlers, registered on its blueprint)."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError

from app.domain.text import _l
from app.services.errors import Conflict, Invalid, NotFound, Refused, ServiceError

PAGES = (400, 403, 404, 405, 409, 413, 500)
# The status each refusal answers with, and the page that explains it.
STATUS: dict[type[ServiceError], int] = {NotFound: 404, Refused: 403, Conflict: 409, Invalid: 422}
PAGE_FOR = {404: 404, 403: 403, 409: 409, 422: 400}
# Two saves of one record raced after both passed the version check; the later one is refused here.
STALE_WRITE_MESSAGE = _l(
    "Someone else saved the same record at the same moment, so your changes were not saved. "
    "Open the page again to see what is saved now, then make your changes again."
)

# A form's security token no longer matches the session (the page was open across a log-out, a restart or
# a long pause): nothing was saved, and reloading the page gives a fresh token.
EXPIRED_PAGE_MESSAGE = _l(
    "This page has expired, so nothing was saved: reload the page (your session may have ended), "
    "then make your change again."
)


def status_of(error: ServiceError) -> int:
    return next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)


def register(app: Flask) -> None:
    from app.api import handle_http_error, handle_service_error, handle_stale_write, is_api_request

    def render_error(error: Any, code: int) -> Any:
        if is_api_request():  # JSON even where routing failed before the API blueprint was known
            return handle_http_error(error)
        response = app.make_response(
            (render_template(f"errors/{code}.html", max_upload_mb=app.config["MAX_UPLOAD_MB"]), code)
        )
        if code == 405:  # say which methods the URL takes
            for name, value in error.get_headers():
                if name.lower() == "allow":
                    response.headers["Allow"] = value
        return response

    def render_refusal(error: ServiceError) -> Any:
        if is_api_request():  # refused before routing (a NUL under a URL no API route matched): JSON too
            return handle_service_error(error)
        code = status_of(error)
        page = render_template(f"errors/{PAGE_FOR[code]}.html", message=error.message, fields=error.fields)
        return page, code

    def render_stale_write(error: StaleDataError) -> Any:
        # The commit point has rolled the request back (app.web.app), so nothing of it was saved.
        if is_api_request():
            return handle_stale_write(error)
        return render_template("errors/409.html", message=STALE_WRITE_MESSAGE), 409

    def render_expired_page(error: CSRFError) -> Any:
        # A page's script that saves in place asks for JSON: it shows the message beside the form.
        if request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json":
            return jsonify(ok=False, message=str(EXPIRED_PAGE_MESSAGE)), 400
        return render_template("errors/400.html", message=EXPIRED_PAGE_MESSAGE), 400

    for code in PAGES:
        app.register_error_handler(code, lambda e, code=code: render_error(e, code))
    app.register_error_handler(CSRFError, render_expired_page)
    app.register_error_handler(ServiceError, render_refusal)
    app.register_error_handler(StaleDataError, render_stale_write)
