"""How risk-management files are shown: the words and badge colours of a risk level and of a file's state
(template filters of the whole app)."""

from __future__ import annotations

from flask import Blueprint

from app.domain import risk_files as rules
from app.domain.risk_files import FileState, RiskLevel

LEVEL_BADGES = {
    RiskLevel.ACCEPTABLE: "text-bg-success",
    RiskLevel.REVIEW: "text-bg-warning",
    RiskLevel.UNACCEPTABLE: "text-bg-danger",
}
STATE_BADGES = {
    FileState.NO_HAZARDS: "text-bg-light border",
    FileState.UNCONTROLLED: "text-bg-warning",
    FileState.UNACCEPTABLE: "text-bg-danger",
    FileState.COMPLETE: "text-bg-success",
}
UNKNOWN_BADGE = "text-bg-light border"


def register_words(bp: Blueprint) -> None:
    filters = {
        "hazard_level": lambda level: rules.LEVEL_LABELS.get(level, "—"),
        "hazard_level_badge": lambda level: LEVEL_BADGES.get(level, UNKNOWN_BADGE),
        "risk_file_state": lambda state: rules.FILE_STATE_LABELS.get(state, state),
        "risk_file_state_badge": lambda state: STATE_BADGES.get(state, UNKNOWN_BADGE),
        "hazard_severity": lambda score: rules.SEVERITY_LABELS.get(score, ""),
        "hazard_probability": lambda score: rules.PROBABILITY_LABELS.get(score, ""),
    }
    for name, function in filters.items():
        bp.add_app_template_filter(function, name)
