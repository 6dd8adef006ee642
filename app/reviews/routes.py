"""Management review pages: the list of reviews with every open action, recording a review (its inputs
pre-filled from the app's records), the review's page (the record, every required input, the decisions
and actions under each output of the standard), an action done, and the printable minutes."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from app.domain import reviews as rules
from app.domain.permissions import Action
from app.domain.text import _, _l
from app.forms import StaleNotice, stale_notice
from app.models import CertificationProject, ManagementReview
from app.reviews.forms import (
    DoneForm,
    MinutesForm,
    OutputForm,
    RecordForm,
    done_prefix,
    minutes_data,
    minutes_form,
    output_prefix,
)
from app.reviews.words import register_words
from app.services import reviews as service
from app.services.errors import Conflict, Invalid, StaleVersion
from app.services.scope import Scope
from app.web.access import current_scope, requires
from app.web.project_request import project as current_project

bp = Blueprint("reviews", __name__, url_prefix="/reviews")
register_words(bp)
_RECORDED = {
    rules.OutputKind.DECISION: _l("Decision recorded."),
    rules.OutputKind.ACTION: _l("Action recorded."),
}


def _review(review_id: int) -> tuple[Scope, CertificationProject, ManagementReview]:
    scope, project = current_scope(), current_project()
    return scope, project, service.review_in(scope, project, review_id)


def _show_url(review: ManagementReview, anchor: str | None = None) -> Any:
    return redirect(url_for("project.reviews.show", review_id=review.id, _anchor=anchor), 303)


def _add_errors(form: Any, error: Invalid | Conflict) -> str | None:
    """The service's messages beside their fields; the message to show above, when none has a field."""
    form.add_errors(error.fields)
    shown = [name for name in error.fields if name in form or name.startswith("inputs.")]
    return None if shown else error.message


@bp.get("")
def index() -> Any:
    project = current_project()
    listed = service.review_list(project, date.today())
    return render_template(
        "reviews/index.html",
        project=project,
        reviews=listed.reviews,
        actions=listed.open_actions,
        may_edit=current_scope().can(Action.EDIT_CONTENT),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT)
def new() -> Any:
    scope, project, today = current_scope(), current_project(), date.today()
    defaults = None if request.method == "POST" else vars(service.new_review_fields(project, today))
    form = RecordForm(data=defaults)
    refusal = None
    if form.validate_on_submit():
        try:
            review = service.create_review(scope, project, form.fields(), today)
        except Invalid as invalid:
            refusal = _add_errors(form, invalid)
        else:
            flash(
                _(
                    "Review recorded. The inputs the app knows about are written in from its records: read "
                    "them, write the others, then record the decisions and actions."
                ),
                "success",
            )
            return _show_url(review)
    page = render_template("reviews/new.html", project=project, form=form, refusal=refusal)
    return page, 422 if form.is_submitted() else 200


# The review's page


def _render_show(
    scope: Scope,
    project: CertificationProject,
    review: ManagementReview,
    status: int = 200,
    posted: dict[Any, FlaskForm] | None = None,
    stale: StaleNotice | None = None,
    refusal: str | None = None,
) -> Any:
    """The review's page; ``posted`` holds a refused form (``"minutes"``, ``("output", category)`` or
    ``("done", output id)``) to show again with what was typed and its errors."""
    posted = posted or {}
    today = date.today()
    family = service.family_of(project)
    facts = service.facts_of(review)
    sections = service.output_sections(project, review, today)
    still_open = (rules.ActionState.OPEN, rules.ActionState.OVERDUE)
    open_actions = [line.output for s in sections for line in s.lines if line.state in still_open]
    return render_template(
        "reviews/show.html",
        project=project,
        review=review,
        form=posted.get("minutes") or minutes_form(family)(formdata=None, data=minutes_data(review)),
        sections=sections,
        output_forms={
            s.category.key: posted.get(("output", s.category.key))
            or OutputForm(formdata=None, prefix=output_prefix(s.category.key), data={"kind": "action"})
            for s in sections
        },
        done_forms={
            o.id: posted.get(("done", o.id))
            or DoneForm(
                formdata=None, prefix=done_prefix(o.id), data={"done_on": today, "version": o.version}
            )
            for o in open_actions
        },
        missing_inputs=facts.missing_inputs(family),
        missing_outputs=facts.missing_outputs(family),
        clauses=rules.CLAUSES[family],
        may_edit=scope.can(Action.EDIT_CONTENT),
        stale=stale,
        refusal=refusal,
    ), status


