"""The rules of share links and of what the buyer verification page says (app.domain.sharing), the
certification rules it relies on (next audit due, last surveillance, accreditation on the IAF MLA list), and
the QR codes (app.sharing.qr)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain import sharing as rules
from app.domain.certification import (
    BUYER_CHECKS,
    IAF_CERTSEARCH,
    AuditKind,
    CycleAudit,
    last_surveillance,
    next_audit,
)
from app.sharing import qr
from tests.qr_reading import png_pixels, qr_text

TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


# Tokens


def test_a_token_is_43_url_safe_characters_and_never_repeats():
    tokens = {rules.new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{43}", token) for token in tokens)


def test_the_fingerprint_is_the_start_of_the_hash():
    assert rules.fingerprint("ab12cd34" + "e" * 56) == "ab12cd34"


@pytest.mark.parametrize(("text", "worth"), [("", False), ("x", True), ("x" * 100, True), ("x" * 101, False)])
def test_only_a_token_of_a_plausible_length_is_looked_up(text, worth):
    assert rules.may_be_token(text) is worth


# A link's label and expiry


def test_a_link_needs_a_label_saying_who_it_is_for():
    assert "Say who the link is for" in rules.link_errors("  ", None, TODAY)["label"]
    assert rules.link_errors("x" * 121, None, TODAY)["label"] == "Use at most 120 characters."
    assert rules.link_errors("x" * 120, None, TODAY) == {}


@pytest.mark.parametrize(
    ("expires_on", "fault"),
    [
        (None, None),
        (TODAY, None),
        (TODAY - timedelta(days=1), "The expiry date cannot be in the past."),
        (date(2031, 3, 10), None),
        (date(2031, 3, 11), "at most 5 years ahead, by 2031-03-10"),
    ],
)
def test_the_expiry_runs_from_today_to_five_years_ahead(expires_on, fault):
    errors = rules.link_errors("Buyer", expires_on, TODAY)
    if fault is None:
        assert errors == {}
    else:
        assert fault in errors["expires_on"]


def test_five_years_from_a_29_february_is_28_february():
    assert rules.latest_expiry(date(2028, 2, 29)) == date(2033, 2, 28)


def test_a_link_opens_until_the_end_of_its_last_day():
    moment = rules.expires_at(date(2026, 3, 10))
    assert moment == datetime(2026, 3, 11, tzinfo=UTC)
    assert rules.expiry_day(moment) == date(2026, 3, 10)
    assert rules.expiry_day(moment.replace(tzinfo=None)) == date(2026, 3, 10)  # as SQLite gives it back
    assert rules.expiry_day(None) is None
    assert rules.link_state(None, moment, moment - timedelta(seconds=1)) is rules.LinkState.ACTIVE
    assert rules.link_state(None, moment, moment) is rules.LinkState.EXPIRED


def test_a_revoked_link_is_revoked_whatever_its_expiry():
    assert rules.link_state(NOW, None, NOW) is rules.LinkState.REVOKED
    assert rules.link_state(NOW, NOW - timedelta(days=1), NOW) is rules.LinkState.REVOKED
    assert rules.link_state(None, None, NOW) is rules.LinkState.ACTIVE
    naive_past = (NOW - timedelta(hours=1)).replace(tzinfo=None)
    assert rules.link_state(None, naive_past, NOW) is rules.LinkState.EXPIRED


# What the page links to and says


@pytest.mark.parametrize(
    ("typed", "linked"),
    [
        ("https://www.vinacert.example/register", "https://www.vinacert.example/register"),
        ("www.vinacert.example", "https://www.vinacert.example"),
        ("http://cb.example/check?n=1", "http://cb.example/check?n=1"),
        ("", None),
        ("javascript:alert(1)", None),
        ("ftp://cb.example", None),
        ("https://localhost", None),
        ("not a website", None),
    ],
)
def test_only_an_http_website_with_a_host_is_linked(typed, linked):
    assert rules.web_link(typed) == linked


def test_an_accreditation_body_on_the_iaf_mla_list_is_named_in_full():
    found = rules.accreditation("UKAS")
    assert found.on_iaf_mla and found.warning is None
    assert found.full_name == "UKAS (United Kingdom Accreditation Service)"


def test_an_accreditation_body_not_on_the_list_is_kept_and_warned_about():
    found = rules.accreditation(" (not IAF) ")
    assert not found.on_iaf_mla and found.full_name is None
    assert found.recorded == "(not IAF)"
    assert IAF_CERTSEARCH in (found.warning or "")
    assert "No accreditation body is recorded" in (rules.accreditation("").warning or "")


def test_a_standard_is_named_without_its_edition_and_an_amendment_is_no_edition():
    assert rules.buyer_standard("iso9001", "ISO 9001:2015", "2015+A1:2024") == rules.BuyerStandard(
        "iso9001", "ISO 9001", "2015"
    )
    assert rules.buyer_standard("x", "Some standard", "2020").edition == "2020"


def test_sector_codes_are_numbers_or_kept_as_typed():
    assert rules.sector_codes("EA 17; 14") == (14, 17)
    assert rules.sector_codes("17 and more") is None


def test_the_progress_statement_names_the_month_and_the_body_of_the_certification_audit():
    planned = rules.PlannedAudit(date(2026, 6, 15), held=False, body_name="Vina Cert")
    assert rules.progress_statement("ISO 9001", planned) == (
        "Working towards ISO 9001 certification: certification audit planned for June 2026 with Vina Cert."
    )
    unnamed = rules.PlannedAudit(date(2026, 6, 15), held=False, body_name="")
    assert rules.progress_statement("ISO 9001", unnamed).endswith("planned for June 2026.")
    held = rules.PlannedAudit(date(2026, 2, 2), held=True, body_name="Vina Cert")
    assert "held in February 2026 with Vina Cert; the certification decision is pending" in (
        rules.progress_statement("ISO 9001", held)
    )
    assert rules.progress_statement("ISO 13485", None) == "Working towards ISO 13485 certification."


def test_the_audit_mentioned_is_the_next_scheduled_else_the_last_held():
    past_plan = rules.PlannedAudit(date(2026, 1, 5), held=False, body_name="A")
    later = rules.PlannedAudit(date(2026, 9, 1), held=False, body_name="B")
    sooner = rules.PlannedAudit(date(2026, 5, 1), held=False, body_name="C")
    held = rules.PlannedAudit(date(2026, 2, 1), held=True, body_name="D")
    assert rules.next_certification_audit([later, sooner, held, past_plan], TODAY) == sooner
    assert rules.next_certification_audit([held, past_plan], TODAY) == held
    assert rules.next_certification_audit([past_plan], TODAY) is None
    assert rules.next_certification_audit([], TODAY) is None


# The cycle the page reads (app.domain.certification)


def test_the_next_audit_due_and_the_last_surveillance_over_the_cycle():
    decision = date(2025, 1, 31)
    first = CycleAudit(AuditKind.SURVEILLANCE1, date(2026, 1, 20), held=True)
    planned = CycleAudit(AuditKind.SURVEILLANCE2, date(2027, 3, 1), held=False)
    assert last_surveillance([first, planned]) == first
    due = next_audit(decision, [first, planned], TODAY)
    assert due is not None and due.kind is AuditKind.SURVEILLANCE2
    assert due.due_by == date(2027, 12, 31) and not due.overdue
    mention = rules.due_mention(due)
    assert mention == rules.AuditMention(
        AuditKind.SURVEILLANCE2, "Second surveillance audit", date(2027, 12, 31)
    )
    assert rules.held_mention(last_surveillance([planned])) is None


def test_a_first_surveillance_past_its_window_is_overdue():
    decision = date(2024, 2, 29)  # due a year later: the end of February
    due = next_audit(decision, [], TODAY)
    assert due is not None and due.kind is AuditKind.SURVEILLANCE1
    assert due.due_by == date(2025, 2, 28) and due.overdue
    assert rules.due_mention(due).overdue  # type: ignore[union-attr]


# The JSON form


def certificate_page(**fields: object) -> rules.BuyerCertificate:
    values: dict[str, object] = {
        "company": "Saigon Steel Sinks",
        "sites": (rules.BuyerSite("Binh Duong plant", "5 Road 3", "VN", "Vietnam"),),
        "standard": rules.BuyerStandard("iso9001", "ISO 9001", "2015"),
        "number": "VN-123",
        "scope": "Sinks.",
        "sector_codes_text": "17",
        "sector_codes": (17,),
        "body_name": "Vina Cert",
        "body_website": "https://vinacert.example",
        "body_website_text": "vinacert.example",
        "accreditation": rules.accreditation("UKAS"),
        "accreditation_number": "0123",
        "status": "valid",
        "status_label": "Valid",
        "original_on": date(2025, 1, 31),
        "issued_on": date(2025, 2, 3),
        "expires_on": date(2028, 1, 30),
        "last_surveillance": rules.AuditMention(
            AuditKind.SURVEILLANCE1, "First surveillance audit", date(2026, 1, 20)
        ),
        "next_audit": rules.AuditMention(
            AuditKind.SURVEILLANCE2, "Second surveillance audit", date(2027, 12, 31)
        ),
    } | fields
    return rules.BuyerCertificate(**values)  # type: ignore[arg-type]


def test_the_json_form_names_every_fact_of_the_page():
    found = rules.certificate_json(
        certificate_page(), "https://app.example/check/t", IAF_CERTSEARCH, BUYER_CHECKS
    )
    assert found == {
        "kind": "certificate",
        "page_url": "https://app.example/check/t",
        "company": "Saigon Steel Sinks",
        "sites": [
            {"name": "Binh Duong plant", "address": "5 Road 3", "country": "VN", "country_name": "Vietnam"}
        ],
        "standard": {"code": "iso9001", "name": "ISO 9001", "edition": "2015"},
        "certificate_number": "VN-123",
        "scope": "Sinks.",
        "sector_codes": [17],
        "sector_codes_text": "17",
        "certification_body": {
            "name": "Vina Cert",
            "website": "https://vinacert.example",
            "accreditation_number": "0123",
        },
        "accreditation_body": {
            "name": "UKAS",
            "full_name": "UKAS (United Kingdom Accreditation Service)",
            "on_iaf_mla": True,
            "warning": None,
        },
        "status": "valid",
        "status_label": "Valid",
        "original_certification_date": "2025-01-31",
        "issue_date": "2025-02-03",
        "expiry_date": "2028-01-30",
        "last_surveillance_audit": {
            "kind": "surveillance1",
            "label": "First surveillance audit",
            "held_on": "2026-01-20",
        },
        "next_audit_due": {
            "kind": "surveillance2",
            "label": "Second surveillance audit",
            "due_by": "2027-12-31",
            "overdue": False,
        },
        "transition_note": None,
        "check_links": {"certification_body": "https://vinacert.example", "iaf_certsearch": IAF_CERTSEARCH},
        "what_to_check": list(BUYER_CHECKS),
    }


def test_the_json_form_of_a_certificate_without_surveillance_or_valid_status():
    page = certificate_page(
        last_surveillance=None, next_audit=None, sector_codes=None, sector_codes_text="n/a"
    )
    found = rules.certificate_json(page, "u", IAF_CERTSEARCH, BUYER_CHECKS)
    assert found["last_surveillance_audit"] is None and found["next_audit_due"] is None
    assert found["sector_codes"] is None and found["sector_codes_text"] == "n/a"


def test_the_json_form_of_a_progress_page():
    audit = rules.PlannedAudit(date(2026, 6, 15), held=False, body_name="Vina Cert")
    page = rules.BuyerProgress(
        "Saigon Steel Sinks", (), rules.BuyerStandard("iso9001", "ISO 9001", "2015"), "Working…", audit
    )
    found = rules.progress_json(page, "u", IAF_CERTSEARCH, BUYER_CHECKS)
    assert found["kind"] == "progress" and found["statement"] == "Working…"
    assert found["certification_audit"] == {
        "month": "2026-06",
        "held": False,
        "certification_body": "Vina Cert",
    }
    assert "certificate_number" not in found
    bare = rules.progress_json(
        rules.BuyerProgress("C", (), page.standard, "Working towards ISO 9001 certification.", None),
        "u",
        IAF_CERTSEARCH,
        BUYER_CHECKS,
    )
    assert bare["certification_audit"] is None


# QR codes


def test_the_png_qr_code_reads_back_as_the_address():
    url = "https://readiness.example/check/" + rules.new_token()
    data = qr.png(url)
    width, height, _ = png_pixels(data)
    assert width == height >= 300  # large enough to print
    assert qr_text(data) == url


def test_the_svg_qr_code_is_an_svg_document_with_its_title():
    data = qr.svg("https://readiness.example/check/abc", "Verification page")
    text = data.decode()
    assert text.startswith("<?xml") and "<svg" in text and 'xmlns="http://www.w3.org/2000/svg"' in text
    assert "<title>Verification page</title>" in text
    assert "<script" not in text


def test_the_month_is_written_in_the_readers_language(monkeypatch) -> None:
    from datetime import date as day

    from app.domain import sharing, text

    assert sharing.month_text(day(2026, 12, 3)) == "December 2026"
    monkeypatch.setattr(text, "_locale", lambda: "vi")
    assert sharing.month_text(day(2026, 12, 3)) == "tháng 12 2026"
