"""The stage 2 go / no-go page: GO or NO-GO with each condition, its state and a link to fix it, and the
thresholds a consultant may change."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for

from app.domain.permissions import Action
from app.domain.text import _
from app.forms import StaleNotice, stale_notice
from app.gonogo.forms import ThresholdsForm
from app.projects.links import target_url
from app.services import gonogo as service
from app.services.errors import Invalid, StaleVersion
from app.web.access import current_scope, requires
from app.web.project_request import project

bp = Blueprint("gonogo", __name__, url_prefix="/go-no-go")


def _render(form: ThresholdsForm | None = None, status: int = 200, stale: StaleNotice | None = None) -> Any:
    current = project()
    verdict = service.go_no_go(current, date.today())
    links = {c.key: target_url(current.id, c.target, {}) for c in verdict.conditions}
    return render_template(
        "gonogo/show.html",
        project=current,
        verdict=verdict,
        links=links,
        form=form or ThresholdsForm(formdata=None, obj=current),
        may_change=current_scope().can(Action.MANAGE_PROJECTS),
        stale=stale,
    ), status


@bp.get("")
def show() -> Any:
    return _render()


@bp.post("")
@requires(Action.MANAGE_PROJECTS)
def update() -> Any:
    current = project()
    form = ThresholdsForm()
    if not form.validate_on_submit():
        return _render(form, 422)
    try:
        service.update_thresholds(
            current,
            version=form.version.data,
            readiness_threshold=form.readiness_threshold.data,
            operating_months=form.operating_months.data,
        )
    except StaleVersion as stale:
        saved = ThresholdsForm(formdata=None, obj=current)
        return _render(saved, 409, stale_notice(stale, form, saved))
    except Invalid as invalid:
        form.add_errors(invalid.fields)
        return _render(form, 422)
    flash(_("Go / no-go thresholds saved."), "success")
    return redirect(url_for("project.gonogo.show"), 303)
