"""How the QMS software list is shown: the words and badge colours of an application's state and risk
(template filters of the whole app)."""

from __future__ import annotations

from flask import Blueprint

from app.domain import software as rules
from app.domain.software import Risk, SoftwareState

STATE_BADGES = {
    SoftwareState.NOT_VALIDATED: "text-bg-danger",
    SoftwareState.CHANGED: "text-bg-warning",
    SoftwareState.REVALIDATION_DUE: "text-bg-warning",
    SoftwareState.VALIDATED: "text-bg-success",
    SoftwareState.RETIRED: "text-bg-light border",
}
RISK_BADGES = {Risk.LOW: "text-bg-light border", Risk.MEDIUM: "text-bg-info", Risk.HIGH: "text-bg-danger"}
UNKNOWN_BADGE = "text-bg-light border"


def register_words(bp: Blueprint) -> None:
    filters = {
        "software_state": lambda state: rules.STATE_LABELS.get(state, state),
        "software_state_badge": lambda state: STATE_BADGES.get(state, UNKNOWN_BADGE),
        "software_risk": lambda risk: rules.RISK_LABELS.get(risk, risk),
        "software_risk_badge": lambda risk: RISK_BADGES.get(risk, UNKNOWN_BADGE),
    }
    for name, function in filters.items():
        bp.add_app_template_filter(function, name)
