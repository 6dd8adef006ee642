"""The demo factories' running registers: each register's own demo module fills the projects it fits (the
context first, since the risks name its issues)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from app.models import CertificationProject
from app.services import (
    demo_complaints,
    demo_context,
    demo_equipment,
    demo_risk_files,
    demo_risks,
    demo_satisfaction,
    demo_software,
    demo_suppliers,
)

SEEDS: tuple[Callable[[CertificationProject, date], None], ...] = (
    demo_context.seed,
    demo_risks.seed,
    demo_equipment.seed,
    demo_suppliers.seed,
    demo_complaints.seed,
    demo_satisfaction.seed,
    demo_risk_files.seed,
    demo_software.seed,
)


def add_registers(projects: Iterable[CertificationProject], today: date) -> None:
    for project in projects:
        for seed in SEEDS:
            seed(project, today)
