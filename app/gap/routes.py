"""Gap analysis: every requirement of a project's standard, its verdict, and one page per requirement."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy.orm import joinedload

from app.domain.assessment import STATUS_LABELS
from app.domain.permissions import Action
from app.extensions import db
from app.gap.forms import (
    DOCUMENTED_INFORMATION_WORDS,
    STATUS_BADGES,
    Filters,
    RequirementForm,
    clause_anchor,
    clean_filters,
    filter_form,
    requirement_form,
)
from app.models import CertificationProject
from app.services import assessments, evidence_views
from app.services.assessments import Requirement
from app.services.scope import Scope, current_scope, get_or_404_in

bp = Blueprint("gap", __name__, url_prefix="/projects/<int:project_id>")

# Where a verdict form returns after saving: the list (default) or the requirement's own page.
RETURN_TO_REQUIREMENT = "requirement"


def _project(scope: Scope, project_id: int) -> CertificationProject:
    return get_or_404_in(
        scope,
        CertificationProject,
        project_id,
        joinedload(CertificationProject.client),
        joinedload(CertificationProject.site),
        joinedload(CertificationProject.standard),
    )


def _requirement(project: CertificationProject, number: str) -> Requirement:
    found = assessments.requirement(project, number)
    if found is None:
        abort(404)
    return found


def _render_list(
    scope: Scope,
    project: CertificationProject,
    filters: Filters,
    posted: RequirementForm | None = None,
    keep: str | None = None,
    status: int = 200,
) -> Any:
    analysis = assessments.gap_analysis(project, filters.section, filters.status, keep=keep)
    forms: dict[str, RequirementForm] = {}
    if scope.can(Action.EDIT_CONTENT):
        forms = {
            row.requirement.clause.number: requirement_form(row.requirement)
            for section in analysis.sections
            for row in section.rows
            if row.shown
        }
        if posted is not None and keep is not None:
            forms[keep] = posted
    return render_template(
        "gap/index.html",
        project=project,
        analysis=analysis,
        forms=forms,
        filter_form=filter_form(analysis, filters),
        filters=filters,
        refused=keep,
        **_words(),
    ), status


def _render_requirement(
    scope: Scope, project: CertificationProject, found: Requirement, form: RequirementForm | None, status: int
) -> Any:
    return render_template(
        "gap/requirement.html",
        project=project,
        found=found,
        section_title=assessments.section_titles(project).get(found.clause.section, ""),
        evidence=evidence_views.clause_evidence(project, found.clause.id, date.today()),
        form=form if scope.can(Action.EDIT_CONTENT) else None,
        **_words(),
    ), status


def _words() -> dict[str, Any]:
    return {
        "labels": STATUS_LABELS,
        "badges": STATUS_BADGES,
        "di_words": DOCUMENTED_INFORMATION_WORDS,
        "anchor": clause_anchor,
    }


@bp.get("/gap-analysis")
@login_required
def index(project_id: int) -> Any:
    scope = current_scope()
    project = _project(scope, project_id)
    filters = clean_filters(project, request.args.get("section"), request.args.get("status"))
    return _render_list(scope, project, filters)


@bp.get("/requirements/<clause>")
@login_required
def requirement(project_id: int, clause: str) -> Any:
    scope = current_scope()
    project = _project(scope, project_id)
    found = _requirement(project, clause)
    return _render_requirement(scope, project, found, requirement_form(found), 200)


@bp.post("/requirements/<clause>")
@login_required
def save_requirement(project_id: int, clause: str) -> Any:
    scope = current_scope()
    project = _project(scope, project_id)
    scope.require(Action.EDIT_CONTENT)
    found = _requirement(project, clause)
    form = requirement_form(found, request.form)
    filters = clean_filters(project, request.form.get("return_section"), request.form.get("return_status"))
    to_requirement = request.form.get("return_to") == RETURN_TO_REQUIREMENT
    if form.validate_on_submit():
        refusals = assessments.update_requirement(project, found, **form.verdict())
        form.add_errors(refusals)
        if not refusals:
            db.session.commit()
            flash(f"{clause} saved.", "success")
            return redirect(_saved_url(project, clause, filters, to_requirement), 303)
    if to_requirement:
        return _render_requirement(scope, project, found, form, 422)
    return _render_list(scope, project, filters, posted=form, keep=clause, status=422)


def _saved_url(project: CertificationProject, clause: str, filters: Filters, to_requirement: bool) -> str:
    """Back where the user was: the same filters, scrolled to the requirement just saved."""
    if to_requirement:
        return url_for("gap.requirement", project_id=project.id, clause=clause)
    return url_for(
        "gap.index",
        project_id=project.id,
        section=filters.section,
        status=filters.status,
        _anchor=clause_anchor(clause),
    )
