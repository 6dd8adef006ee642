"""The customer satisfaction register's pages: the measures with their latest value, target, trend and a
small chart (filtered, paginated), adding a measure, and a measure's page (edit on the version read, its
values with the chart of them against the target, a new value, its history and its evidence). The rules
are :mod:`app.domain.satisfaction`, the loads and saves :mod:`app.services.satisfaction`."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from app.domain.permissions import Action
from app.domain.registers import RecordKind
from app.domain.text import _
from app.forms import StaleNotice, stale_notice
from app.models import CertificationProject, SatisfactionMeasure
from app.pagination import Page, page_number
from app.satisfaction.forms import (
    MeasureForm,
    ValueForm,
    clean_filters,
    filter_bar,
    measure_data,
    register_words,
)
from app.services import register_records as records
from app.services import satisfaction as service
from app.services.errors import Invalid, StaleVersion
from app.web.access import current_scope, requires
from app.web.project_request import project as current_project

bp = Blueprint("satisfaction", __name__, url_prefix="/satisfaction")
register_words(bp)

PER_PAGE = 20
SMALL_CHART = 220
VALUE = "value"  # the value form's prefix


def _measure(measure_id: int) -> tuple[CertificationProject, SatisfactionMeasure]:
    project = current_project()
    return project, service.measure_in(current_scope(), project, measure_id)


def _show_url(measure: SatisfactionMeasure, section: str = "") -> Any:
    address = url_for("project.satisfaction.show", measure_id=measure.id)
    return redirect(f"{address}#{section}" if section else address, 303)


def _add_errors(form: Any, error: Invalid) -> str | None:
    shown = {name: message for name, message in error.fields.items() if name in form}
    form.add_errors(shown)
    return None if shown else error.message


@bp.get("")
def index() -> Any:
    project, today = current_project(), date.today()
    filters, notices = clean_filters(request.args)
    number = page_number(request.args.get("page"))
    views, total = service.measure_page(project, filters, number, PER_PAGE, today)
    charts = {
        view.measure.id: service.measure_chart(view, f"measure-{view.measure.id}", SMALL_CHART)
        for view in views
    }
    return render_template(
        "satisfaction/index.html",
        project=project,
        measures=views,
        charts=charts,
        page=Page(number, PER_PAGE, total),
        filters=filters,
        notices=notices,
        filter_bar=filter_bar(filters),
        may_edit=current_scope().can(Action.EDIT_CONTENT),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def new() -> Any:
    project = current_project()
    form = MeasureForm()
    refusal = None
    if form.validate_on_submit():
        try:
            measure = service.create_measure(current_scope(), project, form.fields())
        except Invalid as invalid:
            refusal = _add_errors(form, invalid)
        else:
            flash(
                _("Measure “%(name)s” added. Record its values as they come in.", name=measure.name),
                "success",
            )
            return _show_url(measure)
    page = render_template("satisfaction/new.html", project=project, form=form, refusal=refusal)
    return page, 422 if form.is_submitted() else 200


def _render_show(
    project: CertificationProject,
    measure: SatisfactionMeasure,
    status: int = 200,
    form: MeasureForm | None = None,
    value_form: ValueForm | None = None,
    stale: StaleNotice | None = None,
    refusal: str | None = None,
) -> Any:
    view = service.view_of(measure, date.today())
    return render_template(
        "satisfaction/show.html",
        project=project,
        view=view,
        measure=measure,
        values=sorted(measure.values, key=lambda v: (v.period_end, v.id), reverse=True),
        chart=service.measure_chart(view, "measure-values", title=_("Values over time")),
        form=form or MeasureForm(formdata=None, data=measure_data(measure)),
        value_form=value_form or ValueForm(formdata=None, prefix=VALUE),
        may_edit=current_scope().can(Action.EDIT_CONTENT),
        stale=stale,
        refusal=refusal,
        events=records.history(RecordKind.SATISFACTION_MEASURE, measure.id),
        linked=records.linked_evidence(RecordKind.SATISFACTION_MEASURE, [measure.id]).get(measure.id, []),
        choices=records.evidence_choices(project),
        kind=RecordKind.SATISFACTION_MEASURE.value,
    ), status


@bp.route("/<int:measure_id>", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT, methods=("POST",))
def show(measure_id: int) -> Any:
    project, measure = _measure(measure_id)
    if request.method == "GET":
        return _render_show(project, measure)
    saved = MeasureForm(formdata=None, data=measure_data(measure))
    form = MeasureForm()
    if not form.validate_on_submit():
        return _render_show(project, measure, 422, form)
    try:
        service.update_measure(current_scope(), measure, form.fields(), form.version.data)
    except StaleVersion as stale:
        return _render_show(project, measure, 409, saved, stale=stale_notice(stale, form, saved))
    except Invalid as invalid:
        return _render_show(project, measure, 422, form, refusal=_add_errors(form, invalid))
    flash(_("Measure saved."), "success")
    return _show_url(measure, "measure-section")


@bp.post("/<int:measure_id>/values")
@requires(Action.EDIT_CONTENT)
def value(measure_id: int) -> Any:
    project, measure = _measure(measure_id)
    form = ValueForm(prefix=VALUE)
    if not form.validate_on_submit():
        return _render_show(project, measure, 422, value_form=form)
    try:
        service.add_value(current_scope(), measure, form.fields(), date.today())
    except Invalid as invalid:
        return _render_show(project, measure, 422, value_form=form, refusal=_add_errors(form, invalid))
    flash(_("Value recorded."), "success")
    return _show_url(measure, "values-section")
