"""The context register's pages (ISO 9001 4.1, 4.2): the register (the issues and the interested parties,
each filtered and paginated, the climate-change decision with its history and a form for a new one, and the
starter suggestions to add), adding an issue or a party, and each record's page (edited on the version read,
with its history and linked evidence). The rules are :mod:`app.domain.context`, the loads and saves
:mod:`app.services.context`."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from app.context.forms import (
    DecisionForm,
    IssueForm,
    PartyForm,
    clean_filters,
    filter_bar,
    issue_data,
    party_data,
    register_words,
)
from app.domain import context as rules
from app.domain.pathway import standard_family
from app.domain.permissions import Action
from app.domain.registers import BY_KEY, RecordKind, RegisterKey
from app.domain.text import _
from app.forms import StaleNotice, stale_notice
from app.i18n import format_day
from app.models import CertificationProject, ContextIssue, InterestedParty
from app.pagination import Page, page_number
from app.services import context as service
from app.services import register_records as records
from app.services.context import ContextFilters
from app.services.errors import Invalid, StaleVersion
from app.web.access import current_scope, requires
from app.web.project_request import project as current_project

bp = Blueprint("context", __name__, url_prefix="/context")
register_words(bp)

PER_PAGE = 25
DECISIONS_SHOWN = 20  # the standing decision and the latest earlier ones (the API pages through all)
CLIMATE = "climate"  # the decision form's prefix


def _add_errors(form: Any, error: Invalid) -> str | None:
    """The service's messages beside their fields; the message to show above, when none has a field."""
    shown = {name: message for name, message in error.fields.items() if name in form}
    form.add_errors(shown)
    return None if shown else " ".join([error.message, *error.fields.values()])


# The register


def _pager_links(page: Page, param: str, args: dict[str, Any]) -> tuple[str, str]:
    """The previous and next pages of one of the two tables, keeping the filters and the other's page."""
    previous, following = (
        url_for("project.context.index", **(args | {param: str(number)}))
        for number in (page.number - 1, page.number + 1)
    )
    return previous, following


def _tables(project: CertificationProject, filters: ContextFilters, today: date) -> dict[str, Any]:
    """The two tables of the register, each on its own page of the query string, with their pagers."""
    issue_number = page_number(request.args.get("issues_page"))
    party_number = page_number(request.args.get("parties_page"))
    issues, issue_total = service.issue_page(project.id, filters, issue_number, PER_PAGE, today)
    parties, party_total = service.party_page(project.id, filters, party_number, PER_PAGE, today)
    issue_page, party_page = (
        Page(issue_number, PER_PAGE, issue_total),
        Page(party_number, PER_PAGE, party_total),
    )
    args = filters.query_args()
    return {
        "issues": issues,
        "parties": parties,
        "issue_page": issue_page,
        "party_page": party_page,
        "issue_links": _pager_links(issue_page, "issues_page", args | {"parties_page": party_number}),
        "party_links": _pager_links(party_page, "parties_page", args | {"issues_page": issue_number}),
        "due_ids": {
            (kind, row.id)
            for kind, rows in (("issue", issues), ("party", parties))
            for row in rows
            if rules.review_due(row.reviewed_on, today)
        },
    }


def _climate(project: CertificationProject, counts: rules.ContextCounts) -> dict[str, Any]:
    """The standing climate decision, the latest earlier ones, and whether a climate issue is called for."""
    decisions, total = service.decision_page(project.id, 1, DECISIONS_SHOWN)
    return {
        "standing": decisions[0] if decisions else None,
        "earlier": decisions[1:],
        "earlier_total": max(0, total - 1),
        "earlier_hidden": max(0, total - DECISIONS_SHOWN),
        "needs_climate_issue": rules.needs_climate_issue(counts.standing, counts.climate_issues),
    }


def _render_index(
    project: CertificationProject,
    status: int = 200,
    decision_form: DecisionForm | None = None,
    refusal: str | None = None,
) -> Any:
    today = date.today()
    filters, unknown = clean_filters(request.args)
    counts = service.counts(project.id, today)
    added_issues, added_parties = service.added_starters(project.id)
    register = BY_KEY[RegisterKey.CONTEXT]
    page = render_template(
        "context/index.html",
        project=project,
        register=register,
        required=register.applies_to(standard_family(project.standard.code)),
        register_state=rules.register_state(counts),
        filters=filters,
        unknown_filters=unknown,
        filter_bar=filter_bar(filters),
        decision_form=decision_form
        or DecisionForm(prefix=CLIMATE, formdata=None, data={"decided_on": today}),
        starters=rules.starters(),
        added_issues=added_issues,
        added_parties=added_parties,
        empty=not counts.issues and not counts.parties,
        may_edit=current_scope().can(Action.EDIT_CONTENT),
        refusal=refusal,
        review_months=rules.REVIEW_MONTHS,
        **_tables(project, filters, today),
        **_climate(project, counts),
    )
    return page, status


@bp.get("")
def index() -> Any:
    return _render_index(current_project())


@bp.post("/climate")
@requires(Action.EDIT_CONTENT)
def climate() -> Any:
    project = current_project()
    form = DecisionForm(prefix=CLIMATE)
    if not form.validate_on_submit():
        return _render_index(project, 422, form)
    try:
        decision = service.record_decision(current_scope(), project, form.fields(), date.today())
    except Invalid as invalid:
        return _render_index(project, 422, form, _add_errors(form, invalid))
    flash(_decided(decision.decided_on, decision.relevant, decision.decided_by), "success")
    return redirect(url_for("project.context.index") + "#climate", 303)


