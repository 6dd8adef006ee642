"""Reading a filled-in gap analysis back: which rows change which verdict, and which rows are refused and why.

Pure: the service gives the sheet's rows as raw cell values and every saved verdict of the project; this
module decides. The rules of one verdict are those of the gap form (:mod:`app.domain.assessment`), so an
imported verdict is judged exactly as a typed one; on top, a row is refused when its clause is unknown, when
it appears twice, or when the verdict was changed in the app since the export (its hidden row version).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app.domain.assessment import VERDICT_LABELS, assessment_errors, verdict_limit_errors
from app.domain.exports import (
    ABOUT_PROJECT_ID,
    ABOUT_STANDARD,
    ABOUT_STANDARD_VERSION,
    GAP_HEADERS,
    token_version,
)
from app.domain.readiness import ClauseStatus
from app.domain.text import _, _l

MAX_ROWS = 5_000  # a standard has a few hundred requirements; a sheet longer than this is not one of ours
FIELDS = ("status", "owner", "due_date", "notes", "justification")
FIELD_LABELS = {
    "status": _l("Status"),
    "owner": _l("Owner"),
    "due_date": _l("Due date"),
    "notes": _l("Notes"),
    "justification": _l("Justification"),
}
_STATUS_BY_WORD = {
    **{label.casefold(): value for value, label in VERDICT_LABELS.items()},
    **{str(value).casefold(): value for value in VERDICT_LABELS},
}


@dataclass(frozen=True)
class Saved:
    """A requirement's verdict as saved now, and whether the catalog lets it be not applicable."""

    version: int
    status: str
    owner: str
    due_date: date | None
    notes: str
    justification: str
    may_be_not_applicable: bool

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FIELDS}


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: Any
    new: Any

    @property
    def label(self) -> str:
        return FIELD_LABELS[self.name]


@dataclass(frozen=True)
class RowChange:
    row: int  # the sheet's row number
    clause: str
    version: int  # the verdict's version at the export (still the saved one)
    verdict: dict[str, Any]  # every field, as update_requirement takes them
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class RowRefusal:
    row: int
    clause: str
    reason: str


@dataclass(frozen=True)
class Plan:
    changes: list[RowChange] = field(default_factory=list)
    refused: list[RowRefusal] = field(default_factory=list)
    unchanged: int = 0

    def digest(self) -> str:
        """What confirming applies, as one digest: a confirm whose plan is no longer the preview's (someone
        saved a verdict in between) is shown again rather than applied."""
        payload = [
            [change.clause, change.version, {k: _jsonable(v) for k, v in change.verdict.items()}]
            for change in self.changes
        ]
        refused = [[refusal.row, refusal.reason] for refusal in self.refused]
        text = json.dumps([payload, refused], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


class FileRefused(Exception):
    """The whole file is refused; nothing of it is applied."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_headers(headers: Sequence[Any]) -> None:
    """The header row must be the export's, column for column (moved, renamed or removed columns are
    refused: the import would otherwise read one field as another)."""
    found = tuple(_text(value) for value in headers)
    while found and found[-1] == "":
        found = found[:-1]
    if found != GAP_HEADERS:
        expected = ", ".join(GAP_HEADERS)
        raise FileRefused(
            _(
                "The gap analysis sheet's columns were moved, renamed, added or removed. Its first row must "
                "be exactly: %(expected)s. Export the gap analysis again and fill that file in.",
                expected=expected,
            )
        )


def check_about(about: Mapping[str, Any], project_id: int, standard_code: str, standard_version: str) -> None:
    """The file must be this project's export, against the same standard."""
    exported_id = about.get(ABOUT_PROJECT_ID)
    if isinstance(exported_id, float) and exported_id.is_integer():
        exported_id = int(exported_id)
    if str(exported_id) != str(project_id):
        raise FileRefused(
            _(
                "This file was exported from another project (project %(exported)s, not %(project)s). "
                "Export this project's gap analysis and fill that file in.",
                exported=_text(exported_id) or _("unknown"),
                project=project_id,
            )
        )
    code, version = _text(about.get(ABOUT_STANDARD)), _text(about.get(ABOUT_STANDARD_VERSION))
    if (code, version) != (standard_code, standard_version):
        raise FileRefused(
            _(
                "This file is a gap analysis against another standard (%(other)s), not this project's "
                "(%(standard)s).",
                other=" ".join((code, version)),
                standard=" ".join((standard_code, standard_version)),
            )
        )


