"""Document register pages: the master list, adding and editing an entry, the document page with its
revisions (upload, submit, approve, return), periodic review and withdrawal, the download of each
revision's file, and the suggestions from the catalog."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from app.documents.forms import (
    ACTION_FORMS,
    ApproveForm,
    DocumentForm,
    PeriodicReviewForm,
    RevisionForm,
    SuggestForm,
    WithdrawForm,
    action_prefix,
    clean_filters,
    document_form_data,
    filter_bar,
)
from app.documents.words import register_words, row_url, sort_links
from app.domain import documents as rules
from app.domain.file_types import may_show_inline
from app.domain.permissions import Action
from app.domain.text import _, _l, ngettext
from app.extensions import talisman
from app.forms import stale_notice
from app.i18n import format_day
from app.models import CertificationProject, ControlledDocument
from app.pagination import Page, page_number
from app.services import document_register as register
from app.services import documents as service
from app.services.errors import Conflict, Invalid, NotFound, StaleVersion
from app.services.scope import Scope
from app.web.access import current_scope, requires
from app.web.download import DOWNLOAD_CSP, send_version
from app.web.project_request import project as current_project

bp = Blueprint("documents", __name__, url_prefix="/documents")
register_words(bp)

PER_PAGE = 25
_DOWNLOAD = ("project.documents.download", "revision_id")  # a revision's file, by revision id
# What each step of a revision did, for the message after it.
_DONE: dict[str, str] = {
    rules.RevisionAction.SUBMIT: _l("Revision %(label)s of %(code)s sent for approval."),
    rules.RevisionAction.APPROVE: _l(
        "Revision %(label)s of %(code)s approved: it is now the current revision."
    ),
    rules.RevisionAction.RETURN: _l(
        "Revision %(label)s of %(code)s returned to its author with your comment."
    ),
}


def _document(document_id: int) -> tuple[Scope, CertificationProject, ControlledDocument]:
    scope, project = current_scope(), current_project()
    return scope, project, service.document_in(scope, project, document_id)


def _show_url(document: ControlledDocument) -> Any:
    return redirect(url_for("project.documents.show", document_id=document.id), 303)


def _add_errors(form: Any, error: Invalid | Conflict) -> str | None:
    """The service's messages beside their fields; the message to show above, when none has a field."""
    shown = {name: message for name, message in error.fields.items() if name in form}
    form.add_errors(shown)
    return None if shown else error.message


# The master list


@bp.get("")
def index() -> Any:
    project = current_project()
    requirements = service.requirement_choices(project)
    filters = clean_filters(request.args, (number for number, _title in requirements))
    number = page_number(request.args.get("page"))
    rows, total = register.register_page(project.id, filters, number, PER_PAGE, date.today())
    return render_template(
        "documents/index.html",
        project=project,
        rows=rows,
        page=Page(number, PER_PAGE, total),
        filters=filters,
        filter_bar=filter_bar(filters, requirements),
        sorts=sort_links(filters),
        document_url=row_url("project.documents.show", "document_id", project_id=project.id),
        requirement_url=row_url("project.gap.requirement", "clause", project_id=project.id),
    )


# An entry of the register


def _form_page(
    project: CertificationProject,
    form: DocumentForm,
    document: ControlledDocument | None = None,
    status: int = 200,
    **extra: Any,
) -> Any:
    page = render_template(
        "documents/form.html",
        project=project,
        form=form,
        document=document,
        requirements=service.requirement_choices(project),
        **extra,
    )
    return page, status


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def new() -> Any:
    scope, project = current_scope(), current_project()
    prefill = None if request.method == "POST" else {"clauses": request.args.get("clause", "")}
    form = DocumentForm(data=prefill)
    refusal = None
    if form.validate_on_submit():
        try:
            document = service.create_document(scope, project, form.fields())
        except Invalid as invalid:
            refusal = _add_errors(form, invalid)
        else:
            flash(
                _("%(code)s added to the register. Upload its first revision below.", code=document.code),
                "success",
            )
            return _show_url(document)
    return _form_page(project, form, status=422 if form.is_submitted() else 200, refusal=refusal)


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def edit(document_id: int) -> Any:
    scope, project, document = _document(document_id)
    saved = DocumentForm(formdata=None, data=document_form_data(document))
    if request.method == "GET":
        return _form_page(project, saved, document)
    form = DocumentForm()
    refusal = None
    if form.validate_on_submit():
        try:
            service.update_document(scope, project, document, form.fields(), version=form.version.data)
        except StaleVersion as stale:
            notice = stale_notice(stale, form, saved)
            return _form_page(project, saved, document, 409, stale=notice)
        except Invalid as invalid:
            refusal = _add_errors(form, invalid)
        else:
            flash(_("%(code)s saved.", code=document.code), "success")
            return _show_url(document)
    return _form_page(project, form, document, 422, refusal=refusal)


