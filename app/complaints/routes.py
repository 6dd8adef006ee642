"""The customer complaint register's pages: the list (filtered, open first, paginated), recording a
complaint, and a complaint's page: its details and investigation edited on the version read, closing it,
for ISO 13485 the reportability decision, the nonconformity it is linked to (chosen, or raised from it),
its history and its evidence. The rules are :mod:`app.domain.complaints`, the loads and saves
:mod:`app.services.complaints`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, cast

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from app.complaints.forms import (
    CloseForm,
    ComplaintForm,
    LinkForm,
    RaiseForm,
    ReportabilityForm,
    clean_filters,
    complaint_data,
    filter_bar,
    link_form,
    raise_data,
    register_words,
    reportability_data,
)
from app.documents.words import row_url
from app.domain import complaints as rules
from app.domain.permissions import Action
from app.domain.registers import RecordKind
from app.domain.text import _
from app.forms import stale_notice
from app.models import CertificationProject, Complaint
from app.pagination import Page, page_number
from app.services import complaints as service
from app.services import register_records as records
from app.services.errors import Invalid, StaleVersion
from app.web.access import current_scope, requires
from app.web.project_request import project as current_project

bp = Blueprint("complaints", __name__, url_prefix="/complaints")
register_words(bp)

PER_PAGE = 25
CLOSE, REPORT, LINK, RAISE = "close", "report", "link", "raise"  # the prefixes of the page's other forms


def _complaint(complaint_id: int) -> tuple[CertificationProject, Complaint]:
    project = current_project()
    return project, service.complaint_in(current_scope(), project, complaint_id)


def _show_url(complaint: Complaint, section: str = "") -> Any:
    """The complaint's page, at ``section`` (the part of the page just saved) when given."""
    address = url_for("project.complaints.show", complaint_id=complaint.id)
    return redirect(f"{address}#{section}-section" if section else address, 303)


def _add_errors(form: Any, error: Invalid) -> str | None:
    """The service's messages beside their fields; the message to show above when none has a field."""
    shown = {name: message for name, message in error.fields.items() if name in form}
    form.add_errors(shown)
    unshown = [message for name, message in error.fields.items() if name not in form]
    return " ".join(unshown) if unshown else None if shown else error.message


