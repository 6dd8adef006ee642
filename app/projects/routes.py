"""Certification projects: one site working towards one standard."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from app.domain.permissions import Action
from app.extensions import db
from app.forms import select_choices
from app.models import CertificationProject, Site
from app.projects.forms import ProjectForm
from app.services import projects as project_service
from app.services.scope import current_scope, get_or_404_in

bp = Blueprint("projects", __name__)

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
            form.standard_id.errors.append(f"This site already has a {standard.name} project.")
        else:
            fields = {name: form[name].data for name in PROJECT_FIELDS}
            project = project_service.create_project(site, standard, **fields)
            db.session.commit()
            flash(f"{standard.name} project started for {site.name}.", "success")
            return redirect(url_for("projects.show_project", project_id=project.id))
    return render_template("projects/form.html", form=form, site=site, project=None)


@bp.get("/projects/<int:project_id>")
@login_required
def show_project(project_id: int) -> Any:
    project = get_or_404_in(current_scope(), CertificationProject, project_id)
    return render_template("projects/show.html", project=project)


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
