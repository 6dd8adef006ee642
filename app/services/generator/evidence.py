"""A generated project's evidence: 3 to 7 items per met requirement, 2 to 5 per partly met one, 1 to 3 per gap
(about 4 on average), none for a requirement not applicable: 45 % links, 45 % notes, 10 % files with one
version and a small stored file each; mostly accepted (55 % overall), the others submitted, draft or
rejected; one in five with a validity date, a quarter of those expired; 3 % deleted (in the trash). Titles
come from the catalog's evidence examples of the requirement.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app

from app.domain.readiness import ClauseStatus
from app.models import EvidenceItem, EvidenceVersion
from app.services.generator.rows import Batch, Family, Row, moment
from app.services.transaction import remove_on_rollback

if TYPE_CHECKING:
    from app.services.generator.progress import Catalog

EVIDENCE_COUNTS = {ClauseStatus.MET: (3, 7), ClauseStatus.PARTIAL: (2, 5), ClauseStatus.NOT_MET: (1, 3)}


def _review_state(verdict: ClauseStatus, rng: random.Random) -> str:
    draw = rng.random()
    if verdict == ClauseStatus.MET:
        return "accepted" if draw < 0.66 else "submitted" if draw < 0.88 else "draft"
    if verdict == ClauseStatus.PARTIAL:
        return "accepted" if draw < 0.45 else "submitted" if draw < 0.8 else "draft"
    return "accepted" if draw < 0.1 else "submitted" if draw < 0.4 else "rejected" if draw < 0.6 else "draft"


def add_evidence(
    batch: Batch,
    project_id: int,
    verdicts: dict[int, ClauseStatus],
    catalog: Catalog,
    rng: random.Random,
    started: date,
    today: date,
    user_id: int,
) -> None:
    """The project's evidence into ``batch``: links and notes, and files with their version row (and a
    small stored file each)."""
    plain: list[Row] = []
    files: list[Family] = []
    store = Path(current_app.config["EVIDENCE_DIR"])
    store.mkdir(parents=True, exist_ok=True)
    span = max(1, (today - started).days)
    for clause_id, verdict in verdicts.items():
        if verdict == ClauseStatus.NOT_APPLICABLE:
            continue
        clause = catalog.clauses[clause_id]
        low, high = EVIDENCE_COUNTS[verdict]
        for n in range(rng.randint(low, high)):
            draw = rng.random()
            kind = "link" if draw < 0.45 else "note" if draw < 0.9 else "file"
            example = clause.examples[n % len(clause.examples)] if clause.examples else "Record"
            state = _review_state(verdict, rng)
            added = started + timedelta(days=rng.randint(0, span))
            valid = None
            if rng.random() < 0.2:
                valid = today + timedelta(
                    days=rng.randint(-60, -1) if rng.random() < 0.25 else rng.randint(30, 700)
                )
            reviewed = state in ("accepted", "rejected")
            row = {
                "project_id": project_id,
                "clause_id": clause_id,
                "task_id": None,
                "kind": kind,
                "title": f"{example[:180]} ({clause.number})",
                "url": f"https://intranet.example/qms/{project_id}/{clause.number}/{n + 1}"
                if kind == "link"
                else "",
                "note": f"Seen on site: {example.lower()}." if kind == "note" else "",
                "valid_until": valid,
                "review_state": state,
                "reviewer_comment": "Not enough: the record is unsigned." if state == "rejected" else "",
                "reviewed_by_id": user_id if reviewed else None,
                "reviewed_at": moment(added) if reviewed else None,
                "self_reviewed": state == "accepted",
                "added_by_id": user_id,
                "created_at": moment(added),
                "deleted_at": moment(today) if rng.random() < 0.03 else None,
                "deleted_by_id": None,
            }
            row["deleted_by_id"] = user_id if row["deleted_at"] else None
            if kind == "file":
                files.append((row, [_stored_file(store, row)]))
            else:
                plain.append(row)
    batch.add(EvidenceItem, plain)
    batch.add_families(EvidenceItem, files, EvidenceVersion, "evidence_id")


def _stored_file(store: Path, item: Row) -> Row:
    """A small text file in the evidence store for ``item`` (removed again if the run does not commit),
    and its version row. Its name is random, as an upload's: a second portfolio never collides."""
    content = f"{item['title']}\nGenerated evidence file, added {item['created_at']:%d %b %Y}.\n".encode()
    storage_name = secrets.token_hex(32)
    path = store / storage_name
    path.write_bytes(content)
    remove_on_rollback(path)
    return {
        "number": 1,
        "storage_name": storage_name,
        "filename": f"{item['title'][:60]}.txt".replace("/", "-"),
        "content_type": "text/plain",
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "uploaded_by_id": item["added_by_id"],
        "uploaded_at": item["created_at"],
    }
