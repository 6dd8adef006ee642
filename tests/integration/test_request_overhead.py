"""What every request pays before its page (issue 19): the session's scope in one query, a project page's
project with what its pages show in one, an API token without its clients or a write, the client list's
counts read for its own clients only, the coverage query through its index, and no hashing at start-up."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import delete, event, text

from app.extensions import db
from app.models import Membership
from app.services.coverage import coverage_for_projects, covered_clauses
from tests.factories import login
from tests.integration.body_support import add_body
from tests.integration.evidence_helpers import add_evidence
from tests.integration.test_api import bearer, token_for
from tests.querycount import count_queries

ROOT = Path(__file__).resolve().parents[2]
# How SQLAlchemy fetches a related object on first access (a lazy load), on either engine.
LAZY_LOAD = re.compile(r"WHERE \w+\.id = (\?|%\(\w+\)s)(::\w+)?$")
SCOPE_TABLES = re.compile(r"\bFROM (users|memberships|workspaces)\b|\bJOIN (memberships|workspaces)\b")


def reading_scope(statements: list[str]) -> list[str]:
    return [statement for statement in statements if SCOPE_TABLES.search(statement)]


# The session's scope


def test_a_page_reads_the_user_memberships_and_workspace_in_one_query(client, make, tree):
    other = make.workspace(name="Zebra Consulting")  # after the tree's by name: not the default
    user = make.user(tree["workspace"], role="owner")
    db.session.add(Membership(user_id=user.id, workspace_id=other.id, role="viewer"))
    db.session.commit()
    login(client, user)
    name = tree["client"].name
    with count_queries() as statements:
        page = client.get("/clients")
    assert page.status_code == 200 and name in page.text
    assert len(reading_scope(statements)) == 1
    assert not any("membership_clients" in statement for statement in statements)  # an owner sees all


def test_a_client_managers_clients_cost_one_more_query(client, make, tree):
    hidden = make.tree(tree["workspace"])
    login(client, make.user(tree["workspace"], role="client_manager", clients=[tree["client"]]))
    shown, not_shown = tree["client"].name, hidden["client"].name
    with count_queries() as statements:
        page = client.get("/clients")
    assert shown in page.text and not_shown not in page.text
    assert len(reading_scope(statements)) == 1
    assert len([statement for statement in statements if "membership_clients" in statement]) == 1


def test_a_membership_removed_behind_the_sessions_back_counts_at_the_next_request(client, make, tree):
    """The test client shares one database session between requests: the scope is read afresh anyway."""
    other = make.tree(make.workspace(name="Aardvark Consulting"))  # first by name: the default workspace
    user = make.user(tree["workspace"], role="owner")
    db.session.add(Membership(user_id=user.id, workspace_id=other["workspace"].id, role="owner"))
    db.session.commit()
    login(client, user)
    assert other["client"].name in client.get("/clients").text
    with db.engine.begin() as connection:  # not through the session, which still holds the membership
        connection.execute(
            delete(Membership).where(
                Membership.user_id == user.id, Membership.workspace_id == other["workspace"].id
            )
        )
    page = client.get("/clients")
    assert other["client"].name not in page.text and tree["client"].name in page.text


def test_a_user_deactivated_behind_the_sessions_back_is_logged_out_at_the_next_request(client, make, tree):
    user = make.user(tree["workspace"], role="owner")
    login(client, user)
    assert client.get("/clients").status_code == 200
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE users SET active = :no WHERE id = :id"), {"no": False, "id": user.id})
    assert client.get("/clients").status_code == 302  # to the log-in page


# A project page


def test_a_project_page_loads_its_project_client_site_standard_and_body_in_one_query(client, make, tree):
    project = tree["project"]
    project.body_id = add_body(tree["workspace"], "Bureau Alpha").id
    db.session.commit()
    login(client, make.user(tree["workspace"], role="owner"))
    project_id = project.id
    with count_queries() as statements:
        page = client.get(f"/projects/{project_id}")
    assert page.status_code == 200 and "Bureau Alpha" in page.text
    lazy = [s for s in statements if LAZY_LOAD.search(s)]
    assert lazy == []  # no object fetched alone by its id: everything came with the project
    assert len([s for s in statements if re.search(r"\bFROM projects\b", s)]) == 1


# The API


def test_an_owners_token_reads_no_clients_and_writes_nothing_within_the_minute(client, make, tree):
    headers = bearer(token_for(make.user(tree["workspace"], role="owner")))
    assert client.get("/api/v1/projects", headers=headers).status_code == 200  # stamps the last use
    with count_queries() as statements:
        response = client.get("/api/v1/projects", headers=headers)
    assert response.status_code == 200 and response.json["total"] == 1
    assert not any("membership_clients" in statement for statement in statements)
    assert all(statement.lstrip().upper().startswith("SELECT") for statement in statements)


# The client list


def test_the_client_list_counts_only_the_sites_and_projects_of_the_clients_it_shows(client, make, tree):
    """Grouping every tenant's sites and projects on each request made the list slower as others grew."""
    make.tree(make.workspace())  # another tenant's client, site and project
    login(client, make.user(tree["workspace"], role="owner"))
    with count_queries() as statements:
        page = client.get("/clients")
    assert page.status_code == 200
    tables = [(s, table) for s in statements for table in re.findall(r"\bFROM (sites|projects)\b", s)]
    assert tables
    for statement, table in tables:  # each read of sites or projects is limited to the page's clients
        assert re.search(rf"\b{table}\.client_id (= clients\.id|IN \()", statement), statement


