"""How reviews and objectives are shown: the words and badge colours of an action's state, an output's
kind and an objective's status (template filters of the whole app)."""

from __future__ import annotations

from flask import Blueprint

from app.domain import objectives as goals
from app.domain import reviews as rules
from app.services.objectives import value_text

ACTION_BADGES = {
    rules.ActionState.OPEN: "text-bg-info",
    rules.ActionState.OVERDUE: "text-bg-danger",
    rules.ActionState.DONE: "text-bg-success",
}
OBJECTIVE_BADGES = {True: "text-bg-success", False: "text-bg-danger", None: "text-bg-light border"}
UNKNOWN_BADGE = "text-bg-light border"


def register_words(bp: Blueprint) -> None:
    filters = {
        "action_state": lambda state: rules.ACTION_STATE_LABELS.get(state, state),
        "action_badge": lambda state: ACTION_BADGES.get(state, UNKNOWN_BADGE),
        "output_kind": lambda kind: rules.KIND_LABELS.get(kind, kind),
    }
    for name, function in filters.items():
        bp.add_app_template_filter(function, name)


def register_objective_words(bp: Blueprint) -> None:
    filters = {
        "objective_status": goals.status_label,
        "objective_badge": lambda met: OBJECTIVE_BADGES.get(met, UNKNOWN_BADGE),
        "objective_value": value_text,
    }
    for name, function in filters.items():
        bp.add_app_template_filter(function, name)
