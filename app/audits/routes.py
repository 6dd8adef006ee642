"""The internal audit programme's pages: the programme with its coverage of the standard, planning and
editing an audit, the audit page with its team's flags and its steps (start, report, close), the checklist
and the printable report.

Everybody in scope may look; changing anything needs :attr:`Action.EDIT_CONTENT`. The rules are
:mod:`app.domain.audits`, the loads and saves :mod:`app.services.audits`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from app.audits.forms import (
    STEP_FORMS,
    AuditForm,
    ChecklistForm,
    LineForm,
    ReportForm,
    StepForm,
    audit_form_data,
    line_form_data,
    line_prefix,
)
from app.audits.words import register_words
from app.documents.words import row_url
from app.domain import audits as rules
from app.domain.nonconformities import STATE_LABELS, FindingState
from app.domain.nonconformities import label as finding_label
from app.domain.permissions import Action
from app.domain.text import _, _l, ngettext
from app.forms import StaleNotice, stale_notice
from app.models import CertificationProject, InternalAudit
from app.services import audit_pages as pages
from app.services import audits as service
from app.services.errors import Conflict, Invalid, StaleVersion
from app.services.scope import Scope
from app.web.access import current_scope, requires
from app.web.project_request import project as current_project

bp = Blueprint("audits", __name__, url_prefix="/audits")
register_words(bp)

STEPS = ",".join(rules.Transition)
_DONE = {
    rules.Transition.START: _l("“%(title)s” started: answer its checklist as you audit."),
    rules.Transition.REPORT: _l("“%(title)s” reported."),
    rules.Transition.CLOSE: _l("“%(title)s” closed."),
}


def _audit(audit_id: int, lines: bool = False) -> tuple[Scope, CertificationProject, InternalAudit]:
    scope, project = current_scope(), current_project()
    return scope, project, service.audit_in(scope, project, audit_id, lines=lines)


def _show_url(audit: InternalAudit, anchor: str | None = None) -> Any:
    return redirect(url_for("project.audits.show", audit_id=audit.id, _anchor=anchor), 303)


def _add_errors(form: Any, error: Invalid | Conflict) -> str | None:
    """The service's messages beside their fields; the message to show above the page (the refusal and
    the messages of fields the form does not have), or None when every message is beside its field."""
    shown = {name: message for name, message in error.fields.items() if name in form}
    form.add_errors(shown)
    if shown and len(shown) == len(error.fields):
        return None
    others = [
        message for name, message in error.fields.items() if name not in form and message != error.message
    ]
    return " ".join([error.message, *others])


# The programme


@bp.get("")
def index() -> Any:
    project = current_project()
    return render_template(
        "audits/index.html",
        project=project,
        programme=pages.programme(project, date.today()),
        cycle_months=rules.AUDIT_CYCLE_MONTHS,
        audit_url=row_url("project.audits.show", "audit_id", project_id=project.id),
    )


# An audit's plan


def _form_page(
    project: CertificationProject,
    form: AuditForm,
    audit: InternalAudit | None = None,
    status: int = 200,
    **extra: Any,
) -> Any:
    today = date.today()
    people = service.auditor_choices(project, today)
    form.setup(people)
    page = render_template(
        "audits/form.html",
        project=project,
        form=form,
        audit=audit,
        people=people,
        chosen=set(form.team.data or []),
        qualified=service.qualified_ids(project, today),
        scope_choices=service.scope_choices(project),
        small_site=rules.is_small_site(project.site.employee_count),
        **extra,
    )
    return page, status


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def new() -> Any:
    scope, project = current_scope(), current_project()
    form = AuditForm()
    refusal = None
    if form.validate_on_submit():
        try:
            audit = service.plan_audit(scope, project, form.fields())
        except Invalid as invalid:
            refusal = _add_errors(form, invalid)
        else:
            lines = len(audit.lines)
            planned = ngettext(
                "“%(title)s” planned, with %(num)d checklist line.",
                "“%(title)s” planned, with %(num)d checklist lines.",
                lines,
                title=audit.title,
            )
            flash(planned, "success")
            return _show_url(audit)
    return _form_page(project, form, status=422 if form.is_submitted() else 200, refusal=refusal)


@bp.route("/<int:audit_id>/edit", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def edit(audit_id: int) -> Any:
    scope, project, audit = _audit(audit_id)
    status = rules.AuditStatus(audit.status)
    if not rules.is_editable(status):
        raise Conflict(
            _(
                "Only a planned audit's plan changes; this audit is %(status)s.",
                status=str(rules.STATUS_LABELS[status]).lower(),
            )
        )
    saved = AuditForm(formdata=None, data=audit_form_data(audit))
    if request.method == "GET":
        return _form_page(project, saved, audit)
    form = AuditForm()
    refusal = None
    if form.validate_on_submit():
        try:
            service.update_audit(scope, project, audit, form.fields(), version=form.version.data)
        except StaleVersion as stale:
            people = service.auditor_choices(project, date.today())
            notice = stale_notice(stale, form.setup(people), saved.setup(people))
            return _form_page(project, saved, audit, 409, stale=notice)
        except (Invalid, Conflict) as error:
            refusal = _add_errors(form, error)
        else:
            flash(_("“%(title)s” saved.", title=audit.title), "success")
            return _show_url(audit)
    return _form_page(project, form, audit, 422, refusal=refusal)


# The audit page and its steps


def _finding_url(project: CertificationProject) -> Any:
    return row_url("project.findings.show", "finding_id", project_id=project.id)


def _finding_labels(view: pages.AuditView) -> dict[int, tuple[str, str]]:
    """Each finding's name ("Finding 12 (major, 7.5.6)") and the words of its state."""
    return {
        f.id: (finding_label(f.id, f.severity, f.clause_number), STATE_LABELS[FindingState(f.status)])
        for f in view.findings
    }


