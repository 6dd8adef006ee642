"""Gap analysis: every requirement of a project's standard, its verdict, and one page per requirement."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for

from app.charts.base import percent_text
from app.domain.assessment import VERDICT_LABELS
from app.domain.permissions import Action
from app.domain.readiness import ClauseStatus, Readiness, section_of
from app.domain.text import _
from app.forms import StaleNotice, stale_notice
from app.gap.forms import (
    ALL_SECTIONS,
    DOCUMENTED_INFORMATION_WORDS,
    STATUS_BADGES,
    Filters,
    RequirementForm,
    RowForms,
    clause_anchor,
    clean_filters,
    filter_form,
    requirement_form,
    return_filters,
    shown_filters,
)
from app.gap.links import COMPACT_VIEW, requirement_on_list_url
from app.models import CertificationProject
from app.registers.links import register_links
from app.services import assessments, document_register, evidence_on_pages
from app.services.assessments import Requirement
from app.services.errors import NotFound, ServiceError, StaleVersion
from app.services.scope import Scope
from app.templating import bar_width, format_date
from app.web.access import current_scope, requires
from app.web.errors import status_of
from app.web.project_request import project

bp = Blueprint("gap", __name__)

# Where a verdict form returns after saving: the list (default) or the requirement's own page.
RETURN_TO_REQUIREMENT = "requirement"


def _wants_json() -> bool:
    """The page's script saves a verdict in place and asks for JSON; a plain form asks for HTML."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _json_refusals(view: Callable[..., Any]) -> Callable[..., Any]:
    """A refusal (403, 404) answered as JSON to the page's script; as the usual page otherwise."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except ServiceError as error:
            if not _wants_json():
                raise
            return jsonify(ok=False, message=error.message), status_of(error)

    return wrapped


def _requirement(project: CertificationProject, number: str) -> Requirement:
    found = assessments.requirement(project, number)
    if found is None:
        raise NotFound(_("No requirement %(number)s in this project's standard.", number=number))
    return found


def _render_list(
    scope: Scope,
    project: CertificationProject,
    filters: Filters,
    posted: RequirementForm | None = None,
    keep: str | None = None,
    status: int = 200,
    stale: StaleNotice | None = None,
    compact: bool = False,
    unknown: Filters | None = None,
) -> Any:
    """The list of one section (or every section), with links to each section and its readiness.

    ``filters`` without a section are resolved here (shown_filters) from the section readiness, so the
    page's links and forms carry the section shown. ``unknown``: the filter values asked for but not known.
    """
    readiness = assessments.gap_readiness(project)
    filters = shown_filters(filters, readiness.by_section)
    analysis = assessments.gap_analysis(project, readiness, filters.one_section, filters.status, keep=keep)
    # Each row's form is written from its saved verdict (RowForms); the refused one (keep) from ``posted``.
    rows = RowForms() if scope.can(Action.EDIT_CONTENT) else None
    return render_template(
        "gap/index.html",
        project=project,
        analysis=analysis,
        rows=rows,
        posted=posted if rows is not None else None,
        requirement_url=_requirement_url_prefix(project),
        filter_form=filter_form(analysis, filters),
        filters=filters,
        all_sections=ALL_SECTIONS,
        unknown=unknown or Filters(),
        refused=keep,
        stale=stale,
        compact=compact and keep is None,  # a refused verdict shows in its full card, beside its fields
        view=COMPACT_VIEW if compact and keep is None else None,
        **_words(),
    ), status


def _requirement_url_prefix(project: CertificationProject) -> str:
    """The requirements' URL up to the clause number, built once for the list's rows (a url_for per row was
    an eighth of the list's template time). Clause numbers are digits and dots: nothing to quote."""
    marker = "0"
    return url_for("project.gap.requirement", project_id=project.id, clause=marker).removesuffix(marker)


def _render_requirement(
    scope: Scope,
    project: CertificationProject,
    found: Requirement,
    form: RequirementForm | None,
    status: int,
    stale: StaleNotice | None = None,
) -> Any:
    return render_template(
        "gap/requirement.html",
        project=project,
        found=found,
        section_title=assessments.section_titles(project).get(found.clause.section, ""),
        back_url=requirement_on_list_url(project.id, found.clause.number),
        amendments=project.standard.amendments_to(found.clause.number),
        evidence=evidence_on_pages.clause_evidence(project, found.clause.id, date.today()),
        documents=document_register.of_requirement(project.id, found.clause.number, date.today()),
        registers=register_links(project, found.clause.number, date.today()),
        form=form if scope.can(Action.EDIT_CONTENT) else None,
        stale=stale,
        **_words(),
    ), status


def _words() -> dict[str, Any]:
    return {
        "labels": VERDICT_LABELS,
        "badges": STATUS_BADGES,
        "di_words": DOCUMENTED_INFORMATION_WORDS,
        "anchor": clause_anchor,
    }


@bp.get("/gap-analysis")
def index() -> Any:
    asked = Filters(request.args.get("section") or None, request.args.get("status") or None)
    filters = clean_filters(project(), *asked)
    unknown = Filters(*(value if kept is None else None for value, kept in zip(asked, filters, strict=True)))
    compact = request.args.get("view") == COMPACT_VIEW
    return _render_list(current_scope(), project(), filters, compact=compact, unknown=unknown)


@bp.get("/requirements/<clause>")
def requirement(clause: str) -> Any:
    found = _requirement(project(), clause)
    return _render_requirement(current_scope(), project(), found, requirement_form(found), 200)


@bp.post("/requirements/<clause>")
@_json_refusals
@requires(Action.EDIT_CONTENT)
def save_requirement(clause: str) -> Any:
    scope, project_ = current_scope(), project()
    found = _requirement(project_, clause)
    form = requirement_form(found, request.form)
    asked = clean_filters(project_, request.form.get("return_section"), request.form.get("return_status"))
    filters = return_filters(asked, clause)
    to_requirement = request.form.get("return_to") == RETURN_TO_REQUIREMENT
    compact = request.form.get("return_view") == COMPACT_VIEW
    status, stale = 422, None
    if form.validate_on_submit():
        try:
            refusals = assessments.update_requirement(
                project_, found, version=form.version.data, **form.verdict()
            )
        except StaleVersion as error:  # shown with the verdict as saved now, and what the user typed
            if _wants_json():
                return _stale_answer(error, found)
            saved = requirement_form(found)
            form, status, stale, refusals = saved, 409, stale_notice(error, form, saved), {}
        else:
            form.add_errors(refusals)
            if not refusals and _wants_json():
                return _saved_answer(project_, found)
            if not refusals:
                flash(_("%(clause)s saved.", clause=clause), "success")
                return redirect(_saved_url(clause, filters, to_requirement, compact), 303)
    if _wants_json():
        errors = {name: str(messages[0]) for name, messages in form.errors.items() if messages}
        return jsonify(ok=False, errors=errors), 422
    if to_requirement:
        return _render_requirement(scope, project_, found, form, status, stale)
    return _render_list(scope, project_, filters, posted=form, keep=clause, status=status, stale=stale)


def _readiness_json(readiness: Readiness) -> dict[str, Any]:
    counts = {name: getattr(readiness, name) for name in ("met", "partial", "not_met", "not_assessed")}
    return {
        "percent": readiness.percent,
        "percent_text": percent_text(readiness.percent),
        "bar": bar_width(readiness.percent),
        "counts": counts | {"not_applicable": readiness.not_applicable},
        "open": readiness.open,
    }


def _saved_answer(project_: CertificationProject, found: Requirement) -> Any:
    """What the page's script shows once a verdict is saved in place: its new version, badge, owner and due
    date, and the overall and section readiness as they are now."""
    saved = found.assessment
    overall, section = assessments.readiness_now(project_, found.clause.number)
    return jsonify(
        ok=True,
        clause=found.clause.number,
        version=saved.version,
        status=saved.status,
        status_label=str(VERDICT_LABELS[saved.status]),
        badge=STATUS_BADGES[ClauseStatus(saved.status)],
        owner=saved.owner or "—",
        due=format_date(saved.due_date),
        section=section_of(found.clause.number),
        readiness={"overall": _readiness_json(overall), "section": _readiness_json(section)},
        message=_("%(clause)s saved.", clause=found.clause.number),
    )


def _stale_answer(error: StaleVersion, found: Requirement) -> Any:
    saved = found.assessment
    return jsonify(
        ok=False,
        stale=True,
        message=error.message,
        version=saved.version,
        status=saved.status,
        status_label=str(VERDICT_LABELS[saved.status]),
    ), 409


def _saved_url(clause: str, filters: Filters, to_requirement: bool, compact: bool = False) -> str:
    """Back where the user was: the same section, filters and view, scrolled to the requirement saved."""
    if to_requirement:
        return url_for("project.gap.requirement", clause=clause)
    return requirement_on_list_url(project().id, clause, filters, compact)
