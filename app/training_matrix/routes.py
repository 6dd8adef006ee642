"""The training matrix page: people (rows) against training requirements (columns), each cell in words with
its date and revision, filtered by department, job role and state, with totals; it prints on A4 landscape."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, render_template, request

from app.domain.training import CELL_LABELS
from app.domain.training_progress import REQUIRED_STATES, completion, state_shares
from app.services import training_matrix as service
from app.training_matrix.words import columns, filter_bar, rows
from app.web.project_request import project

bp = Blueprint("training_matrix", __name__, url_prefix="/training-matrix")


@bp.get("")
def index() -> Any:
    today = date.today()
    choices = service.filter_choices(project(), today)
    args = request.args
    asked = service.clean_request(choices, args.get("department"), args.get("job_role"), args.get("state"))
    page = service.matrix_page(project(), today, asked)
    return render_template(
        "training_matrix/index.html",
        project=project(),
        page=page,
        columns=columns(page.matrix, page.revision_labels),
        rows=rows(page.matrix, page.revision_labels),
        filter_bar=filter_bar(choices, asked),
        shares=state_shares(page.counts),
        overall=completion(page.counts),
        shown=completion(page.matrix.counts()),
        states=REQUIRED_STATES,
        labels=CELL_LABELS,
        today=today,
    )
