"""How the training pages show a method and an effectiveness result (template filters)."""

from __future__ import annotations

from flask import Blueprint

from app.domain import training as rules
from app.domain.text import _l

RESULT_LABELS = {"pending": _l("Not checked yet"), "pass": _l("Passed"), "fail": _l("Failed")}
RESULT_BADGES = {"pending": "text-bg-light border", "pass": "text-bg-success", "fail": "text-bg-danger"}


def register_words(bp: Blueprint) -> None:
    filters = {
        "training_method": lambda method: rules.METHOD_LABELS.get(method, method),
        "training_result": lambda result: RESULT_LABELS.get(result, result),
        "training_result_badge": lambda result: RESULT_BADGES.get(result, "text-bg-light border"),
    }
    for name, function in filters.items():
        bp.add_app_template_filter(function, name)
