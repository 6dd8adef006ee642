"""A throw-away instance holding one ISO 13485 project with a large training matrix, for the benchmarks.

The account, client, site and project are made by the app's own services; the rest goes in as plain rows
(about a second), made by the portfolio generator's code: a register of documents
(:func:`app.services.generator.documents.add_register`) and the training
(:func:`app.services.generator.training.add_training`): 150 active people (and 5 who have left) in six
departments and ten job roles, 40 training requirements, and 3000 attendance records, with cells due,
outdated and expired.

Other projects of the instance get smaller matrices of their own on their own sites, so that a query
reading more than its project's people or records shows.
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import Client, Site, Standard
from app.services.accounts import create_account
from app.services.generator.training import DEPARTMENTS, GROUP, LEFT, Made, add_training, person_name
from app.services.projects import create_project
from app.services.standards import load_bundled_standards
from bench.register_data import EMAIL, PASSWORD, add_register, config

# Read by the benchmarks and their tests from this module, as before the generator moved to the app.
__all__ = [
    "DEPARTMENTS",
    "EMAIL",
    "GROUP",
    "LEFT",
    "PASSWORD",
    "Instance",
    "Made",
    "add_training",
    "build",
    "person_name",
]


@dataclass(frozen=True)
class Instance:
    app: Flask
    folder: Path
    project_id: int
    made: Made


def build(
    folder: Path, people: int = 150, requirements: int = 40, records: int = 3000, others: int = 3
) -> Instance:
    app = create_app(config(folder))
    with app.app_context():
        with redirect_stderr(io.StringIO()):  # Alembic's log of every migration
            upgrade()
        load_bundled_standards()
        membership = create_account(EMAIL, "Bench Owner", PASSWORD, "Bench consultancy", "consultancy")
        db.session.flush()
        client = Client(workspace_id=membership.workspace_id, name="Bench MedTech", country="MY")
        db.session.add(client)
        db.session.flush()
        standard = db.session.execute(select(Standard).where(Standard.code == "iso13485")).scalar_one()
        made = None
        for number in range(others + 1):
            site = Site(
                workspace_id=client.workspace_id,
                client_id=client.id,
                name=f"Plant {number + 1}",
                address="x",
                country="MY",
                employee_count=people if number == 0 else 50,
            )
            db.session.add(site)
            db.session.flush()
            project = create_project(site, standard, currency="MYR")
            add_register(project.id, project.standard_id, membership.user_id, 30)
            if number == 0:
                made = add_training(project.id, site.id, membership.user_id, people, requirements, records)
                project_id = project.id
            else:
                add_training(project.id, site.id, membership.user_id, 50, 20, 1000)
        db.session.commit()
        db.session.remove()
    assert made is not None
    return Instance(app, folder, project_id, made)
