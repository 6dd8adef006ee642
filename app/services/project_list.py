"""The project list (page and API): readiness, coverage and current stage of many projects, aggregated in
SQL in a fixed number of queries per page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.domain import gates, pathway, readiness
from app.domain.pathway import Stage
from app.extensions import db
from app.models import CertificationProject, ProjectStage
from app.services.coverage import coverage_for_projects
from app.services.history import readiness_counts
from app.services.project_status import certified_ids
from app.services.scope import Scope, scoped


@dataclass(frozen=True)
class ProjectSummary:
    project: CertificationProject
    current_stage: Stage | None
    readiness: readiness.Readiness
    coverage: int | None = None  # evidence coverage percent (app.domain.coverage)
    status: str = ""  # as shown: "certified" while a valid certificate covers it (app.domain.gates)


def _stage_statuses(project_ids: list[int]) -> dict[int, dict[Stage, pathway.StageStatus]]:
    rows = db.session.execute(
        select(ProjectStage.project_id, ProjectStage.key, ProjectStage.status).where(
            ProjectStage.project_id.in_(project_ids)
        )
    ).all()
    statuses: dict[int, dict[Stage, pathway.StageStatus]] = defaultdict(dict)
    for project_id, key, status in rows:
        statuses[project_id][Stage(key)] = pathway.StageStatus(status)
    return statuses


def summarise(projects: list[CertificationProject], today: date | None = None) -> list[ProjectSummary]:
    ids = [p.id for p in projects]
    counts = readiness_counts(ids) if ids else {}
    stages = _stage_statuses(ids) if ids else {}
    today = today or date.today()
    coverage = coverage_for_projects(ids, today)
    certified = certified_ids(projects, today)
    return [
        ProjectSummary(
            project=p,
            current_stage=pathway.current_stage(stages.get(p.id, {})),
            readiness=counts[p.id],
            coverage=coverage[p.id],
            status=gates.project_status(p.status, p.id in certified),
        )
        for p in projects
    ]


def project_page(scope: Scope, page: int, per_page: int) -> tuple[list[ProjectSummary], int]:
    """One page of the workspace's projects with readiness, evidence coverage and current stage: the count,
    the page with its clients, sites and standards joined, and the roll-ups (one aggregate each)."""
    base: Any = scoped(scope, select(CertificationProject), CertificationProject)
    total = db.session.execute(base.with_only_columns(func.count())).scalar_one()
    stmt = (
        base.options(
            joinedload(CertificationProject.client, innerjoin=True),
            joinedload(CertificationProject.site, innerjoin=True),
            joinedload(CertificationProject.standard, innerjoin=True),
        )
        .order_by(CertificationProject.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    projects = list(db.session.execute(stmt).scalars())
    return summarise(projects), total