# The document page and its steps


def _render_show(
    scope: Scope,
    project: CertificationProject,
    document: ControlledDocument,
    status: int = 200,
    posted: dict[Any, FlaskForm] | None = None,
    refusal: str | None = None,
) -> Any:
    """The document page; ``posted`` holds a refused form (by name, or by (action, revision id)) to show
    again with what was typed and its errors."""
    posted = posted or {}
    today = date.today()
    actions = service.revision_actions(scope, document)
    action_forms = {
        (action, revision.id): posted.get((action, revision.id))
        or ACTION_FORMS[action](
            formdata=None, prefix=action_prefix(action, revision.id), data={"version": revision.version}
        )
        for revision in document.revisions
        for action in actions[revision.id]
    }
    active = document.status == rules.DocumentStatus.ACTIVE
    current = service.current_revision(document)
    labels = [revision.label for revision in document.revisions]
    return render_template(
        "documents/show.html",
        project=project,
        document=document,
        revisions=list(reversed(document.revisions)),
        current=current,
        status=register.row_status(
            document.status,
            current is not None,
            any(r.state == rules.RevisionState.IN_REVIEW for r in document.revisions),
            document.review_due,
            today,
        ),
        overdue=active and rules.review_overdue(document.review_due, today),
        actions=actions,
        action_forms=action_forms,
        revision_form=posted.get("revision")
        or RevisionForm(formdata=None, data={"label": rules.next_label(labels)}),
        review_form=posted.get("review")
        or PeriodicReviewForm(formdata=None, data={"version": document.version}),
        withdraw_form=posted.get("withdraw")
        or WithdrawForm(formdata=None, data={"version": document.version}),
        may_edit=active and scope.can(Action.EDIT_CONTENT),
        may_upload=active and scope.can(Action.EDIT_CONTENT),
        may_review=active and current is not None and scope.can(Action.REVIEW),
        may_withdraw=active and scope.can(Action.REVIEW),
        may_show_inline=may_show_inline,
        download_url=row_url(*_DOWNLOAD, project_id=project.id, document_id=document.id),
        view_url=row_url(*_DOWNLOAD, project_id=project.id, document_id=document.id, inline=1),
        refusal=refusal,
    ), status


def _refused(
    scope: Scope,
    project: CertificationProject,
    document: ControlledDocument,
    error: Invalid | Conflict,
    key: Any,
    form: FlaskForm,
) -> Any:
    """The page again, the refused form as typed with the message beside its field (or above the page):
    422 for values that break a rule, 409 for a step the record's state (or a newer copy) does not allow.
    Nothing was changed: the request rolls back."""
    refusal = _add_errors(form, error)
    if isinstance(error, StaleVersion):
        refusal = _(
            "%(message)s The page now shows it as it is saved; look again before you retry.",
            message=error.message,
        )
    elif isinstance(error, Conflict):
        refusal = error.message  # the state of the record: said above the page, whatever form was used
    status = 422 if isinstance(error, Invalid) else 409
    return _render_show(scope, project, document, status, {key: form}, refusal)


@bp.get("/<int:document_id>")
def show(document_id: int) -> Any:
    return _render_show(*_document(document_id))


