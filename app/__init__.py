"""Readiness: the app factory, built in named steps."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, g, render_template, session
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import load_settings
from app.extensions import CONTENT_SECURITY_POLICY, csrf, db, login_manager, migrate, talisman

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
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

    from app.models import User

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def register_blueprints(app: Flask) -> None:
    from app.api import budget as budget_api  # noqa: F401  (importing it adds its route to api_bp)
    from app.api import evidence as evidence_api  # noqa: F401  (importing it adds its routes to api_bp)
    from app.api import history as history_api  # noqa: F401  (importing it adds its route to api_bp)
    from app.api.routes import bp as api_bp
    from app.auth.routes import bp as auth_bp
    from app.budget.routes import bp as budget_bp
    from app.checklist.routes import bp as checklist_bp
    from app.clients.routes import bp as clients_bp
    from app.evidence.routes import bp as evidence_bp
    from app.gap.routes import bp as gap_bp
    from app.members.routes import bp as members_bp
    from app.projects.charts_routes import bp as charts_bp
    from app.projects.routes import bp as projects_bp
    from app.stages.routes import bp as stages_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(budget_bp)
    app.register_blueprint(checklist_bp)
    app.register_blueprint(clients_bp)
    app.register_blueprint(evidence_bp)
    app.register_blueprint(gap_bp)
    app.register_blueprint(members_bp)
    app.register_blueprint(charts_bp)
    app.register_blueprint(projects_bp)
    app.register_blueprint(stages_bp)


def register_request_hooks(app: Flask) -> None:
    from app.services.accounts import current_membership
    from app.services.scope import Scope

    @app.before_request
    def load_scope() -> None:
        g.scope = None
        if current_user.is_authenticated:
            membership = current_membership(current_user.id, session.get("workspace_id"))
            if membership is not None:
                g.scope = Scope.of(membership)


def register_error_handlers(app: Flask) -> None:
    from app.api import handle_http_error, is_api_request

    def render_error(error: Any, code: int) -> Any:
        if is_api_request():  # JSON even where routing failed before the API blueprint was known
            return handle_http_error(error)
        # The 413 page names the upload limit.
        return render_template(f"errors/{code}.html", max_upload_mb=app.config["MAX_UPLOAD_MB"]), code

    for code in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(code, lambda e, code=code: render_error(e, code))


def register_template_helpers(app: Flask) -> None:
    from app.templating import register

    register(app)


def register_commands(app: Flask) -> None:
    from app.cli import register

    register(app)
