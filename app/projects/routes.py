"""Certification projects: starting one for a site, and the list of every project."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from app.documents.words import row_url
from app.domain import gates
from app.domain.pathway import STAGES
from app.domain.permissions import Action
from app.domain.text import _
from app.models import Site
from app.pagination import Page, page_number
from app.projects.forms import project_form
from app.services import project_list
from app.services import projects as project_service
from app.services.bodies import bodies_of
from app.services.projects import PROJECT_FIELDS
from app.services.scope import get_or_404_in
from app.web.access import current_scope, requires

bp = Blueprint("projects", __name__)

PER_PAGE = 25


@bp.route("/sites/<int:site_id>/projects/new", methods=["GET", "POST"])
@login_required
@requires(Action.MANAGE_PROJECTS)
def new_project(site_id: int) -> Any:
    site = get_or_404_in(current_scope(), Site, site_id)
    standards = project_service.latest_standards()
    form = project_form(standards, bodies_of(current_scope()))
    if form.validate_on_submit():
        standard = next(s for s in standards if str(s.id) == form.standard_id.data)
        if project_service.site_has_project_for(site, standard):
            form.standard_id.errors.append(
                _("This site already has an %(standard)s project.", standard=standard.name)
            )
        else:
            fields = {name: form[name].data for name in PROJECT_FIELDS}
            project = project_service.create_project(site, standard, **fields)
            flash(
                _("%(standard)s project started for %(site)s.", standard=standard.name, site=site.name),
                "success",
            )
            return redirect(url_for("project.show", project_id=project.id))
    status = 422 if form.errors else 200  # bad input: the messages beside their fields
    return render_template("projects/form.html", form=form, site=site, project=None), status


@bp.get("/projects")
@login_required
def index() -> Any:
    number = page_number(request.args.get("page"))
    summaries, total = project_list.project_page(current_scope(), number, PER_PAGE)
    page = Page(number=number, per_page=PER_PAGE, total=total)
    stage_titles = {info.key: info.title for info in STAGES}
    labels = {s.status: gates.status_label(s.status) for s in summaries}
    return render_template(
        "projects/index.html",
        summaries=summaries,
        page=page,
        stage_titles=stage_titles,
        status_labels=labels,
        project_url=row_url("project.show", "project_id"),  # routed once for the page's rows
    )
