"""How the audit pages show an audit's status and a checklist line's result: words and badge colours
(template filters of the whole app, so the stage and findings pages may show them too)."""

from __future__ import annotations

from flask import Blueprint

from app.domain import audits as rules

STATUS_BADGES = {
    rules.AuditStatus.PLANNED: "text-bg-light border",
    rules.AuditStatus.IN_PROGRESS: "text-bg-info",
    rules.AuditStatus.REPORTED: "text-bg-primary",
    rules.AuditStatus.CLOSED: "text-bg-success",
}
RESULT_BADGES = {
    rules.LineResult.NOT_CHECKED: "text-bg-light border",
    rules.LineResult.CONFORMING: "text-bg-success",
    rules.LineResult.MINOR: "text-bg-warning",
    rules.LineResult.MAJOR: "text-bg-danger",
    rules.LineResult.OBSERVATION: "text-bg-info",
}
UNKNOWN_BADGE = "text-bg-light border"
# The step buttons' style: the usual next step stands out.
STEP_BUTTONS = {
    rules.Transition.START: "btn btn-primary",
    rules.Transition.REPORT: "btn btn-primary",
    rules.Transition.CLOSE: "btn btn-outline-primary",
}


def register_words(bp: Blueprint) -> None:
    filters = {
        "audit_status": lambda status: rules.STATUS_LABELS.get(status, status),
        "audit_status_badge": lambda status: STATUS_BADGES.get(status, UNKNOWN_BADGE),
        "line_result": lambda result: rules.RESULT_LABELS.get(result, result),
        "line_result_badge": lambda result: RESULT_BADGES.get(result, UNKNOWN_BADGE),
        "audit_step": lambda step: rules.TRANSITION_LABELS.get(step, step),
        "audit_step_button": lambda step: STEP_BUTTONS.get(step, "btn btn-outline-primary"),
    }
    for name, function in filters.items():
        bp.add_app_template_filter(function, name)
