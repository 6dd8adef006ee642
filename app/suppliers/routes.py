"""The approved-supplier pages: the list (filtered by status, "re-evaluation overdue" among them, and risk
class; paginated), adding a supplier, and a supplier's page (edit on the version read, its evaluations with
the form to record one, its history and its evidence). The rules are :mod:`app.domain.suppliers`, the loads
and saves :mod:`app.services.suppliers`."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from app.domain.permissions import Action
from app.domain.text import _
from app.forms import StaleNotice, stale_notice
from app.models import CertificationProject, Supplier
from app.pagination import Page, page_number
from app.services import register_records as records
from app.services import suppliers as service
from app.services.errors import Invalid, StaleVersion
from app.suppliers.forms import EvaluationForm, SupplierForm, clean_filters, filter_bar, register_words
from app.web.access import current_scope, requires
from app.web.project_request import project as current_project

bp = Blueprint("suppliers", __name__, url_prefix="/suppliers")
register_words(bp)

PER_PAGE = 25
EVALUATION = "evaluation"  # the evaluation form's prefix: its fields never share an id with the supplier's


def _supplier(supplier_id: int) -> tuple[CertificationProject, Supplier]:
    project = current_project()
    return project, service.supplier_in(current_scope(), project, supplier_id)


def _show_url(supplier: Supplier) -> Any:
    return redirect(url_for("project.suppliers.show", supplier_id=supplier.id), 303)


def _add_errors(form: Any, error: Invalid) -> str | None:
    """The service's messages beside their fields; the message to show above, when none has a field."""
    shown = {name: message for name, message in error.fields.items() if name in form}
    form.add_errors(shown)
    return None if shown else error.message


@bp.get("")
def index() -> Any:
    project = current_project()
    cleaned = clean_filters(request.args)
    number = page_number(request.args.get("page"))
    today = date.today()
    rows, total = service.supplier_page(project.id, cleaned.filters, number, PER_PAGE, today)
    return render_template(
        "suppliers/index.html",
        project=project,
        rows=rows,
        page=Page(number, PER_PAGE, total),
        filters=cleaned.filters,
        ignored=cleaned.ignored,
        filter_bar=filter_bar(cleaned.filters),
        state=service.register_state(project, today),
        may_edit=current_scope().can(Action.EDIT_CONTENT),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def new() -> Any:
    project = current_project()
    form = SupplierForm(data=None if request.method == "POST" else {"reevaluate_months": "12"})
    refusal = None
    if form.validate_on_submit():
        try:
            supplier = service.create_supplier(current_scope(), project, form.fields())
        except Invalid as invalid:
            refusal = _add_errors(form, invalid)
        else:
            flash(
                _("“%(name)s” added to the supplier list. Record its evaluation.", name=supplier.name),
                "success",
            )
            return _show_url(supplier)
    page = render_template("suppliers/new.html", project=project, form=form, refusal=refusal)
    return page, 422 if form.is_submitted() else 200


def _render_show(
    project: CertificationProject,
    supplier: Supplier,
    status: int = 200,
    form: SupplierForm | None = None,
    evaluation_form: EvaluationForm | None = None,
    stale: StaleNotice | None = None,
    refusal: str | None = None,
) -> Any:
    scope = current_scope()
    linked = records.linked_evidence(service.KIND, [supplier.id])
    may_edit = scope.can(Action.EDIT_CONTENT)
    return render_template(
        "suppliers/show.html",
        project=project,
        supplier=supplier,
        row=service.row_of(supplier, date.today()),
        evaluations=service.evaluations_newest_first(supplier),
        form=form or SupplierForm(formdata=None, data=service.fields_of(supplier)),
        evaluation_form=evaluation_form
        or EvaluationForm(formdata=None, prefix=EVALUATION, data={"evaluated_on": date.today()}),
        history=records.history(service.KIND, supplier.id),
        kind=str(service.KIND),
        linked=linked.get(supplier.id, []),
        choices=records.evidence_choices(project) if may_edit else [],
        may_edit=may_edit,
        stale=stale,
        refusal=refusal,
    ), status


@bp.route("/<int:supplier_id>", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT, methods=("POST",))
def show(supplier_id: int) -> Any:
    project, supplier = _supplier(supplier_id)
    if request.method == "GET":
        return _render_show(project, supplier)
    saved = SupplierForm(formdata=None, data=service.fields_of(supplier))
    form = SupplierForm()
    if not form.validate_on_submit():
        return _render_show(project, supplier, 422, form)
    try:
        service.update_supplier(current_scope(), project, supplier, form.fields(), form.version.data)
    except StaleVersion as stale:
        return _render_show(project, supplier, 409, saved, stale=stale_notice(stale, form, saved))
    except Invalid as invalid:
        return _render_show(project, supplier, 422, form, refusal=_add_errors(form, invalid))
    flash(_("Supplier saved."), "success")
    return _show_url(supplier)


@bp.post("/<int:supplier_id>/evaluations")
@requires(Action.EDIT_CONTENT)
def evaluation(supplier_id: int) -> Any:
    project, supplier = _supplier(supplier_id)
    form = EvaluationForm(prefix=EVALUATION)
    if not form.validate_on_submit():
        return _render_show(project, supplier, 422, evaluation_form=form)
    try:
        service.add_evaluation(current_scope(), project, supplier, form.fields(), date.today())
    except Invalid as invalid:
        refusal = _add_errors(form, invalid)
        return _render_show(project, supplier, 422, evaluation_form=form, refusal=refusal)
    flash(_("Evaluation recorded."), "success")
    return _show_url(supplier)
