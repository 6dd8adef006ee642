"""Domain values and rows as the API's JSON answers.

The shapes here are the ones the OpenAPI document describes; a test validates real answers against it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from app.domain.pathway import Stage
from app.models import CertificationProject
from app.services.assessments import Requirement
from app.services.pathway import ProjectOverview, StageView
from app.services.project_list import ProjectSummary


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def timestamp(value: datetime) -> str:
    """ISO 8601 in UTC (SQLite gives the stored UTC time back without its zone)."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def _project_fields(
    project: CertificationProject,
    current_stage: Stage | None,
    percent: int | None,
    coverage: int | None,
    status: str,
) -> dict[str, Any]:
    return {
        "id": project.id,
        "client": {"id": project.client.id, "name": project.client.name},
        "site": {"id": project.site.id, "name": project.site.name, "country": project.site.country},
        "standard": {
            "code": project.standard.code,
            "name": project.standard.name,
            "version": project.standard.version,
        },
        "current_stage": current_stage.value if current_stage else None,
        "readiness_percent": percent,
        "coverage_percent": coverage,
        "status": status,
    }


def project_summary(summary: ProjectSummary) -> dict[str, Any]:
    return _project_fields(
        summary.project, summary.current_stage, summary.readiness.percent, summary.coverage, summary.status
    )


def _stage(view: StageView) -> dict[str, Any]:
    row = view.row
    return {
        "key": row.key,
        "title": view.info.title,
        "status": row.status,
        "progress_percent": view.progress.percent,
        "planned_start": iso(row.planned_start),
        "planned_end": iso(row.planned_end),
        "actual_start": iso(row.actual_start),
        "actual_end": iso(row.actual_end),
        "exit_criteria": [
            {"key": c.key, "label": c.label, "met": c.met, "reason": c.reason} for c in view.criteria
        ],
    }


def project_detail(overview: ProjectOverview, status: str) -> dict[str, Any]:
    """``status`` as shown (app.services.project_status.status_of)."""
    fields = _project_fields(
        overview.project, overview.current_stage, overview.overall.percent, overview.coverage.percent, status
    )
    return fields | {
        "stages": [_stage(view) for view in overview.stages],
        "readiness": {
            "overall": overview.overall.percent,
            "by_section": {section: r.percent for section, r in overview.by_section.items()},
        },
        "coverage": {
            "overall": overview.coverage.overall.percent,
            "covered": overview.coverage.overall.covered,
            "applicable": overview.coverage.overall.applicable,
            "by_section": {section: c.percent for section, c in overview.coverage.by_section.items()},
        },
    }


def requirement(found: Requirement) -> dict[str, Any]:
    clause, assessment = found.clause, found.assessment
    return {
        "number": clause.number,
        "title": clause.title,
        "section": clause.section,
        "status": assessment.status,
        "notes": assessment.notes,
        "owner": assessment.owner,
        "due_date": iso(assessment.due_date),
        "justification": assessment.justification,
        "may_be_not_applicable": clause.may_be_not_applicable,
    }
