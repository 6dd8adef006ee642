"""Readiness: the app factory, built in named steps."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, request, session
from flask_babel import refresh as babel_refresh
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import load_settings
from app.extensions import CONTENT_SECURITY_POLICY, babel, csrf, db, login_manager, migrate, talisman
from app.i18n import select_locale
from app.web.app import ReadinessApp

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = ReadinessApp(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    register_config(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    env = dict(os.environ)
    if test_config is not None:
        env.setdefault("READINESS_ENV", "testing")
    app.config.update(load_settings(env, Path(app.instance_path)))
    if test_config:
        app.config.update(test_config)
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_UPLOAD_MB"] * 1024 * 1024 + 64 * 1024


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(
        app, locale_selector=select_locale, default_translation_directories=str(ROOT / "translations")
    )
    production = app.config["ENVIRONMENT"] == "production"
    talisman.init_app(
        app,
        content_security_policy=CONTENT_SECURITY_POLICY,
        force_https=False,  # TLS is terminated by the reverse proxy in front of gunicorn
        strict_transport_security=production,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        frame_options="DENY",
        referrer_policy="same-origin",
    )

    from app.auth import emails, throttle
    from app.domain.ids import is_id
    from app.models import User
    from app.services import trail  # noqa: F401  (its session listeners write the audit trail)
    from app.services.accounts import user_with_memberships

    throttle.init_app(app)
    emails.init_app(app)

    @login_manager.user_loader
    def load_user(session_user_id: str) -> User | None:
        """The session's user, if the session is still theirs: it names the account's session version,
        which a password change or "log out everywhere" moves on, ending every older session.
        Loaded with its memberships and their workspaces, the request's scope in the same query."""
        user_id, _, version = session_user_id.partition(":")
        if not is_id(user_id) or not (version.isascii() and version.isdigit()):
            return None
        user = user_with_memberships(int(user_id))
        if user is None or not user.is_active or str(user.session_version or 0) != version:
            return None
        return user


def register_blueprints(app: Flask) -> None:
    from app.blueprints import BLUEPRINTS

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)


def register_request_hooks(app: Flask) -> None:
    from app.services.accounts import current_membership
    from app.services.scope import Scope
    from app.web import heap, screening

    screening.register(app)
    heap.register(app)

    @app.before_request
    def load_scope() -> None:
        g.scope = None
        # The session's own user, loaded with its scope in one query (load_user). ``g`` outlives a request
        # when the caller holds an app context around requests (the tests, in-process benchmarks): a user
        # an earlier request left there must not stand in for this session's, with its memberships of then.
        g.pop("_login_user", None)
        babel_refresh()  # likewise the language Flask-Babel chose for an earlier request
        if current_user.is_authenticated:
            membership = current_membership(current_user, session.get("workspace_id"))
            if membership is not None:
                g.scope = Scope.of(membership)

    @app.after_request
    def keep_private_pages_out_of_caches(response: Response) -> Response:
        # A workspace's pages and API answers must not be shown again from a cache after log-out.
        if g.get("scope") is not None and request.endpoint != "static":
            response.cache_control.no_store = True
            response.cache_control.private = True
        return response


def register_error_handlers(app: Flask) -> None:
    from app.web.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from app.templating import register

    register(app)


def register_commands(app: Flask) -> None:
    from app.cli import register

    register(app)
