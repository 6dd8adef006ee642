"""Turn the domain's plain next-step targets into URLs (the domain knows no routes)."""

from __future__ import annotations

from typing import Any

from flask import url_for

from app.domain.next_steps import NextStep
from app.domain.registers import RegisterKey
from app.models import Task
from app.registers.links import register_url


def target_url(project_id: int, target: tuple[str, Any], tasks: dict[int, Task]) -> str:
    kind, params = target
    if kind == "gap_analysis":
        return url_for("project.gap.index", project_id=project_id, **params)
    if kind == "training_matrix":
        return url_for("project.training_matrix.index", project_id=project_id, **params)
    if kind == "documents":
        return url_for("project.documents.index", project_id=project_id, **params)
    if kind == "finding":
        return url_for("project.findings.show", project_id=project_id, **params)
    if kind == "findings":
        return url_for("project.findings.index", project_id=project_id, **params)
    if kind == "external_audits":
        return url_for("project.external_audits.index", project_id=project_id, **params)
    if kind == "reviews":
        return url_for("project.reviews.index", project_id=project_id, **params)
    if kind == "evidence":
        return url_for("project.evidence.index", project_id=project_id, **params)
    if kind == "register":
        query = {name: value for name, value in params.items() if name != "key"}
        return register_url(project_id, RegisterKey(params["key"]), **query)
    if kind == "gonogo":
        return url_for("project.gonogo.show", project_id=project_id)
    if kind == "stage":
        return url_for("project.stages.show", project_id=project_id, stage=params["stage"])
    if kind == "task" and params.get("task_id") in tasks:
        task = tasks[params["task_id"]]
        return url_for(
            "project.stages.show", project_id=project_id, stage=task.stage, _anchor=f"task-{task.id}"
        )
    return url_for("project.show", project_id=project_id)


def step_links(project_id: int, steps: list[NextStep], tasks: list[Task]) -> list[tuple[NextStep, str]]:
    by_id = {task.id: task for task in tasks}
    return [(step, target_url(project_id, step.target, by_id)) for step in steps]
