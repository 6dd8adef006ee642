"""The risk and opportunity register's pages (ISO 9001 6.1): the register (filtered, needing action first)
with its heat map, the project's scale and the starter suggestions; recording one; and its page, edited on
the version read, with the review of its action's effectiveness, its history and its evidence. The rules
are :mod:`app.domain.risks`, the loads and saves :mod:`app.services.risks`."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from app.domain import risks as rules
from app.domain.pathway import StandardFamily, standard_family
from app.domain.permissions import Action
from app.domain.registers import RecordKind
from app.domain.text import _
from app.forms import StaleNotice, stale_notice
from app.models import CertificationProject, Risk
from app.pagination import Page, page_number
from app.risks.forms import (
    SERVICE_FIELDS,
    ReviewForm,
    RiskForm,
    ScaleForm,
    clean_filters,
    filter_bar,
    register_words,
    review_data,
    review_form,
    risk_data,
    risk_form,
    scale_form,
)
from app.services import register_records as records
from app.services import risks as service
from app.services.errors import Invalid, StaleVersion
from app.web.access import current_scope, requires
from app.web.project_request import project as current_project

bp = Blueprint("risks", __name__, url_prefix="/risks")
register_words(bp)

PER_PAGE = 25


def _risk(risk_id: int) -> tuple[CertificationProject, Risk]:
    project = current_project()
    return project, service.risk_in(current_scope(), project, risk_id)


def _show_url(risk: Risk) -> Any:
    return redirect(url_for("project.risks.show", risk_id=risk.id), 303)


def _index_url() -> Any:
    return redirect(url_for("project.risks.index"), 303)


def _add_errors(form: Any, error: Invalid) -> str | None:
    """The service's messages beside their fields; the message to show above, when none has a field."""
    named = {SERVICE_FIELDS.get(name, name): message for name, message in error.fields.items()}
    shown = {name: message for name, message in named.items() if name in form}
    form.add_errors(shown)
    unshown = [message for name, message in named.items() if name not in form]
    if unshown:
        return " ".join(unshown)
    return None if shown else error.message


# The register


def _render_index(
    project: CertificationProject,
    status: int = 200,
    posted_scale: ScaleForm | None = None,
    stale: StaleNotice | None = None,
) -> Any:
    scope = current_scope()
    cleaned = clean_filters(request.args)
    number = page_number(request.args.get("page"))
    rows, total = service.register_page(project, cleaned.filters, number, PER_PAGE, date.today())
    may_edit = scope.can(Action.EDIT_CONTENT)
    page = render_template(
        "risks/index.html",
        project=project,
        rows=rows,
        page=Page(number, PER_PAGE, total),
        filters=cleaned.filters,
        ignored=cleaned.ignored,
        filter_bar=filter_bar(cleaned.filters),
        chart=service.heat_chart(project),
        bands=rules.bands_text(project.risk_scale),
        not_required=standard_family(project.standard.code) is not StandardFamily.ISO_9001,
        starters=service.starters_to_offer(project) if may_edit else [],
        may_edit=may_edit,
        scale_form=posted_scale or scale_form(project.risk_scale, project.version),
        may_set_scale=scope.can(Action.MANAGE_PROJECTS),
        stale=stale,
    )
    return page, status


@bp.get("")
def index() -> Any:
    return _render_index(current_project())


@bp.post("/scale")
@requires(Action.MANAGE_PROJECTS)
def scale() -> Any:
    project = current_project()
    form = scale_form(project.risk_scale, project.version, posted=True)
    if not form.validate_on_submit():
        return _render_index(project, 422, form)
    try:
        service.set_scale(current_scope(), project, form.value(), form.version.data)
    except StaleVersion as error:
        saved = scale_form(project.risk_scale, project.version)
        return _render_index(project, 409, saved, stale_notice(error, form, saved))
    except Invalid as invalid:
        _add_errors(form, invalid)
        return _render_index(project, 422, form)
    flash(
        _("Risks and opportunities are now scored on %(scale)d points.", scale=project.risk_scale), "success"
    )
    return _index_url()


