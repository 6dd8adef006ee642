"""A stored file lives and dies with the transaction that names it (app.services.transaction)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from app.extensions import db
from app.services.transaction import remove_on_rollback


def stored(tmp_path: Path, name: str = "file") -> Path:
    path = tmp_path / name
    path.write_bytes(b"evidence")
    db.session.execute(text("SELECT 1"))  # the request's transaction has begun
    remove_on_rollback(path)
    return path


def test_a_committed_file_stays(app, tmp_path):
    path = stored(tmp_path)
    db.session.commit()
    db.session.rollback()  # a later rollback does not reach a file already committed
    assert path.exists()


def test_a_rolled_back_file_is_removed(app, tmp_path):
    path = stored(tmp_path)
    db.session.rollback()
    assert not path.exists()


def test_a_file_of_a_request_that_never_committed_is_removed_when_the_session_closes(app, tmp_path):
    path = stored(tmp_path)
    db.session.remove()
    assert not path.exists()


def test_a_savepoint_rolled_back_leaves_the_decision_to_the_outer_transaction(app, tmp_path):
    path = stored(tmp_path)
    savepoint = db.session.begin_nested()
    savepoint.rollback()
    assert path.exists()
    db.session.commit()
    assert path.exists()


def test_a_savepoint_released_does_not_keep_a_file_the_outer_transaction_rolls_back(app, tmp_path):
    """SQLAlchemy reports a released savepoint as a commit: the file still waits for the outer one."""
    path = stored(tmp_path)
    with db.session.begin_nested():  # e.g. the unique-name check of a body or a document
        db.session.execute(text("SELECT 1"))
    assert path.exists()
    db.session.rollback()
    assert not path.exists()
