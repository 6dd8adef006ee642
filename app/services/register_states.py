"""The state of each register of a project ("12 instruments, 2 overdue"), as each register's own service
counts it in SQL. The registers page, the requirement pages of the gap analysis, the documented-information
checklist, the next steps and the management review read them from here: all of a project's registers in
one statement, whatever they hold.

Each register's service module answers three functions:

- ``state_query(project, today)``: one row of aggregates over the project bound as :data:`PROJECT_ID`.
  The services keep each query once built (per day, and per risk scale for the risks): building one costs
  several times what running it does, and the compiled SQL is then found in SQLAlchemy's cache at once.
- ``state_from(project, row)``: the :class:`RegisterState` that row makes;
- ``register_state(project, today)``: the two for that register alone (one query).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from types import ModuleType
from typing import Any

from sqlalchemy import Integer, bindparam, select, true

from app.domain.pathway import standard_family
from app.domain.registers import RegisterKey, RegisterState, registers_for, registers_for_clause
from app.extensions import db
from app.models import CertificationProject

SERVICES: dict[RegisterKey, str] = {
    RegisterKey.CONTEXT: "app.services.context",
    RegisterKey.RISKS: "app.services.risks",
    RegisterKey.EQUIPMENT: "app.services.equipment",
    RegisterKey.SUPPLIERS: "app.services.suppliers",
    RegisterKey.COMPLAINTS: "app.services.complaints",
    RegisterKey.SATISFACTION: "app.services.satisfaction",
    RegisterKey.RISK_FILES: "app.services.risk_files",
    RegisterKey.SOFTWARE: "app.services.software",
}

# The project every state query counts for, bound when it runs (so a built query serves every project).
PROJECT_ID = bindparam("register_project_id", type_=Integer())


def counted(query: Any, project_id: int) -> Any:
    """The one row of a state query (or of several side by side) for a project."""
    return db.session.execute(query, {PROJECT_ID.key: project_id}).one()


def _service(key: RegisterKey) -> ModuleType:
    return importlib.import_module(SERVICES[key])


@lru_cache(maxsize=32)
def _side_by_side(queries: tuple[Any, ...]) -> Any:
    """The queries as one statement: each gives one row of aggregates, so joined on true they give one row,
    their columns in order. Kept for the same queries (a service returns the same query object all day)."""
    parts = [query.subquery(f"register_{index}") for index, query in enumerate(queries)]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.join(part, true())
    return select(*(column for part in parts for column in part.c)).select_from(joined)


def _states(
    project: CertificationProject, services: Sequence[ModuleType], today: date
) -> list[RegisterState]:
    if not services:
        return []
    queries = tuple(service.state_query(project, today) for service in services)
    row = counted(_side_by_side(queries), project.id)
    states, start = [], 0
    for service, query in zip(services, queries, strict=True):
        width = len(query.selected_columns)
        states.append(service.state_from(project, tuple(row[start : start + width])))
        start += width
    return states


def states_of(
    project: CertificationProject, today: date, keys: set[RegisterKey] | None = None
) -> list[RegisterState]:
    """The states of the project's registers (those of its standard; only ``keys`` when given): one query."""
    family = standard_family(project.standard.code)
    wanted = [_service(r.key) for r in registers_for(family) if keys is None or r.key in keys]
    return _states(project, wanted, today)


def states_for_clause(project: CertificationProject, number: str, today: date) -> list[RegisterState]:
    """The states of the registers that evidence one requirement of the project's standard."""
    family = standard_family(project.standard.code)
    keys = {register.key for register in registers_for_clause(family, number)}
    return states_of(project, today, keys) if keys else []
