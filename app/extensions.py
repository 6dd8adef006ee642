"""Flask extensions, created unbound and bound to an app in ``create_app``."""

import sqlite3
from typing import Any

from flask import current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf import CSRFProtect
from sqlalchemy import Engine, event

from app.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to see that page."
login_manager.login_message_category = "info"
talisman = Talisman()
babel = Babel()  # the locale selector and catalogs are given in create_app (app.i18n)
# Storage (memory://, or redis://... shared by every worker) comes from RATELIMIT_STORAGE_URI; the limits
# themselves are declared where they apply (app.auth.throttle).
limiter = Limiter(key_func=get_remote_address, strategy="moving-window")


@limiter.request_filter
def throttling_is_off() -> bool:
    """Read at each request (Flask-Limiter reads RATELIMIT_ENABLED once), so a test can turn it on."""
    return not current_app.config.get("RATELIMIT_ENABLED", True)


# Everything is served by the app itself (no CDN) and no page has inline script or style.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "img-src": ["'self'", "data:"],
    "style-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


@event.listens_for(Engine, "connect")
def enforce_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    """SQLite leaves foreign keys unenforced unless each connection asks: without this, ON DELETE CASCADE
    does nothing and rows pointing at deleted ones (an API token of a removed member) survive."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
