"""Certificate pages (workspace level): every certificate with its status, recording one for a client and its
sites, its page with the cycle (surveillance windows, audits held, the next one due), its edit on the version
read, and the announced new editions of a standard (recorded by an owner)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.certificates.forms import STATUS_BADGES, CertificateForm, TransitionForm, certificate_data
from app.domain.ids import is_id
from app.domain.permissions import Action
from app.domain.text import _
from app.forms import StaleNotice, stale_notice
from app.models import Certificate, Client
from app.services import bodies as body_service
from app.services import certificates as service
from app.services.errors import Invalid, StaleVersion
from app.web.access import current_scope, requires

bp = Blueprint("certificates", __name__, url_prefix="/certificates")


@bp.before_request
def login_first() -> Any:
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    return None


@bp.app_template_filter("certificate_badge")
def certificate_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "text-bg-light border")


def _add_errors(form: Any, error: Invalid) -> str | None:
    shown = {name: message for name, message in error.fields.items() if name in form}
    form.add_errors(shown)
    return None if shown else error.message


def _form(client: Client, **kwargs: Any) -> CertificateForm:
    return CertificateForm(**kwargs).setup(
        service.live_sites(client),
        service.live_projects(client),
        body_service.bodies_of(current_scope()),
        service.standards(),
    )


def _transition_form(**kwargs: Any) -> TransitionForm:
    return TransitionForm(prefix="transition", **kwargs).setup(service.standard_codes())


def _client_filter() -> Client | None:
    text = request.args.get("client_id", "")
    return service.client_for_certificate(current_scope(), int(text)) if is_id(text) else None


def _index(
    transition_form: TransitionForm | None = None, status: int = 200, refusal: str | None = None
) -> Any:
    scope, today, client = current_scope(), date.today(), _client_filter()
    return render_template(
        "certificates/index.html",
        client=client,
        views=service.brief_views(service.certificate_list(scope, client), scope.workspace_id, today),
        transitions=service.transitions(scope.workspace_id),
        transition_form=transition_form or _transition_form(formdata=None),
        may_edit=scope.can(Action.MANAGE_PROJECTS),
        may_announce=scope.can(Action.MANAGE_WORKSPACE),
        refusal=refusal,
    ), status


@bp.get("")
def index() -> Any:
    return _index()


@bp.post("/transitions")
@requires(Action.MANAGE_WORKSPACE)
def transition() -> Any:
    form = _transition_form()
    if not form.validate_on_submit():
        return _index(form, 422)
    try:
        found = service.record_transition(current_scope(), form.fields(), date.today())
    except Invalid as invalid:
        return _index(form, 422, _add_errors(form, invalid))
    flash(
        _(
            "%(edition)s recorded: certificates to the previous edition show its deadline.",
            edition=found.edition,
        ),
        "success",
    )
    return redirect(url_for("certificates.index"), 303)


@bp.get("/new")
@requires(Action.MANAGE_PROJECTS)
def choose_client() -> Any:
    return render_template("certificates/choose.html", clients=service.clients(current_scope()))


@bp.route("/new/<int:client_id>", methods=["GET", "POST"])
@requires(Action.MANAGE_PROJECTS)
def new(client_id: int) -> Any:
    scope = current_scope()
    client = service.client_for_certificate(scope, client_id)
    project_id = request.args.get("project_id", "")
    prefill = None if request.method == "POST" else {"project_id": project_id}
    form = _form(client, data=prefill)
    refusal = None
    if form.validate_on_submit():
        try:
            certificate = service.create_certificate(scope, client, form.fields(), date.today())
        except Invalid as invalid:
            refusal = _add_errors(form, invalid)
        else:
            flash(_("Certificate %(number)s recorded.", number=certificate.number), "success")
            return redirect(url_for("certificates.show", certificate_id=certificate.id), 303)
    page = render_template(
        "certificates/form.html", client=client, form=form, certificate=None, refusal=refusal
    )
    return page, 422 if form.is_submitted() else 200


@bp.get("/<int:certificate_id>")
def show(certificate_id: int) -> Any:
    certificate = service.certificate_in(current_scope(), certificate_id)
    return render_template(
        "certificates/show.html",
        view=service.certificate_view(certificate, date.today()),
        certificate=certificate,
        may_edit=current_scope().can(Action.MANAGE_PROJECTS),
    )


def _edit_page(certificate: Certificate, form: CertificateForm, status: int = 200, **extra: Any) -> Any:
    page = render_template(
        "certificates/form.html", client=certificate.client, form=form, certificate=certificate, **extra
    )
    return page, status


@bp.route("/<int:certificate_id>/edit", methods=["GET", "POST"])
@requires(Action.MANAGE_PROJECTS)
def edit(certificate_id: int) -> Any:
    scope = current_scope()
    certificate = service.certificate_in(scope, certificate_id)
    saved = _form(certificate.client, formdata=None, data=certificate_data(certificate))
    if request.method == "GET":
        return _edit_page(certificate, saved)
    form = _form(certificate.client)
    if not form.validate_on_submit():
        return _edit_page(certificate, form, 422)
    try:
        service.update_certificate(scope, certificate, form.fields(), date.today(), form.version.data)
    except StaleVersion as stale:
        notice: StaleNotice = stale_notice(stale, form, saved)
        return _edit_page(certificate, saved, 409, stale=notice)
    except Invalid as invalid:
        return _edit_page(certificate, form, 422, refusal=_add_errors(form, invalid))
    flash(_("Certificate %(number)s saved.", number=certificate.number), "success")
    return redirect(url_for("certificates.show", certificate_id=certificate.id), 303)
