"""The buyer verification page: public, opened by a share link's token, never behind a log-in.

``GET /check/<token>`` (HTML), ``/check/<token>.json`` (the same facts as JSON), ``/check/<token>/qr.png``
and ``/check/<token>/qr.svg`` (a QR code of the page's address).

A public page sends no cookie at all: the session is read like on any page (a logged-in exporter checking
their own link stays logged in), but never saved or refreshed here, and no form (so no CSRF token) is on
it; :class:`NoCookieForPublicPages` holds that for every answer of this blueprint, error pages included.
Every answer says ``X-Robots-Tag: noindex`` (and the page has the meta tag) and is not stored by caches,
so a revoked link is gone at once. An unknown, revoked or expired token gets one plain 404, the same
bytes whichever it was.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Flask, Response, has_request_context, make_response, render_template, request
from flask.sessions import SessionInterface, SessionMixin
from flask.wrappers import Request

from app.api import json_error
from app.auth.emails import link
from app.domain.certification import BUYER_CHECKS, IAF_CERTSEARCH
from app.domain.sharing import (
    STATUS_BADGES,
    BuyerCertificate,
    BuyerProgress,
    certificate_json,
    progress_json,
)
from app.domain.text import _
from app.models.base import utcnow
from app.services import sharing
from app.sharing import qr

bp = Blueprint("check", __name__, url_prefix="/check")
ROBOTS = "noindex"


class NoCookieForPublicPages(SessionInterface):
    """The app's session interface, except that an answer of the public blueprint is never given a cookie:
    the session is not saved (nor its cookie refreshed), and any ``Set-Cookie`` another extension added is
    dropped (this is the last step before the answer leaves)."""

    def __init__(self, inner: SessionInterface, blueprint: str) -> None:
        self.inner = inner
        self.blueprint = blueprint

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        return self.inner.open_session(app, request)

    def make_null_session(self, app: Flask) -> Any:
        return self.inner.make_null_session(app)

    def is_null_session(self, obj: object) -> bool:
        return self.inner.is_null_session(obj)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if has_request_context() and request.blueprint == self.blueprint:
            response.headers.remove("Set-Cookie")
            return
        self.inner.save_session(app, session, response)


@bp.record_once
def _install_session_interface(state: Any) -> None:
    state.app.session_interface = NoCookieForPublicPages(state.app.session_interface, bp.name)


@bp.after_request
def unindexed_and_unstored(response: Response) -> Response:
    response.headers["X-Robots-Tag"] = ROBOTS
    response.cache_control.no_store = True
    return response


def _not_found() -> Any:
    """One answer for every token that opens nothing: it does not say whether the link ever existed."""
    return render_template("sharing/not_found.html"), 404


def _shown(token: str) -> BuyerCertificate | BuyerProgress | None:
    return sharing.public_page(token, date.today(), utcnow())


def page_url(token: str) -> str:
    """The page's address as a buyer will use it (on ``PUBLIC_URL`` when set)."""
    return link("check.page", token=token)


@bp.get("/<token>")
def page(token: str) -> Any:
    shown = _shown(token)
    if shown is None:
        return _not_found()
    template = "sharing/certificate.html" if isinstance(shown, BuyerCertificate) else "sharing/progress.html"
    return render_template(
        template, shown=shown, token=token, checks=BUYER_CHECKS, certsearch=IAF_CERTSEARCH,
        status_badges=STATUS_BADGES, today=date.today(),
    )  # fmt: skip


@bp.get("/<token>.json")
def page_json(token: str) -> Any:
    shown = _shown(token)
    if shown is None:
        return json_error(404)
    if isinstance(shown, BuyerCertificate):
        return certificate_json(shown, page_url(token), IAF_CERTSEARCH, BUYER_CHECKS)
    return progress_json(shown, page_url(token), IAF_CERTSEARCH, BUYER_CHECKS)


def _image(body: bytes, mimetype: str, name: str) -> Response:
    response = make_response(body)
    response.mimetype = mimetype
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@bp.get("/<token>/qr.png")
def qr_png(token: str) -> Any:
    if _shown(token) is None:
        return _not_found()
    return _image(qr.png(page_url(token)), "image/png", "verification-qr.png")


@bp.get("/<token>/qr.svg")
def qr_svg(token: str) -> Any:
    if _shown(token) is None:
        return _not_found()
    body = qr.svg(page_url(token), _("Verification page: %(url)s", url=page_url(token)))
    return _image(body, "image/svg+xml", "verification-qr.svg")
