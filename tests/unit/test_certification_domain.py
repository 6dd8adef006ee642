"""The certification rules: the accreditation bodies of the IAF MLA, IAF sector codes, the certificate's
expiry (leap days and month ends) and status, the cycle's windows and the next audit due, a major of stage 2
open too long, the 2026 revision's note, a quote too cheap, an external audit's record, and the External
audit stage's criteria."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.domain import certification as c
from app.domain import external_audit as ea
from app.domain.certification import AuditKind, CertificateStatus, CycleAudit
from app.domain.external_audit import AuditRecord, CertificateFacts, ExternalAuditFacts, OpenMajor

TODAY = date(2027, 6, 15)


# Accreditation bodies


@pytest.mark.parametrize("text", ["UKAS", "ukas", " United Kingdom Accreditation Service ",
                                  "UKAS (United Kingdom Accreditation Service)"])  # fmt: skip
def test_an_mla_signatory_is_found_by_acronym_name_or_label(text):
    found = c.find_accreditation_body(text)
    assert found is not None and found.acronym == "UKAS" and found.economy == "GB"
    assert c.accreditation_warning(text) is None


def test_a_body_not_on_the_list_is_warned_with_the_links_never_refused():
    assert c.find_accreditation_body("(not IAF)") is None
    warning = c.accreditation_warning("Totally Real Accreditation")
    assert warning is not None
    assert warning.startswith("“Totally Real Accreditation” is not on the IAF MLA list")
    assert c.IAF_CERTSEARCH in warning and c.IAF_MEMBERS in warning
    assert "No accreditation body is recorded" in (c.accreditation_warning("  ") or "")
    assert c.find_accreditation_body("") is None


@pytest.mark.parametrize(
    ("text", "codes"),
    [("14, 19", (14, 19)), ("EA 19; 14", (14, 19)), ("IAF 1", (1,)), ("", ()), ("39, 39", (39,)),
     ("0", None), ("40", None), ("14, x", None), ("²", None), ("-3", None)],
)  # fmt: skip
def test_sector_codes_are_numbers_from_1_to_39(text, codes):
    assert c.parse_sector_codes(text) == codes


# Expiry and status


@pytest.mark.parametrize(
    ("decision", "expires"),
    [
        (date(2026, 3, 10), date(2029, 3, 9)),
        (date(2028, 2, 29), date(2031, 2, 28)),  # the anniversary falls on 1 March
        (date(2028, 2, 28), date(2031, 2, 27)),
        (date(2028, 3, 1), date(2031, 2, 28)),
        (date(2029, 3, 1), date(2032, 2, 29)),  # the day before falls on a leap day
        (date(2026, 1, 31), date(2029, 1, 30)),
        (date(2026, 12, 31), date(2029, 12, 30)),
        (date(2027, 1, 1), date(2029, 12, 31)),
    ],
)
def test_a_certificate_expires_the_day_before_the_third_anniversary(decision, expires):
    assert c.expiry(decision) == expires


def test_add_months_falls_to_the_month_end():
    assert c.add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert c.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert c.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert c.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("suspension", "since", "today", "status"),
    [
        ("", None, date(2029, 3, 9), CertificateStatus.VALID),  # the expiry day itself
        ("", None, date(2029, 3, 10), CertificateStatus.EXPIRED),
        ("suspended", date(2027, 1, 1), date(2027, 1, 1), CertificateStatus.SUSPENDED),
        ("suspended", date(2027, 1, 2), date(2027, 1, 1), CertificateStatus.VALID),  # not yet
        ("withdrawn", date(2027, 5, 1), date(2027, 6, 1), CertificateStatus.WITHDRAWN),
        ("withdrawn", date(2027, 5, 1), date(2030, 1, 1), CertificateStatus.WITHDRAWN),  # also after expiry
        ("withdrawn", None, date(2027, 6, 1), CertificateStatus.WITHDRAWN),
    ],
)
def test_the_status_of_a_certificate(suspension, since, today, status):
    assert c.certificate_status(date(2029, 3, 9), suspension, since, today) is status
    assert c.STATUS_LABELS[status]


def test_certificate_errors():
    decision = date(2026, 3, 10)
    assert c.certificate_errors(decision, decision, c.expiry(decision), decision) == {}
    assert "issued_on" in c.certificate_errors(date(2026, 3, 9), decision, None, None)
    assert c.certificate_errors(decision, decision, decision, None)["expires_on"] == (
        "The expiry date must come after the issue date."
    )
    too_late = c.certificate_errors(decision, decision, date(2029, 3, 10), None)["expires_on"]
    assert "at most 3 years" in too_late and "2029-03-09" in too_late
    assert "original_on" in c.certificate_errors(None, decision, None, date(2026, 3, 11))
    assert c.certificate_errors(None, None, None, None) == {}


def test_dates_out_of_range_are_refused_before_any_rule_reads_them():
    errors = c.date_errors({"a": date(1986, 12, 31), "b": date(9999, 12, 31), "c": None, "d": TODAY}, TODAY)
    assert errors == {"a": "Enter a date between 1987 and 2037.", "b": "Enter a date between 1987 and 2037."}


# The cycle


def test_the_windows_of_a_cycle():
    first, second, recert = c.cycle_windows(date(2026, 3, 10))
    assert (first.kind, first.earliest, first.latest) == (
        AuditKind.SURVEILLANCE1,
        date(2026, 3, 11),
        date(2027, 3, 10),
    )
    assert (second.earliest, second.latest) == (
        date(2028, 1, 1),
        date(2028, 12, 31),
    )  # the year after the due one
    assert (recert.earliest, recert.latest) == (date(2028, 9, 10), date(2029, 3, 9))
    assert all(w.rule.endswith(".") for w in (first, second, recert))


def test_the_second_surveillance_follows_the_first_as_held():
    _, second, _ = c.cycle_windows(date(2026, 3, 10), first_surveillance_on=date(2026, 11, 20))
    assert (second.earliest, second.latest) == (date(2027, 1, 1), date(2027, 12, 31))


def test_the_second_surveillance_ends_no_later_than_the_expiry():
    _, second, _ = c.cycle_windows(date(2026, 1, 2), first_surveillance_on=date(2027, 1, 2))
    assert second.latest == date(2028, 12, 31)
    _, late, _ = c.cycle_windows(date(2026, 1, 2), first_surveillance_on=date(2028, 6, 1))
    assert late.latest == c.expiry(date(2026, 1, 2))


def test_the_first_surveillance_of_a_leap_day_decision():
    first, _, _ = c.cycle_windows(date(2028, 2, 29))
    assert first.latest == date(2029, 2, 28)


def test_a_date_outside_its_window_is_warned_with_the_rule():
    decision = date(2026, 3, 10)
    warning = c.window_warning(AuditKind.SURVEILLANCE1, date(2027, 3, 11), decision)
    assert warning == (
        "First surveillance audit on 2027-03-11 is outside its window (2026-03-11 to 2027-03-10): "
        "No later than 12 months after the certification decision."
    )
    assert c.window_warning(AuditKind.SURVEILLANCE1, date(2027, 3, 10), decision) is None
    assert c.window_warning(AuditKind.SURVEILLANCE2, date(2027, 6, 1), decision, date(2027, 2, 1)) is not None
    assert c.window_warning(AuditKind.SURVEILLANCE2, date(2028, 6, 1), decision, date(2027, 2, 1)) is None
    assert c.window_warning(AuditKind.RECERTIFICATION, date(2029, 3, 10), decision) is not None
    assert c.window_warning(AuditKind.STAGE2, date(2040, 1, 1), decision) is None  # no window


def test_the_next_audit_due_and_overdue():
    decision = date(2026, 3, 10)
    assert c.next_audit(decision, (), date(2026, 6, 1)) == c.NextAudit(
        AuditKind.SURVEILLANCE1, date(2027, 3, 10), False
    )
    assert c.next_audit(decision, (), date(2027, 3, 11)).overdue is True  # type: ignore[union-attr]
    scheduled = (CycleAudit(AuditKind.SURVEILLANCE1, date(2027, 2, 1), False),)
    assert c.next_audit(decision, scheduled, date(2026, 6, 1)).kind is AuditKind.SURVEILLANCE1  # type: ignore[union-attr]
    held = (CycleAudit(AuditKind.SURVEILLANCE1, date(2026, 11, 20), True),)
    assert c.next_audit(decision, held, date(2027, 1, 5)) == c.NextAudit(
        AuditKind.SURVEILLANCE2, date(2027, 12, 31), False
    )
    every = (*held, CycleAudit(AuditKind.SURVEILLANCE2, date(2027, 10, 1), True),
             CycleAudit(AuditKind.RECERTIFICATION, date(2029, 1, 10), True))  # fmt: skip
    assert c.next_audit(decision, every, date(2029, 2, 1)) is None


def test_the_last_surveillance_is_the_latest_held():
    audits = (CycleAudit(AuditKind.SURVEILLANCE1, date(2026, 11, 20), True),
              CycleAudit(AuditKind.SURVEILLANCE2, date(2027, 10, 1), False),
              CycleAudit(AuditKind.RECERTIFICATION, date(2028, 12, 1), True))  # fmt: skip
    assert c.last_surveillance(audits) == audits[0]
    assert c.last_surveillance(()) is None


def test_majors_of_stage_2_are_reverified_within_six_months():
    assert c.stage2_reverify_by(date(2026, 3, 10)) == date(2026, 9, 10)
    assert c.stage2_reverify_by(date(2026, 8, 31)) == date(2027, 2, 28)  # a month end


# The 2026 revision


def test_older_editions_and_the_transition_note():
    assert c.is_older_edition("2015+A1:2024", "ISO 9001:2026")  # an amendment's year is not an edition
    assert not c.is_older_edition("2026", "ISO 9001:2026")
    assert not c.is_older_edition("2016", "ISO 13485:2016")
    assert not c.is_older_edition("current", "ISO 9001:2026")
    assert c.transition_note("ISO 9001:2026", date(2029, 9, 30), date(2027, 1, 1)) == (
        "ISO 9001:2026 is published: certificates to the previous edition must move to it by 2029-09-30."
    )
    assert "had to move" in c.transition_note("ISO 9001:2026", date(2029, 9, 30), date(2029, 10, 1))


def test_transition_errors():
    assert c.transition_errors("ISO 9001:2026", date(2026, 9, 1), date(2029, 9, 1)) == {}
    assert set(c.transition_errors("", None, None)) == {"edition", "published_on", "deadline"}
    assert "year" in c.transition_errors("the new one", date(2026, 9, 1), date(2029, 9, 1))["edition"]
    assert "deadline" in c.transition_errors("ISO 9001:2026", date(2026, 9, 1), date(2026, 9, 1))


# Quotes


def test_a_quote_well_below_iaf_md5_is_flagged():
    assert c.quote_warning(Decimal("4"), Decimal("10")) is not None
    assert c.quote_warning(Decimal("8"), Decimal("10")) is None  # 80 %: not well below
    assert c.quote_warning(Decimal("1"), Decimal("0")) is None  # nothing to compare with
    assert c.quote_total(Decimal("5"), Decimal("800"), Decimal("500"), Decimal("120")) == Decimal("4620")


# An external audit's record


def audit_errors(**fields: object) -> dict[str, str]:
    values: dict[str, object] = {"kind": "stage2", "starts_on": date(2027, 6, 1), "ends_on": date(2027, 6, 2),
                                 "held": True, "today": TODAY} | fields  # fmt: skip
    return c.audit_errors(**values)  # type: ignore[arg-type]


def test_audit_errors():
    assert audit_errors() == {}
    assert audit_errors(decision_on=date(2027, 6, 2)) == {}
    assert set(audit_errors(kind="stage3")) == {"kind"}
    assert set(audit_errors(starts_on=None, ends_on=None)) == {"starts_on", "ends_on"}
    assert "before the first" in audit_errors(ends_on=date(2027, 5, 31))["ends_on"]
    assert "not held yet" in audit_errors(ends_on=date(2027, 6, 16))["held"]
    assert audit_errors(held=False, ends_on=date(2027, 6, 16)) == {}  # scheduled
    assert "before stage 2 ended" in audit_errors(decision_on=date(2027, 6, 1))["decision_on"]
    assert "future" in audit_errors(decision_on=date(2027, 6, 16))["decision_on"]
    assert "held first" in audit_errors(held=False, decision_on=date(2027, 6, 2))["decision_on"]
    assert "Only a stage 2" in audit_errors(kind="surveillance1", decision_on=date(2027, 6, 2))["decision_on"]
    assert audit_errors(kind="recertification", decision_on=date(2027, 6, 3)) == {}
    assert "Only stage 1" in audit_errors(concerns_resolved_on=date(2027, 6, 3))["concerns_resolved_on"]
    assert audit_errors(kind="stage1", concerns_resolved_on=date(2027, 6, 3)) == {}
    assert (
        "after stage 1"
        in audit_errors(kind="stage1", concerns_resolved_on=date(2027, 5, 1))["concerns_resolved_on"]
    )
    assert "between 1987" in audit_errors(starts_on=date(1900, 1, 1))["starts_on"]


# The External audit stage


def stage1(**fields: object) -> AuditRecord:
    return AuditRecord(1, AuditKind.STAGE1, date(2027, 1, 10), date(2027, 1, 11), True, **fields)  # type: ignore[arg-type]


def stage2(audit_id: int = 2, ends_on: date = date(2027, 3, 3), **fields: object) -> AuditRecord:
    return AuditRecord(audit_id, AuditKind.STAGE2, ends_on, ends_on, True, **fields)  # type: ignore[arg-type]


def criteria(facts: ExternalAuditFacts, today: date = TODAY) -> dict[str, c.Criterion]:
    return {criterion.key: criterion for criterion in ea.external_audit_criteria(facts, today)}


VALID = CertificateFacts("QMS-1", date(2030, 3, 31))


def test_every_criterion_met_by_the_records():
    facts = ExternalAuditFacts((stage1(), stage2(decision_on=date(2027, 4, 1))), (), (VALID,))
    found = criteria(facts)
    assert list(found) == ["external_audit.stage1", "external_audit.stage2", "external_audit.no_open_major",
                           "external_audit.decision", "external_audit.certificate"]  # fmt: skip
    assert all(criterion.met for criterion in found.values())


def test_nothing_recorded_meets_only_the_open_majors():
    found = criteria(ExternalAuditFacts())
    assert [key for key, criterion in found.items() if criterion.met] == ["external_audit.no_open_major"]
    assert (
        found["external_audit.stage1"].reason
        == "No stage 1 audit is recorded as held yet: record it under External audits."
    )
    assert found["external_audit.certificate"].reason == "No certificate is recorded for this project yet."
    assert (
        found["external_audit.decision"].reason == "The certification decision follows a stage 2 audit held."
    )


def test_a_scheduled_audit_is_not_held():
    planned = AuditRecord(3, AuditKind.STAGE2, date(2027, 7, 1), date(2027, 7, 2), False)
    reason = criteria(ExternalAuditFacts((stage1(), planned)))["external_audit.stage2"].reason
    assert reason == "The stage 2 audit is scheduled for 2027-07-01; it has not been held yet."


def test_stage_1_concerns_must_be_resolved():
    found = criteria(ExternalAuditFacts((stage1(concerns=True),)))["external_audit.stage1"]
    assert not found.met and "raised areas of concern" in found.reason
    resolved = stage1(concerns=True, concerns_resolved_on=date(2027, 2, 1))
    assert criteria(ExternalAuditFacts((resolved,)))["external_audit.stage1"].met


def test_the_decision_is_recorded_on_stage_2():
    found = criteria(ExternalAuditFacts((stage2(),)))["external_audit.decision"]
    assert not found.met and "give its date on the stage 2 audit" in found.reason


def test_an_open_major_of_the_body_blocks_the_stage():
    majors = (OpenMajor("Finding 7 (major, 7.5)", date(2027, 3, 3), 2),)
    found = criteria(ExternalAuditFacts((stage2(),), majors))["external_audit.no_open_major"]
    assert found.reason == "1 major finding from the certification body still open: Finding 7 (major, 7.5)."


def test_a_major_open_six_months_after_stage_2_means_a_new_stage_2():
    majors = (OpenMajor("Finding 7 (major)", date(2027, 3, 3), 2),)
    facts = ExternalAuditFacts((stage2(),), majors)
    assert "new stage 2" not in criteria(facts, date(2027, 9, 3)).get("external_audit.no_open_major").reason  # type: ignore[union-attr]
    late = criteria(facts, date(2027, 9, 4))["external_audit.no_open_major"].reason
    assert late.endswith(
        "Finding 7 (major) was not verified closed by 2027-09-03, six months after stage 2 ended on "
        "2027-03-03: a new stage 2 is needed."
    )
    assert ea.new_stage2_needed(facts, date(2027, 9, 4)) == majors[0]
    again = ExternalAuditFacts((stage2(), stage2(5, date(2027, 10, 1))), majors)  # a new stage 2 held since
    assert ea.new_stage2_needed(again, date(2027, 11, 1)) is None


def test_a_major_without_its_audit_is_judged_by_the_last_stage_2_before_it():
    unlinked = (OpenMajor("Finding 8 (major)", date(2027, 3, 10)),)
    assert ea.new_stage2_needed(ExternalAuditFacts((stage2(),), unlinked), date(2027, 9, 4)) == unlinked[0]
    assert ea.new_stage2_needed(ExternalAuditFacts((), unlinked), date(2030, 1, 1)) is None
    surveillance = (OpenMajor("Finding 9 (major)", date(2027, 3, 10), 99),)  # raised at another audit
    assert ea.new_stage2_needed(ExternalAuditFacts((stage2(),), surveillance), date(2030, 1, 1)) is None


@pytest.mark.parametrize(
    ("certificate", "reason"),
    [
        (CertificateFacts("QMS-1", date(2027, 6, 14)), "No valid certificate: QMS-1 is expired."),
        (CertificateFacts("QMS-1", date(2030, 1, 1), "suspended", date(2027, 6, 1)),
         "No valid certificate: QMS-1 is suspended."),
        (CertificateFacts("QMS-1", date(2030, 1, 1), "withdrawn", date(2027, 6, 1)),
         "No valid certificate: QMS-1 is withdrawn."),
    ],
)  # fmt: skip
def test_only_a_valid_certificate_meets_the_stage(certificate, reason):
    found = criteria(ExternalAuditFacts(certificates=(certificate,)))["external_audit.certificate"]
    assert (found.met, found.reason) == (False, reason)
    assert criteria(ExternalAuditFacts(certificates=(certificate, VALID)))["external_audit.certificate"].met
