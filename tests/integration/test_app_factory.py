"""The factory refuses unsafe configuration and wires the app together."""

import gc

import pytest

from app import create_app
from app.config import ConfigError
from app.web import heap
from tests.conftest import make_test_app


def test_factory_refuses_production_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("READINESS_ENV", "production")
    with pytest.raises(ConfigError):
        create_app()


def test_factory_refuses_production_with_weak_secret_key(monkeypatch):
    monkeypatch.setenv("READINESS_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "changeme")
    with pytest.raises(ConfigError, match="too weak"):
        create_app()


def test_factory_in_production_with_strong_key(monkeypatch, tmp_path):
    monkeypatch.setenv("READINESS_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k3Jd9-sL2pQx7Vb_Zr4Tn8Wy1Hc6Fm0Ae5Gu")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    app = create_app()
    assert app.config["ENVIRONMENT"] == "production"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/login", base_url="https://readiness.example")
    assert "Strict-Transport-Security" in response.headers


def test_proxy_headers_are_trusted_only_when_configured(monkeypatch, tmp_path):
    monkeypatch.setenv("READINESS_ENV", "testing")
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}"})
    seen = {}

    @app.get("/scheme-for-test")
    def scheme():
        from flask import request

        seen["scheme"] = request.scheme
        return "ok"

    app.test_client().get("/scheme-for-test", headers={"X-Forwarded-Proto": "https"})
    assert seen["scheme"] == "https"


def test_testing_app_has_blueprints_and_csrf(app):
    assert {"auth", "clients", "projects"} <= set(app.blueprints)
    assert "csrf" in app.extensions


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"not in your workspace" in response.data


def test_server_error_page(tmp_path):
    # An app of its own: a route cannot be added to the shared app once it has served a request.
    app = make_test_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e.db'}"}, tmp_path)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()

    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("boom")

    response = client.get("/boom-for-test")
    assert response.status_code == 500
    assert b"Nothing you saved before is lost" in response.data


def test_a_warm_worker_freezes_its_heap_once_after_the_chosen_request(tmp_path, monkeypatch):
    """app/web/heap.py: after the third response has gone out, the surviving objects leave the collector's
    generations for the permanent one; the fourth request freezes nothing more."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}", "GC_FREEZE_AFTER_REQUESTS": 3}
    )
    http = app.test_client()
    frozen: list[int] = []

    def counted(real=heap.freeze_heap) -> None:
        real()
        frozen.append(gc.get_freeze_count())

    monkeypatch.setattr(heap, "freeze_heap", counted)
    gc.unfreeze()
    try:
        for number in range(1, 5):
            with http.get("/login") as response:
                assert response.status_code == 200
            assert len(frozen) == (0 if number < 3 else 1)
        assert frozen[0] > 10_000  # the app, its libraries and what the requests cached
    finally:
        gc.unfreeze()


def test_the_heap_is_left_alone_when_freezing_is_off(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}"})
    assert app.config["GC_FREEZE_AFTER_REQUESTS"] == 0
    gc.unfreeze()
    for _ in range(3):
        with app.test_client().get("/login") as response:
            assert response.status_code == 200
    assert gc.get_freeze_count() == 0
