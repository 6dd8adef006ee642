"""The training matrix page: people (rows) against training requirements (columns), each cell in words with
its date and revision, filtered by department, job role and state, with totals; it prints on A4 landscape."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from flask import Blueprint, render_template, request

from app.domain.training import CELL_LABELS
from app.domain.training_progress import REQUIRED_STATES, completion, state_shares
from app.pagination import Page, page_number
from app.services import training_matrix as service
from app.training_matrix.words import columns, filter_bar, rows
from app.web.project_request import project

bp = Blueprint("training_matrix", __name__, url_prefix="/training-matrix")

PER_PAGE = 50  # people a page; ?all=1 shows everyone on one page, to print


@bp.get("")
def index() -> Any:
    today = date.today()
    choices = service.filter_choices(project(), today)
    args = request.args
    asked = service.clean_request(choices, args.get("department"), args.get("job_role"), args.get("state"))
    page = service.matrix_page(project(), today, asked)
    everyone = page.matrix.people
    whole = request.args.get("all") == "1"  # every row on one page, to print
    per_page = max(1, len(everyone)) if whole else PER_PAGE
    pages = Page(page_number(request.args.get("page")), per_page, len(everyone))
    pages = Page(min(pages.number, pages.pages), per_page, pages.total)  # past the last page: the last
    start = (pages.number - 1) * per_page
    shown_rows = replace(page.matrix, people=everyone[start : start + per_page])
    return render_template(
        "training_matrix/index.html",
        project=project(),
        page=page,
        pages=pages,
        whole=whole,
        columns=columns(page.matrix, page.revision_labels),
        rows=rows(shown_rows, page.revision_labels),
        filter_bar=filter_bar(choices, asked),
        shares=state_shares(page.counts),
        overall=completion(page.counts),
        shown=completion(page.matrix.counts()),
        states=REQUIRED_STATES,
        labels=CELL_LABELS,
        today=today,
    )
