"""Settings from the environment, and the refusals outside development and testing."""

from pathlib import Path

import pytest

from app.config import ConfigError, check_secret_key, load_settings, normalise_database_url

STRONG = "k3Jd9-sL2pQx7Vb_Zr4Tn8Wy1Hc6Fm0Ae5Gu"


def test_production_refuses_a_missing_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        load_settings({}, tmp_path)


@pytest.mark.parametrize("weak", ["short", "a" * 40, "0123456789" * 2])
def test_production_refuses_a_weak_secret_key(tmp_path, weak):
    with pytest.raises(ConfigError, match="too weak"):
        load_settings({"READINESS_ENV": "production", "SECRET_KEY": weak}, tmp_path)


def test_production_accepts_a_strong_key_and_secures_cookies(tmp_path):
    settings = load_settings({"SECRET_KEY": STRONG}, tmp_path)
    assert settings["SECRET_KEY"] == STRONG
    assert settings["ENVIRONMENT"] == "production"
    assert settings["SESSION_COOKIE_SECURE"] is True


def test_unknown_environment_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="READINESS_ENV"):
        load_settings({"READINESS_ENV": "staging", "SECRET_KEY": STRONG}, tmp_path)


def test_development_generates_a_key_once_and_keeps_it(tmp_path: Path):
    first = load_settings({"READINESS_ENV": "development"}, tmp_path)["SECRET_KEY"]
    second = load_settings({"READINESS_ENV": "development"}, tmp_path)["SECRET_KEY"]
    assert first == second
    assert len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_database_url_defaults_to_sqlite_in_instance(tmp_path):
    settings = load_settings({"READINESS_ENV": "testing"}, tmp_path)
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'readiness.db'}"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_postgres_urls_use_psycopg3(given, expected):
    assert normalise_database_url(given) == expected


def test_upload_limit_must_be_a_number(tmp_path):
    with pytest.raises(ConfigError, match="MAX_UPLOAD_MB"):
        load_settings({"READINESS_ENV": "testing", "MAX_UPLOAD_MB": "lots"}, tmp_path)


def test_check_secret_key_returns_a_good_key():
    assert check_secret_key(STRONG) == STRONG


def test_passwords_are_hashed_with_scrypt_whatever_the_environment_says(tmp_path):
    env = {"READINESS_ENV": "production", "SECRET_KEY": "k3Jd9-sL2pQx7Vb_Zr4Tn8Wy1Hc6Fm0Ae5Gu"}
    settings = load_settings({**env, "PASSWORD_HASH_METHOD": "plain"}, tmp_path)
    assert settings["PASSWORD_HASH_METHOD"] == "scrypt"


def test_postgresql_connections_turn_jit_off_and_sqlite_ones_need_no_options(tmp_path):
    env = {"SECRET_KEY": STRONG}
    on_postgres = load_settings({**env, "DATABASE_URL": "postgres://db/readiness"}, tmp_path)
    assert on_postgres["SQLALCHEMY_ENGINE_OPTIONS"] == {
        "pool_pre_ping": True,
        "connect_args": {"options": "-c jit=off"},
    }
    assert load_settings(env, tmp_path)["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}


def test_served_workers_freeze_their_heap_in_production_only(tmp_path):
    assert load_settings({"SECRET_KEY": STRONG}, tmp_path)["GC_FREEZE_AFTER_REQUESTS"] == 100
    for environment in ("development", "testing"):
        assert load_settings({"READINESS_ENV": environment}, tmp_path)["GC_FREEZE_AFTER_REQUESTS"] == 0
    chosen = {"SECRET_KEY": STRONG, "GC_FREEZE_AFTER_REQUESTS": "0"}
    assert load_settings(chosen, tmp_path)["GC_FREEZE_AFTER_REQUESTS"] == 0
    with pytest.raises(ConfigError, match=r"GC_FREEZE_AFTER_REQUESTS must be a whole number \(requests\)"):
        load_settings({"SECRET_KEY": STRONG, "GC_FREEZE_AFTER_REQUESTS": "soon"}, tmp_path)
