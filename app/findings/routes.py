"""The nonconformity and corrective action register's pages: the register (filtered, overdue first), raising
a finding, and a finding's page with its edit form and one form per step it allows (plan, implement,
check, close). The rules are :mod:`app.domain.nonconformities`, the loads and saves
:mod:`app.services.findings`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from app.documents.words import row_url
from app.domain import nonconformities as rules
from app.domain.permissions import Action, action_to_change_finding
from app.domain.text import _, _l
from app.findings.forms import (
    TRANSITION_FORMS,
    EditForm,
    FindingForm,
    clean_filters,
    edit_form_data,
    filter_bar,
    register_words,
    transition_form,
    transition_values,
)
from app.forms import StaleNotice, stale_notice
from app.models import CertificationProject, Finding
from app.pagination import Page, page_number
from app.services import finding_register as register
from app.services import findings as service
from app.services.errors import Invalid, NotFound, Refused, ServiceError, StaleVersion
from app.services.scope import Scope
from app.web.access import current_scope, requires
from app.web.project_request import project as current_project

bp = Blueprint("findings", __name__, url_prefix="/findings")
register_words(bp)

PER_PAGE = 25
EDIT = "edit"  # the edit form's prefix and key among the page's forms
# What each step did, for the message after it.
_DONE = {
    rules.Transition.PLAN: _l("Root cause and corrective action recorded."),
    rules.Transition.IMPLEMENT: _l("Corrective action recorded as implemented."),
    rules.Transition.CLOSE: _l("Finding closed."),
}
_CHECKED = {
    rules.FindingState.VERIFIED: _l("Effectiveness check recorded: the action worked."),
    rules.FindingState.ACTION_PLANNED: _l(
        "Effectiveness check recorded: not effective. The action is open again: revise the root cause and "
        "the action, then record its implementation."
    ),
}
_REVISE = _l("Revise the root cause and the corrective action")
_RESPOND = _l("Close the observation with its response")


def _finding(finding_id: int) -> tuple[Scope, CertificationProject, Finding]:
    scope, project = current_scope(), current_project()
    return scope, project, service.finding_in(scope, project, finding_id)


def _show_url(finding: Finding) -> Any:
    return redirect(url_for("project.findings.show", finding_id=finding.id), 303)


# The register


@bp.get("")
def index() -> Any:
    project = current_project()
    filters = clean_filters(request.args)
    number = page_number(request.args.get("page"))
    rows, total = register.register_page(project.id, filters, number, PER_PAGE, date.today())
    return render_template(
        "findings/index.html",
        project=project,
        rows=rows,
        page=Page(number, PER_PAGE, total),
        filters=filters,
        filter_bar=filter_bar(filters),
        finding_url=row_url("project.findings.show", "finding_id", project_id=project.id),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def new() -> Any:
    scope, project = current_scope(), current_project()
    prefill = None if request.method == "POST" else {"raised_on": date.today()}
    form = FindingForm(data=prefill)
    refusal = None
    if form.validate_on_submit():
        try:
            finding = service.create_finding(scope, project, form.fields(), date.today())
        except Invalid as invalid:
            refusal = _add_errors(form, invalid)
        else:
            named = rules.label(finding.id, finding.severity, finding.clause_number)
            flash(_("%(finding)s raised.", finding=named), "success")
            return _show_url(finding)
    page = render_template("findings/new.html", project=project, form=form, refusal=refusal)
    return page, 422 if form.is_submitted() else 200


# A finding


@dataclass(frozen=True)
class StepView:
    """One step the finding's state allows, as its page offers it."""

    name: str
    heading: str
    form: Any
    fields: tuple[str, ...]  # the form's fields the page shows
    allowed: bool  # the user's role may take it (closing a major needs more than content work)


def _steps(
    scope: Scope, finding: Finding, facts: rules.FindingFacts, posted: dict[str, FlaskForm]
) -> list[StepView]:
    today, views = date.today(), []
    may_edit = scope.can(Action.EDIT_CONTENT)
    for step in rules.allowed_transitions(facts):
        after = (finding.severity, rules.state_after(facts, step, {"result": rules.CheckResult.EFFECTIVE}))
        allowed = may_edit and scope.can(action_to_change_finding((finding.severity, finding.status), after))
        respond = step is rules.Transition.CLOSE and facts.state is rules.FindingState.OPEN
        heading = rules.TRANSITION_LABELS[step]
        if step is rules.Transition.PLAN and facts.state is rules.FindingState.ACTION_PLANNED:
            heading = _REVISE
        elif respond:
            heading = _RESPOND
        form = posted.get(step) or transition_form(step, finding, today)
        fields = () if step is rules.Transition.CLOSE and not respond else service.TRANSITION_FIELDS[step]
        views.append(StepView(step, heading, form, fields, allowed))
    return views


