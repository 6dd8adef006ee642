"""The consultant's home: the portfolio of every project the user may see, and the review queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import login_required

from app.domain import portfolio as rules
from app.domain.pathway import STAGES
from app.domain.text import _l
from app.pagination import Page, page_number
from app.portfolio.charts import portfolio_charts
from app.services import portfolio as portfolio_service
from app.services import review_queue as queue_service
from app.web.access import current_scope

bp = Blueprint("portfolio", __name__)

PER_PAGE = 25
SORT_LABELS = {
    "client": _l("Client"),
    "site": _l("Site"),
    "country": _l("Country"),
    "standard": _l("Standard"),
    "stage": _l("Current stage"),
    "readiness": _l("Readiness"),
    "coverage": _l("Evidence coverage"),
    "milestone": _l("Next milestone"),
    "overdue": _l("Overdue items"),
    "majors": _l("Open majors"),
    "budget": _l("Budget spent"),
    "target": _l("Days to target"),
    "status": _l("Status"),
}
# Where each kind of queue item is acted on: (endpoint, the id's argument).
QUEUE_LINKS = {
    queue_service.EVIDENCE: ("project.evidence.show", "evidence_id"),
    queue_service.REVISION: ("project.documents.show", "document_id"),
    queue_service.TASK: ("project.stages.edit_task", "task_id"),
    queue_service.FINDING_ACTION: ("project.findings.show", "finding_id"),
    queue_service.REVIEW_ACTION: ("project.reviews.show", "review_id"),
}
STAGE_TITLES = {info.key.value: info.title for info in STAGES} | {"done": _l("All stages done")}


@dataclass(frozen=True)
class SortLink:
    label: str
    url: str
    aria_sort: str | None  # "ascending" or "descending" on the column the table is sorted by


def _kept(query: portfolio_service.Query) -> dict[str, str]:
    """The query's filters and search as URL arguments (the page and the sort are added by each link)."""
    return {**query.filters, **({"q": query.search} if query.search else {})}


def _sort_links(query: portfolio_service.Query) -> dict[str, SortLink]:
    links = {}
    for column, label in SORT_LABELS.items():
        current = column == query.sort
        descending = not query.descending if current else False
        url = url_for("portfolio.index", **_kept(query), sort=column, dir="desc" if descending else "asc")
        aria = ("descending" if query.descending else "ascending") if current else None
        links[column] = SortLink(label, url, aria)
    return links


@bp.get("/portfolio")
@login_required
def index() -> Any:
    scope = current_scope()
    query = portfolio_service.Query.parse(request.args, page_number(request.args.get("page")))
    if not query.narrowed:
        first = portfolio_service.first_projects(scope)
        if not first:  # nothing to show yet: the client list says how to set up a client (or one's company)
            return redirect(url_for("clients.index"))
        if len(first) == 1 and scope.workspace_kind == "exporter":
            return redirect(url_for("project.show", project_id=first[0]))
    today = date.today()
    found = portfolio_service.portfolio(scope, query, PER_PAGE, today)
    return render_template(
        "portfolio/index.html",
        found=found,
        query=query,
        page=Page(number=query.page, per_page=PER_PAGE, total=found.total),
        charts=portfolio_charts(found.readiness, found.upcoming, found.stages, today),
        stage_titles=STAGE_TITLES,
        status_labels=rules.STATUS_LABELS,
        legend=rules.legend(),
        milestone_label=rules.milestone_label,
        today=today,
        sorts=_sort_links(query),
        pager_args=_kept(query) | {"sort": query.sort, "dir": "desc" if query.descending else "asc"},
    )


@bp.get("/review-queue")
@login_required
def review_queue() -> Any:
    number = page_number(request.args.get("page"))
    today = date.today()
    items, total = queue_service.review_queue(current_scope(), number, PER_PAGE, today)
    return render_template(
        "portfolio/review_queue.html",
        items=items,
        page=Page(number=number, per_page=PER_PAGE, total=total),
        week_ends=queue_service.end_of_week(today),
        links=[_queue_link(item) for item in items],
    )


def _queue_link(item: queue_service.Item) -> str:
    endpoint, key = QUEUE_LINKS[item.kind]
    ids: dict[str, Any] = {"project_id": item.project_id, key: item.object_id}
    return url_for(endpoint, **ids)