def _decided(day: date, relevant: bool, decided_by: str) -> str:
    """The climate decision as recorded ("Climate change decided relevant on 02 Dec 2026 by ...")."""
    if relevant:
        return _(
            "Climate change decided relevant on %(day)s by %(name)s.", day=format_day(day), name=decided_by
        )
    return _(
        "Climate change decided not relevant on %(day)s by %(name)s.", day=format_day(day), name=decided_by
    )


@bp.post("/issues/suggested")
@requires(Action.EDIT_CONTENT)
def suggest_issue() -> Any:
    project = current_project()
    try:
        issue = service.add_suggested_issue(current_scope(), project, request.form.get("key", ""))
    except Invalid as invalid:
        return _render_index(project, 422, refusal=" ".join([invalid.message, *invalid.fields.values()]))
    flash(
        _("Suggestion added: make it the factory's own, then save it with the day it was reviewed."),
        "success",
    )
    return redirect(url_for("project.context.issue", issue_id=issue.id), 303)


@bp.post("/parties/suggested")
@requires(Action.EDIT_CONTENT)
def suggest_party() -> Any:
    project = current_project()
    try:
        party = service.add_suggested_party(current_scope(), project, request.form.get("key", ""))
    except Invalid as invalid:
        return _render_index(project, 422, refusal=" ".join([invalid.message, *invalid.fields.values()]))
    flash(
        _("Suggestion added: make it the factory's own, then save it with the day it was reviewed."),
        "success",
    )
    return redirect(url_for("project.context.party", party_id=party.id), 303)


# Issues


@bp.route("/issues/new", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def new_issue() -> Any:
    project = current_project()
    category = request.args.get("category")
    prefill = {"reviewed_on": date.today()} | (
        {"category": category} if category in set(rules.Category) else {}
    )
    form = IssueForm(data=None if request.method == "POST" else prefill)
    refusal = None
    if form.validate_on_submit():
        try:
            issue = service.create_issue(current_scope(), project, form.fields(), date.today())
        except Invalid as invalid:
            refusal = _add_errors(form, invalid)
        else:
            flash(_("Issue added."), "success")
            return redirect(url_for("project.context.issue", issue_id=issue.id), 303)
    page = render_template("context/new.html", project=project, form=form, refusal=refusal, what="issue")
    return page, 422 if form.is_submitted() else 200


def _render_record(
    project: CertificationProject,
    record: ContextIssue | InterestedParty,
    form: Any,
    status: int = 200,
    stale: StaleNotice | None = None,
    refusal: str | None = None,
) -> Any:
    is_issue = isinstance(record, ContextIssue)
    kind = RecordKind.CONTEXT_ISSUE if is_issue else RecordKind.INTERESTED_PARTY
    page = render_template(
        "context/issue.html" if is_issue else "context/party.html",
        project=project,
        record=record,
        form=form,
        kind=str(kind),
        review_due=rules.review_due(record.reviewed_on, date.today()),
        events=records.history(kind, record.id),
        linked=records.linked_evidence(kind, [record.id]).get(record.id, []),
        choices=records.evidence_choices(project),
        may_edit=current_scope().can(Action.EDIT_CONTENT),
        stale=stale,
        refusal=refusal,
        review_months=rules.REVIEW_MONTHS,
    )
    return page, status


@bp.route("/issues/<int:issue_id>", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT, methods=("POST",))
def issue(issue_id: int) -> Any:
    project = current_project()
    found = service.issue_in(current_scope(), project, issue_id)
    saved = IssueForm(formdata=None, data=issue_data(found))
    if request.method == "GET":
        return _render_record(project, found, saved)
    form = IssueForm()
    if not form.validate_on_submit():
        return _render_record(project, found, form, 422)
    try:
        service.update_issue(current_scope(), found, form.fields(), form.version.data, date.today())
    except StaleVersion as stale:
        return _render_record(project, found, saved, 409, stale=stale_notice(stale, form, saved))
    except Invalid as invalid:
        return _render_record(project, found, form, 422, refusal=_add_errors(form, invalid))
    flash(_("Issue saved."), "success")
    return redirect(url_for("project.context.issue", issue_id=found.id), 303)


# Interested parties


@bp.route("/parties/new", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def new_party() -> Any:
    project = current_project()
    form = PartyForm(data=None if request.method == "POST" else {"reviewed_on": date.today()})
    refusal = None
    if form.validate_on_submit():
        try:
            party = service.create_party(current_scope(), project, form.fields(), date.today())
        except Invalid as invalid:
            refusal = _add_errors(form, invalid)
        else:
            flash(_("Interested party “%(name)s” added.", name=party.name), "success")
            return redirect(url_for("project.context.party", party_id=party.id), 303)
    page = render_template("context/new.html", project=project, form=form, refusal=refusal, what="party")
    return page, 422 if form.is_submitted() else 200


@bp.route("/parties/<int:party_id>", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT, methods=("POST",))
def party(party_id: int) -> Any:
    project = current_project()
    found = service.party_in(current_scope(), project, party_id)
    saved = PartyForm(formdata=None, data=party_data(found))
    if request.method == "GET":
        return _render_record(project, found, saved)
    form = PartyForm()
    if not form.validate_on_submit():
        return _render_record(project, found, form, 422)
    try:
        service.update_party(current_scope(), found, form.fields(), form.version.data, date.today())
    except StaleVersion as stale:
        return _render_record(project, found, saved, 409, stale=stale_notice(stale, form, saved))
    except Invalid as invalid:
        return _render_record(project, found, form, 422, refusal=_add_errors(form, invalid))
    flash(_("Interested party saved."), "success")
    return redirect(url_for("project.context.party", party_id=found.id), 303)