def _edit_form(finding: Finding, posted: EditForm | None = None) -> EditForm:
    """The edit form with only the fields the finding's state lets change."""
    form = posted or EditForm(formdata=None, prefix=EDIT, data=edit_form_data(finding))
    for name in rules.EDITABLE_FIELDS:
        if name not in rules.editable_fields(rules.FindingState(finding.status)) and name in form:
            del form[name]
    return form


def _render_show(
    scope: Scope,
    project: CertificationProject,
    finding: Finding,
    status: int = 200,
    posted: dict[str, FlaskForm] | None = None,
    refusal: str | None = None,
    stale: StaleNotice | None = None,
) -> Any:
    """The finding's page; ``posted`` holds a refused form (by step, or "edit") to show again as typed."""
    posted = posted or {}
    facts = service.finding_facts(finding)
    page = render_template(
        "findings/show.html",
        project=project,
        finding=finding,
        row=register.register_row(finding, date.today()),
        checks=list(finding.checks),
        audit=service.source_audit(finding),
        steps=_steps(scope, finding, facts, posted),
        edit_form=_edit_form(finding, posted.get(EDIT)),
        may_edit=scope.can(Action.EDIT_CONTENT),
        lifting_a_major=service.LIFTING_A_MAJOR,
        refusal=refusal,
        stale=stale,
    )
    return page, status


def _add_errors(form: Any, error: ServiceError) -> str | None:
    """The service's messages beside their fields; the message to show above, when none has a field."""
    shown = {name: message for name, message in error.fields.items() if name in form}
    form.add_errors(shown)
    return None if shown else error.message


def _stale_message(stale: StaleVersion, finding: Finding) -> str:
    state = str(rules.STATE_LABELS[rules.FindingState(finding.status)]).lower()
    return _(
        "%(message)s It is now %(state)s, as shown below: nothing of yours was saved. "
        "Look at it again before you retry.",
        message=stale.message,
        state=state,
    )


@bp.get("/<int:finding_id>")
def show(finding_id: int) -> Any:
    return _render_show(*_finding(finding_id))


@bp.post("/<int:finding_id>")
@requires(Action.EDIT_CONTENT)
def edit(finding_id: int) -> Any:
    scope, project, finding = _finding(finding_id)
    form = _edit_form(finding, EditForm(prefix=EDIT))
    if not form.validate_on_submit():
        return _render_show(scope, project, finding, 422, {EDIT: form})
    names = rules.editable_fields(rules.FindingState(finding.status))
    try:
        service.update_finding(
            scope, project, finding, form.changes(names), date.today(), version=form.version.data
        )
    except StaleVersion as stale:
        saved = _edit_form(finding)
        notice = stale_notice(stale, form, saved)
        return _render_show(scope, project, finding, 409, {EDIT: saved}, stale=notice)
    except (Invalid, Refused) as error:
        status = 403 if isinstance(error, Refused) else 422
        return _render_show(scope, project, finding, status, {EDIT: form}, _add_errors(form, error))
    flash(_("Finding saved."), "success")
    return _show_url(finding)


@bp.post("/<int:finding_id>/<transition>")
@requires(Action.EDIT_CONTENT)  # closing a major needs more: the service applies the rule
def transition(finding_id: int, transition: str) -> Any:
    if transition not in TRANSITION_FORMS:
        raise NotFound()
    scope, project, finding = _finding(finding_id)
    form = transition_form(transition)
    if not form.validate_on_submit():
        return _render_show(scope, project, finding, 422, {transition: form})
    values = transition_values(form)
    try:
        state = service.transition(
            scope, finding, transition, values, date.today(), version=form.version.data
        )
    except StaleVersion as stale:
        return _render_show(scope, project, finding, 409, refusal=_stale_message(stale, finding))
    except (Invalid, Refused) as error:
        status = 403 if isinstance(error, Refused) else 422
        return _render_show(scope, project, finding, status, {transition: form}, _add_errors(form, error))
    flash(
        str(_CHECKED[state] if transition == rules.Transition.CHECK else _DONE[rules.Transition(transition)]),
        "success",
    )
    return _show_url(finding)