@bp.post("/<int:document_id>/revisions")
@requires(Action.EDIT_CONTENT)
def add_revision(document_id: int) -> Any:
    scope, project, document = _document(document_id)
    form = RevisionForm()
    if not form.validate_on_submit():
        return _render_show(scope, project, document, 422, {"revision": form})
    try:
        revision = service.add_revision(scope, document, form.revision())
    except (Invalid, Conflict) as error:
        return _refused(scope, project, document, error, "revision", form)
    if revision.state == rules.RevisionState.IN_REVIEW:
        done = _(
            "Revision %(label)s of %(code)s uploaded and sent for approval.",
            label=revision.label,
            code=document.code,
        )
    else:
        done = _("Revision %(label)s of %(code)s uploaded.", label=revision.label, code=document.code)
    flash(done, "success")
    return _show_url(document)


@bp.post("/<int:document_id>/revisions/<int:revision_id>/<action>")
@requires(Action.EDIT_CONTENT)  # approving and returning need more: the service applies the rules
def act(document_id: int, revision_id: int, action: str) -> Any:
    if action not in ACTION_FORMS:
        raise NotFound()
    scope, project, document = _document(document_id)
    revision = service.revision_in(document, revision_id)
    form: Any = ACTION_FORMS[action](prefix=action_prefix(action, revision.id))
    key = (action, revision.id)
    if not form.validate_on_submit():
        return _render_show(scope, project, document, 422, {key: form})
    comment = (form.comment.data or "") if "comment" in form else ""
    effective_on = form.effective_on.data if isinstance(form, ApproveForm) else None
    try:
        service.act(scope, document, revision, action, comment, effective_on, version=form.version.data)
    except (Invalid, Conflict) as error:
        return _refused(scope, project, document, error, key, form)
    flash(_DONE[action] % {"label": revision.label, "code": document.code}, "success")
    return _show_url(document)


@bp.post("/<int:document_id>/review")
@requires(Action.REVIEW)
def review(document_id: int) -> Any:
    scope, project, document = _document(document_id)
    form = PeriodicReviewForm()
    if not form.validate_on_submit():
        return _render_show(scope, project, document, 422, {"review": form})
    try:
        service.confirm_review(scope, document, date.today(), version=form.version.data)
    except Conflict as error:
        return _refused(scope, project, document, error, "review", form)
    due = format_day(document.review_due)
    flash(_("Review of %(code)s recorded: next review due %(day)s.", code=document.code, day=due), "success")
    return _show_url(document)


@bp.post("/<int:document_id>/withdraw")
@requires(Action.REVIEW)
def withdraw(document_id: int) -> Any:
    scope, project, document = _document(document_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _render_show(scope, project, document, 422, {"withdraw": form})
    try:
        service.withdraw(scope, document, form.reason.data or "", version=form.version.data)
    except (Invalid, Conflict) as error:
        return _refused(scope, project, document, error, "withdraw", form)
    flash(_("%(code)s withdrawn. It stays in the register, marked withdrawn.", code=document.code), "success")
    return _show_url(document)


@bp.get("/<int:document_id>/revisions/<int:revision_id>/file")
@talisman(content_security_policy=DOWNLOAD_CSP)
def download(document_id: int, revision_id: int) -> Any:
    document = _document(document_id)[2]
    revision = service.revision_in(document, revision_id)
    return send_version(revision, inline=request.args.get("inline") == "1")


# Starting the register from the catalog


@bp.route("/suggest", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT, methods=("POST",))
def suggest() -> Any:
    scope, project = current_scope(), current_project()
    form = SuggestForm()
    if form.validate_on_submit():
        try:
            added = service.add_suggested(scope, project, form.codes.data or [])
        except Invalid as invalid:
            form.add_errors(invalid.fields)
        else:
            if added:
                done = ngettext(
                    "%(num)d document added to the register as drafts: upload each one's first revision.",
                    "%(num)d documents added to the register as drafts: upload each one's first revision.",
                    len(added),
                )
                flash(done, "success")
            else:
                flash(_("Nothing added: the documents ticked are already in the register."), "info")
            return redirect(url_for("project.documents.index"), 303)
    proposals = service.proposals(project)
    page = render_template("documents/suggest.html", project=project, form=form, proposals=proposals)
    return page, 422 if form.is_submitted() else 200
