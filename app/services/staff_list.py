"""Reading the staff list of a project's site: a page of it (filtered by department, job role, active or
left, and a part of the name), the counts of active people and of those who left, the departments named on
it, and its rows for the CSV export. Each function runs one or two queries, whatever the number of people.

"Active" is :func:`app.services.training.active_people`'s: still working at the site today (someone with a
leaving day ahead is active until that day), as on the training matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, case, func, not_, select

from app.domain import staff_list
from app.domain.text import _l
from app.extensions import db
from app.models import CertificationProject, Person, User
from app.services.training import active_people

STATUSES = ("active", "left", "all")
STATUS_LABELS = {"active": _l("Active"), "left": _l("Left"), "all": _l("Everyone")}


@dataclass(frozen=True)
class PeopleFilters:
    department: str | None = None
    job_role: str | None = None
    status: str = "active"  # one of STATUSES
    search: str = ""  # a part of the name, any case and spacing

    def query_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for the pager's and the export's links)."""
        args = {"department": self.department, "role": self.job_role, "q": self.search}
        out = {k: v for k, v in args.items() if v}
        if self.status != "active":
            out["status"] = self.status
        return out


@dataclass(frozen=True)
class PersonLine:
    """A line of the staff list."""

    id: int
    name: str
    job_role: str
    department: str
    started_on: date | None
    left_on: date | None
    account: str | None  # the linked user's name, when there is one
    active: bool


@dataclass(frozen=True)
class Counts:
    active: int
    left: int


def departments(project: CertificationProject) -> list[str]:
    """The departments named on the site's staff list, alphabetically."""
    return list(
        db.session.execute(
            select(Person.department)
            .where(Person.site_id == project.site_id, Person.department != "")
            .distinct()
            .order_by(Person.department)
        ).scalars()
    )


def _active(project: CertificationProject, today: date) -> Any:
    """Still working at the site on ``today`` (a leaving day ahead is not yet left)."""
    return active_people(project.site_id, today)


def _filtered(project: CertificationProject, filters: PeopleFilters, today: date) -> Select[Any]:
    stmt = select(Person).where(Person.site_id == project.site_id)
    active = _active(project, today)
    if filters.status == "active":
        stmt = stmt.where(active)
    elif filters.status == "left":
        stmt = stmt.where(not_(active))
    if filters.department:
        stmt = stmt.where(Person.department == filters.department)
    if filters.job_role:
        stmt = stmt.where(Person.job_role == filters.job_role)
    if key := staff_list.name_key(filters.search):
        stmt = stmt.where(Person.name_key.contains(key, autoescape=True))
    return stmt


def people_page(
    project: CertificationProject, filters: PeopleFilters, number: int, per_page: int, today: date
) -> tuple[list[PersonLine], int]:
    """One page of the staff list and the number of people the filters find (2 queries)."""
    stmt = _filtered(project, filters, today)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(
        stmt.with_only_columns(
            Person.id,
            Person.name,
            Person.job_role,
            Person.department,
            Person.started_on,
            Person.left_on,
            User.name,
            case((_active(project, today), True), else_=False),
        )
        .outerjoin(User, User.id == Person.user_id)
        .order_by(Person.name_key, Person.id)
        .limit(per_page)
        .offset((number - 1) * per_page)
    ).all()
    lines = [
        PersonLine(pid, name, role, department, started, left, account, bool(active))
        for pid, name, role, department, started, left, account, active in rows
    ]
    return lines, total


def counts(project: CertificationProject, today: date) -> Counts:
    """How many people of the site are active and how many have left (1 query)."""
    active = _active(project, today)
    row = db.session.execute(
        select(
            func.coalesce(func.sum(case((active, 1), else_=0)), 0),
            func.coalesce(func.sum(case((active, 0), else_=1)), 0),
        ).where(Person.site_id == project.site_id)
    ).one()
    return Counts(int(row[0]), int(row[1]))


def export_rows(
    project: CertificationProject, filters: PeopleFilters, today: date
) -> list[tuple[str, str, str, date | None]]:
    """The people the filters find, in the staff list's order, as the CSV's rows (1 query)."""
    stmt = _filtered(project, filters, today).with_only_columns(
        Person.name, Person.job_role, Person.department, Person.started_on
    )
    rows = db.session.execute(stmt.order_by(Person.name_key, Person.id)).all()
    return [(name, role, department, started) for name, role, department, started in rows]
