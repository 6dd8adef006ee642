"""GET /api/v1/projects/<id>/budget: the lines and their roll-ups, amounts as decimal strings.

Nested in the API's project blueprint, so it shares the token authentication, the project loader and the
JSON errors. Amounts are strings
with exactly the currency's minor-unit places ("1200.00", "1500000", "1.235"), never JSON numbers, so no
client reads them as floats; a percentage is a string with one decimal ("38.7") or null.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint

from app.api.responses import iso
from app.domain import budget as domain
from app.models import CertificationProject
from app.services import budget as budget_service
from app.web.project_request import project

bp = Blueprint("budget", __name__)


def money(amount: Decimal, unit: Decimal) -> str:
    return f"{domain.quantize_money(amount, unit):f}"


def percent(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def totals(values: domain.Totals, unit: Decimal) -> dict[str, Any]:
    return {
        "planned": money(values.planned, unit),
        "actual": money(values.actual, unit),
        "variance": money(values.variance, unit),
        "percent_spent": percent(values.percent_spent),
    }


def line(view: budget_service.LineView, unit: Decimal) -> dict[str, Any]:
    row = view.row
    return {
        "id": row.id,
        "stage": row.stage,
        "category": row.category,
        "description": row.description,
        "vendor": row.vendor,
        "planned": money(row.planned, unit),
        "actual": None if row.actual is None else money(row.actual, unit),
        "date": iso(row.spent_on),
        "basis": row.basis,
        "overspent": view.overspent,
    }


def budget(project: CertificationProject) -> dict[str, Any]:
    every = budget_service.all_lines(project)
    unit, summary = every.unit, every.summary
    return {
        "currency": project.currency,
        "lines": [line(view, unit) for view in every.lines],
        "by_stage": {key: totals(value, unit) for key, value in summary.by_stage.items()},
        "by_category": {key: totals(value, unit) for key, value in summary.by_category.items()},
        "total": totals(summary.total, unit) | {"forecast": money(summary.forecast, unit)},
    }


@bp.get("/budget")
def show_budget() -> Any:
    return budget(project())