@bp.get("")
def index() -> Any:
    project = current_project()
    filters, notices = clean_filters(request.args)
    number = page_number(request.args.get("page"))
    rows, total = service.complaint_page(project, filters, number, PER_PAGE, date.today())
    medical = service.is_medical(project)
    return render_template(
        "complaints/index.html",
        project=project,
        rows=rows,
        page=Page(number, PER_PAGE, total),
        filters=filters,
        notices=notices,
        filter_bar=filter_bar(filters, service.products(project), medical),
        medical=medical,
        complaint_url=row_url("project.complaints.show", "complaint_id", project_id=project.id),
        finding_url=row_url("project.findings.show", "finding_id", project_id=project.id),
        may_edit=current_scope().can(Action.EDIT_CONTENT),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def new() -> Any:
    project = current_project()
    form = ComplaintForm(data=None if request.method == "POST" else {"received_on": date.today()})
    refusal = None
    if form.validate_on_submit():
        values = rules.ComplaintValues(**form.details())
        try:
            complaint = service.create_complaint(current_scope(), project, values, date.today())
        except Invalid as invalid:
            refusal = _add_errors(form, invalid)
        else:
            flash(
                _("Complaint %(id)d (%(customer)s) recorded.", id=complaint.id, customer=complaint.customer),
                "success",
            )
            return _show_url(complaint)
    page = render_template("complaints/new.html", project=project, form=form, refusal=refusal)
    return page, 422 if form.is_submitted() else 200


# A complaint's page


def _forms(
    complaint: Complaint, findings: list[service.FindingRef], posted: dict[str, FlaskForm]
) -> dict[str, Any]:
    """Every form of the page: the one posted (refused) as typed, the others as saved."""
    return {
        "form": posted.get("") or ComplaintForm(formdata=None, data=complaint_data(complaint)),
        "close_form": posted.get(CLOSE)
        or CloseForm(
            formdata=None, prefix=CLOSE, data={"closed_on": date.today(), "version": complaint.version}
        ),
        "report_form": posted.get(REPORT)
        or ReportabilityForm(formdata=None, prefix=REPORT, data=reportability_data(complaint)),
        "link_form": link_form(complaint, findings, cast(LinkForm | None, posted.get(LINK))),
        "raise_form": posted.get(RAISE) or RaiseForm(formdata=None, prefix=RAISE, data=raise_data(complaint)),
    }


def _render_show(
    project: CertificationProject,
    complaint: Complaint,
    status: int = 200,
    posted: dict[str, FlaskForm] | None = None,
    refusal: str | None = None,
    stale: Any = None,
) -> Any:
    scope, today = current_scope(), date.today()
    findings = service.finding_choices(project)
    page = render_template(
        "complaints/show.html",
        project=project,
        complaint=complaint,
        row=service.row_of(complaint, today),
        medical=service.is_medical(project),
        finding=service.linked_finding(complaint),
        findings=findings,
        may_edit=scope.can(Action.EDIT_CONTENT),
        refusal=refusal,
        stale=stale,
        events=records.history(RecordKind.COMPLAINT, complaint.id),
        linked=records.linked_evidence(RecordKind.COMPLAINT, [complaint.id]).get(complaint.id, []),
        choices=records.evidence_choices(project),
        kind=RecordKind.COMPLAINT.value,
        **_forms(complaint, findings, posted or {}),
    )
    return page, status


def _post(
    complaint_id: int,
    key: str,
    form: FlaskForm,
    saved: Callable[[Complaint], FlaskForm],
    save: Callable[[CertificationProject, Complaint, Any], object],
    done: str,
    section: str = "",
) -> Any:
    """One of the page's forms posted: refused as typed (422), stale (409, with what is saved now), or
    saved (a redirect to the page, at the section saved)."""
    project, complaint = _complaint(complaint_id)
    if not form.validate_on_submit():
        return _render_show(project, complaint, 422, {key: form})
    try:
        save(project, complaint, form)
    except StaleVersion as error:
        current = saved(complaint)
        return _render_show(project, complaint, 409, {key: current}, stale=stale_notice(error, form, current))
    except Invalid as invalid:
        return _render_show(project, complaint, 422, {key: form}, refusal=_add_errors(form, invalid))
    flash(done, "success")
    return _show_url(complaint, section or key or "details")


@bp.route("/<int:complaint_id>", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT, methods=("POST",))
def show(complaint_id: int) -> Any:
    if request.method == "GET":
        return _render_show(*_complaint(complaint_id))

    def save(project: CertificationProject, complaint: Complaint, form: Any) -> None:
        service.update_details(
            current_scope(), project, complaint, form.details(), form.version.data, date.today()
        )

    def saved(complaint: Complaint) -> FlaskForm:
        return ComplaintForm(formdata=None, data=complaint_data(complaint))

    return _post(complaint_id, "", ComplaintForm(), saved, save, _("Complaint saved."))


@bp.post("/<int:complaint_id>/close")
@requires(Action.EDIT_CONTENT)
def close(complaint_id: int) -> Any:
    def save(project: CertificationProject, complaint: Complaint, form: Any) -> None:
        service.close(
            current_scope(),
            project,
            complaint,
            form.closed_on.data,
            form.closure.data or "",
            form.version.data,
            date.today(),
        )

    def saved(complaint: Complaint) -> FlaskForm:
        return CloseForm(
            formdata=None, prefix=CLOSE, data={"closed_on": complaint.closed_on, "version": complaint.version}
        )

    return _post(complaint_id, CLOSE, CloseForm(prefix=CLOSE), saved, save, _("Complaint closed."))


@bp.post("/<int:complaint_id>/reportability")
@requires(Action.EDIT_CONTENT)
def reportability(complaint_id: int) -> Any:
    def save(project: CertificationProject, complaint: Complaint, form: Any) -> None:
        service.decide_reportability(
            current_scope(), project, complaint, form.decision(), form.version.data, date.today()
        )

    def saved(complaint: Complaint) -> FlaskForm:
        return ReportabilityForm(formdata=None, prefix=REPORT, data=reportability_data(complaint))

    form = ReportabilityForm(prefix=REPORT)
    return _post(complaint_id, REPORT, form, saved, save, _("Reportability decision recorded."))


@bp.post("/<int:complaint_id>/finding")
@requires(Action.EDIT_CONTENT)
def link(complaint_id: int) -> Any:
    def save(project: CertificationProject, complaint: Complaint, form: Any) -> None:
        service.link_finding(current_scope(), project, complaint, form.chosen(), form.version.data)

    def saved(complaint: Complaint) -> FlaskForm:
        return link_form(complaint, service.finding_choices(current_project()))

    return _post(complaint_id, LINK, LinkForm(prefix=LINK), saved, save, _("Nonconformity link saved."))


@bp.post("/<int:complaint_id>/raise-finding")
@requires(Action.EDIT_CONTENT)
def raise_finding(complaint_id: int) -> Any:
    def save(project: CertificationProject, complaint: Complaint, form: Any) -> None:
        service.raise_finding(
            current_scope(),
            project,
            complaint,
            form.severity.data or "",
            form.description.data or "",
            form.version.data,
            date.today(),
        )

    def saved(complaint: Complaint) -> FlaskForm:
        return RaiseForm(formdata=None, prefix=RAISE, data=raise_data(complaint))

    form = RaiseForm(prefix=RAISE)
    return _post(
        complaint_id, RAISE, form, saved, save, _("Nonconformity raised and linked to the complaint."), LINK
    )
