"""The parent of every page under ``/projects/<id>``: the project is loaded here, once, into ``g.project``.

Each area of a project (gap analysis, stages, evidence, budget, checklist, charts, and every new one) is a
blueprint nested in :data:`bp`, so its views never see the id and never load the project themselves: the
scoped project, with its client, site and standard, is ``g.project``. ``url_for`` fills in the project id
of the request for any endpoint that needs one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from app.charts.progress import STAGE_STATUS_LABELS
from app.domain import gates
from app.domain.permissions import Action
from app.domain.text import _
from app.forms import stale_notice
from app.projects.forms import project_form
from app.projects.links import step_links
from app.services import charts as chart_service
from app.services import deletion, project_status
from app.services import pathway as pathway_service
from app.services import projects as project_service
from app.services.bodies import bodies_of
from app.services.bodies import view_of as body_view
from app.services.errors import StaleVersion
from app.services.projects import PROJECT_FIELDS
from app.trash.routes import confirm_deletion
from app.web.access import current_scope, requires
from app.web.project_request import load_project, project, take_project_id

bp = Blueprint("project", __name__, url_prefix="/projects/<int:project_id>")


bp.url_value_preprocessor(take_project_id)


@bp.url_defaults
def add_project_id(endpoint: str, values: dict[str, Any]) -> None:
    project = g.get("project")
    if (
        project is not None
        and "project_id" not in values
        and current_app.url_map.is_endpoint_expecting(endpoint, "project_id")
    ):
        values["project_id"] = project.id


@bp.before_request
def load_project_after_login() -> Any:
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    load_project()
    return None


@bp.get("")
def show() -> Any:
    overview = pathway_service.project_overview(project(), date.today())
    tasks = [task for view in overview.stages for task in view.tasks]
    status = project_status.status_of(project(), date.today())
    return render_template(
        "projects/show.html",
        project=project(),
        status=status,
        status_label=gates.status_label(status),
        stage_labels=STAGE_STATUS_LABELS,
        body=body_view(project().body) if project().body else None,
        overview=overview,
        steps=step_links(project().id, overview.next_steps, tasks),
        today=date.today(),
        charts=chart_service.summary_charts(overview, chart_service.readiness_target()),
    )


@bp.route("/edit", methods=["GET", "POST"])
@requires(Action.MANAGE_PROJECTS)
def edit() -> Any:
    # The standard is fixed once assessed against; only its details change here.
    current = project()
    bodies = bodies_of(current_scope())
    form = project_form([current.standard], bodies, obj=current, standard_id=str(current.standard_id))
    if request.method == "POST":
        form.standard_id.data = str(current.standard_id)
    if form.validate_on_submit():
        values = {name: form[name].data for name in PROJECT_FIELDS}
        try:
            project_service.update_project(current, version=form.version.data, **values)
        except StaleVersion as stale:
            saved = project_form(
                [current.standard], bodies, formdata=None, obj=current, standard_id=str(current.standard_id)
            )
            notice = stale_notice(stale, form, saved)
            page = render_template(
                "projects/form.html", form=saved, site=current.site, project=current, stale=notice
            )
            return page, 409
        flash(_("Project saved."), "success")
        return redirect(url_for("project.show"))
    status = 422 if form.errors else 200  # bad input: the messages beside their fields
    return render_template("projects/form.html", form=form, site=current.site, project=current), status


@bp.route("/delete", methods=["GET", "POST"])
@requires(Action.MANAGE_PROJECTS)
def delete() -> Any:
    """Confirm, then delete the project (an owner can restore it)."""
    current = project()
    if request.method == "POST":
        deletion.delete_project(current_scope(), current)
        flash(
            _("Project “%(name)s” deleted. An owner can restore it.", name=deletion.project_label(current)),
            "success",
        )
        return redirect(url_for("clients.show_site", site_id=current.site_id), 303)
    return confirm_deletion(
        _("the project “%(name)s”", name=deletion.project_label(current)),
        None,
        url_for("project.show"),
    )
