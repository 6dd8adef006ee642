"""The benchmarks' generated data (a register, a training matrix) and bare page stay usable (``make bench``
runs them; the suite does not time anything)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import func, select

from app.domain.documents import RevisionState
from app.domain.training import CellState
from app.extensions import db
from app.models import Attendance, ControlledDocument, DocumentRevision, Membership, Person, TrainingSession
from app.services import document_register as register
from app.services import tokens, training
from app.services.generator import portfolio
from bench import baseline, main_pages, register_data, training_data, wrk
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


def test_the_generated_matrix_has_150_people_40_requirements_3000_records_at_every_state(make, tree):
    user = make.user(tree["workspace"], role="owner")
    project = tree["project"]
    register_data.add_register(project.id, project.standard_id, user.id, 30)
    made = training_data.add_training(project.id, project.site_id, user.id, 150, 40, 3000)
    db.session.commit()
    assert (made.people, made.requirements, made.records) == (150, 40, 3000)
    assert made.documents >= 10 and made.sessions >= 3000 // training_data.GROUP
    assert db.session.execute(select(func.count()).select_from(Attendance)).scalar_one() == 3000
    matrix = training.load_matrix(project, date.today())
    assert (len(matrix.people), len(matrix.requirements)) == (150, 40)
    counts = matrix.counts()
    assert set(counts) == set(CellState), counts
    assert counts[CellState.DONE] > counts[CellState.DUE] > 0 and counts[CellState.OUTDATED] > 0
    for session in db.session.execute(
        select(TrainingSession)
    ).scalars():  # nobody trained before they started
        assert all(a.person.started_on <= session.held_on <= (a.person.left_on or date.today())
                   for a in session.attendance)  # fmt: skip
    left = db.session.execute(select(func.count()).where(Person.left_on.is_not(None))).scalar_one()
    assert left == training_data.LEFT


def test_the_bare_page_renders_200_rows_from_its_table(tmp_path):
    path = tmp_path / "bare.db"
    baseline.create_rows(path)
    response = baseline.create_baseline(path).test_client().get(baseline.PATH)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("<tr><td>") == baseline.ROWS


def test_latency_percentiles_take_the_nearest_rank():
    run = Run([n / 1000 for n in range(1, 101)], seconds=2.0, failures=0)
    assert (run.rps, run.percentile(50), run.percentile(99), run.percentile(100)) == (50.0, 50.0, 99.0, 100.0)


WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8000/projects/1
  2 threads and 16 connections
  Latency Distribution
     50%  812.00us
     75%    4.16ms
     90%    9.90ms
     99%    1.20s
  873 requests in 5.01s, 669.24KB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:    174.25
Transfer/sec:    133.60KB
"""


def test_wrk_figures_are_read_from_its_latency_output():
    assert wrk.parse(WRK_OUTPUT) == wrk.Load(
        rps=174.25, p50_ms=0.812, p99_ms=1200.0, requests=873, failures=9
    )


def test_every_page_of_the_main_pages_benchmark_answers_on_a_generated_portfolio(app, client):
    made = portfolio.generate_portfolio(2, seed=1)
    db.session.commit()
    membership = db.session.execute(select(Membership).where(Membership.workspace_id == made.workspace_id))
    token = tokens.create(membership.scalar_one().id, "Benchmark").secret
    db.session.commit()
    client.post("/login", data={"email": made.email, "password": made.password})
    for page in main_pages.pages_of(*made.project_ids):
        headers = {"Authorization": f"Bearer {token}"} if page.api else {}
        assert client.get(page.path, headers=headers).status_code == 200, page.path
    floor = main_pages.floor_page(made.project_ids[0])
    assert floor.status == 404 and floor.floor
    page = client.get(floor.path)  # logged in, in a project of the session's own, yet nothing there
    assert page.status_code == 404 and b"Log out" in page.data