def plan(
    rows: Iterable[tuple[int, Sequence[Any]]],
    saved: Mapping[str, Saved],
    *,
    key: bytes,
    project_id: int,
    not_applicable_rule: str,
    today: date,
) -> Plan:
    """Every row of the sheet (its number and its cells in GAP_HEADERS order) judged against the saved
    verdicts: the changes to apply, the rows refused with their reason, and how many rows change nothing."""
    result = Plan()
    seen: dict[str, int] = {}
    unchanged = 0
    for number, cells in rows:
        values = [*cells, *([None] * (len(GAP_HEADERS) - len(cells)))]
        if all(_text(value) == "" for value in values):
            continue  # a blank line
        outcome = _judge_row(number, values, saved, seen, key, project_id, not_applicable_rule, today)
        if isinstance(outcome, RowRefusal):
            result.refused.append(outcome)
        elif outcome is None:
            unchanged += 1
        else:
            result.changes.append(outcome)
    return Plan(result.changes, result.refused, unchanged)


def _judge_row(
    number: int,
    values: Sequence[Any],
    saved: Mapping[str, Saved],
    seen: dict[str, int],
    key: bytes,
    project_id: int,
    rule: str,
    today: date,
) -> RowChange | RowRefusal | None:
    clause = _clause(values[0])
    if not clause:
        return RowRefusal(number, "", _("The row has no clause number."))
    current = saved.get(clause)
    if current is None:
        return RowRefusal(
            number,
            clause,
            _("Unknown clause %(clause)s: it is not a requirement of this standard.", clause=clause),
        )
    if clause in seen:
        return RowRefusal(
            number,
            clause,
            _(
                "Clause %(clause)s appears twice (rows %(first)s and %(second)s).",
                clause=clause,
                first=seen[clause],
                second=number,
            ),
        )
    seen[clause] = number
    exported = token_version(key, project_id, clause, values[8])
    if exported is None:
        return RowRefusal(
            number,
            clause,
            _("Its hidden row version is missing or was edited: export the gap analysis again."),
        )
    verdict = _verdict(values)
    if isinstance(verdict, str):
        return RowRefusal(number, clause, verdict)
    changes = tuple(
        FieldChange(name, current.values()[name], verdict[name])
        for name in FIELDS
        if verdict[name] != current.values()[name]
    )
    if not changes:
        return None
    if exported != current.version:
        return RowRefusal(
            number,
            clause,
            _(
                "Changed in the app since the export (version %(then)s then, %(now)s now): export "
                "the gap analysis again to see the saved verdict.",
                then=exported,
                now=current.version,
            ),
        )
    errors = assessment_errors(
        verdict["status"], verdict["justification"], current.may_be_not_applicable, rule
    ) or verdict_limit_errors(verdict, today)
    if errors:
        name, message = next(iter(errors.items()))
        return RowRefusal(
            number, clause, _("%(field)s: %(message)s", field=FIELD_LABELS[name], message=message)
        )
    return RowChange(number, clause, current.version, verdict, changes)


def _verdict(values: Sequence[Any]) -> dict[str, Any] | str:
    """The row's verdict as update_requirement takes it, or why it cannot be read."""
    status_text = _text(values[2])
    status = _STATUS_BY_WORD.get(status_text.casefold())
    if status is None:
        words = ", ".join(VERDICT_LABELS.values())
        return _("Unknown status “%(status)s”: use one of %(words)s.", status=status_text, words=words)
    due = _due_date(values[4])
    if due is False:
        return _(
            "Due date “%(value)s” is not a date (use a date cell, or YYYY-MM-DD).", value=_text(values[4])
        )
    justification = _text(values[6])
    return {
        "status": str(status),
        "owner": _text(values[3]),
        "due_date": due,
        "notes": _text(values[5]),
        "justification": justification if status == ClauseStatus.NOT_APPLICABLE else "",
    }


def _clause(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _text(value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _due_date(value: Any) -> date | bool | None:
    """A date cell, or text in ISO form; None when empty; False when it is not a date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return False