def _render_show(
    project: CertificationProject,
    audit: InternalAudit,
    status: int = 200,
    posted: dict[str, StepForm] | None = None,
    refusal: str | None = None,
) -> Any:
    posted = posted or {}
    today = date.today()
    view = pages.audit_view(project, audit, today)
    step_forms = {
        step: posted.get(step)
        or STEP_FORMS[step](
            formdata=None,
            prefix=step,
            data={"version": audit.version}
            | ({"reported_on": today, "summary": audit.summary} if step is rules.Transition.REPORT else {}),
        )
        for step in view.transitions
    }
    return render_template(
        "audits/show.html",
        project=project,
        audit=audit,
        view=view,
        step_forms=step_forms,
        finding_labels=_finding_labels(view),
        finding_url=_finding_url(project),
        may_edit=current_scope().can(Action.EDIT_CONTENT),
        editable=rules.is_editable(rules.AuditStatus(audit.status)),
        refusal=refusal,
    ), status


@bp.get("/<int:audit_id>")
def show(audit_id: int) -> Any:
    _, project, audit = _audit(audit_id)
    return _render_show(project, audit)


@bp.post(f"/<int:audit_id>/<any({STEPS}):step>")
@requires(Action.EDIT_CONTENT)
def transition(audit_id: int, step: str) -> Any:
    scope, project, audit = _audit(audit_id, lines=True)
    form = STEP_FORMS[step](prefix=step)
    if not form.validate_on_submit():
        return _render_show(project, audit, 422, {step: form})
    values = form.values() if isinstance(form, ReportForm) else None
    try:
        raised = service.take_step(scope, audit, step, values, version=form.version.data)
    except StaleVersion as stale:
        message = _(
            "%(message)s The page now shows it as it is saved; look again before you retry.",
            message=stale.message,
        )
        return _render_show(project, audit, 409, refusal=message)
    except (Invalid, Conflict) as error:
        return _render_show(project, audit, 422, {step: form}, _add_errors(form, error))
    if raised:
        done = ngettext(
            "“%(title)s” reported: %(num)d finding added to the nonconformity register.",
            "“%(title)s” reported: %(num)d findings added to the nonconformity register.",
            len(raised),
            title=audit.title,
        )
    else:
        done = _DONE[rules.Transition(step)] % {"title": audit.title}
    flash(done, "success")
    return _show_url(audit)


# The checklist


def _line_forms(sections: list[pages.SectionLines], posted: dict[int, LineForm]) -> dict[int, LineForm]:
    """Each line's form: as posted (refused, or not saved because another line was), else as saved."""
    forms = {}
    for section in sections:
        for row in section.lines:
            line = row.line
            choices = [(item.id, item.title) for item in row.choices]
            forms[line.id] = posted.get(line.id) or LineForm(
                formdata=None,
                prefix=line_prefix(line.id),
                data=line_form_data(line, (e.id for e in row.evidence)),
            ).setup(choices)
    return forms


def _render_checklist(
    project: CertificationProject,
    audit: InternalAudit,
    sections: list[pages.SectionLines],
    status: int = 200,
    posted: dict[int, LineForm] | None = None,
    stale: dict[int, StaleNotice] | None = None,
    refusal: str | None = None,
) -> Any:
    may_answer = current_scope().can(Action.EDIT_CONTENT) and not rules.checklist_error(
        rules.AuditStatus(audit.status)
    )
    return render_template(
        "audits/checklist.html",
        project=project,
        audit=audit,
        sections=sections,
        forms=_line_forms(sections, posted or {}),
        stale=stale or {},
        form=ChecklistForm(),
        may_answer=may_answer,
        closed_reason=rules.checklist_error(rules.AuditStatus(audit.status)),
        refusal=refusal,
    ), status


