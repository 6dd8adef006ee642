"""Rules for one gap-analysis verdict, shared by the page form and the API."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from app.domain.readiness import ClauseStatus
from app.domain.text import _, _l, grouped

VERDICT_LABELS: dict[str, str] = {
    ClauseStatus.NOT_ASSESSED: _l("Not assessed"),
    ClauseStatus.NOT_MET: _l("Not met"),
    ClauseStatus.PARTIAL: _l("Partly met"),
    ClauseStatus.MET: _l("Met"),
    ClauseStatus.NOT_APPLICABLE: _l("Not applicable"),
}

OWNER_MAX_LENGTH = 120  # the column's length
# Notes and justification: as much as the API has always taken, so nothing saved through it is refused later.
TEXT_MAX_LENGTH = 10_000
MAX_LENGTHS: dict[str, int] = {
    "owner": OWNER_MAX_LENGTH,
    "notes": TEXT_MAX_LENGTH,
    "justification": TEXT_MAX_LENGTH,
}
EARLIEST_DUE_DATE = date(2000, 1, 1)
DUE_DATE_YEARS_AHEAD = 10  # the latest due date is 31 December of this many years after today's

NOT_APPLICABLE_REFUSALS: dict[str, str] = {
    "scope": _l(
        "ISO 9001 lets a requirement be not applicable only where the scope permits it "
        "(it cannot affect product conformity); this requirement cannot be left out."
    ),
    "clauses_6_7_8": _l(
        "ISO 13485 allows not applicable only for the requirements of clauses 6, 7 and 8 "
        "that the organisation does not perform; this requirement cannot be left out."
    ),
}


def assessment_errors(
    status: str, justification: str, may_be_not_applicable: bool, not_applicable_rule: str
) -> dict[str, str]:
    """Field name -> message for an invalid verdict; empty when it may be saved."""
    if status not in VERDICT_LABELS:
        allowed = ", ".join(VERDICT_LABELS)
        return {
            "status": _(
                "Unknown status %(status)s: use one of %(allowed)s.", status=repr(status), allowed=allowed
            )
        }
    if status != ClauseStatus.NOT_APPLICABLE:
        return {}
    if not may_be_not_applicable:
        return {
            "status": str(
                NOT_APPLICABLE_REFUSALS.get(not_applicable_rule, _("This requirement cannot be left out."))
            )
        }
    if not justification.strip():
        return {"justification": _("Explain why this requirement does not apply (auditors will ask).")}
    return {}


def latest_due_date(today: date) -> date:
    """The last due date a verdict may have: 31 December, :data:`DUE_DATE_YEARS_AHEAD` years on."""
    return date(today.year + DUE_DATE_YEARS_AHEAD, 12, 31)


def verdict_limit_errors(values: Mapping[str, object], today: date) -> dict[str, str]:
    """Field name -> message for each given verdict field outside its limits: the length of owner, notes
    and justification (after trimming, which callers do) and the due-date window. Only the fields given are
    checked, so a partial update is judged on what it sends; a missing due date (None) is no error."""
    errors = {}
    for name, limit in MAX_LENGTHS.items():
        value = values.get(name)
        if isinstance(value, str) and len(value) > limit:
            errors[name] = _("Use at most %(limit)s characters.", limit=grouped(limit))
    due = values.get("due_date")
    if isinstance(due, date):
        latest = latest_due_date(today)
        if not EARLIEST_DUE_DATE <= due <= latest:
            errors["due_date"] = _(
                "Enter a date between %(earliest)s and %(latest)s.",
                earliest=EARLIEST_DUE_DATE.year,
                latest=latest.year,
            )
    return errors
