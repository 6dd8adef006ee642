"""Quality objective pages: the list with each objective's latest value against its target and a small
chart, adding one, and the objective's page (edit on the version read, its measured values with the chart
of them against the target line, and a new measurement)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from app.domain.permissions import Action
from app.domain.text import _
from app.forms import StaleNotice, stale_notice
from app.models import CertificationProject, QualityObjective
from app.objectives.forms import MeasurementForm, ObjectiveForm, objective_data
from app.reviews.words import register_objective_words
from app.services import objectives as service
from app.services.errors import Invalid, StaleVersion
from app.web.access import current_scope, requires
from app.web.project_request import project as current_project

bp = Blueprint("objectives", __name__, url_prefix="/objectives")
register_objective_words(bp)

SMALL_CHART = 220


def _objective(objective_id: int) -> tuple[CertificationProject, QualityObjective]:
    project = current_project()
    return project, service.objective_in(current_scope(), project, objective_id)


def _show_url(objective: QualityObjective) -> Any:
    return redirect(url_for("project.objectives.show", objective_id=objective.id), 303)


def _add_errors(form: Any, error: Invalid) -> str | None:
    shown = {name: message for name, message in error.fields.items() if name in form}
    form.add_errors(shown)
    return None if shown else error.message


@bp.get("")
def index() -> Any:
    project = current_project()
    views = service.objective_views(project)
    charts = {
        view.objective.id: service.objective_chart(view, f"objective-{view.objective.id}", SMALL_CHART)
        for view in views
    }
    return render_template(
        "objectives/index.html",
        project=project,
        objectives=views,
        charts=charts,
        may_edit=current_scope().can(Action.EDIT_CONTENT),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def new() -> Any:
    project = current_project()
    form = ObjectiveForm()
    refusal = None
    if form.validate_on_submit():
        try:
            objective = service.create_objective(current_scope(), project, form.fields())
        except Invalid as invalid:
            refusal = _add_errors(form, invalid)
        else:
            flash(
                _(
                    "Objective “%(title)s” added. Record its values as they are measured.",
                    title=objective.title,
                ),
                "success",
            )
            return _show_url(objective)
    page = render_template("objectives/form.html", project=project, form=form, refusal=refusal)
    return page, 422 if form.is_submitted() else 200


def _render_show(
    project: CertificationProject,
    objective: QualityObjective,
    status: int = 200,
    form: ObjectiveForm | None = None,
    measurement_form: MeasurementForm | None = None,
    stale: StaleNotice | None = None,
    refusal: str | None = None,
) -> Any:
    view = service.view_of(objective)
    return render_template(
        "objectives/show.html",
        project=project,
        view=view,
        objective=objective,
        measurements=list(reversed(objective.measurements)),
        chart=service.objective_chart(
            view, "objective-values", title=_("Measured values against the target")
        ),
        form=form or ObjectiveForm(formdata=None, data=objective_data(objective)),
        measurement_form=measurement_form
        or MeasurementForm(formdata=None, prefix="measurement", data={"measured_on": date.today()}),
        may_edit=current_scope().can(Action.EDIT_CONTENT),
        stale=stale,
        refusal=refusal,
    ), status


@bp.route("/<int:objective_id>", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT, methods=("POST",))
def show(objective_id: int) -> Any:
    project, objective = _objective(objective_id)
    if request.method == "GET":
        return _render_show(project, objective)
    saved = ObjectiveForm(formdata=None, data=objective_data(objective))
    form = ObjectiveForm()
    if not form.validate_on_submit():
        return _render_show(project, objective, 422, form)
    try:
        service.update_objective(current_scope(), objective, form.fields(), form.version.data)
    except StaleVersion as stale:
        return _render_show(project, objective, 409, saved, stale=stale_notice(stale, form, saved))
    except Invalid as invalid:
        return _render_show(project, objective, 422, form, refusal=_add_errors(form, invalid))
    flash(_("Objective saved."), "success")
    return _show_url(objective)


@bp.post("/<int:objective_id>/measurements")
@requires(Action.EDIT_CONTENT)
def measurement(objective_id: int) -> Any:
    project, objective = _objective(objective_id)
    form = MeasurementForm(prefix="measurement")
    if not form.validate_on_submit():
        return _render_show(project, objective, 422, measurement_form=form)
    try:
        service.add_measurement(current_scope(), objective, form.fields(), date.today())
    except Invalid as invalid:
        refusal = _add_errors(form, invalid)
        return _render_show(project, objective, 422, measurement_form=form, refusal=refusal)
    flash(_("Value recorded."), "success")
    return _show_url(objective)
