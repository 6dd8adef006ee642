"""The exporter's share links, for the whole workspace: every certificate the user sees with its links, a
form to create one (the full link is shown once, with its QR code), revoking, and the optional progress
page of a project not yet certified.

Seeing the page takes a member; creating and revoking links, and turning a project's progress page on or
off, publish the workspace's records to outsiders, so they take MANAGE_PROJECTS (owners, consultants and
client managers), like editing the project itself.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from app.domain.ids import is_id
from app.domain.permissions import Action
from app.domain.text import _, _l
from app.models.base import utcnow
from app.services import sharing
from app.services.errors import Invalid, StaleVersion
from app.sharing.forms import ProgressForm, RevokeForm, ShareLinkForm, parse_target, target_value
from app.sharing.public import page_url
from app.web.access import current_scope, requires

bp = Blueprint("sharing", __name__, url_prefix="/share-links")
CHOOSE_TARGET = _l("Choose a certificate (or a project showing its progress) from the list.")


def _choices(page: sharing.SharingPage) -> list[tuple[str, str]]:
    certificates = [
        (
            target_value("certificate", row.certificate.id),
            _(
                "%(client)s: %(standard)s certificate %(number)s (%(status)s)",
                client=row.certificate.client.name,
                standard=row.certificate.standard.name,
                number=row.certificate.number,
                status=str(row.status_label).lower(),
            ),
        )
        for row in page.certificates
    ]
    progress = [
        (
            target_value("project", row.project.id),
            _(
                "%(client)s: progress towards %(standard)s (%(site)s)",
                client=row.project.client.name,
                standard=row.project.standard.name,
                site=row.project.site.name,
            ),
        )
        for row in page.projects
        if row.project.show_progress_to_buyers and not row.certified
    ]
    return certificates + progress


def _management_page() -> sharing.SharingPage:
    return sharing.management_page(current_scope(), date.today(), utcnow())


def _page(form: ShareLinkForm | None = None, new: sharing.NewLink | None = None, status: int = 200,
          notice: str | None = None, page: sharing.SharingPage | None = None) -> Any:  # fmt: skip
    page = page or _management_page()
    if form is None:
        form = ShareLinkForm(formdata=None)
        wanted = request.args.get("certificate", "")
        if is_id(wanted):
            form.target.data = target_value("certificate", wanted)
    form.offer(_choices(page))
    new_url = page_url(new.token) if new else None
    body = render_template(
        "sharing/index.html", page=page, form=form, new=new, new_url=new_url, notice=notice,
    )  # fmt: skip
    return body, status


@bp.get("")
@login_required
def index() -> Any:
    return _page()


def _target(kind: str, object_id: int) -> sharing.Target:
    if kind == "certificate":
        return sharing.Target(certificate=sharing.certificate_in(current_scope(), object_id))
    return sharing.Target(project=sharing.project_for_progress(current_scope(), object_id))


@bp.post("")
@login_required
@requires(Action.MANAGE_PROJECTS)
def create() -> Any:
    page = _management_page()
    form = ShareLinkForm().offer(_choices(page))
    target = parse_target(form.target.data)
    if not form.validate_on_submit() or target is None:
        if target is None:
            form.target.errors = [*form.target.errors, str(CHOOSE_TARGET)]
        return _page(form, status=422, page=page)
    try:
        created = sharing.create_link(
            current_scope(), _target(*target), form.label.data or "", form.expires_on.data, date.today()
        )
    except Invalid as invalid:
        for name, message in invalid.fields.items():
            form[name].errors = [*form[name].errors, message]
        return _page(form, status=422, page=page)
    return _page(new=created)


@bp.post("/<int:share_link_id>/revoke")
@login_required
@requires(Action.MANAGE_PROJECTS)
def revoke(share_link_id: int) -> Any:
    link = sharing.link_in(current_scope(), share_link_id)
    if not RevokeForm().validate_on_submit():
        flash(_("The form expired; please revoke the link again."), "warning")
        return redirect(url_for("sharing.index"), 303)
    sharing.revoke(link, utcnow())
    flash(_("The link “%(label)s” is revoked: it no longer opens.", label=link.label), "success")
    return redirect(url_for("sharing.index"), 303)


@bp.post("/projects/<int:project_id>/progress")
@login_required
@requires(Action.MANAGE_PROJECTS)
def progress(project_id: int) -> Any:
    project = sharing.project_for_progress(current_scope(), project_id)
    form = ProgressForm()
    if not form.validate_on_submit():
        return _page(
            status=422, notice=_("The change was not saved: turn the progress page on or off again.")
        )
    try:
        sharing.set_progress_sharing(project, form.show.data == "on", form.version.data)
    except StaleVersion:
        notice = _("Someone else saved this project meanwhile: nothing was changed. Look again, then choose.")
        return _page(status=409, notice=notice)
    if project.show_progress_to_buyers:
        flash(_("Buyers you send a progress link to now see this project's progress."), "success")
    else:
        flash(_("The progress page is off: every progress link of this project stops opening."), "success")
    return redirect(url_for("sharing.index"), 303)
