"""Throttling (Flask-Limiter): log-in, sign-up, password reset and confirmation links per e-mail address and
per IP address; the API per token and, for refused tokens, per IP address.

What is counted is what an attacker wants many of: a failed log-in, an e-mail sent, a refused token. The
limits come from the config at each request (``RATELIMIT_*``), so an operator can change them and the test
suite can tighten them; a throttled request gets a 429 page (or JSON error) and a ``Retry-After`` header.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, Flask, Response, current_app, render_template, request
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import TooManyRequests

from app.api import is_api_request, json_error
from app.api.auth import bearer_token
from app.domain.text import _l
from app.extensions import limiter
from app.services.accounts import normalise_email

View = TypeVar("View", bound=Callable[..., Any])

AUTH_REFUSAL = _l(
    "Too many attempts from you or for this e-mail address. Wait a few minutes, then try again."
)
API_REFUSAL = _l("Too many requests: wait a minute, then try again.")


def configured(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


# Made once: Flask-Limiter keeps one copy of a limit only if it is given the same functions each time.
PER_ADDRESS = configured("RATELIMIT_AUTH_PER_ADDRESS")
PER_IP = configured("RATELIMIT_AUTH_PER_IP")
API_PER_TOKEN = configured("RATELIMIT_API_PER_TOKEN")
API_FAILURES_PER_IP = configured("RATELIMIT_API_FAILURES_PER_IP")


def _digest(text: str) -> str:
    # Storage keys name no e-mail address or token, and stay short whatever was posted.
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:32]


def address_key() -> str:
    return "address:" + _digest(normalise_email(request.form.get("email", ""))[:254])


def ip_key() -> str:
    return "ip:" + get_remote_address()


def token_key() -> str:
    return "token:" + _digest(bearer_token(request.headers.get("Authorization")) or "")


def without_token() -> bool:
    return bearer_token(request.headers.get("Authorization")) is None


def form_shown_again(response: Response) -> bool:
    """A log-in that did not succeed: the form comes back (a successful one redirects)."""
    return response.status_code == 200


def redirected(response: Response) -> bool:
    """A form that was accepted and sent its e-mail (they all redirect to the "check your e-mail" page)."""
    return response.status_code in (302, 303)


def refused_token(response: Response) -> bool:
    return response.status_code == 401


def auth_form(counts_for_address: Callable[[Response], bool]) -> Callable[[View], View]:
    """Limit a log-in or e-mail-sending form: per address (what ``counts_for_address`` says counts) and
    per IP address (every POST)."""
    per_address = limiter.limit(
        PER_ADDRESS,
        key_func=address_key,
        methods=["POST"],
        deduct_when=counts_for_address,
        error_message=AUTH_REFUSAL,
    )
    per_ip = limiter.limit(PER_IP, key_func=ip_key, methods=["POST"], error_message=AUTH_REFUSAL)

    def decorate(view: View) -> View:
        return per_ip(per_address(view))

    return decorate


def protect_api(api: Blueprint) -> None:
    """One budget per token across the whole API, and one for refused tokens per IP address."""
    limiter.shared_limit(
        API_PER_TOKEN,
        scope="api-token",
        key_func=token_key,
        exempt_when=without_token,
        error_message=API_REFUSAL,
    )(api)
    limiter.shared_limit(
        API_FAILURES_PER_IP,
        scope="api-refused",
        key_func=ip_key,
        deduct_when=refused_token,
        error_message=API_REFUSAL,
    )(api)


def seconds_to_wait() -> int | None:
    current = limiter.current_limit
    if current is None:
        return None
    return max(1, math.ceil(current.reset_at - time.time()))


def throttled_page(error: TooManyRequests) -> Any:
    if is_api_request():
        return json_error(429, error.description)
    return render_template("auth/throttled.html", message=error.description), 429


def add_retry_after(response: Response) -> Response:
    if response.status_code == 429 and "Retry-After" not in response.headers:
        wait = seconds_to_wait()
        if wait is not None:
            response.headers["Retry-After"] = str(wait)
    return response


def init_app(app: Flask) -> None:
    # Flask-Limiter binds nothing when RATELIMIT_ENABLED is off; bind it always and let the request filter
    # (app.extensions.throttling_is_off) read the switch at each request.
    enabled = app.config.pop("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
    app.config["RATELIMIT_ENABLED"] = enabled
    if not app.extensions.get("throttle_hooks"):
        app.register_error_handler(429, throttled_page)
        app.after_request(add_retry_after)
        app.extensions["throttle_hooks"] = True

    from app.api.routes import bp as api

    protect_api(api)
