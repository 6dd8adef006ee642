"""A project's quotes from certification bodies: the list with each quote's audit days against the IAF
MD 5 / MD 9 figure for the site, recording one, its page (total, warnings, accept or decline) and its edit
on the version read while it is received."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from app.domain.audit_days import format_days
from app.domain.certification_bodies import QuoteStatus, days_check
from app.domain.permissions import Action
from app.domain.text import _, ngettext
from app.forms import StaleNotice, stale_notice
from app.models import Quote
from app.quotes.forms import DecisionForm, QuoteForm, new_quote_data, quote_data, quote_form
from app.services import bodies as body_service
from app.services import quotes as service
from app.services.budget import minor_unit
from app.services.errors import Conflict, Invalid, StaleVersion
from app.web.access import current_scope, requires
from app.web.project_request import project

bp = Blueprint("quotes", __name__, url_prefix="/quotes")
bp.add_app_template_filter(format_days, "audit_days")  # 4.0 -> 4, 4.50 -> 4.5


def _quote(quote_id: int) -> Quote:
    return service.quote_in(current_scope(), project(), quote_id)


def _show_url(quote: Quote) -> Any:
    return redirect(url_for("project.quotes.show", quote_id=quote.id), 303)


def _form(data: dict[str, Any] | None = None, **kwargs: Any) -> QuoteForm:
    return quote_form(body_service.bodies_of(current_scope()), project().currency, data=data, **kwargs)


@bp.get("")
def index() -> Any:
    current = project()
    scope = current_scope()
    return render_template(
        "quotes/index.html",
        project=current,
        views=service.quote_views(current),
        expected=days_check(current.standard.code, current.site.employee_count),
        may_add=scope.can(Action.EDIT_CONTENT),
    )


def _form_page(form: QuoteForm, quote: Quote | None, status: int, stale: StaleNotice | None = None) -> Any:
    current = project()
    page = render_template(
        "quotes/form.html",
        project=current,
        form=form,
        quote=quote,
        expected=days_check(current.standard.code, current.site.employee_count),
        may_add_body=body_service.may_change(current_scope()),
        stale=stale,
    )
    return page, status


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def new() -> Any:
    if request.method == "GET":
        body_id = request.args.get("body_id", type=int)
        return _form_page(_form(new_quote_data(date.today(), body_id)), None, 200)
    form = _form()
    if form.validate_on_submit():
        try:
            quote = service.create_quote(current_scope(), project(), form.fields(), date.today())
        except Invalid as invalid:
            form.add_errors(invalid.fields)
        else:
            flash(_("Quote from %(name)s recorded.", name=quote.body.name), "success")
            return _show_url(quote)
    return _form_page(form, None, 422)


def _show_page(quote: Quote, status: int = 200, refusal: str | None = None, stale: bool = False) -> Any:
    scope = current_scope()
    view = service.view_of(project(), quote)
    page = render_template(
        "quotes/show.html",
        project=project(),
        view=view,
        quote=quote,
        accept_form=DecisionForm(formdata=None, data={"version": quote.version}, prefix="accept"),
        decline_form=DecisionForm(formdata=None, data={"version": quote.version}, prefix="decline"),
        may_edit=scope.can(Action.EDIT_CONTENT) and quote.status == QuoteStatus.RECEIVED,
        may_decide=scope.can(Action.MANAGE_PROJECTS),
        refusal=refusal,
        stale=stale,
    )
    return page, status


@bp.get("/<int:quote_id>")
def show(quote_id: int) -> Any:
    return _show_page(_quote(quote_id))


@bp.route("/<int:quote_id>/edit", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def edit(quote_id: int) -> Any:
    quote = _quote(quote_id)
    saved = _form(quote_data(quote, minor_unit(project())), formdata=None)
    if request.method == "GET":
        return _form_page(saved, quote, 200)
    form = _form()
    if form.validate_on_submit():
        try:
            service.update_quote(
                current_scope(), project(), quote, form.fields(), date.today(), form.version.data
            )
        except StaleVersion as stale:
            return _form_page(saved, quote, 409, stale_notice(stale, form, saved))
        except Conflict as conflict:
            return _show_page(quote, 409, refusal=conflict.message)
        except Invalid as invalid:
            form.add_errors(invalid.fields)
        else:
            flash(_("Quote saved."), "success")
            return _show_url(quote)
    return _form_page(form, quote, 422)


@bp.post("/<int:quote_id>/accept")
@requires(Action.MANAGE_PROJECTS)
def accept(quote_id: int) -> Any:
    quote = _quote(quote_id)
    form = DecisionForm(prefix="accept")
    if not form.validate_on_submit():
        return _show_page(quote, 400, refusal=_("The form expired; please try again."))
    already = quote.status == QuoteStatus.ACCEPTED
    try:
        lines = service.accept_quote(current_scope(), project(), quote, date.today(), form.version.data)
    except StaleVersion:
        return _show_page(quote, 409, stale=True)
    except Conflict as conflict:
        return _show_page(quote, 409, refusal=conflict.message)
    if already:
        flash(_("This quote was already accepted: nothing more was added to the budget."), "info")
    else:
        message = ngettext(
            "Quote accepted: %(name)s is the project's certification body; %(num)d budget line added.",
            "Quote accepted: %(name)s is the project's certification body; %(num)d budget lines added.",
            len(lines),
            name=quote.body.name,
        )
        flash(message, "success")
    return _show_url(quote)


@bp.post("/<int:quote_id>/decline")
@requires(Action.MANAGE_PROJECTS)
def decline(quote_id: int) -> Any:
    quote = _quote(quote_id)
    form = DecisionForm(prefix="decline")
    if not form.validate_on_submit():
        return _show_page(quote, 400, refusal=_("The form expired; please try again."))
    was_accepted = quote.status == QuoteStatus.ACCEPTED
    try:
        service.decline_quote(current_scope(), quote, form.version.data)
    except StaleVersion:
        return _show_page(quote, 409, stale=True)
    message = _("Quote declined.")
    if was_accepted:
        message = _(
            "Quote declined. The budget lines it added stay in the budget: delete them there if they no "
            "longer apply."
        )
    flash(message, "success")
    return _show_url(quote)
