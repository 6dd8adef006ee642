"""Suppliers and their evaluations built through the service (committed, as a finished request would), for
the tests of the supplier pages and API, and the ids and calls the walks of every route need
(tests/integration/register_walks.py)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from app.extensions import db
from app.models import CertificationProject, Supplier, SupplierEvaluation
from app.services import suppliers as service
from app.services.suppliers import EvaluationFields, SupplierFields
from tests.evidence_samples import scope_for

TODAY = date.today()
NOTES = "Two lots checked at receipt were within specification and delivered on time."
CONTROLS = "Incoming inspection of every lot, a quality agreement and a yearly audit on site."
_counter = itertools.count(1)

PATHS = (
    "/api/v1/projects/{project_id}/suppliers",
    "/api/v1/projects/{project_id}/suppliers/{supplier_id}",
    "/api/v1/projects/{project_id}/suppliers/{supplier_id}/evaluations",
)
API_CALLS = 4  # GET and POST /suppliers, GET /suppliers/<id>, POST /suppliers/<id>/evaluations
OPTIONAL_BODIES = {"SupplierCreate", "SupplierEvaluationCreate"}


def add_supplier(project: CertificationProject, name: str | None = None, **fields: Any) -> Supplier:
    values = {
        "supplies": "Natural cork bark, graded",
        "risk_class": "medium",
        "reevaluate_months": "12",
    } | fields
    supplier = service.create_supplier(
        scope_for(None, project), project, SupplierFields(name=name or f"Supplier {next(_counter)}", **values)
    )
    db.session.commit()
    return supplier


def evaluate(
    supplier: Supplier,
    evaluated_on: date | None = None,
    outcome: str = "approved",
    score: str = "",
    notes: str = NOTES,
) -> Supplier:
    project = db.session.get(CertificationProject, supplier.project_id)
    assert project is not None
    fields = EvaluationFields(
        evaluated_on=evaluated_on or TODAY - timedelta(days=30),
        evaluated_by="Ms Lan (purchasing)",
        outcome=outcome,
        score=score,
        notes=notes,
    )
    service.add_evaluation(scope_for(None, project), project, supplier, fields, TODAY)
    db.session.commit()
    return supplier


def many_suppliers(project: CertificationProject, count: int) -> None:
    """``count`` suppliers stored in one go, for the tests of size: every third not evaluated, the others
    approved a month apart (so some are overdue)."""
    for index in range(count):
        evaluated = index % 3 != 0
        supplier = Supplier(
            project_id=project.id,
            name=f"Bulk supplier {index:03}",
            name_key=f"bulk supplier {index:03}",
            supplies="Cartons",
            status="approved" if evaluated else "not_evaluated",
            last_evaluated_on=TODAY - timedelta(days=30 * index) if evaluated else None,
        )
        if evaluated:
            supplier.evaluations.append(
                SupplierEvaluation(
                    evaluated_on=supplier.last_evaluated_on,
                    evaluated_by="Ms Lan",
                    outcome="approved",
                    notes=NOTES,
                )
            )
        db.session.add(supplier)
    db.session.commit()


# The walks of every route (tests/integration/test_tenancy.py, test_api.py)


def walk_values(project: CertificationProject) -> dict[str, Any]:
    """A supplier of the project, evaluated: every supplier route succeeds with it."""
    return {"supplier_id": evaluate(add_supplier(project, f"Walk supplier {project.id}")).id}


def call(method: str, path: str, values: dict[str, Any]) -> dict[str, Any]:
    """The request keyword arguments of a call of a supplier API route that succeeds with ``values``;
    none for the other routes."""
    if method == "POST" and path.endswith("/suppliers"):
        return {
            "json": {"name": f"Walked supplier {next(_counter)}", "supplies": "Cartons", "risk_class": "low"}
        }
    if method == "POST" and "/suppliers/" in path and path.endswith("/evaluations"):
        body = {
            "evaluated_on": TODAY.isoformat(),
            "evaluated_by": "Mr Binh",
            "outcome": "approved",
            "score": 90,
            "notes": NOTES,
        }
        return {"json": body}
    return {}
