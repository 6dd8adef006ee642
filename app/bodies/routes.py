"""The workspace's certification bodies, reused across its projects: the list, a body's page (with the
accreditation warning and the projects that chose it), adding one and editing it on the version read."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required

from app.bodies.forms import BodyForm, body_data
from app.domain.certification import IAF_CERTSEARCH
from app.domain.permissions import Action
from app.domain.text import _
from app.forms import StaleNotice, stale_notice
from app.models import CertificationBody
from app.services import bodies as service
from app.services.errors import Invalid, Refused, StaleVersion
from app.web.access import current_scope, requires

bp = Blueprint("bodies", __name__, url_prefix="/certification-bodies")


# Every page that shows a body links to IAF CertSearch to check its accreditation: a global, so the macros
# imported without context see it too.
bp.add_app_template_global(IAF_CERTSEARCH, "iaf_certsearch")


def _form_page(
    form: BodyForm, body: CertificationBody | None, status: int = 200, stale: StaleNotice | None = None
) -> Any:
    page = render_template(
        "bodies/form.html",
        form=form,
        body=body,
        warning=service.warning_of(body) if body else None,
        stale=stale,
    )
    return page, status


def _saved(body: CertificationBody, added: bool) -> Any:
    warning = service.warning_of(body)
    if added:
        flash(_("Certification body “%(name)s” added.", name=body.name), "success")
    else:
        flash(_("Certification body “%(name)s” saved.", name=body.name), "success")
    if warning:
        flash(warning, "warning")
    return redirect(url_for("bodies.show", body_id=body.id), 303)


@bp.get("")
@login_required
def index() -> Any:
    scope = current_scope()
    return render_template(
        "bodies/index.html", views=service.body_views(scope), may_add=service.may_change(scope)
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
@requires(Action.MANAGE_PROJECTS)
def new() -> Any:
    form = BodyForm()
    if not form.is_submitted():
        return _form_page(form, None)
    if form.validate():
        try:
            body = service.create_body(current_scope(), form.fields())
        except Invalid as invalid:
            form.add_errors(invalid.fields)
        else:
            return _saved(body, added=True)
    return _form_page(form, None, 422)


@bp.get("/<int:body_id>")
@login_required
def show(body_id: int) -> Any:
    scope = current_scope()
    body = service.body_in(scope, body_id)
    return render_template(
        "bodies/show.html",
        view=service.view_of(body),
        projects=service.projects_choosing(scope, body),
        may_edit=service.may_change(scope, body),
    )


@bp.route("/<int:body_id>/edit", methods=["GET", "POST"])
@login_required
@requires(Action.MANAGE_PROJECTS)
def edit(body_id: int) -> Any:
    scope = current_scope()
    body = service.body_in(scope, body_id)
    if not service.may_change(scope, body):
        raise Refused(service.USED_BY_OTHERS)
    saved = BodyForm(formdata=None, data=body_data(body))
    form = BodyForm()
    if not form.is_submitted():
        return _form_page(saved, body)
    if form.validate():
        try:
            service.update_body(scope, body, form.fields(), form.version.data)
        except StaleVersion as stale:
            return _form_page(saved, body, 409, stale_notice(stale, form, saved))
        except Invalid as invalid:
            form.add_errors(invalid.fields)
        else:
            return _saved(body, added=False)
    return _form_page(form, body, 422)
