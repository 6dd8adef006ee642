"""Certification projects: one site working towards one standard."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from app.domain.pathway import STAGES
from app.domain.permissions import Action
from app.extensions import db
from app.forms import select_choices
from app.models import CertificationProject, Site
from app.pagination import Page, page_number
from app.projects.charts_routes import readiness_target
from app.projects.forms import ProjectForm
from app.projects.links import step_links
from app.services import charts as chart_service
from app.services import pathway as pathway_service
from app.services import projects as project_service
from app.services import summaries as summary_service
from app.services.scope import current_scope, get_or_404_in

bp = Blueprint("projects", __name__)

PER_PAGE = 25
PROJECT_FIELDS = ("target_date", "cb_name", "cb_accreditation_body", "currency", "status")


def _project_form(standards: list[Any], **kwargs: Any) -> ProjectForm:
    form = ProjectForm(**kwargs)
    form.standard_id.choices = select_choices(
        [("", "Choose a standard…"), *((str(s.id), s.label) for s in standards)]
    )
    return form


@bp.route("/sites/<int:site_id>/projects/new", methods=["GET", "POST"])
@login_required
def new_project(site_id: int) -> Any:
    scope = current_scope()
    site = get_or_404_in(scope, Site, site_id)
    scope.require(Action.MANAGE_PROJECTS)
    standards = project_service.latest_standards()
    form = _project_form(standards)
    if form.validate_on_submit():
        standard = next(s for s in standards if str(s.id) == form.standard_id.data)
        if project_service.site_has_project_for(site, standard):
            form.standard_id.errors.append(f"This site already has an {standard.name} project.")
        else:
            fields = {name: form[name].data for name in PROJECT_FIELDS}
            project = project_service.create_project(site, standard, **fields)
            db.session.commit()
            flash(f"{standard.name} project started for {site.name}.", "success")
            return redirect(url_for("projects.show_project", project_id=project.id))
    return render_template("projects/form.html", form=form, site=site, project=None)


@bp.get("/projects")
@login_required
def index() -> Any:
    number = page_number(request.args.get("page"))
    summaries, total = summary_service.project_page(current_scope(), number, PER_PAGE)
    page = Page(number=number, per_page=PER_PAGE, total=total)
    stage_titles = {info.key: info.title for info in STAGES}
    return render_template("projects/index.html", summaries=summaries, page=page, stage_titles=stage_titles)


@bp.get("/projects/<int:project_id>")
@login_required
def show_project(project_id: int) -> Any:
    project = get_or_404_in(current_scope(), CertificationProject, project_id)
    overview = pathway_service.project_overview(project, date.today())
    tasks = [task for view in overview.stages for task in view.tasks]
    return render_template(
        "projects/show.html",
        project=project,
        overview=overview,
        steps=step_links(project.id, overview.next_steps, tasks),
        today=date.today(),
        charts=chart_service.summary_charts(overview, readiness_target()),
    )


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
def edit_project(project_id: int) -> Any:
    scope = current_scope()
    project = get_or_404_in(scope, CertificationProject, project_id)
    scope.require(Action.MANAGE_PROJECTS)
    # The standard is fixed once assessed against; only its details change here.
    standards = [project.standard]
    form = _project_form(standards, obj=project, standard_id=str(project.standard_id))
    if request.method == "POST":
        form.standard_id.data = str(project.standard_id)
    if form.validate_on_submit():
        for name in PROJECT_FIELDS:
            setattr(project, name, form[name].data)
        db.session.commit()
        flash("Project saved.", "success")
        return redirect(url_for("projects.show_project", project_id=project.id))
    return render_template("projects/form.html", form=form, site=project.site, project=project)
