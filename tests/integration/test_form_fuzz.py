"""No input to any HTML form is a server error (security review D8, D10): every POST route in the URL map,
logged in as the owner with real ids, gets Hypothesis-made values (any unicode, NUL, huge and negative
numbers, non-ASCII digits, bad dates, huge ids) in every field name any form of the app has.

A new route or form field is covered as soon as it exists. The number of examples is bounded, so the run
takes seconds; every refusal must be a 4xx (or a redirect after a save), never a 5xx.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, url_for
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

from tests.integration.test_tenancy import ids_for

NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "²",
        "١٢٣",  # Arabic-Indic digits
        "-1",
        "0",
        "2147483648",
        "9" * 40,
        "1e309",
        "NaN",
        "2026-02-30",
        "0001-01-01",
        "9999-12-31",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "x" * 20_000,
    ]
)
VALUES = st.one_of(NASTY, st.text(max_size=60), st.integers().map(str), st.dates().map(str))


def form_field_names() -> list[str]:
    """Every field name declared on any FlaskForm subclass of the app (and their prefixed variants)."""
    import app.blueprints  # noqa: F401  (imports every form module)

    names: set[str] = set()
    pending = list(FlaskForm.__subclasses__())
    while pending:
        form_class = pending.pop()
        pending.extend(form_class.__subclasses__())
        for klass in form_class.__mro__:
            names |= {name for name, value in vars(klass).items() if isinstance(value, UnboundField)}
    return sorted(names | {f"token-{name}" for name in names} | {"clause-4-1-status", "clause-4-1-notes"})


FIELDS = form_field_names()


def post_routes(app: Flask) -> list[Any]:
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and not rule.endpoint.startswith("api.")
    ]
    return sorted(rules, key=lambda rule: rule.rule)


def is_number(rule: Any, name: str) -> bool:
    return type(rule._converters[name]).__name__ == "IntegerConverter"


def route_names() -> list[str]:
    from app import create_app
    from tests.conftest import CHEAP_HASH, TEST_SECRET

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": TEST_SECRET,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "PASSWORD_HASH_METHOD": CHEAP_HASH,
        }
    )
    return [rule.endpoint for rule in post_routes(app)]


@pytest.mark.parametrize("endpoint", route_names())
def test_no_form_input_is_a_server_error(app, client, owner, tree, endpoint):
    rule = next(rule for rule in post_routes(app) if rule.endpoint == endpoint)
    values = ids_for(tree)
    # A parameter the tenancy walk does not know (an invitation's token): any value, it is fuzzed anyway.
    arguments = {name: values.get(name, 1 if is_number(rule, name) else "unknown") for name in rule.arguments}
    with app.test_request_context():
        url = url_for(rule.endpoint, **arguments)

    @settings(
        max_examples=8,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=8))
    def post(data: dict[str, str]) -> None:
        response = client.post(url, data=data, buffered=True)
        assert response.status_code < 500, (url, data, response.status_code)

    post()


def test_the_fuzz_knows_the_fields_of_the_forms():
    assert {"email", "password", "status", "notes", "planned", "title", "clause_number"} <= set(FIELDS)
