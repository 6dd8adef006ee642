"""Mail and throttling settings from the environment, refused loudly when they cannot work."""

import pytest

from app.config import ConfigError, load_settings

TESTING = {"READINESS_ENV": "testing"}
PRODUCTION = {"READINESS_ENV": "production", "SECRET_KEY": "k3Jd9-sL2pQx7Vb_Zr4Tn8Wy1Hc6Fm0Ae5Gu"}


def test_without_a_mail_server_tests_use_the_outbox_and_the_others_the_log(tmp_path):
    assert load_settings(TESTING, tmp_path)["MAIL_BACKEND"] == "outbox"
    assert load_settings(PRODUCTION, tmp_path)["MAIL_BACKEND"] == "log"
    assert load_settings({"READINESS_ENV": "development"}, tmp_path)["MAIL_BACKEND"] == "log"


def test_a_mail_server_is_used_with_its_settings(tmp_path):
    env = PRODUCTION | {
        "MAIL_SERVER": "smtp.example.com",
        "MAIL_PORT": "2525",
        "MAIL_USE_TLS": "false",
        "MAIL_USERNAME": "readiness",
        "MAIL_PASSWORD": "secret",
        "MAIL_SENDER": "Readiness <no-reply@example.com>",
        "PUBLIC_URL": "https://readiness.example.com/",
    }
    settings = load_settings(env, tmp_path)
    assert settings["MAIL_BACKEND"] == "smtp"
    assert (settings["MAIL_SERVER"], settings["MAIL_PORT"], settings["MAIL_USE_TLS"]) == (
        "smtp.example.com",
        2525,
        False,
    )
    assert (settings["MAIL_USERNAME"], settings["MAIL_PASSWORD"]) == ("readiness", "secret")
    assert settings["PUBLIC_URL"] == "https://readiness.example.com"


def test_implicit_tls_is_port_465_without_starttls_and_the_defaults_are_starttls_on_587(tmp_path):
    settings = load_settings(PRODUCTION, tmp_path)
    assert (settings["MAIL_PORT"], settings["MAIL_USE_TLS"], settings["MAIL_USE_SSL"]) == (587, True, False)
    assert settings["MAIL_TIMEOUT"] == 10
    ssl = load_settings(PRODUCTION | {"MAIL_USE_SSL": "true", "MAIL_TIMEOUT": "4"}, tmp_path)
    assert (ssl["MAIL_PORT"], ssl["MAIL_USE_TLS"], ssl["MAIL_USE_SSL"], ssl["MAIL_TIMEOUT"]) == (
        465,
        False,
        True,
        4,
    )


def test_development_keeps_its_messages_in_the_instance_folder_unless_told_otherwise(tmp_path):
    development = {"READINESS_ENV": "development"}
    assert load_settings(development, tmp_path)["MAIL_FILE_DIR"] == str(tmp_path / "mail")
    elsewhere = load_settings(development | {"MAIL_FILE_DIR": "/srv/readiness/mail"}, tmp_path)
    assert elsewhere["MAIL_FILE_DIR"] == "/srv/readiness/mail"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MAIL_SERVER": "smtp.example.com"}, "MAIL_SENDER"),
        ({"MAIL_PORT": "²"}, "MAIL_PORT"),
        ({"MAIL_USE_TLS": "maybe"}, "MAIL_USE_TLS"),
        ({"MAIL_USE_TLS": "true", "MAIL_USE_SSL": "true"}, "not both"),
        ({"MAIL_TIMEOUT": "0"}, "MAIL_TIMEOUT"),
        ({"MAIL_TIMEOUT": "soon"}, "MAIL_TIMEOUT"),
        ({"RATELIMIT_ENABLED": "sometimes"}, "RATELIMIT_ENABLED"),
        ({"RATELIMIT_AUTH_PER_ADDRESS": "lots"}, "RATELIMIT_AUTH_PER_ADDRESS"),
        ({"RATELIMIT_API_PER_TOKEN": "5 per fortnight"}, "RATELIMIT_API_PER_TOKEN"),
    ],
)
def test_settings_that_cannot_work_stop_the_app(tmp_path, env, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(PRODUCTION | env, tmp_path)


def test_throttling_is_on_except_in_the_test_configuration(tmp_path):
    assert load_settings(PRODUCTION, tmp_path)["RATELIMIT_ENABLED"] is True
    assert load_settings(TESTING, tmp_path)["RATELIMIT_ENABLED"] is False
    assert load_settings(TESTING | {"RATELIMIT_ENABLED": "on"}, tmp_path)["RATELIMIT_ENABLED"] is True
    assert load_settings(PRODUCTION | {"RATELIMIT_ENABLED": "0"}, tmp_path)["RATELIMIT_ENABLED"] is False


def test_limits_are_counted_in_memory_unless_a_storage_is_named(tmp_path):
    assert load_settings(PRODUCTION, tmp_path)["RATELIMIT_STORAGE_URI"] == "memory://"
    env = PRODUCTION | {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}
    assert load_settings(env, tmp_path)["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    custom = load_settings(PRODUCTION | {"RATELIMIT_AUTH_PER_IP": "10 per minute"}, tmp_path)
    assert custom["RATELIMIT_AUTH_PER_IP"] == "10 per minute"
