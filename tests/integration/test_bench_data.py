"""The benchmarks' generated data and bare page stay usable (``make bench`` runs them; the suite does not
time anything)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import func, select

from app.domain.documents import RevisionState
from app.extensions import db
from app.models import ControlledDocument, DocumentRevision
from app.services import document_register as register
from bench import baseline, register_data
from bench.harness import Run


def test_the_generated_register_has_300_documents_600_revisions_at_every_state(make, tree):
    user = make.user(tree["workspace"], role="owner")
    project = tree["project"]
    ids, revisions = register_data.add_register(project.id, project.standard_id, user.id, 300)
    db.session.commit()
    assert (len(ids), revisions) == (300, 600)
    states = Counter(db.session.execute(select(DocumentRevision.state)).scalars())
    assert set(states) == set(RevisionState)
    approved_per_document = db.session.execute(
        select(func.count())
        .select_from(DocumentRevision)
        .where(DocumentRevision.state == RevisionState.APPROVED)
        .group_by(DocumentRevision.document_id)
    ).scalars()
    assert set(approved_per_document) == {1}  # never two current revisions
    rows, total = register.register_page(project.id, register.RegisterFilters(), 1, 25, date.today())
    assert total == 300 and len(rows) == 25
    badges = Counter(
        row.status
        for row in register.register_page(project.id, register.RegisterFilters(), 1, 300, date.today())[0]
    )
    assert set(badges) == {"approved", "overdue", "in_review", "draft", "obsolete"}
    assert db.session.get(ControlledDocument, ids[3]).revisions[-1].state == RevisionState.IN_REVIEW


def test_the_bare_page_renders_200_rows_from_its_table(tmp_path):
    path = tmp_path / "bare.db"
    baseline.create_rows(path)
    response = baseline.create_baseline(path).test_client().get(baseline.PATH)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("<tr><td>") == baseline.ROWS


def test_latency_percentiles_take_the_nearest_rank():
    run = Run([n / 1000 for n in range(1, 101)], seconds=2.0, failures=0)
    assert (run.rps, run.percentile(50), run.percentile(99), run.percentile(100)) == (50.0, 50.0, 99.0, 100.0)
