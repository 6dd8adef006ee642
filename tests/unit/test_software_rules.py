"""The QMS software validation rules (ISO 13485 4.1.6, 7.5.6, 7.6): an application's state, what listing
one and recording its validation refuse."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.domain import software as rules
from app.domain.software import SoftwareFacts, SoftwareState

TODAY = date(2026, 3, 10)
USE = "Prints the lot number and expiry date on every unit label."
RESULT = "All twelve test scripts passed against the label specification."
VALID = SoftwareFacts(
    retired=False,
    validated_on=TODAY - timedelta(days=30),
    validated_version="2.1",
    version_label="2.1",
    revalidate_by=TODAY,
)


def test_an_applications_state_takes_the_first_that_applies():
    state = rules.state
    assert state(VALID, TODAY) is SoftwareState.VALIDATED  # due on the day: not yet past
    assert state(VALID, TODAY + timedelta(days=1)) is SoftwareState.REVALIDATION_DUE
    assert state(replace(VALID, revalidate_by=None), TODAY + timedelta(days=999)) is SoftwareState.VALIDATED
    changed = replace(VALID, version_label="2.2")
    assert state(changed, TODAY + timedelta(days=1)) is SoftwareState.CHANGED  # a change before a due date
    never = replace(VALID, validated_on=None, validated_version="", revalidate_by=None)
    assert state(never, TODAY) is SoftwareState.NOT_VALIDATED
    assert state(replace(never, retired=True), TODAY) is SoftwareState.RETIRED
    assert list(rules.STATE_ORDER)[:3] == [
        SoftwareState.NOT_VALIDATED,
        SoftwareState.CHANGED,
        SoftwareState.REVALIDATION_DUE,
    ]


def test_an_application_is_listed_with_its_use_and_risk_and_high_risk_with_its_approach():
    assert rules.software_errors("BarTender", "2022 R8", USE, "medium", "") == {}
    assert rules.software_errors("Sterilisation cycle", "", USE, "high", RESULT) == {}
    found = rules.software_errors("", "v" * 61, "labels", "severe", "")
    assert set(found) == {"name", "version_label", "intended_use", "risk"}
    assert "low, medium or high" in found["risk"]
    high = rules.software_errors("Cycle software", "", USE, "high", "")
    assert "High-risk software needs its validation approach written" in high["approach"]
    assert "real sentence" in rules.software_errors("Cycle software", "", USE, "high", "tested")["approach"]
    assert rules.name_key(" SAP  Business One ") == rules.name_key("sap business one")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"validated_on": None}, "validated_on", "Give the date"),
        ({"validated_on": TODAY + timedelta(days=1)}, "validated_on", "the date is in the future"),
        ({"validated_version": " "}, "validated_version", "Give the version validated"),
        ({"result": "ok"}, "result", "real sentence"),
        ({"result": ""}, "result", "Write the validation's result."),
        ({"revalidate_by": TODAY}, "revalidate_by", "must come after the validation (10 Mar 2026)"),
    ],
)
def test_a_validation_that_breaks_a_rule_is_refused_naming_it(fields, field, message):
    values = {
        "validated_on": TODAY,
        "validated_version": "2.1",
        "result": RESULT,
        "revalidate_by": TODAY + timedelta(days=365),
    }
    assert rules.validation_errors(**values, today=TODAY) == {}
    found = rules.validation_errors(**(values | fields), today=TODAY)
    assert message in found[field], found


def test_counts_read_as_words():
    assert rules.count_text(1, "QMS application", "QMS applications") == "the QMS application"
    assert rules.count_text(3, "QMS application", "QMS applications") == "the 3 QMS applications"