def _refused(
    scope: Scope,
    project: CertificationProject,
    review: ManagementReview,
    error: Invalid | Conflict,
    key: Any,
    form: FlaskForm,
) -> Any:
    """The page again with the refused form as typed: 422 for values that break a rule, 409 for a step
    the record's state (or a newer copy) does not allow. Nothing was changed: the request rolls back."""
    refusal = _add_errors(form, error)
    if isinstance(error, StaleVersion):
        refusal = _(
            "%(message)s The page now shows it as it is saved; look again before you retry.",
            message=error.message,
        )
    elif isinstance(error, Conflict):
        refusal = error.message
    status = 422 if isinstance(error, Invalid) else 409
    # A stale form is shown afresh, on the version now saved; any other keeps what was typed.
    posted = {} if isinstance(error, StaleVersion) else {key: form}
    return _render_show(scope, project, review, status, posted, refusal=refusal)


@bp.route("/<int:review_id>", methods=["GET", "POST"])
@requires(Action.EDIT_CONTENT, methods=("POST",))
def show(review_id: int) -> Any:
    scope, project, review = _review(review_id)
    if request.method == "GET":
        return _render_show(scope, project, review)
    form_class = minutes_form(service.family_of(project))
    saved = form_class(formdata=None, data=minutes_data(review))
    form: MinutesForm = form_class()
    if not form.validate_on_submit():
        return _render_show(scope, project, review, 422, {"minutes": form})
    try:
        service.update_review(
            scope, project, review, form.fields(), form.inputs(), form.version.data, date.today()
        )
    except StaleVersion as stale:
        return _render_show(scope, project, review, 409, {"minutes": saved}, stale_notice(stale, form, saved))
    except Invalid as invalid:
        refusal = _add_errors(form, invalid)
        return _render_show(scope, project, review, 422, {"minutes": form}, refusal=refusal)
    flash(_("Minutes saved."), "success")
    return _show_url(review)


@bp.post("/<int:review_id>/outputs")
@requires(Action.EDIT_CONTENT)
def output(review_id: int) -> Any:
    scope, project, review = _review(review_id)
    category = request.args.get("category", "")
    known = {item.key for item in rules.review_outputs(service.family_of(project))}
    if category not in known:
        message = _("Choose which output of the review this is: add it under one of the outputs below.")
        return _render_show(scope, project, review, 422, refusal=message)
    form = OutputForm(prefix=output_prefix(category))
    key = ("output", category)
    if not form.validate_on_submit():
        return _render_show(scope, project, review, 422, {key: form})
    try:
        added = service.add_output(scope, project, review, form.fields(category))
    except Invalid as invalid:
        return _refused(scope, project, review, invalid, key, form)
    flash(str(_RECORDED[rules.OutputKind(added.kind)]), "success")
    return _show_url(review, f"output-{category}")


@bp.post("/<int:review_id>/outputs/<int:output_id>/done")
@requires(Action.EDIT_CONTENT)
def output_done(review_id: int, output_id: int) -> Any:
    scope, project, review = _review(review_id)
    action = service.output_in(review, output_id)
    form = DoneForm(prefix=done_prefix(action.id))
    key = ("done", action.id)
    if not form.validate_on_submit():
        return _render_show(scope, project, review, 422, {key: form})
    try:
        service.mark_done(scope, review, action, form.done_on.data, form.version.data, date.today())
    except (Invalid, Conflict) as error:
        return _refused(scope, project, review, error, key, form)
    flash(_("Action recorded as done."), "success")
    return _show_url(review, f"output-{action.category}")


@bp.get("/<int:review_id>/minutes")
def minutes(review_id: int) -> Any:
    _, project, review = _review(review_id)
    family = service.family_of(project)
    texts = {entry.key: entry.text for entry in review.inputs}
    return render_template(
        "reviews/minutes.html",
        project=project,
        review=review,
        attendees=rules.attendee_list(review.attendees),
        inputs=[(item, texts.get(item.key, "")) for item in rules.review_inputs(family)],
        sections=service.output_sections(project, review, date.today()),
        clauses=rules.CLAUSES[family],
    )
