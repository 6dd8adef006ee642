"""Stage pages: dates and status, the checklist, exit criteria, audit findings, and marking a stage done."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import login_required

from app.domain.pathway import Stage
from app.domain.permissions import Action
from app.extensions import db
from app.forms import select_choices
from app.models import FINDING_STAGES, CertificationProject
from app.services import evidence_views
from app.services import pathway as pathway_service
from app.services import stages as stage_service
from app.services.scope import current_scope, get_or_404_in
from app.stages.forms import FindingForm, StageForm, TaskForm

bp = Blueprint("stages", __name__, url_prefix="/projects/<int:project_id>")

STAGE_FIELDS = ("planned_start", "planned_end", "actual_start", "actual_end")
TASK_FIELDS = ("title", "owner", "due_date", "status", "notes", "document_ref")
FINDING_FIELDS = (
    "clause_number",
    "severity",
    "status",
    "description",
    "corrective_action",
    "raised_on",
    "closed_on",
)


def _project(project_id: int, action: Action | None = None) -> CertificationProject:
    scope = current_scope()
    project = get_or_404_in(scope, CertificationProject, project_id)
    if action is not None:
        scope.require(action)
    return project


def _stage_key(stage: str) -> str:
    if stage not in {s.value for s in Stage}:
        abort(404)
    return stage


def _stage_url(project: CertificationProject, stage: str, anchor: str | None = None) -> str:
    return url_for("stages.show", project_id=project.id, stage=stage, _anchor=anchor)


def _stage_form(row: Any, **kwargs: Any) -> StageForm:
    """Done is reached only through the exit criteria; a done stage may be kept done or reopened."""
    form = StageForm(**kwargs)
    if row.status == "done":
        form.status.choices = select_choices([("done", "Done"), ("in_progress", "Reopen (in progress)")])
    return form


def _render(project: CertificationProject, stage: str, status: int = 200, **forms: Any) -> Any:
    overview = pathway_service.project_overview(project, date.today())
    view = overview.stage(stage)
    stage_form = forms.get("stage_form") or _stage_form(view.row, obj=view.row)
    findings = stage_service.findings_of(project, stage) if stage in FINDING_STAGES else None
    return render_template(
        "stages/show.html",
        project=project,
        overview=overview,
        view=view,
        stage_form=stage_form,
        task_form=forms.get("task_form") or TaskForm(formdata=None),
        finding_form=forms.get("finding_form") or FindingForm(formdata=None, raised_on=date.today()),
        findings=findings,
        evidence=evidence_views.task_evidence(project, [task.id for task in view.tasks], date.today()),
        today=date.today(),
    ), status


@bp.get("/stages/<stage>")
@login_required
def show(project_id: int, stage: str) -> Any:
    return _render(_project(project_id), _stage_key(stage))


@bp.post("/stages/<stage>")
@login_required
def update(project_id: int, stage: str) -> Any:
    project = _project(project_id, Action.EDIT_CONTENT)
    row = stage_service.stage_row(project, _stage_key(stage))
    form = _stage_form(row)
    if not form.validate_on_submit():
        return _render(project, stage, 422, stage_form=form)
    pathway_service.update_stage(
        row, status=form.status.data, **{name: form[name].data for name in STAGE_FIELDS}
    )
    db.session.commit()
    flash("Stage saved.", "success")
    return redirect(_stage_url(project, stage), 303)


@bp.post("/stages/<stage>/complete")
@login_required
def complete(project_id: int, stage: str) -> Any:
    project = _project(project_id, Action.EDIT_CONTENT)
    overview = pathway_service.project_overview(project, date.today())
    unmet = pathway_service.complete_stage(overview, _stage_key(stage), date.today())
    if unmet:
        flash("This stage cannot be marked done yet: see the exit criteria that do not hold.", "danger")
        return _render(project, stage, 409)
    db.session.commit()
    flash(f"{overview.stage(stage).info.title} is done.", "success")
    return redirect(url_for("projects.show_project", project_id=project.id), 303)


@bp.post("/stages/<stage>/tasks")
@login_required
def add_task(project_id: int, stage: str) -> Any:
    project = _project(project_id, Action.EDIT_CONTENT)
    form = TaskForm()
    if not form.validate_on_submit():
        return _render(project, _stage_key(stage), 422, task_form=form)
    task = stage_service.add_task(project, _stage_key(stage), **{n: form[n].data for n in TASK_FIELDS})
    db.session.commit()
    flash("Task added.", "success")
    return redirect(_stage_url(project, stage, f"task-{task.id}"), 303)


@bp.route("/tasks/<int:task_id>", methods=["GET", "POST"])
@login_required
def edit_task(project_id: int, task_id: int) -> Any:
    project = _project(project_id)
    task = stage_service.task_in(current_scope(), project, task_id)
    form = TaskForm(obj=task)
    if form.is_submitted():
        current_scope().require(Action.EDIT_CONTENT)
    if form.validate_on_submit():
        for name in TASK_FIELDS:
            setattr(task, name, form[name].data)
        db.session.commit()
        flash("Task saved.", "success")
        return redirect(_stage_url(project, task.stage, f"task-{task.id}"), 303)
    status = 422 if form.errors else 200
    return render_template("stages/task.html", project=project, task=task, form=form), status


def _finding_valid(project: CertificationProject, form: FindingForm) -> bool:
    if not form.validate_on_submit():
        return False
    number = form.clause_number.data
    if number and not stage_service.clause_exists(project, number):
        form.clause_number.errors.append(f"{project.standard.name} has no clause {number}.")
        return False
    return True


@bp.post("/stages/<stage>/findings")
@login_required
def add_finding(project_id: int, stage: str) -> Any:
    project = _project(project_id, Action.EDIT_CONTENT)
    if _stage_key(stage) not in FINDING_STAGES:
        abort(404)
    form = FindingForm()
    valid = _finding_valid(project, form)
    if not valid:
        return _render(project, stage, 422, finding_form=form)
    finding = stage_service.add_finding(project, stage, **{n: form[n].data for n in FINDING_FIELDS})
    db.session.commit()
    flash("Finding recorded.", "success")
    return redirect(_stage_url(project, stage, f"finding-{finding.id}"), 303)


@bp.route("/findings/<int:finding_id>", methods=["GET", "POST"])
@login_required
def edit_finding(project_id: int, finding_id: int) -> Any:
    project = _project(project_id)
    finding = stage_service.finding_in(current_scope(), project, finding_id)
    form = FindingForm(obj=finding)
    if form.is_submitted():
        current_scope().require(Action.EDIT_CONTENT)
    valid = _finding_valid(project, form)
    if valid:
        for name in FINDING_FIELDS:
            setattr(finding, name, form[name].data)
        db.session.commit()
        flash("Finding saved.", "success")
        return redirect(_stage_url(project, finding.stage, f"finding-{finding.id}"), 303)
    status = 422 if form.errors else 200
    return render_template("stages/finding.html", project=project, finding=finding, form=form), status
