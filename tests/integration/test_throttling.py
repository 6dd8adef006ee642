"""Throttling (review D6): log-in, sign-up, password reset, confirmation links and invitations per e-mail
address and per IP address; the API per token and, for refused tokens, per IP address. A throttled request
gets a 429 page or JSON error with Retry-After. Off in the test configuration, on here with small limits."""

from __future__ import annotations

import hashlib
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.auth import throttle
from app.auth.throttle import API_REFUSAL, AUTH_REFUSAL
from app.extensions import db, limiter
from app.models import Membership
from app.services import tokens
from tests.factories import PASSWORD

REDIS_URL = "redis://127.0.0.1:6379/0"
WRONG = "not-the-password"
SIGN_UP_PASSWORD = "long-enough-password"


@pytest.fixture
def throttled(app: Flask) -> Iterator[Flask]:
    """Throttling on, with limits small enough to reach (the app fixture restores the config after)."""
    app.config.update(
        RATELIMIT_ENABLED=True,
        RATELIMIT_AUTH_PER_ADDRESS="3 per minute",
        RATELIMIT_AUTH_PER_IP="8 per minute",
        RATELIMIT_API_PER_TOKEN="5 per minute",
        RATELIMIT_API_FAILURES_PER_IP="3 per minute",
    )
    limiter.reset()
    yield app
    limiter.reset()


def log_in(client: Any, email: str, password: str = WRONG, ip: str = "192.0.2.1") -> Any:
    return client.post(
        "/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip}
    )


def assert_throttled_page(response: Any) -> None:
    assert response.status_code == 429
    assert AUTH_REFUSAL in response.text
    assert int(response.headers["Retry-After"]) >= 1


def test_failed_log_ins_for_one_address_stop_even_the_right_password(throttled, client, make):
    user = make.user(email="lan@example.com")
    other = make.user(email="tuan@example.com")
    assert [log_in(client, "LAN@example.com ").status_code for _ in range(3)] == [200, 200, 200]
    assert_throttled_page(log_in(client, user.email, PASSWORD))  # review D6: the 61st try got in
    assert client.get("/clients").status_code == 302
    assert log_in(client, other.email, PASSWORD).status_code == 302  # another address is not held up


def test_successful_log_ins_do_not_count(throttled, client, make):
    user = make.user()
    for _ in range(5):
        assert log_in(client, user.email, PASSWORD).status_code == 302
        client.post("/logout")


def test_failed_log_ins_from_one_ip_address_are_limited_whatever_the_address(throttled, client):
    answers = [log_in(client, f"guess{n}@example.com", ip="192.0.2.7").status_code for n in range(9)]
    assert answers == [200] * 8 + [429]
    assert log_in(client, "guess0@example.com", ip="192.0.2.8").status_code == 200


def test_signing_up_the_same_address_again_and_again_is_limited(throttled, client, outbox):
    def sign_up(email: str, password: str = SIGN_UP_PASSWORD) -> int:
        data = {"name": "Lan", "email": email, "workspace_name": "Cork", "kind": "exporter"}
        return client.post("/signup", data=data | {"password": password, "confirm": password}).status_code

    assert sign_up("lan@example.com", "short") == 200  # a form with errors sends nothing and does not count
    assert [sign_up("lan@example.com") for _ in range(4)] == [303, 303, 303, 429]
    assert len(outbox) == 3


@pytest.mark.parametrize("path", ["/password/forgot", "/verify"])
def test_asking_for_links_is_limited_per_address(throttled, client, make, outbox, path):
    make.user(email="lan@example.com")
    answers = [client.post(path, data={"email": "lan@example.com"}).status_code for _ in range(4)]
    assert answers == [303, 303, 303, 429]
    assert client.post(path, data={"email": "tuan@example.com"}).status_code == 303


def test_invitations_to_one_address_are_limited(throttled, client, tree, owner, outbox):
    answers = [
        client.post("/members/invite", data={"email": "x@example.com", "role": "viewer"}).status_code
        for _ in range(4)
    ]
    assert answers == [303, 303, 303, 429]
    assert len(outbox) == 3


def api_token(make: Any, tree: dict[str, Any]) -> str:
    user = make.user(tree["workspace"], role="owner")
    membership = db.session.execute(select(Membership).where(Membership.user_id == user.id)).scalar_one()
    secret = tokens.create(membership.id, "script").secret
    db.session.commit()
    return secret


def test_api_requests_are_limited_per_token(throttled, client, make, tree):
    mine, theirs = api_token(make, tree), api_token(make, tree)
    answers = [client.get("/api/v1/projects", headers={"Authorization": f"Bearer {mine}"}) for _ in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    refused = answers[-1]
    assert refused.json == {"error": {"status": 429, "message": API_REFUSAL}}
    assert int(refused.headers["Retry-After"]) >= 1
    assert client.get("/api/v1/projects", headers={"Authorization": f"Bearer {theirs}"}).status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200  # no token, no token budget


def test_refused_api_tokens_are_limited_per_ip_address(throttled, client, make, tree):
    good = api_token(make, tree)

    def call(secret: str, ip: str = "192.0.2.1") -> int:
        headers = {"Authorization": f"Bearer {secret}"}
        return client.get("/api/v1/projects", headers=headers, environ_base={"REMOTE_ADDR": ip}).status_code

    assert [call(f"rdy_guess{n}") for n in range(3)] == [401, 401, 401]
    assert call(good) == 429
    assert call(good, ip="192.0.2.2") == 200


def test_throttling_is_off_in_the_test_configuration(client, make):
    user = make.user()
    assert {log_in(client, user.email).status_code for _ in range(12)} == {200}
    assert log_in(client, user.email, PASSWORD).status_code == 302


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def redis_storage(throttled: Flask) -> Iterator[Any]:
    if not redis_answers():
        pytest.skip("Redis does not answer on 127.0.0.1:6379 (start redis-server to run this test)")
    import redis

    throttled.config["RATELIMIT_STORAGE_URI"] = REDIS_URL
    throttle.init_app(throttled)
    try:
        yield redis.Redis.from_url(REDIS_URL)
    finally:
        throttled.config["RATELIMIT_STORAGE_URI"] = "memory://"
        throttle.init_app(throttled)


def test_counts_are_kept_in_redis_when_it_is_configured(redis_storage, client, make):
    """With RATELIMIT_STORAGE_URI=redis://..., every worker shares the counts: they are in Redis."""
    address = f"{uuid.uuid4().hex}@example.com"  # a key of its own: the server may hold other counts
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    ip = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    assert [log_in(client, address, ip=ip).status_code for _ in range(4)] == [200, 200, 200, 429]
    keys = [key.decode() for key in redis_storage.scan_iter(match=f"*address:{digest}*")]
    assert keys, "no count in Redis for the address"
    for key in keys:
        redis_storage.delete(key)
