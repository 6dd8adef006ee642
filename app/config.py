"""Settings from the environment.

`load_settings` is pure (it takes a mapping, not `os.environ`) so the refusals can be unit tested.
Outside development and testing a missing or weak ``SECRET_KEY`` stops the app at start-up: there is
no guessable fallback.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from limits import parse_many
from sqlalchemy.engine import make_url

ENVIRONMENTS = ("development", "testing", "production")
MIN_SECRET_LENGTH = 32
DEFAULT_MAX_UPLOAD_MB = 25
# Evidence files a workspace may keep (a workspace can be given its own figure); 10 GB by default.
DEFAULT_STORAGE_QUOTA_MB = 10 * 1024
# Rate limits in Flask-Limiter's notation; each can be set from the environment under the same name.
DEFAULT_RATE_LIMITS = {
    # Failed log-ins, and sign-ups, password resets and confirmation links sent, per e-mail address ...
    "RATELIMIT_AUTH_PER_ADDRESS": "5 per minute; 20 per hour",
    # ... and every such form sent from one IP address.
    "RATELIMIT_AUTH_PER_IP": "30 per minute; 200 per hour",
    # API requests per token, and refused tokens (401) per IP address.
    "RATELIMIT_API_PER_TOKEN": "600 per minute",
    "RATELIMIT_API_FAILURES_PER_IP": "30 per minute",
}
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


class ConfigError(RuntimeError):
    """The environment does not describe a safe configuration."""


def engine_options(database_url: str) -> dict[str, Any]:
    """Connections are checked before use. On PostgreSQL, no JIT compilation: the app's queries are short,
    and a roll-up whose estimated cost crossed ``jit_above_cost`` spent 160 ms compiling for 47 ms of work
    (the portfolio, on 200 clients)."""
    options: dict[str, Any] = {"pool_pre_ping": True}
    if database_url.startswith("postgresql"):
        # added to the URL's own ``options`` (a search_path, say), which connect_args would otherwise replace
        given = make_url(database_url).query.get("options", "")
        given = " ".join(given) if isinstance(given, tuple) else given
        options["connect_args"] = {"options": f"{given} -c jit=off".strip()}
    return options


def normalise_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def dev_secret_key(instance_path: Path) -> str:
    """A development key generated once and kept in ``instance/`` (which git ignores)."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def check_secret_key(key: str | None) -> str:
    if not key:
        raise ConfigError("SECRET_KEY is not set. Set it to a random string of at least 32 characters.")
    if len(key) < MIN_SECRET_LENGTH or len(set(key)) < 10:
        raise ConfigError(
            f"SECRET_KEY is too weak: use at least {MIN_SECRET_LENGTH} random characters "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')."
        )
    return key


def flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value not in TRUE_WORDS + FALSE_WORDS:
        raise ConfigError(f"{name} must be true or false, not {value!r}.")
    return value in TRUE_WORDS


def mail_settings(env: Mapping[str, str], environment: str, instance_path: Path) -> dict[str, Any]:
    """SMTP when ``MAIL_SERVER`` is set; otherwise the test suite's outbox or, elsewhere, the log (and, in
    development, one .eml file per message in ``MAIL_FILE_DIR``).

    The connection is secured by STARTTLS (``MAIL_USE_TLS``, port 587, the default) or by implicit TLS
    (``MAIL_USE_SSL``, port 465); never both, and neither only when asked for (a relay on localhost).
    """
    server = env.get("MAIL_SERVER", "").strip()
    use_ssl = flag(env, "MAIL_USE_SSL", False)
    use_tls = flag(env, "MAIL_USE_TLS", not use_ssl)
    if use_ssl and use_tls:
        raise ConfigError(
            "Set MAIL_USE_TLS (STARTTLS, port 587) or MAIL_USE_SSL (implicit TLS, port 465), not both."
        )
    port = env.get("MAIL_PORT", "465" if use_ssl else "587").strip()
    if not port.isascii() or not port.isdigit():
        raise ConfigError("MAIL_PORT must be a port number (587 for STARTTLS, 25 for a local relay).")
    timeout = env.get("MAIL_TIMEOUT", "10").strip()
    if not timeout.isascii() or not timeout.isdigit() or int(timeout) == 0:
        raise ConfigError("MAIL_TIMEOUT must be a whole number of seconds (10 by default).")
    sender = env.get("MAIL_SENDER", "").strip()
    if server and not sender:
        raise ConfigError("MAIL_SENDER must be set with MAIL_SERVER (e.g. Readiness <no-reply@example.com>).")
    backend = "smtp" if server else "outbox" if environment == "testing" else "log"
    return {
        "MAIL_BACKEND": backend,
        "MAIL_SERVER": server,
        "MAIL_PORT": int(port),
        "MAIL_USE_TLS": use_tls,
        "MAIL_USE_SSL": use_ssl,
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_TIMEOUT": int(timeout),
        "MAIL_SENDER": sender or "Readiness <no-reply@localhost>",
        # Development without a mail server: each message is also written here, to open in a mail program.
        "MAIL_FILE_DIR": env.get("MAIL_FILE_DIR", "").strip() or str(instance_path / "mail"),
        # Links in e-mails start with this; without it they take the host of the request that sent them.
        "PUBLIC_URL": env.get("PUBLIC_URL", "").strip().rstrip("/"),
    }


