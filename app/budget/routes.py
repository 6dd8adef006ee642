"""Budget pages: the lines with roll-ups, adding, editing and deleting a line, and the estimator."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from app.budget.forms import EstimateForm, LineForm, chosen_lines, line_form_data
from app.domain.audit_days import STANDARD_LABELS
from app.domain.budget import CATEGORIES, STAGES, minor_unit_for
from app.domain.cost_sources import COST_SOURCES, SOURCES_BY_KEY
from app.domain.estimator import Estimate
from app.domain.money import format_money
from app.domain.permissions import Action
from app.domain.text import _, ngettext
from app.forms import stale_notice
from app.models import CertificationProject
from app.pagination import page_number
from app.services import budget as budget_service
from app.services.errors import StaleVersion
from app.web.access import current_scope, requires
from app.web.project_request import project as current_project

bp = Blueprint("budget", __name__, url_prefix="/budget")


@bp.app_template_filter("money")
def money_filter(amount: Decimal | None, currency: str) -> str:
    """``{{ amount|money(project.currency) }}``: thousands separated, the currency's places, its code."""
    if amount is None:
        return "—"
    return format_money(amount, currency, minor_unit_for(currency))


@bp.app_template_filter("percent")
def percent_filter(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


@bp.context_processor
def labels() -> dict[str, Any]:
    return {"stage_labels": STAGES, "category_labels": CATEGORIES}


def _budget_url(anchor: str | None = None) -> str:
    return url_for("project.budget.show", _anchor=anchor)


@bp.get("")
def show() -> Any:
    project = current_project()
    view = budget_service.budget_view(project, page_number(request.args.get("page")))
    return render_template("budget/show.html", project=project, view=view)


def _line_page(project: CertificationProject, form: LineForm, row: Any = None) -> Any:
    status = 422 if form.errors else 200
    return render_template("budget/line.html", project=project, form=form, row=row), status


@bp.route("/lines/new", methods=["GET", "POST"])
@requires(Action.MANAGE_PROJECTS)
def new_line() -> Any:
    project = current_project()
    form = LineForm(window=budget_service.date_window(project))
    if not form.validate_on_submit():
        return _line_page(project, form)
    row = budget_service.save_line(project, None, **form.values())
    flash(_("Budget line added."), "success")
    return redirect(_budget_url(f"line-{row.id}"), 303)


@bp.route("/lines/<int:line_id>", methods=["GET", "POST"])
@requires(Action.MANAGE_PROJECTS, methods=("POST",))
def edit_line(line_id: int) -> Any:
    project = current_project()
    row = budget_service.line_in(current_scope(), project, line_id)
    window = budget_service.date_window(project)
    data = line_form_data(row, budget_service.minor_unit(project))
    saved = LineForm(formdata=None, data=data, window=window)
    if request.method == "GET":
        return _line_page(project, saved, row)
    form = LineForm(window=window)
    if not form.validate_on_submit():
        return _line_page(project, form, row)
    try:
        budget_service.save_line(project, row, version=form.version.data, **form.values())
    except StaleVersion as stale:
        notice = stale_notice(stale, form, saved)
        return render_template("budget/line.html", project=project, form=saved, row=row, stale=notice), 409
    flash(_("Budget line saved."), "success")
    return redirect(_budget_url(f"line-{row.id}"), 303)


def _estimate_page(project: CertificationProject, form: EstimateForm, estimate: Estimate | None) -> Any:
    duplicates = budget_service.already_in_budget(project, estimate) if estimate else set()
    status = 422 if form.errors else 200
    return render_template(
        "budget/estimate.html",
        project=project,
        form=form,
        estimate=estimate,
        duplicates=duplicates,
        cost_sources=SOURCES_BY_KEY,
        standard_label=STANDARD_LABELS.get(project.standard.code, project.standard.name),
    ), status


def _run_estimator(project: CertificationProject, form: EstimateForm) -> Estimate | None:
    """The estimate for valid inputs; None with the reason on the form otherwise."""
    if not form.validate_on_submit():
        return None
    try:
        return budget_service.estimate_for(project, **form.rates())
    except ValueError as error:
        form.form_errors.append(str(error))
        return None


@bp.route("/estimate", methods=["GET", "POST"])
def estimate() -> Any:
    project = current_project()
    form = EstimateForm()
    return _estimate_page(project, form, _run_estimator(project, form) if form.is_submitted() else None)


@bp.get("/sources")
def sources() -> Any:
    """Where every figure of the estimator comes from, with dates: the page its basis links to."""
    return render_template("budget/sources.html", project=current_project(), sources=COST_SOURCES)


@bp.post("/estimate/accept")
@requires(Action.MANAGE_PROJECTS)
def accept_estimate() -> Any:
    project = current_project()
    form = EstimateForm()
    estimate = _run_estimator(project, form)
    if estimate is None:
        return _estimate_page(project, form, None)
    chosen = chosen_lines(request.form.getlist("line"), len(estimate.lines))
    added, skipped = budget_service.accept_estimate(project, estimate, chosen)
    flash(
        ngettext(
            "%(num)d estimated line added to the budget.",
            "%(num)d estimated lines added to the budget.",
            len(added),
        ),
        "success",
    )
    if skipped:
        flash(_("Not added again, already in the budget: %(lines)s.", lines="; ".join(skipped)), "warning")
    return redirect(_budget_url(), 303)


# Registered last: the tenancy walk visits routes in order, and this one removes the line it is given.
@bp.post("/lines/<int:line_id>/delete")
@requires(Action.MANAGE_PROJECTS)
def delete_line(line_id: int) -> Any:
    project = current_project()
    row = budget_service.line_in(current_scope(), project, line_id)
    budget_service.delete_line(current_scope(), row)
    flash(_("Budget line deleted. An owner can restore it from Deleted items."), "success")
    return redirect(_budget_url(), 303)
