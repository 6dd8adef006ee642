"""The state of each register of a project ("12 instruments, 2 overdue"), as each register's own service
counts it in SQL (a query or two each, whatever the register holds). The registers page, the requirement
pages of the gap analysis, the next steps and the management review read them from here."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date

from app.domain.pathway import standard_family
from app.domain.registers import RegisterKey, RegisterState, registers_for, registers_for_clause
from app.models import CertificationProject

# Each register's service module answers ``register_state(project, today) -> RegisterState``.
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


def _counter(key: RegisterKey) -> Callable[[CertificationProject, date], RegisterState]:
    counter: Callable[[CertificationProject, date], RegisterState] = importlib.import_module(
        SERVICES[key]
    ).register_state
    return counter


def states_of(
    project: CertificationProject, today: date, keys: set[RegisterKey] | None = None
) -> list[RegisterState]:
    """The states of the project's registers (those of its standard; only ``keys`` when given)."""
    family = standard_family(project.standard.code)
    return [
        _counter(register.key)(project, today)
        for register in registers_for(family)
        if keys is None or register.key in keys
    ]


def states_for_clause(project: CertificationProject, number: str, today: date) -> list[RegisterState]:
    """The states of the registers that evidence one requirement of the project's standard."""
    family = standard_family(project.standard.code)
    keys = {register.key for register in registers_for_clause(family, number)}
    return states_of(project, today, keys) if keys else []
