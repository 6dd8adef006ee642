"""Filters and globals the templates use to display values (never to compute them)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask, g

from app.charts.base import percent_text
from app.domain.coverage import SHOWN_STATE_LABELS
from app.domain.permissions import ROLE_LABELS, Action
from app.domain.reference import country_name
from app.domain.text import grouped
from app.domain.wording import wording

# Badge colours of evidence states (app.domain.coverage.shown_state) and checklist statuses.
EVIDENCE_BADGES = {
    "draft": "text-bg-light border",
    "submitted": "text-bg-info",
    "accepted": "text-bg-success",
    "rejected": "text-bg-danger",
    "expired": "text-bg-warning",
    "missing": "text-bg-danger",
    "not_applicable": "text-bg-secondary",
}
UNKNOWN_BADGE = "text-bg-light border"


def format_date(value: date | None) -> str:
    """A day as the reader writes it (app.i18n.format_day: their language and calendar)."""
    from app.i18n import format_day

    return format_day(value)


def bar_width(percent: int | None) -> str:
    """A CSS width class in 5% steps (static/css/app.css), so bars need no inline style under the CSP."""
    value = max(0, min(100, percent or 0))
    return f"w-{value - value % 5}"


def evidence_badge_class(state: str) -> str:
    return EVIDENCE_BADGES.get(state, UNKNOWN_BADGE)


def evidence_state_label(state: str) -> str:
    return SHOWN_STATE_LABELS.get(state, state)


def register(app: Flask) -> None:
    from app import i18n

    i18n.register(app)
    app.jinja_env.filters["bar_width"] = bar_width
    app.jinja_env.filters["country"] = country_name
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["evidence_badge_class"] = evidence_badge_class
    app.jinja_env.filters["evidence_state_label"] = evidence_state_label
    app.jinja_env.filters["grouped"] = grouped  # 12345 -> 12,345 (12.345 in Vietnamese)
    app.jinja_env.filters["percent"] = percent_text
    app.jinja_env.filters["role"] = lambda role: str(
        ROLE_LABELS.get(role, role)
    )  # translated, then |lower works
    app.jinja_env.globals["Action"] = Action

    @app.context_processor
    def inject_scope() -> dict[str, Any]:
        scope = g.get("scope")
        return {"scope": scope, "words": wording(scope.workspace_kind if scope else None)}
