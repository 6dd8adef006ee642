"""Downloads of a project's tables as Excel or CSV (nested under ``/projects/<id>``), the portfolio's
(``/portfolio.xlsx``), and the gap analysis's import: upload, preview, confirm."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required
from werkzeug.exceptions import RequestEntityTooLarge

from app.domain.assessment import VERDICT_LABELS
from app.domain.exports import Export
from app.domain.gap_import import Plan
from app.domain.permissions import Action
from app.domain.text import _, ngettext
from app.exports.forms import ConfirmForm, UploadForm
from app.exports.responses import export_response
from app.models import CertificationProject
from app.services import export_tables, gap_import, portfolio_export
from app.services.errors import Conflict, Invalid
from app.templating import format_date
from app.web.access import current_scope, requires
from app.web.project_request import project

bp = Blueprint("exports", __name__)  # nested in the project's blueprint
portfolio_bp = Blueprint("portfolio_exports", __name__)

PROJECT_EXPORTS: dict[str, Callable[[CertificationProject, date], Export]] = {
    "gap": lambda p, _today: export_tables.gap_export(p),
    "documents": export_tables.documents_export,
    "training": export_tables.training_export,
    "findings": export_tables.findings_export,
    "budget": lambda p, _today: export_tables.budget_export(p),
}


@bp.get("/<any(gap, documents, training, findings, budget):what>.<any(xlsx, csv):fmt>")
def download(what: str, fmt: str) -> Any:
    return export_response(PROJECT_EXPORTS[what](project(), date.today()), fmt)


# Two routes without a URL argument: the portfolio is the user's, named by no id.
@portfolio_bp.get("/portfolio.xlsx")
@login_required
def portfolio_xlsx() -> Any:
    return export_response(portfolio_export.portfolio_export(current_scope(), date.today()), "xlsx")


@portfolio_bp.get("/portfolio.csv")
@login_required
def portfolio_csv() -> Any:
    return export_response(portfolio_export.portfolio_export(current_scope(), date.today()), "csv")


def _shown(name: str, value: Any) -> str:
    """A verdict field's value as the preview shows it: a status by its label, a date as the pages do."""
    if name == "status":
        return VERDICT_LABELS.get(value, str(value))
    if isinstance(value, date):
        return format_date(value)
    return str(value) if value else "—"


def _render(upload: UploadForm, status: int = 200, **preview: Any) -> Any:
    page = render_template("exports/gap_import.html", project=project(), form=upload, shown=_shown, **preview)
    return page, status


def _preview(token: str, plan: Plan, status: int = 200, message: str | None = None) -> Any:
    confirm = ConfirmForm(formdata=None, data={"token": token, "digest": plan.digest()})
    return _render(UploadForm(formdata=None), status, plan=plan, confirm=confirm, message=message)


@bp.get("/gap/import")
@requires(Action.EDIT_CONTENT)
def import_form() -> Any:
    return _render(UploadForm())


@bp.post("/gap/import")
@requires(Action.EDIT_CONTENT)
def import_preview() -> Any:
    """Read the upload and show what it would change; nothing is saved."""
    try:
        form = UploadForm()
        valid = form.validate_on_submit()
    except RequestEntityTooLarge:
        form = UploadForm(formdata=None)
        form.file.errors = [_("The file is larger than this site accepts: upload the gap analysis export.")]
        return _render(form, 413)
    if not valid:
        return _render(form, 422)
    with form.file.data.stream as uploaded:  # a large upload is spooled to a temporary file: close it
        data = uploaded.read(gap_import.MAX_FILE_BYTES + 1)
    try:
        plan = gap_import.read_plan(project(), data, date.today())
    except Invalid as refused:
        form.file.errors = [refused.message]
        return _render(form, 422)
    token = gap_import.stash(project(), current_scope().user_id, data)
    return _preview(token, plan)


@bp.post("/gap/import/confirm")
@requires(Action.EDIT_CONTENT)
def import_confirm() -> Any:
    """Apply the preview's changes in this request's one transaction, after checking everything again."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _render(
            UploadForm(formdata=None), 422, message=_("The confirmation was not valid: upload again.")
        )
    user_id, token = current_scope().user_id, form.token.data or ""
    data = gap_import.stashed(project(), user_id, token)
    try:
        applied = gap_import.apply(project(), data, form.digest.data or "", date.today())
    except Conflict as changed:
        return _preview(token, gap_import.read_plan(project(), data, date.today()), 409, changed.message)
    except Invalid as refused:
        upload = UploadForm(formdata=None)
        upload.file.errors = [refused.message]
        return _render(upload, 422)
    gap_import.discard(project(), user_id, token)
    flash(_applied_message(applied), "success")
    return redirect(url_for("project.gap.index", section="all"), 303)


def _applied_message(applied: gap_import.Applied) -> str:
    saved = ngettext(
        "%(num)d verdict saved from the workbook.",
        "%(num)d verdicts saved from the workbook.",
        applied.changed,
    )
    if not applied.refused:
        return saved
    refused = ngettext(
        "%(num)d refused row was left as it is.",
        "%(num)d refused rows were left as they are.",
        applied.refused,
    )
    return f"{saved} {refused}"
