"""The registers of a project in one place (each with its state and the clauses it evidences), and linking
the project's evidence to any register record (each record page shows the panel that posts here)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request

from app.domain.pathway import standard_family
from app.domain.permissions import Action
from app.domain.registers import RecordKind
from app.domain.text import _
from app.registers.links import record_url, register_url
from app.services import register_records as records
from app.services import register_states
from app.services.errors import Invalid
from app.web.access import current_scope, requires
from app.web.project_request import project as current_project

bp = Blueprint("registers", __name__, url_prefix="/registers")


@bp.get("")
def index() -> Any:
    project = current_project()
    states = register_states.states_of(project, date.today())
    family = standard_family(project.standard.code)
    links = {state.key: register_url(project.id, state.key) for state in states}
    clauses = {state.key: ", ".join(state.register.clauses_for(family)) for state in states}
    return render_template(
        "registers/index.html", project=project, states=states, links=links, clauses=clauses
    )


def _record(kind_text: str, record_id: int) -> tuple[Any, RecordKind, Any]:
    project = current_project()
    kind = records.record_kind(kind_text)
    return project, kind, records.record_in(current_scope(), project, kind, record_id)


@bp.post("/<record_kind>/<int:record_id>/evidence")
@requires(Action.EDIT_CONTENT)
def link_evidence(record_kind: str, record_id: int) -> Any:
    project, kind, record = _record(record_kind, record_id)
    try:
        evidence_id = int(request.form.get("evidence_id", ""))
    except ValueError:
        evidence_id = None
    try:
        item = records.link_evidence(current_scope(), project, kind, record, evidence_id)
    except Invalid as invalid:
        flash(invalid.fields.get("evidence_id", invalid.message), "danger")
    else:
        flash(_("Evidence “%(title)s” linked.", title=item.title), "success")
    return redirect(f"{record_url(project.id, kind, record.id)}#evidence", 303)


@bp.post("/<record_kind>/<int:record_id>/evidence/<int:evidence_id>/delete")
@requires(Action.EDIT_CONTENT)
def unlink_evidence(record_kind: str, record_id: int, evidence_id: int) -> Any:
    project, kind, record = _record(record_kind, record_id)
    records.unlink_evidence(current_scope(), project, kind, record, evidence_id)
    flash(_("Evidence unlinked; it stays in the project's evidence."), "success")
    return redirect(f"{record_url(project.id, kind, record.id)}#evidence", 303)