@bp.post("/starters")
@requires(Action.EDIT_CONTENT)
def add_starter() -> Any:
    try:
        risk = service.add_starter(current_scope(), current_project(), request.form.get("starter_key", ""))
    except Invalid as invalid:
        flash(invalid.fields.get("starter_key", invalid.message), "danger")
        return _index_url()
    flash(_("Suggestion added: check its scores, then plan its action."), "success")
    return _show_url(risk)


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def new() -> Any:
    project = current_project()
    issues, parties = service.source_choices(project)
    form = risk_form(project.risk_scale, issues, parties)
    refusal = None
    if form.validate_on_submit():
        try:
            risk = service.create_risk(current_scope(), project, form.fields(), date.today())
        except Invalid as invalid:
            refusal = _add_errors(form, invalid)
        else:
            message = _("Risk recorded.") if risk.kind == rules.RiskKind.RISK else _("Opportunity recorded.")
            flash(message, "success")
            return _show_url(risk)
    bands = rules.bands_text(project.risk_scale)
    page = render_template("risks/new.html", project=project, form=form, refusal=refusal, bands=bands)
    return page, 422 if form.is_submitted() else 200


# A risk or opportunity


def _render_show(
    project: CertificationProject,
    risk: Risk,
    status: int = 200,
    form: RiskForm | None = None,
    posted_review: ReviewForm | None = None,
    stale: StaleNotice | None = None,
    refusal: str | None = None,
) -> Any:
    scope, scale = current_scope(), project.risk_scale
    may_edit = scope.can(Action.EDIT_CONTENT)
    if form is None and may_edit:
        issues, parties = service.source_choices(project)
        form = risk_form(scale, issues, parties, formdata=None, data=risk_data(risk))
    page = render_template(
        "risks/show.html",
        project=project,
        risk=risk,
        row=service.row_of(risk, scale, date.today()),
        residual=rules.residual(risk.residual_likelihood, risk.residual_impact, scale),
        form=form,
        review_form=posted_review or review_form(scale, formdata=None, data=_next_review(risk)),
        may_edit=may_edit,
        events=records.history(RecordKind.RISK, risk.id),
        linked=records.linked_evidence(RecordKind.RISK, [risk.id])[risk.id],
        choices=records.evidence_choices(project) if may_edit else [],
        bands=rules.bands_text(scale),
        stale=stale,
        refusal=refusal,
    )
    return page, status


def _next_review(risk: Risk) -> dict[str, Any]:
    """The review form as offered: for today, blank (a later review is a new look at the action)."""
    return {"reviewed_on": date.today(), "version": risk.version}


def _posted_form(project: CertificationProject) -> RiskForm:
    issues, parties = service.source_choices(project)
    return risk_form(project.risk_scale, issues, parties)


@bp.route("/<int:risk_id>", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT, methods=("POST",))
def show(risk_id: int) -> Any:
    project, risk = _risk(risk_id)
    if request.method == "GET":
        return _render_show(project, risk)
    form = _posted_form(project)
    if not form.validate_on_submit():
        return _render_show(project, risk, 422, form)
    try:
        service.update_risk(current_scope(), project, risk, form.fields(), form.version.data, date.today())
    except StaleVersion as error:
        issues, parties = service.source_choices(project)
        saved = risk_form(project.risk_scale, issues, parties, formdata=None, data=risk_data(risk))
        return _render_show(project, risk, 409, saved, stale=stale_notice(error, form, saved))
    except Invalid as invalid:
        return _render_show(project, risk, 422, form, refusal=_add_errors(form, invalid))
    flash(_("Saved."), "success")
    return _show_url(risk)


@bp.post("/<int:risk_id>/review")
@requires(Action.EDIT_CONTENT)
def review(risk_id: int) -> Any:
    project, risk = _risk(risk_id)
    form = review_form(project.risk_scale)
    if not form.validate_on_submit():
        return _render_show(project, risk, 422, posted_review=form)
    try:
        service.review_risk(current_scope(), project, risk, form.review(), form.version.data, date.today())
    except StaleVersion as error:
        saved = review_form(project.risk_scale, formdata=None, data=review_data(risk))
        notice = stale_notice(error, form, saved)
        return _render_show(project, risk, 409, posted_review=saved, stale=notice)
    except Invalid as invalid:
        refusal = _add_errors(form, invalid)
        return _render_show(project, risk, 422, posted_review=form, refusal=refusal)
    flash(_("Effectiveness review recorded."), "success")
    return _show_url(risk)