def rate_limit_settings(env: Mapping[str, str], environment: str) -> dict[str, Any]:
    """Throttling is on except in the test suite, which turns it on in the tests about it."""
    limits = {name: env.get(name, default) for name, default in DEFAULT_RATE_LIMITS.items()}
    for name, value in limits.items():
        try:
            parse_many(value)
        except ValueError as exc:
            raise ConfigError(f"{name} must be limits such as '5 per minute; 20 per hour'.") from exc
    return {
        "RATELIMIT_ENABLED": flag(env, "RATELIMIT_ENABLED", environment != "testing"),
        # memory:// counts per process: with several gunicorn workers, point this at Redis.
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "").strip() or "memory://",
        **limits,
    }


def _whole_number(env: Mapping[str, str], name: str, default: int, unit: str = "megabytes") -> int:
    value = env.get(name, str(default))
    if not (value.isascii() and value.isdigit()):
        raise ConfigError(f"{name} must be a whole number ({unit}), not {value!r}.")
    return int(value)


def load_settings(env: Mapping[str, str], instance_path: Path) -> dict[str, Any]:
    """Build the Flask config from environment variables."""
    environment = env.get("READINESS_ENV", "production")
    if environment not in ENVIRONMENTS:
        raise ConfigError(f"READINESS_ENV must be one of {', '.join(ENVIRONMENTS)}, not {environment!r}.")
    if environment == "production":
        secret_key = check_secret_key(env.get("SECRET_KEY"))
    else:
        secret_key = env.get("SECRET_KEY") or dev_secret_key(instance_path)
    default_db = f"sqlite:///{instance_path / 'readiness.db'}"
    try:
        max_upload_mb = int(env.get("MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB))
    except ValueError as exc:
        raise ConfigError("MAX_UPLOAD_MB must be a whole number of megabytes.") from exc
    trusted_proxies = env.get("TRUSTED_PROXIES", "0")
    if not trusted_proxies.isdigit():
        raise ConfigError(
            "TRUSTED_PROXIES must be the number of reverse proxies in front of the app (0, 1, ...)."
        )
    database_url = normalise_database_url(env.get("DATABASE_URL", default_db))
    return {
        "ENVIRONMENT": environment,
        "TRUSTED_PROXIES": int(trusted_proxies),
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        "EVIDENCE_DIR": env.get("EVIDENCE_DIR", str(instance_path / "evidence")),
        "MAX_UPLOAD_MB": max_upload_mb,
        "STORAGE_QUOTA_MB": _whole_number(env, "STORAGE_QUOTA_MB", DEFAULT_STORAGE_QUOTA_MB),
        # app/web/heap.py: a served worker freezes its warm heap out of the garbage collector's way.
        "GC_FREEZE_AFTER_REQUESTS": _whole_number(
            env, "GC_FREEZE_AFTER_REQUESTS", 100 if environment == "production" else 0, "requests"
        ),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": environment == "production",
        "REMEMBER_COOKIE_SECURE": environment == "production",
        "WTF_CSRF_TIME_LIMIT": None,
        # Not read from the environment: only the test suite swaps in a cheap hash, through its own config.
        "PASSWORD_HASH_METHOD": "scrypt",
        **mail_settings(env, environment, instance_path),
        **rate_limit_settings(env, environment),
    }
