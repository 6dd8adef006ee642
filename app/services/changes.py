"""The one way a service changes a record's fields: only the fields the record allows, named by the caller,
and only on the version of the record the caller read.

Every edit of a client, site, project, task or finding goes through :func:`apply_changes`, so a change
log (who changed what, when) has one place to hook in. Every edit form (those too, and a verdict, a budget
line and a stage) is checked by :func:`check_version`, the one place a stale copy is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy.exc import IntegrityError

from app.domain.text import _l
from app.extensions import db
from app.models import (
    Assessment,
    BudgetLine,
    CertificationProject,
    Client,
    ControlledDocument,
    DocumentRevision,
    EvidenceItem,
    Finding,
    Person,
    ProjectStage,
    Site,
    Task,
)
from app.services.errors import Invalid, StaleVersion

# What the user calls each versioned record, for "Someone else saved this <record> …".
RECORD_NAMES: dict[type, str] = {
    Assessment: _l("verdict"),
    BudgetLine: _l("budget line"),
    CertificationProject: _l("project"),
    Client: _l("client"),
    ControlledDocument: _l("document"),
    DocumentRevision: _l("revision"),
    EvidenceItem: _l("evidence"),
    Finding: _l("finding"),
    Person: _l("person"),
    ProjectStage: _l("stage"),
    Site: _l("site"),
    Task: _l("task"),
}


def check_version(row: Any, seen: int | None, what: str | None = None) -> None:
    """Refuse a save made from a copy of ``row`` read at version ``seen`` when the row is now at another
    one (optimistic locking: ``app.models.base.Versioned``). ``None`` skips the check, for callers that
    do not edit a copy they read (the API checks its ``If-Match`` itself).

    This catches the copy that went stale while the user was editing; two saves racing after both passed
    it are still caught by the UPDATE's own version check (``StaleDataError`` at commit). ``what`` names
    the record as the refusal should (by default its entry in ``RECORD_NAMES``).
    """
    if seen is not None and seen != row.version:
        raise StaleVersion(row, what or RECORD_NAMES.get(type(row), _l("record")))


def apply_changes(
    row: Any, allowed: Iterable[str], fields: Mapping[str, Any], version: int | None = None
) -> None:
    """Set ``fields`` on ``row``, refusing a field it does not allow and a stale ``version``."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"Not a field of {type(row).__name__} that may change: {', '.join(sorted(unknown))}")
    check_version(row, version)
    for name, value in fields.items():
        setattr(row, name, value)


@contextmanager
def refused_if_taken(not_saved: str, field: str, message: str) -> Iterator[None]:
    """Two requests racing past a uniqueness check (a code, a name, a number): the database's constraint
    decides in a savepoint, and the one that loses is refused with ``message`` beside ``field`` (never a 500),
    the rest of its request untouched."""
    try:
        with db.session.begin_nested():
            yield
            db.session.flush()
    except IntegrityError as exc:
        raise Invalid(not_saved, {field: message}) from exc