def _posted_line(row: pages.LineRow) -> LineForm | None:
    """The line's form as posted, or None when the request carries none of its fields."""
    prefix = line_prefix(row.line.id)
    if f"{prefix}-result" not in request.form:
        return None
    return LineForm(prefix=prefix).setup((item.id, item.title) for item in row.choices)


def _differs(form: LineForm, row: pages.LineRow) -> bool:
    fields = form.fields()
    saved = {item.id for item in row.evidence}
    return (fields.result, fields.notes, set(fields.evidence_ids)) != (row.line.result, row.line.notes, saved)


def _save_line(
    scope: Scope, project: CertificationProject, audit: InternalAudit, row: pages.LineRow, form: LineForm
) -> StaleNotice | str | None:
    """Save one line: None when saved, a stale notice, or the message for above the page (refused values
    go beside their fields)."""
    try:
        service.update_line(scope, project, audit, row.line, form.fields(), version=form.version.data)
    except StaleVersion as stale:
        saved = LineForm(
            formdata=None,
            prefix=line_prefix(row.line.id),
            data=line_form_data(row.line, (e.id for e in row.evidence)),
        ).setup((item.id, item.title) for item in row.choices)
        return stale_notice(stale, form, saved)
    except Invalid as invalid:
        return _add_errors(form, invalid) or _("The checklist line was not saved.")
    return None


@bp.route("/<int:audit_id>/checklist", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT, methods=("POST",))
def checklist(audit_id: int) -> Any:
    """GET: every line by section; POST: save every line changed (all of them, or none)."""
    scope, project, audit = _audit(audit_id, lines=True)
    sections = pages.checklist(project, audit, choices=True)
    if request.method == "GET":
        return _render_checklist(project, audit, sections)
    if problem := rules.checklist_error(rules.AuditStatus(audit.status)):
        return _render_checklist(project, audit, sections, 422, refusal=problem)
    posted: dict[int, LineForm] = {}
    stale: dict[int, StaleNotice] = {}
    refusals = []
    for row in (row for section in sections for row in section.lines):
        form = _posted_line(row)
        if form is None or not _differs(form, row):
            continue
        outcome = _save_line(scope, project, audit, row, form)
        if isinstance(outcome, StaleNotice):
            stale[row.line.id] = outcome
            continue
        posted[row.line.id] = form
        if outcome:
            refusals.append(outcome)
    if stale or refusals or any(form.errors for form in posted.values()):
        message = _("Nothing was saved: correct the lines marked below, then save again.")
        return _render_checklist(project, audit, sections, 409 if stale else 422, posted, stale, message)
    if posted:
        flash(
            ngettext("%(num)d checklist line saved.", "%(num)d checklist lines saved.", len(posted)),
            "success",
        )
    else:
        flash(_("Nothing had changed: no line was saved."), "info")
    return redirect(url_for("project.audits.checklist", audit_id=audit.id), 303)


@bp.post("/<int:audit_id>/lines/<int:audit_line_id>")
@requires(Action.EDIT_CONTENT)
def line(audit_id: int, audit_line_id: int) -> Any:
    """Save one line of the checklist (its own button)."""
    scope, project, audit = _audit(audit_id, lines=True)
    service.line_in(audit, audit_line_id)
    sections = pages.checklist(project, audit, choices=True)
    row = next(row for section in sections for row in section.lines if row.line.id == audit_line_id)
    form = _posted_line(row) or LineForm(prefix=line_prefix(audit_line_id)).setup([])
    outcome = _save_line(scope, project, audit, row, form)
    if isinstance(outcome, StaleNotice):
        return _render_checklist(project, audit, sections, 409, stale={row.line.id: outcome})
    if outcome is not None or form.errors:
        return _render_checklist(project, audit, sections, 422, {row.line.id: form}, refusal=outcome)
    flash(_("%(clause)s saved.", clause=row.line.clause.number), "success")
    anchor = f"line-{row.line.id}"
    return redirect(url_for("project.audits.checklist", audit_id=audit.id, _anchor=anchor), 303)


# The printable report


@bp.get("/<int:audit_id>/report")
def report(audit_id: int) -> Any:
    _, project, audit = _audit(audit_id, lines=True)
    view = pages.audit_view(project, audit, date.today())
    return render_template(
        "audits/report.html",
        project=project,
        audit=audit,
        view=view,
        sections=pages.checklist(project, audit),
        finding_labels=_finding_labels(view),
        finding_url=_finding_url(project),
    )
