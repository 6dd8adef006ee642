"""The request's one transaction: whether it wrote anything, and what it must undo outside the database
when it rolls back.

A stored evidence file belongs to the rows that name it: if the transaction that added them rolls back
(a refused request, an error, a failed commit), the file is removed too, so no orphan file remains.
A file whose rows are purged goes the other way: only once that deletion commits.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from app.extensions import db

_FILES = "files_removed_on_rollback"
_PURGED_FILES = "files_removed_on_commit"
_FLUSHED = "flushed_since_transaction_began"


def has_changes() -> bool:
    """Whether the current transaction holds anything to commit or undo (a read-only request does not)."""
    session = db.session
    return bool(session.new or session.dirty or session.deleted or session.info.get(_FLUSHED))


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context: object) -> None:
    session.info[_FLUSHED] = True


def remove_on_rollback(path: Path) -> None:
    """Remove ``path`` if the current transaction rolls back; keep it once it commits."""
    db.session.info.setdefault(_FILES, []).append(path)


def remove_on_commit(path: Path) -> None:
    """Remove ``path`` once the current transaction commits (the rows naming it are gone for good);
    keep it if the transaction rolls back."""
    db.session.connection()  # in a transaction now, so its end (commit or rollback) is seen
    db.session.info.setdefault(_PURGED_FILES, []).append(path)


@event.listens_for(Session, "after_commit")
def _keep_files(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released (SQLAlchemy calls that a commit too): the outer transaction decides
    session.info.pop(_FILES, None)
    session.info.pop(_FLUSHED, None)
    for path in session.info.pop(_PURGED_FILES, []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_transaction_end")
def _remove_files(session: Session, transaction: SessionTransaction) -> None:
    # Ended without a commit (rolled back, or closed at the end of the request): the files go too.
    if transaction.parent is not None:  # a savepoint: the outer transaction decides
        return
    session.info.pop(_FLUSHED, None)
    session.info.pop(_PURGED_FILES, None)  # their rows are still there: so are the files
    for path in session.info.pop(_FILES, []):
        path.unlink(missing_ok=True)
