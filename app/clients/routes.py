"""The workspace's clients and their sites."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.clients.forms import ClientForm, SiteForm
from app.domain import gates
from app.domain.permissions import Action
from app.domain.text import _
from app.domain.wording import wording
from app.forms import stale_notice
from app.models import CertificationProject, Client, Site
from app.pagination import Page, page_number
from app.services import clients as client_service
from app.services import deletion, project_status
from app.services import projects as project_service
from app.services.clients import CLIENT_FIELDS, SITE_FIELDS
from app.services.errors import StaleVersion
from app.services.scope import get_or_404_in
from app.trash.routes import confirm_deletion
from app.web.access import current_scope, requires

bp = Blueprint("clients", __name__)

PER_PAGE = 25


def _form_values(form: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: form[name].data for name in names}


def _status_labels(projects: Sequence[CertificationProject]) -> dict[int, str]:
    """The status each project shows, in words, by id."""
    return {
        pid: gates.status_label(status)
        for pid, status in project_status.statuses_of(projects, date.today()).items()
    }


@bp.get("/")
def home() -> Any:
    return redirect(url_for("portfolio.index" if current_user.is_authenticated else "auth.login"))


@bp.get("/clients")
@login_required
def index() -> Any:
    scope = current_scope()
    search = request.args.get("q", "").strip()[:100]
    number = page_number(request.args.get("page"))
    rows, total = client_service.client_rows(scope, number, PER_PAGE, search)
    page = Page(number=number, per_page=PER_PAGE, total=total)
    return render_template("clients/index.html", rows=rows, page=page, search=search)


@bp.route("/clients/new", methods=["GET", "POST"])
@login_required
@requires(Action.CREATE_CLIENTS)
def new_client() -> Any:
    scope = current_scope()
    form = ClientForm()
    if form.validate_on_submit():
        if client_service.client_name_taken(scope, form.name.data):
            form.name.errors.append(wording(scope.workspace_kind).name_taken)
        else:
            client = client_service.create_client(scope, **_form_values(form, CLIENT_FIELDS))
            flash(str(wording(scope.workspace_kind).client_added).format(name=client.name), "success")
            return redirect(url_for("clients.show_client", client_id=client.id))
    return render_template("clients/form.html", form=form, client=None)


@bp.get("/clients/<int:client_id>")
@login_required
def show_client(client_id: int) -> Any:
    client = get_or_404_in(current_scope(), Client, client_id)
    projects = project_service.projects_of_client(client)
    return render_template(
        "clients/show.html",
        client=client,
        sites=client_service.sites_of(client),
        projects=projects,
        statuses=_status_labels(projects),
    )


@bp.route("/clients/<int:client_id>/edit", methods=["GET", "POST"])
@login_required
@requires(Action.MANAGE_PROJECTS)
def edit_client(client_id: int) -> Any:
    scope = current_scope()
    client = get_or_404_in(scope, Client, client_id)
    form = ClientForm(obj=client)
    if form.validate_on_submit():
        if client_service.client_name_taken(scope, form.name.data, exclude_id=client.id):
            form.name.errors.append(wording(scope.workspace_kind).name_taken)
        else:
            try:
                client_service.update_client(
                    client, version=form.version.data, **_form_values(form, CLIENT_FIELDS)
                )
            except StaleVersion as stale:
                saved = ClientForm(formdata=None, obj=client)
                notice = stale_notice(stale, form, saved)
                return render_template("clients/form.html", form=saved, client=client, stale=notice), 409
            flash(wording(scope.workspace_kind).client_saved, "success")
            return redirect(url_for("clients.show_client", client_id=client.id))
    return render_template("clients/form.html", form=form, client=client)


@bp.route("/clients/<int:client_id>/sites/new", methods=["GET", "POST"])
@login_required
@requires(Action.MANAGE_PROJECTS)
def new_site(client_id: int) -> Any:
    client = get_or_404_in(current_scope(), Client, client_id)
    form = SiteForm(country=client.country) if request.method == "GET" else SiteForm()
    if form.validate_on_submit():
        site = client_service.create_site(client, **_form_values(form, SITE_FIELDS))
        flash(
            _("Site “%(name)s” added. Next: start a certification project for it.", name=site.name), "success"
        )
        return redirect(url_for("clients.show_site", site_id=site.id))
    return render_template("sites/form.html", form=form, client=client, site=None)


@bp.get("/sites/<int:site_id>")
@login_required
def show_site(site_id: int) -> Any:
    site = get_or_404_in(current_scope(), Site, site_id)
    projects = project_service.projects_of_site(site)
    return render_template("sites/show.html", site=site, projects=projects, statuses=_status_labels(projects))


@bp.route("/sites/<int:site_id>/edit", methods=["GET", "POST"])
@login_required
@requires(Action.MANAGE_PROJECTS)
def edit_site(site_id: int) -> Any:
    site = get_or_404_in(current_scope(), Site, site_id)
    form = SiteForm(obj=site)
    if form.validate_on_submit():
        try:
            client_service.update_site(site, version=form.version.data, **_form_values(form, SITE_FIELDS))
        except StaleVersion as stale:
            saved = SiteForm(formdata=None, obj=site)
            notice = stale_notice(stale, form, saved)
            return render_template(
                "sites/form.html", form=saved, client=site.client, site=site, stale=notice
            ), 409
        flash(_("Site saved."), "success")
        return redirect(url_for("clients.show_site", site_id=site.id))
    return render_template("sites/form.html", form=form, client=site.client, site=site)


@bp.route("/clients/<int:client_id>/delete", methods=["GET", "POST"])
@login_required
def delete_client(client_id: int) -> Any:
    """Confirm, then delete the client with its sites and projects (an owner can restore them)."""
    scope = current_scope()
    client = get_or_404_in(scope, Client, client_id)
    scope.require(Action.DELETE_CLIENTS)  # after the lookup: an id the caller cannot see is a 404
    if request.method == "POST":
        deletion.delete_client(scope, client)
        flash(
            _("Client “%(name)s” deleted. An owner can restore it from Deleted items.", name=client.name),
            "success",
        )
        return redirect(url_for("clients.index"), 303)
    return confirm_deletion(
        _("the client “%(name)s”", name=client.name),
        deletion.consequences_of_client(client),
        url_for("clients.show_client", client_id=client.id),
    )


@bp.route("/sites/<int:site_id>/delete", methods=["GET", "POST"])
@login_required
def delete_site(site_id: int) -> Any:
    """Confirm, then delete the site with its projects (an owner can restore them)."""
    scope = current_scope()
    site = get_or_404_in(scope, Site, site_id)
    scope.require(Action.MANAGE_PROJECTS)
    if request.method == "POST":
        deletion.delete_site(scope, site)
        flash(
            _("Site “%(name)s” deleted. An owner can restore it from Deleted items.", name=site.name),
            "success",
        )
        return redirect(url_for("clients.show_client", client_id=site.client_id), 303)
    return confirm_deletion(
        _("the site “%(name)s” of %(client)s", name=site.name, client=site.client.name),
        deletion.consequences_of_site(site),
        url_for("clients.show_site", site_id=site.id),
    )
