"""The rules of certification bodies and quotes: the accreditation body against the IAF MLA list (warned,
never refused), sector codes, a body's fields, a quote's days and amounts as typed, its audit days against
IAF MD 5 / MD 9, accepting, and the budget lines an accepted quote becomes."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.domain import certification_bodies as rules
from app.domain.certification import (
    IAF_CERTSEARCH,
    accreditation_bodies,
    accreditation_warning,
    find_accreditation_body,
    parse_sector_codes,
    quote_total,
    quote_warning,
)
from app.domain.money import MAX_AMOUNT

TODAY = date.today()
D = Decimal


# The IAF MLA list


@pytest.mark.parametrize("text", ["UKAS", "ukas", "United Kingdom Accreditation Service",
                                  "UKAS (United Kingdom Accreditation Service)", "  ukas  "])  # fmt: skip
def test_a_signatory_is_found_by_acronym_name_or_label(text):
    found = find_accreditation_body(text)
    assert found is not None and found.acronym == "UKAS"
    assert accreditation_warning(text) is None
    assert rules.recorded_accreditation(text) == "UKAS"
    assert rules.accreditation_label(text) == "UKAS (United Kingdom Accreditation Service)"


def test_the_demos_accreditation_bodies_are_on_the_list():
    assert find_accreditation_body("BoA") is not None and find_accreditation_body("DSM") is not None


@pytest.mark.parametrize("text", ["(not IAF)", "Totally Real Accreditation", "UKAS Ltd"])
def test_a_name_not_on_the_list_is_kept_and_warned_with_where_to_check(text):
    assert find_accreditation_body(text) is None
    warning = accreditation_warning(text)
    assert warning is not None and f"“{text}”" in warning and IAF_CERTSEARCH in warning
    assert rules.recorded_accreditation(f"  {text} ") == text
    assert rules.accreditation_label(text) == text


def test_no_accreditation_body_is_warned_too():
    assert "No accreditation body is recorded" in (accreditation_warning("  ") or "")


def test_the_select_offers_every_signatory_by_acronym():
    choices = rules.accreditation_choices()
    assert len(choices) == len(accreditation_bodies())
    assert ("BoA", "BoA (Bureau of Accreditation (Vietnam))") in choices


# Sector codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [("", ()), ("14", (14,)), ("19, 14, 14", (14, 19)), ("EA 14; IAF 19", (14, 19)), ("1, 39", (1, 39))],
)
def test_sector_codes_are_read_sorted_once_each(text, codes):
    assert parse_sector_codes(text) == codes
    assert rules.sector_codes_error(text) is None
    assert rules.format_sector_codes(codes) == ", ".join(str(c) for c in codes)


@pytest.mark.parametrize("text", ["0", "40", "14, x", "14.5", "-3", "1" * 201])
def test_a_code_outside_1_to_39_is_refused(text):
    assert rules.sector_codes_error(text)


# A body's fields


def body(**fields: object) -> dict[str, object]:
    return {"name": "Example Cert", "accreditation_body": "UKAS", "sector_codes": "14",
            "contact_email": "", "website": "", "major_deadline_days": 90} | fields  # fmt: skip


def test_a_plain_body_has_no_error():
    assert rules.body_errors(body()) == {}
    assert rules.body_errors(body(website="https://cert.example/check", contact_email="a@cert.example")) == {}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 161}, "name"),
        ({"accreditation_body": "x" * 161}, "accreditation_body"),
        ({"accreditation_number": "x" * 61}, "accreditation_number"),
        ({"sector_codes": "99"}, "sector_codes"),
        ({"contact_email": "no-at-sign"}, "contact_email"),
        ({"contact_email": "a@b"}, "contact_email"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"website": "https://" + "x" * 300}, "website"),
        ({"major_deadline_days": 0}, "major_deadline_days"),
        ({"major_deadline_days": 366}, "major_deadline_days"),
        ({"major_deadline_days": None}, "major_deadline_days"),
        ({"notes": "x" * 5001}, "notes"),
    ],
)
def test_each_bad_field_is_named(fields, field):
    assert set(rules.body_errors(body(**fields))) == {field}


def test_the_deadline_days_at_their_limits_are_accepted():
    assert rules.deadline_days_error(1) is None and rules.deadline_days_error(365) is None


def test_a_body_is_stored_with_the_acronym_and_its_codes_sorted():
    cleaned = rules.cleaned_body(
        body(accreditation_body="Bureau of Accreditation (Vietnam)", sector_codes="19;3")
    )
    assert (cleaned["accreditation_body"], cleaned["sector_codes"]) == ("BoA", "3, 19")


# A quote's days and amounts


@pytest.mark.parametrize(
    ("text", "days"), [("4", D(4)), ("4.5", D("4.5")), ("0.5", D("0.5")), ("999", D(999)), (" 2.0 ", D(2))]
)
def test_days_are_read_to_the_tenth(text, days):
    assert rules.parse_days(text, "Audit days") == (days, None)


@pytest.mark.parametrize("text", ["4,5", "abc", "0", "0.4", "1000", "4.25", "1e3", "-1", "١٢"])
def test_other_days_are_refused_with_a_message(text):
    value, message = rules.parse_days(text, "Audit days")
    assert value is None and message


def test_empty_days_are_required_only_for_the_audit():
    assert rules.parse_days("", "Audit days")[1] == "Enter the audit days, e.g. 4.5."
    assert rules.parse_days("", "Surveillance days", required=False) == (None, None)


@pytest.mark.parametrize(
    ("text", "unit", "amount"),
    [
        ("1,200.50", D("0.01"), D("1200.50")),
        ("25,000,000", D(1), D(25_000_000)),
        ("1.23", D("0.001"), D("1.23")),
    ],
)
def test_amounts_are_read_in_the_currencys_decimals(text, unit, amount):
    assert rules.parse_quote_amount(text, "Day rate", unit) == (amount, None)


@pytest.mark.parametrize(
    ("text", "unit", "message"),
    [
        ("", D("0.01"), "Enter the day rate."),
        ("-1", D("0.01"), "The day rate cannot be negative."),
        ("1.5", D(1), "This currency's amounts have no decimals."),
        ("1.005", D("0.01"), "Use at most 2 decimals."),
        ("1.234", D("0.001"), "Use at most 2 decimals."),  # the column keeps two
        ("1000000000000", D("0.01"), "The most a quote's amount can be is 999,999,999,999."),
    ],
)
def test_other_amounts_are_refused_with_a_message(text, unit, message):
    assert rules.parse_quote_amount(text, "Day rate", unit) == (None, message)


def test_optional_amounts_left_empty_are_nothing():
    assert rules.parse_quote_amount("", "Fees", D("0.01"), required=False) == (D(0), None)


def typed(**fields: object) -> rules.QuoteText:
    values = {"received_on": TODAY, "audit_days": "4", "surveillance_days": "", "day_rate": "1000",
              "fees": "", "travel": "", "notes": ""} | fields  # fmt: skip
    return rules.QuoteText(**values)  # type: ignore[arg-type]


def test_a_quote_is_read_whole():
    figures, errors = rules.read_quote(typed(surveillance_days="1.5", fees="200"), D("0.01"), TODAY)
    assert errors == {}
    assert figures == rules.QuoteFigures(TODAY, D(4), D("1.5"), D(1000), D(200), D(0), "")


def test_every_fault_of_a_quote_is_named_at_once():
    bad = typed(received_on=TODAY + timedelta(days=1), audit_days="x", day_rate="", travel="-1")
    figures, errors = rules.read_quote(bad, D("0.01"), TODAY)
    assert figures is None
    assert set(errors) == {"received_on", "audit_days", "day_rate", "travel"}
    assert rules.read_quote(typed(received_on=None), D("0.01"), TODAY)[1] == {
        "received_on": "Enter the day the quote was received."
    }


def test_each_line_of_the_largest_quote_still_fits_a_budget_line():
    assert rules.DAYS_MAX * rules.QUOTE_AMOUNT_MAX <= MAX_AMOUNT


# The IAF figure, the total, accepting


def test_a_quote_below_80_percent_of_the_iaf_figure_is_flagged():
    check = rules.days_check("iso9001", 30, D(3))  # MD 5: 26-45 employees, 4 days
    assert check.expected == D(4) and "26\u201345 employees (the site has 30)" in check.basis
    assert check.warning and check.warning.startswith("3 audit days is well below the 4 days")
    assert rules.days_check("iso9001", 30, D("3.2")).warning is None  # exactly 80 %
    assert rules.days_check("iso9001", 30).warning is None  # no quote: the figure only
    assert quote_warning(D("3.1"), D(4)) is not None


def test_iso_13485_uses_md_9_and_an_unknown_standard_has_no_figure():
    assert rules.days_check("iso13485", 140, D(11)).expected == D(11)
    check = rules.days_check("iso14001", 30, D(1))
    assert (check.expected, check.warning) == (None, None) and "Unknown standard" in check.basis


def test_the_total_is_days_times_the_rate_with_fees_and_travel():
    assert quote_total(D("4.5"), D("1200.50"), D(300), D("150.25")) == D("5852.50")


def test_a_second_quote_is_accepted_only_once_the_first_is_declined():
    assert rules.accept_error("received", None) is None
    assert rules.accept_error("declined", None) is None
    assert rules.accept_error("accepted", "The other quote") is None  # already accepted: nothing to do
    assert rules.accept_error("received", "The quote of 1 Jan from X") == (
        "The quote of 1 Jan from X is already accepted for this project: decline it first."
    )


def test_only_a_received_quote_is_edited():
    assert rules.editable_error("received") is None
    assert rules.editable_error("accepted") and rules.editable_error("declined")


# Budget lines of an accepted quote


def test_an_accepted_quote_becomes_lines_of_the_external_audit():
    figures = rules.QuoteFigures(date(2026, 3, 2), D("4.5"), D("1.5"), D("1000.50"), D(500), D(300), "")
    lines = rules.quote_lines(figures, "Example Cert", D("0.01"))
    assert [(line.description, line.planned, line.cycle_year) for line in lines] == [
        (
            "Certification body: initial audit, stage 1 and 2 (Example Cert, quote of 02 Mar 2026)",
            D("4502.25"),
            0,
        ),
        ("Certification body: fees (Example Cert, quote of 02 Mar 2026)", D(500), 0),
        ("Certification body: travel (Example Cert, quote of 02 Mar 2026)", D(300), 0),
        (
            "Certification body: surveillance audit, year 1 (Example Cert, quote of 02 Mar 2026)",
            D("1500.75"),
            1,
        ),
        (
            "Certification body: surveillance audit, year 2 (Example Cert, quote of 02 Mar 2026)",
            D("1500.75"),
            2,
        ),
    ]
    assert {(line.stage, line.category) for line in lines} == {("external_audit", "certification_body")}
    assert lines[0].basis == "Accepted quote: 4.5 days \u00d7 1,000.50 a day"


def test_no_fees_travel_or_surveillance_days_make_no_lines():
    figures = rules.QuoteFigures(date(2026, 3, 2), D(4), None, D(1000), D(0), D(0), "")
    assert len(rules.quote_lines(figures, "X", D(1))) == 1
