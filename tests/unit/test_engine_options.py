"""app.config.engine_options: PostgreSQL connections turn JIT off without losing the URL's own options."""

from app.config import engine_options


def test_postgresql_turns_jit_off():
    assert engine_options("postgresql+psycopg://db/readiness")["connect_args"] == {"options": "-c jit=off"}


def test_the_urls_own_options_are_kept():
    url = "postgresql+psycopg://db/readiness?options=-csearch_path%3Dbench_1"
    assert engine_options(url)["connect_args"] == {"options": "-csearch_path=bench_1 -c jit=off"}


def test_sqlite_gets_no_connection_options():
    options = engine_options("sqlite:///instance/readiness.db")
    assert "connect_args" not in options and options["pool_pre_ping"] is True
