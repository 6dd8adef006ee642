"""External audit pages: the project's audits by the certification body (stage 1, stage 2, surveillance,
recertification), recording one held or scheduled, its page with the edit on the version read, and the
body's findings raised from it into the nonconformity register."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from app.domain import certification as rules
from app.domain.permissions import Action
from app.domain.text import _
from app.external_audits.forms import AuditForm, BodyFindingForm, audit_data
from app.forms import StaleNotice, stale_notice
from app.models import CertificationProject, ExternalAudit
from app.services import bodies as body_service
from app.services import certificates as certificate_service
from app.services import external_audits as service
from app.services.errors import Conflict, Invalid, StaleVersion
from app.web.access import current_scope, requires
from app.web.project_request import project as current_project

bp = Blueprint("external_audits", __name__, url_prefix="/external-audits")


def _audit(audit_id: int) -> tuple[CertificationProject, ExternalAudit]:
    project = current_project()
    return project, service.audit_in(current_scope(), project, audit_id)


def _form(project: CertificationProject, **kwargs: Any) -> AuditForm:
    return AuditForm(**kwargs).setup(body_service.bodies_of(current_scope()), project.body)


def _add_errors(form: Any, error: Invalid) -> str | None:
    shown = {name: message for name, message in error.fields.items() if name in form}
    form.add_errors(shown)
    return None if shown else error.message


def _saved(audit: ExternalAudit, message: str, warnings: list[str]) -> Any:
    flash(message, "success")
    for warning in warnings:
        flash(warning, "warning")
    return redirect(url_for("project.external_audits.show", external_audit_id=audit.id), 303)


@bp.get("")
def index() -> Any:
    project = current_project()
    today = date.today()
    certificates = certificate_service.brief_views(
        service.project_certificates(project), project.workspace_id, today
    )
    return render_template(
        "external_audits/index.html",
        project=project,
        rows=service.audit_rows(project),
        certificates=certificates,
        may_edit=current_scope().can(Action.EDIT_CONTENT),
        may_record_certificate=current_scope().can(Action.MANAGE_PROJECTS),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def new() -> Any:
    project = current_project()
    kind = request.args.get("kind", "")
    prefill = None if request.method == "POST" else {"kind": kind if kind in set(rules.AuditKind) else ""}
    form = _form(project, data=prefill)
    refusal = None
    if form.validate_on_submit():
        try:
            audit, warnings = service.create_audit(current_scope(), project, form.fields(), date.today())
        except Invalid as invalid:
            refusal = _add_errors(form, invalid)
        else:
            label = rules.KIND_LABELS[rules.AuditKind(audit.kind)]
            return _saved(audit, _("%(audit)s recorded.", audit=label), warnings)
    page = render_template("external_audits/form.html", project=project, form=form, refusal=refusal)
    return page, 422 if form.is_submitted() else 200


def _render_show(
    project: CertificationProject,
    audit: ExternalAudit,
    status: int = 200,
    form: AuditForm | None = None,
    finding_form: BodyFindingForm | None = None,
    stale: StaleNotice | None = None,
    refusal: str | None = None,
) -> Any:
    return render_template(
        "external_audits/show.html",
        project=project,
        audit=audit,
        row=service.audit_row(audit),
        findings=service.findings_of(audit),
        form=form or _form(project, formdata=None, data=audit_data(audit)),
        finding_form=finding_form or BodyFindingForm(formdata=None, prefix="finding"),
        may_edit=current_scope().can(Action.EDIT_CONTENT),
        stale=stale,
        refusal=refusal,
    ), status


@bp.route("/<int:external_audit_id>", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT, methods=("POST",))
def show(external_audit_id: int) -> Any:
    project, audit = _audit(external_audit_id)
    if request.method == "GET":
        return _render_show(project, audit)
    saved = _form(project, formdata=None, data=audit_data(audit))
    form = _form(project)
    if not form.validate_on_submit():
        return _render_show(project, audit, 422, form)
    try:
        warnings = service.update_audit(
            current_scope(), project, audit, form.fields(), date.today(), form.version.data
        )
    except StaleVersion as stale:
        return _render_show(project, audit, 409, saved, stale=stale_notice(stale, form, saved))
    except Invalid as invalid:
        return _render_show(project, audit, 422, form, refusal=_add_errors(form, invalid))
    return _saved(audit, _("Audit saved."), warnings)


@bp.post("/<int:external_audit_id>/findings")
@requires(Action.EDIT_CONTENT)
def finding(external_audit_id: int) -> Any:
    project, audit = _audit(external_audit_id)
    form = BodyFindingForm(prefix="finding")
    if not form.validate_on_submit():
        return _render_show(project, audit, 422, finding_form=form)
    try:
        raised = service.raise_finding(current_scope(), project, audit, form.fields(), date.today())
    except Conflict as conflict:
        return _render_show(project, audit, 409, finding_form=form, refusal=conflict.message)
    except Invalid as invalid:
        return _render_show(project, audit, 422, finding_form=form, refusal=_add_errors(form, invalid))
    flash(_("Finding %(number)d raised in the nonconformity register.", number=raised.id), "success")
    return redirect(url_for("project.external_audits.show", external_audit_id=audit.id), 303)