# The coverage index


@contextmanager
def sent_statements() -> Iterator[list[tuple[str, Any]]]:
    sent: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def plan_of(statement: str, parameters: Any) -> str:
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            return "\n".join(str(row[-1]) for row in rows)
    # PostgreSQL weighs each table and index by its size on disk and by the row counts it last sampled, and
    # the DELETEs that empty the tables after each test leave both behind: compact and count the statement's
    # tables, so that its plan depends on this test's rows alone, not on what earlier tests of the process
    # left (the review queue's count once got another plan in a full run).
    tables = sorted(set(re.findall(r"\b(?:FROM|JOIN) ([a-z_]+)\b", statement)))
    db.session.remove()  # VACUUM FULL waits for every transaction that read the tables
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"VACUUM (FULL, ANALYZE) {', '.join(tables)}")
    with db.engine.connect() as connection:
        # A handful of rows: forbid the scans a planner rightly prefers on a tiny table.
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        connection.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
        rows = connection.exec_driver_sql("EXPLAIN " + statement, parameters)
        return "\n".join(str(row[0]) for row in rows)


def test_the_coverage_queries_read_the_current_evidence_index(tree):
    project = tree["project"]
    add_evidence(project, "4.1")
    add_evidence(project, "4.2", "draft")
    add_evidence(project, "4.3", deleted=True)
    project_id = project.id
    db.session.remove()
    with sent_statements() as sent:
        assert coverage_for_projects([project_id], date.today())[project_id] is not None
        assert covered_clauses(project_id, date.today()) == frozenset({"4.1"})
    for statement, parameters in sent:
        assert "ix_evidence_items_current" in plan_of(statement, parameters), statement


def test_the_review_queue_counts_waiting_evidence_from_its_index(tree, owner):
    """The queue's count of evidence waiting for review reads the partial index of submitted, live items."""
    from app.services.review_queue import review_queue
    from app.services.scope import Scope

    project = tree["project"]
    add_evidence(project, "4.1", "submitted")
    add_evidence(project, "4.2", "accepted")
    add_evidence(project, "4.3", "submitted", deleted=True)
    scope = Scope(0, owner.id, project.workspace_id, "", "owner", None)
    db.session.remove()
    with sent_statements() as sent:
        items, total = review_queue(scope, 1, 25, date.today())
    assert total == 1 and type(total) is int  # PostgreSQL sums bigints into numeric
    assert [item.kind for item in items] == ["evidence"]
    count = sent[0]
    assert "ix_evidence_items_awaiting_review" in plan_of(*count), count[0]


# Start-up


def test_importing_the_app_computes_no_password_hash():
    """The dummy hash checked for an unknown email is made on the first failed log-in, not at import
    (a scrypt hash costs every process ~130 ms and ~32 MB at start-up)."""
    script = (
        "import app, app.services.accounts as accounts; app.create_app({'TESTING': True, "
        "'SECRET_KEY': 'x' * 48, 'SQLALCHEMY_DATABASE_URI': 'sqlite://'}); "
        "print(accounts._dummy_hash.cache_info().currsize)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "0"


def test_an_unknown_email_is_checked_against_one_dummy_hash_made_once(app):
    from app.services import accounts

    accounts._dummy_hash.cache_clear()
    assert accounts.authenticate("nobody@example.com", "whatever") is None
    assert accounts.authenticate("nobody-else@example.com", "whatever") is None
    info = accounts._dummy_hash.cache_info()
    assert (info.misses, info.currsize) == (1, 1)
    assert accounts._dummy_hash().startswith("scrypt:")
