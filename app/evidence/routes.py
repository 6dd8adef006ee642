"""Evidence pages: the project's list, adding a file, link or note, one item with its versions and
review, and the authorised download of each stored file."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from app.documents.words import row_url
from app.domain.coverage import is_expired
from app.domain.evidence_rules import STATE_LABELS, ReviewAction, is_id
from app.domain.file_types import may_show_inline
from app.domain.permissions import Action
from app.domain.text import _
from app.domain.wording import who_accepts
from app.evidence.forms import EvidenceForm, ReviewForm, VersionForm, clean_filters, filter_bar
from app.extensions import talisman
from app.models import CertificationProject, EvidenceItem
from app.pagination import Page, page_number
from app.services import evidence as service
from app.services import evidence_queries as queries
from app.services.errors import Refused
from app.services.evidence import EvidenceRefused
from app.services.scope import Scope
from app.web.access import current_scope, requires
from app.web.download import DOWNLOAD_CSP, send_version
from app.web.project_request import project as current_project

bp = Blueprint("evidence", __name__, url_prefix="/evidence")

PER_PAGE = 25


def _project() -> tuple[Scope, CertificationProject]:
    return current_scope(), current_project()


def _item(scope: Scope, project: CertificationProject, evidence_id: int) -> EvidenceItem:
    """Owners also reach deleted items (to look before restoring); everyone else gets 404."""
    return queries.item_in(scope, project, evidence_id, scope.can(Action.MANAGE_WORKSPACE))


def _show_url(item: EvidenceItem) -> str:
    return url_for("project.evidence.show", evidence_id=item.id)


def _render_show(
    scope: Scope, project: CertificationProject, item: EvidenceItem, status: int = 200, **forms: Any
) -> Any:
    return render_template(
        "evidence/show.html",
        project=project,
        item=item,
        task=queries.task_of(item),
        review_form=_review_form(item, forms.get("review_form")),
        version_form=forms.get("version_form") or VersionForm(formdata=None),
        refusal=forms.get("refusal"),
        actions=service.actions_for(scope, item),
        who_accepts=who_accepts(scope.workspace_kind, service.workspace_members(scope.workspace_id)),
        may_show_inline=may_show_inline,
        expired=is_expired(item.valid_until, date.today()),
    ), status


def _review_form(item: EvidenceItem, posted: ReviewForm | None) -> ReviewForm:
    """The review form names the newest file version this page lists: the one the reviewer sees."""
    form = posted or ReviewForm(formdata=None)
    latest = queries.latest_version(item)
    form.version.data = latest.number if latest else None
    return form


@bp.get("")
def index() -> Any:
    scope, project = _project()
    clauses, tasks = queries.leaf_clauses(project), queries.project_tasks(project)
    filters = clean_filters(request.args, clauses, tasks, scope.can(Action.MANAGE_WORKSPACE))
    raw_page = request.args.get("page", "")
    number = page_number(raw_page if is_id(raw_page) else None)  # page_number trusts "²".isdigit()
    items, total = queries.evidence_page(project, filters, number, PER_PAGE)
    return render_template(
        "evidence/index.html",
        project=project,
        items=items,
        tasks={task.id: task for task in tasks},
        page=Page(number, PER_PAGE, total),
        filters=filters,
        filter_bar=filter_bar(filters, clauses, tasks),
        expired=queries.expired_ids(items, date.today()),
        # Each routed once for the page's lines (a url_for per line costs about as much as the line).
        item_url=row_url("project.evidence.show", "evidence_id", project_id=project.id),
        requirement_url=row_url("project.gap.requirement", "clause", project_id=project.id),
        task_url=row_url("project.stages.edit_task", "task_id", project_id=project.id),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def new() -> Any:
    scope, project = _project()
    prefill = None if request.method == "POST" else {k: request.args.get(k) for k in ("clause", "task")}
    form = EvidenceForm(data=prefill).setup(queries.leaf_clauses(project), queries.project_tasks(project))
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            item = service.create_item(scope, project, form.evidence())
        except EvidenceRefused as refused:
            form.add_errors(refused.errors)
            status = refused.status
        else:
            flash(
                _("“%(title)s” added as a draft. Submit it for review when it is ready.", title=item.title),
                "success",
            )
            return redirect(_show_url(item), 303)
    return render_template("evidence/new.html", project=project, form=form), status


@bp.get("/<int:evidence_id>")
def show(evidence_id: int) -> Any:
    scope, project = _project()
    return _render_show(scope, project, _item(scope, project, evidence_id))


def _review_step(
    scope: Scope,
    project: CertificationProject,
    item: EvidenceItem,
    action: str,
    form: ReviewForm | None = None,
) -> Any:
    comment = (form.comment.data or "") if form else ""
    seen_version = form.version.data if form else None
    try:
        service.review(scope, item, action, comment, seen_version)
    except EvidenceRefused as refused:
        if refused.status == 403:
            raise Refused(str(refused)) from None
        if form is not None:
            form.add_errors(refused.errors)
        refusal = refused.errors.get("review")
        return _render_show(scope, project, item, refused.status, review_form=form, refusal=refusal)
    flash(
        _("“%(title)s” is %(state)s.", title=item.title, state=str(STATE_LABELS[item.review_state]).lower()),
        "success",
    )
    return redirect(_show_url(item), 303)


@bp.post("/<int:evidence_id>/submit")
@requires(Action.EDIT_CONTENT)
def submit(evidence_id: int) -> Any:
    scope, project = _project()
    item = queries.item_in(scope, project, evidence_id)
    return _review_step(scope, project, item, ReviewAction.SUBMIT)


@bp.post("/<int:evidence_id>/review")
@requires(Action.REVIEW)
def review(evidence_id: int) -> Any:
    scope, project = _project()
    item = queries.item_in(scope, project, evidence_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _render_show(scope, project, item, 422, review_form=form)
    return _review_step(scope, project, item, form.decision.data, form)


@bp.post("/<int:evidence_id>/versions")
@requires(Action.EDIT_CONTENT)
def add_version(evidence_id: int) -> Any:
    scope, project = _project()
    item = queries.item_in(scope, project, evidence_id)
    form = VersionForm()
    upload = form.upload() if form.validate_on_submit() else None
    try:
        if upload is None:
            raise EvidenceRefused({"file": _("Choose the file to upload.")})
        version = service.add_version(scope, item, upload)
    except EvidenceRefused as refused:
        form.add_errors(refused.errors)
        return _render_show(scope, project, item, refused.status, version_form=form)
    flash(_("Version %(number)s saved; the earlier versions are kept.", number=version.number), "success")
    return redirect(_show_url(item), 303)


@bp.post("/<int:evidence_id>/delete")
def delete(evidence_id: int) -> Any:
    scope, project = _project()
    item = queries.item_in(scope, project, evidence_id)
    service.soft_delete(scope, item)
    flash(_("“%(title)s” deleted. An owner can restore it.", title=item.title), "success")
    return redirect(url_for("project.evidence.index"), 303)


@bp.post("/<int:evidence_id>/restore")
def restore(evidence_id: int) -> Any:
    scope, project = _project()
    item = queries.item_in(scope, project, evidence_id, include_deleted=True)
    service.restore(scope, item)
    flash(_("“%(title)s” restored.", title=item.title), "success")
    return redirect(_show_url(item), 303)


@bp.get("/<int:evidence_id>/versions/<int:number>/download")
@talisman(content_security_policy=DOWNLOAD_CSP)
def download(evidence_id: int, number: int) -> Any:
    scope, project = _project()
    version = queries.version_of(_item(scope, project, evidence_id), number)
    return send_version(version, inline=request.args.get("inline") == "1")
