"""Filters and globals the templates use to display values (never to compute them)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask, g

from app.domain.permissions import ROLE_LABELS, Action
from app.domain.reference import country_name


def format_date(value: date | None) -> str:
    return value.strftime("%d %b %Y") if value else "—"


def bar_width(percent: int | None) -> str:
    """A CSS width class in 5% steps (static/css/app.css), so bars need no inline style under the CSP."""
    value = max(0, min(100, percent or 0))
    return f"w-{value - value % 5}"


def register(app: Flask) -> None:
    app.jinja_env.filters["bar_width"] = bar_width
    app.jinja_env.filters["country"] = country_name
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["role"] = lambda role: ROLE_LABELS.get(role, role)
    app.jinja_env.globals["Action"] = Action

    @app.context_processor
    def inject_scope() -> dict[str, Any]:
        return {"scope": g.get("scope")}
