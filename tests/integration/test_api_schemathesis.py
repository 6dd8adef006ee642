"""The API answers what its OpenAPI document says, for inputs Schemathesis makes from that document
(security review D13): no server error, and every status, content type and body conforms. Bounded: a few
examples per operation, so the run takes seconds on each database engine."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance
from sqlalchemy import select

from app.extensions import db
from app.models import Membership
from app.services import tokens
from tests.evidence_samples import add_file
from tests.integration.document_support import document_walk_values
from tests.integration.training_support import training_walk_values


def document_app() -> Any:
    """An app only to read the document from (it is public and needs no database)."""
    from app import create_app
    from tests.conftest import TEST_SECRET

    return create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", document_app())
# The token is the test's (see below), so the bearer header is not generated; query parameters are the
# documented ones (unknown ones are ignored, as by most APIs).
schema.config.generation.update(with_security_parameters=False, allow_extra_parameters=False)
# Schemathesis's coverage phase (boundary and negative values of every schema keyword, every undeclared
# method) made collection take 16 s in each test process and the run 4 times longer. The fuzzing phase's
# examples below reach the same checks, undeclared methods are test_api's wrong-method test, and bad values
# are pinned field by field by the API tests of each area.
schema.config.phases.coverage.enabled = False


@pytest.fixture
def token(make: Any, tree: dict[str, Any]) -> dict[str, str]:
    add_file(tree["project"])  # something to list and download
    document_walk_values(tree["project"])  # a register entry with a draft and a revision in review
    training_walk_values(tree["project"])  # a training requirement and a person of the site
    user = make.user(tree["workspace"], role="owner")
    membership = db.session.execute(select(Membership).where(Membership.user_id == user.id)).scalar_one()
    created = tokens.create(membership.id, "schemathesis")
    db.session.commit()
    return {"Authorization": f"Bearer {created.secret}"}


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_conforms_to_its_document(case: Any, app: Any, token: dict[str, str]) -> None:
    # Every check but "a schema-valid request is accepted": whether a clause or task exists in *this*
    # project is a fact of the data, not of the schema, so a well-formed request may rightly get a 422.
    # Buffered: Schemathesis reads a streamed download without closing it (a ResourceWarning otherwise).
    case.call_and_validate(app=app, headers=token, buffered=True, excluded_checks=[positive_data_acceptance])
