"""Rules for one gap-analysis verdict, shared by the page form and the API."""

from __future__ import annotations

from app.domain.readiness import ClauseStatus

VERDICT_LABELS: dict[str, str] = {
    ClauseStatus.NOT_ASSESSED: "Not assessed",
    ClauseStatus.NOT_MET: "Not met",
    ClauseStatus.PARTIAL: "Partly met",
    ClauseStatus.MET: "Met",
    ClauseStatus.NOT_APPLICABLE: "Not applicable",
}

NOT_APPLICABLE_REFUSALS = {
    "scope": "ISO 9001 lets a requirement be not applicable only where the scope permits it "
    "(it cannot affect product conformity); this requirement cannot be left out.",
    "clauses_6_7_8": "ISO 13485 allows not applicable only for the requirements of clauses 6, 7 and 8 "
    "that the organisation does not perform; this requirement cannot be left out.",
}


def assessment_errors(
    status: str, justification: str, may_be_not_applicable: bool, not_applicable_rule: str
) -> dict[str, str]:
    """Field name -> message for an invalid verdict; empty when it may be saved."""
    if status not in VERDICT_LABELS:
        allowed = ", ".join(VERDICT_LABELS)
        return {"status": f"Unknown status {status!r}: use one of {allowed}."}
    if status != ClauseStatus.NOT_APPLICABLE:
        return {}
    if not may_be_not_applicable:
        return {
            "status": NOT_APPLICABLE_REFUSALS.get(not_applicable_rule, "This requirement cannot be left out.")
        }
    if not justification.strip():
        return {"justification": "Explain why this requirement does not apply (auditors will ask)."}
    return {}
