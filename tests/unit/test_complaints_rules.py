"""Customer complaints: the state from what is recorded, open for more than 30 days, and what is refused in
a complaint as a whole (receipt, investigation, closure and, for ISO 13485, the reportability decision)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.domain import complaints as rules
from app.domain.complaints import ComplaintState, ComplaintValues, Reportability

TODAY = date(2026, 3, 31)
FINDINGS = "The moisture meter showed the batch above twelve percent on the day it shipped."
CLOSURE = "Credit note issued and the drying time of every batch is now logged."
REASON = "Cosmetic mark only: no harm to a patient could follow from it."
RECEIVED = ComplaintValues(TODAY - timedelta(days=5), "Vinamilk", "Stopper 45x24", "Mould spots on the face.")
CLOSED = replace(RECEIVED, investigation=FINDINGS, closed_on=TODAY, closure=CLOSURE)
DECIDED = replace(CLOSED, reportable=False, reportability_reason=REASON)
REPORTED = replace(
    CLOSED,
    reportable=True,
    reportability_reason=REASON,
    authority="Medical Device Authority",
    reported_on=TODAY - timedelta(days=1),
    report_reference="MDA-7",
)


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def test_the_state_follows_what_is_recorded():
    assert rules.state_of("", None) is ComplaintState.RECEIVED
    assert rules.state_of("  ", None) is ComplaintState.RECEIVED
    assert rules.state_of(FINDINGS, None) is ComplaintState.INVESTIGATING
    assert rules.state_of("", TODAY) is ComplaintState.CLOSED


def test_a_complaint_is_late_after_thirty_days_open():
    assert not rules.is_late(days(-30), None, TODAY)  # the 30th day is not late yet
    assert rules.is_late(days(-31), None, TODAY)
    assert not rules.is_late(days(-90), days(-1), TODAY)  # closed
    assert rules.days_open(days(-31), None, TODAY) == 31
    assert rules.days_open(days(-31), days(-21), TODAY) == 10
    assert rules.reportability_of(None) is Reportability.UNDECIDED
    assert rules.reportability_of(False) is Reportability.NOT_REPORTABLE


@pytest.mark.parametrize("medical", [False, True])
def test_a_whole_complaint_is_accepted(medical):
    assert rules.complaint_errors(RECEIVED, TODAY, medical) == {}
    assert rules.complaint_errors(DECIDED if medical else CLOSED, TODAY, medical) == {}
    assert rules.complaint_errors(REPORTED, TODAY, True) == {}


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (replace(RECEIVED, received_on=None), "received_on", "Give the date"),
        (replace(RECEIVED, received_on=days(1)), "received_on", "in the future"),
        (replace(RECEIVED, received_on=date(1999, 12, 31)), "received_on", "from 2000 on"),
        (replace(RECEIVED, customer=" "), "customer", "Name the customer"),
        (replace(RECEIVED, product=""), "product", "Name the product"),
        (replace(RECEIVED, description=""), "description", "Describe the complaint"),
        (replace(RECEIVED, investigation="checked"), "investigation", "real sentence"),
        (replace(CLOSED, investigation=""), "investigation", "closes only once investigated"),
        (replace(CLOSED, closure="done"), "closure", "real sentence"),
        (replace(CLOSED, closed_on=days(-6)), "closed_on", "before it was received"),
        (replace(CLOSED, closed_on=days(1)), "closed_on", "in the future"),
        (replace(RECEIVED, closure=CLOSURE), "closed_on", "Give the date the complaint was closed"),
        (replace(RECEIVED, customer="c" * 161), "customer", "at most 160"),
        (
            replace(RECEIVED, reportable=False, reportability_reason=REASON),
            "reportable",
            "ISO 13485 projects only",
        ),
        (replace(RECEIVED, authority="MDA"), "authority", "ISO 13485 projects only"),
    ],
)
def test_what_is_refused_in_any_complaint(values, field, message):
    errors = rules.complaint_errors(values, TODAY, medical=False)
    assert message in errors[field]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (CLOSED, "reportable", "before closing"),
        (replace(RECEIVED, reportability_reason=REASON), "reportable", "Say whether"),
        (replace(DECIDED, reportability_reason="no harm"), "reportability_reason", "real sentence"),
        (replace(DECIDED, report_reference="MDA-7"), "report_reference", "leave this empty"),
        (replace(REPORTED, authority=""), "authority", "Name the regulatory authority"),
        (replace(REPORTED, reported_on=None), "reported_on", "Give the date it was reported"),
        (replace(REPORTED, reported_on=days(1)), "reported_on", "in the future"),
        (replace(REPORTED, reported_on=days(-6)), "reported_on", "before it was received"),
        (replace(REPORTED, report_reference=""), "report_reference", "Give the report's reference"),
    ],
)
def test_what_is_refused_in_an_iso_13485_complaint(values, field, message):
    assert message in rules.complaint_errors(values, TODAY, medical=True)[field]


def test_the_list_filters_have_words():
    assert list(rules.STATE_FILTER_LABELS) == ["open", "late", "received", "investigating", "closed"]
    assert rules.STATE_FILTER_LABELS["late"] == "Open for more than 30 days"
    assert rules.label(12, "Vinamilk") == "Complaint 12 (Vinamilk)"
