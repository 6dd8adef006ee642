"""Certification: the accreditation bodies of the IAF MLA, the certification cycle, a certificate's status, a
quote's audit days against IAF MD 5, and what buyers should check on any supplier's certificate.

The list of accreditation bodies (``data/accreditation_bodies.yaml``, from ``../shared/domain``) is used to
warn, never to refuse: a name not on it is kept and shown with a warning and the links to check it. The cycle
rules (ISO/IEC 17021-1 and IAF practice) come from the same file: a certificate is valid for three years from
the certification decision; the first surveillance audit is due no later than twelve months after the
decision, the second in the next calendar year; recertification before expiry. Majors from stage 2 not
verified closed within six months of its last day mean a new stage 2.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from dateutil.relativedelta import relativedelta

from app.domain.text import _, _l, grouped

DATA = Path(__file__).parent / "data" / "accreditation_bodies.yaml"
IAF_CERTSEARCH = "https://www.iafcertsearch.org"
IAF_MEMBERS = "https://iaf.nu"


@dataclass(frozen=True)
class AccreditationBody:
    acronym: str
    name: str
    economy: str
    region: str

    @property
    def label(self) -> str:
        return f"{self.acronym} ({self.name})"


@dataclass(frozen=True)
class CycleRules:
    certificate_years: int
    first_surveillance_max_months: int
    major_nc_stage2_reverify_months: int
    default_major_nc_deadline_days: int
    operating_records_months_before_stage2: int


@cache
def _data() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return loaded


@cache
def accreditation_bodies() -> tuple[AccreditationBody, ...]:
    return tuple(AccreditationBody(**entry) for entry in _data()["bodies"])


@cache
def cycle_rules() -> CycleRules:
    rules = _data()["cycle"]
    return CycleRules(**{name: int(rules[name]) for name in CycleRules.__dataclass_fields__})


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("(", " ").replace(")", " ").split())


@cache
def _bodies_by_folded_name() -> dict[str, AccreditationBody]:
    """Each body under its folded acronym, name and label (the first body named so, as in the list)."""
    found: dict[str, AccreditationBody] = {}
    for body in accreditation_bodies():
        for name in (body.acronym, body.name, body.label):
            found.setdefault(_fold(name), body)
    return found


def find_accreditation_body(text: str) -> AccreditationBody | None:
    """The MLA signatory ``text`` names: its acronym, its name, or "acronym (name)" as the form offers it."""
    wanted = _fold(text)
    return _bodies_by_folded_name().get(wanted) if wanted else None


def accreditation_warning(text: str) -> str | None:
    """The warning shown wherever an accreditation body not on the list appears (None when it is on it)."""
    if not text.strip():
        return _(
            "No accreditation body is recorded: an unaccredited certificate is not recognised by buyers."
        )
    if find_accreditation_body(text) is None:
        return _(
            "“%(name)s” is not on the IAF MLA list this app knows: check the certification body's "
            "accreditation at %(certsearch)s and the accreditation body at %(members)s.",
            name=text.strip(),
            certsearch=IAF_CERTSEARCH,
            members=IAF_MEMBERS,
        )
    return None


def parse_sector_codes(text: str) -> tuple[int, ...] | None:
    """IAF sector codes ("14, 19" or "EA 14; 19"): numbers 1 to 39; None when one is not."""
    parts = [
        p.strip().upper().removeprefix("EA").removeprefix("IAF").strip()
        for p in text.replace(";", ",").split(",")
    ]
    codes = []
    for part in filter(None, parts):
        if not (part.isascii() and part.isdigit()) or not 1 <= int(part) <= 39:  # "²" is a digit
            return None
        codes.append(int(part))
    return tuple(sorted(set(codes)))


# ------------------------------------------------------------------------------------------ the cycle


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months; a day the target month lacks falls to its last day
    (29 February + 12 months is 28 February; 31 January + 1 month is the end of February)."""
    return day + relativedelta(months=months)


def expiry(decision_on: date) -> date:
    """A certificate expires three years after the certification decision, the day before the anniversary
    (a decision of 29 February has its anniversary on 1 March when the year has no 29 February: it expires
    on 28 February, not a day earlier)."""
    anniversary = add_months(decision_on, 12 * cycle_rules().certificate_years)
    if (decision_on.month, decision_on.day) == (2, 29) and anniversary.day == 28:
        anniversary += relativedelta(days=1)
    return anniversary - relativedelta(days=1)


class CertificateStatus(StrEnum):
    VALID = "valid"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


STATUS_LABELS: Mapping[CertificateStatus, str] = {
    CertificateStatus.VALID: _l("Valid"),
    CertificateStatus.SUSPENDED: _l("Suspended"),
    CertificateStatus.WITHDRAWN: _l("Withdrawn"),
    CertificateStatus.EXPIRED: _l("Expired"),
}


def certificate_status(
    expires_on: date, suspension: str, suspension_on: date | None, today: date
) -> CertificateStatus:
    """Withdrawn or suspended from the day the body said so; otherwise valid until its expiry day included."""
    if suspension in (CertificateStatus.WITHDRAWN, CertificateStatus.SUSPENDED) and (
        suspension_on is None or suspension_on <= today
    ):
        return CertificateStatus(suspension)
    return CertificateStatus.VALID if today <= expires_on else CertificateStatus.EXPIRED


def certificate_errors(issued_on: date | None, decision_on: date | None, expires_on: date | None,
                       original_on: date | None) -> dict[str, str]:  # fmt: skip
    errors: dict[str, str] = {}
    if decision_on and issued_on and issued_on < decision_on:
        errors["issued_on"] = _("A certificate is issued on or after the certification decision.")
    if expires_on and issued_on and expires_on <= issued_on:
        errors["expires_on"] = _("The expiry date must come after the issue date.")
    elif expires_on and decision_on and expires_on > expiry(decision_on):
        errors["expires_on"] = _(
            "A certificate is valid at most %(years)d years from the decision: until %(day)s.",
            years=cycle_rules().certificate_years,
            day=expiry(decision_on).isoformat(),
        )
    if original_on and decision_on and original_on > decision_on:
        errors["original_on"] = _("The original certification cannot come after this cycle's decision.")
    return errors


class AuditKind(StrEnum):
    STAGE1 = "stage1"
    STAGE2 = "stage2"
    SURVEILLANCE1 = "surveillance1"
    SURVEILLANCE2 = "surveillance2"
    RECERTIFICATION = "recertification"


KIND_LABELS: Mapping[AuditKind, str] = {
    AuditKind.STAGE1: _l("Stage 1 audit"),
    AuditKind.STAGE2: _l("Stage 2 audit"),
    AuditKind.SURVEILLANCE1: _l("First surveillance audit"),
    AuditKind.SURVEILLANCE2: _l("Second surveillance audit"),
    AuditKind.RECERTIFICATION: _l("Recertification audit"),
}


@dataclass(frozen=True)
class Window:
    """When an audit of the cycle is due: between ``earliest`` and ``latest`` (both included)."""

    kind: AuditKind
    earliest: date
    latest: date
    rule: str

    def contains(self, day: date) -> bool:
        return self.earliest <= day <= self.latest


def cycle_windows(decision_on: date, first_surveillance_on: date | None = None) -> tuple[Window, ...]:
    """The surveillance and recertification windows of a cycle that starts at ``decision_on``; the second
    surveillance falls in the calendar year after the first (held on ``first_surveillance_on``, else due)."""
    rules = cycle_rules()
    first_latest = add_months(decision_on, rules.first_surveillance_max_months)
    ends = expiry(decision_on)
    second_year = (first_surveillance_on or first_latest).year + 1
    months = rules.first_surveillance_max_months
    return (
        Window(AuditKind.SURVEILLANCE1, decision_on + relativedelta(days=1), first_latest,
               _("No later than %(months)d months after the certification decision.", months=months)),
        Window(AuditKind.SURVEILLANCE2, date(second_year, 1, 1), min(date(second_year, 12, 31), ends),
               _("In the calendar year after the first surveillance audit (at least once a calendar year).")),
        Window(AuditKind.RECERTIFICATION, add_months(decision_on, 12 * rules.certificate_years - 6), ends,
               _("Before the certificate expires, so that the decision is taken in time.")),
    )  # fmt: skip


def window_warning(
    kind: AuditKind, day: date, decision_on: date, first_surveillance_on: date | None = None
) -> str | None:
    """A surveillance or recertification date outside its window: a warning naming the rule (never a refusal:
    the body decides)."""
    for window in cycle_windows(decision_on, first_surveillance_on):
        if window.kind is kind and not window.contains(day):
            return _(
                "%(audit)s on %(day)s is outside its window (%(earliest)s to %(latest)s): %(rule)s",
                audit=KIND_LABELS[kind],
                day=day.isoformat(),
                earliest=window.earliest.isoformat(),
                latest=window.latest.isoformat(),
                rule=window.rule,
            )
    return None


@dataclass(frozen=True)
class CycleAudit:
    kind: AuditKind
    ends_on: date
    held: bool


@dataclass(frozen=True)
class NextAudit:
    kind: AuditKind
    due_by: date
    overdue: bool


def next_audit(decision_on: date, audits: Sequence[CycleAudit], today: date) -> NextAudit | None:
    """The next surveillance or recertification audit of the cycle not yet held, with its latest date."""
    held = {a.kind for a in audits if a.held}
    first = next((a.ends_on for a in audits if a.held and a.kind is AuditKind.SURVEILLANCE1), None)
    for window in cycle_windows(decision_on, first):
        if window.kind not in held:
            return NextAudit(window.kind, window.latest, window.latest < today)
    return None


def last_surveillance(audits: Sequence[CycleAudit]) -> CycleAudit | None:
    held = [a for a in audits if a.held and a.kind in (AuditKind.SURVEILLANCE1, AuditKind.SURVEILLANCE2)]
    return max(held, key=lambda a: a.ends_on, default=None)


def stage2_reverify_by(stage2_ends_on: date) -> date:
    """Majors of stage 2 not verified closed by this day mean a new stage 2."""
    return add_months(stage2_ends_on, cycle_rules().major_nc_stage2_reverify_months)


def _edition_year(text: str) -> int | None:
    years = re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", text)
    return int(years[0]) if years else None


def is_older_edition(version: str, edition: str) -> bool:
    """Whether a standard of ``version`` ("2015+A1:2024") is older than the announced ``edition``
    ("ISO 9001:2026"): by the first year each names (an amendment's year is not an edition)."""
    mine, theirs = _edition_year(version), _edition_year(edition)
    if mine is None or theirs is None:
        return False
    return mine < theirs


EDITION_MAX_LENGTH = 40


def transition_errors(edition: str, published_on: date | None, deadline: date | None) -> dict[str, str]:
    """What is wrong in an announced transition to a new edition."""
    errors: dict[str, str] = {}
    if not edition.strip():
        errors["edition"] = _("Name the new edition, e.g. ISO 9001:2026.")
    elif _edition_year(edition) is None:
        errors["edition"] = _("Name the edition with its year, e.g. ISO 9001:2026.")
    elif len(edition) > EDITION_MAX_LENGTH:
        errors["edition"] = _("Use at most %(limit)s characters.", limit=grouped(EDITION_MAX_LENGTH))
    if published_on is None:
        errors["published_on"] = _("Give the day the new edition was published.")
    if deadline is None:
        errors["deadline"] = _("Give the transition deadline the accreditation bodies announced.")
    elif published_on and deadline <= published_on:
        errors["deadline"] = _("The transition deadline comes after the publication.")
    return errors


def transition_note(edition: str, deadline: date, today: date) -> str:
    """What a certificate to the old edition shows once a new edition is announced."""
    day = deadline.isoformat()
    if deadline >= today:
        return _(
            "%(edition)s is published: certificates to the previous edition must move to it by %(day)s.",
            edition=edition,
            day=day,
        )
    return _(
        "%(edition)s is published: certificates to the previous edition had to move to it by %(day)s.",
        edition=edition,
        day=day,
    )


# ------------------------------------------------------------------------------------------ external audits

AUDITORS_LIMIT = 300
EARLIEST_RECORD = date(1987, 1, 1)  # ISO 9001's first edition: no certificate or audit comes before it
YEARS_AHEAD = 10


def date_errors(days: Mapping[str, date | None], today: date) -> dict[str, str]:
    """Dates of an audit or a certificate from 1987 to 31 December ten years on (a typing slip otherwise);
    the other rules run once every date is in that range."""
    latest = date(today.year + YEARS_AHEAD, 12, 31)
    return {
        name: _("Enter a date between %(first)d and %(last)d.", first=EARLIEST_RECORD.year, last=latest.year)
        for name, day in days.items()
        if day is not None and not EARLIEST_RECORD <= day <= latest
    }


STAGE_KINDS = (AuditKind.STAGE1, AuditKind.STAGE2)
DECISION_KINDS = (AuditKind.STAGE2, AuditKind.RECERTIFICATION)


def audit_errors(
    kind: str,
    starts_on: date | None,
    ends_on: date | None,
    held: bool,
    today: date,
    decision_on: date | None = None,
    concerns_resolved_on: date | None = None,
) -> dict[str, str]:
    """What is wrong in an external audit's record: its kind, its days in order, a held audit over, the
    certification decision (stage 2 or recertification, held, not before the audit ended, not in the future)
    and the day stage 1's concerns were resolved (after stage 1, not in the future)."""
    errors: dict[str, str] = {}
    if kind not in set(AuditKind):
        errors["kind"] = _("Choose stage 1, stage 2, a surveillance or the recertification audit.")
    if starts_on is None:
        errors["starts_on"] = _("Give the audit's first day.")
    if ends_on is None:
        errors["ends_on"] = _("Give the audit's last day.")
    elif starts_on and ends_on < starts_on:
        errors["ends_on"] = _("The last day cannot come before the first.")
    elif held and ends_on > today:
        errors["held"] = _("An audit ending after today is not held yet: record it as scheduled.")
    if decision_on is not None:
        if kind not in DECISION_KINDS:
            errors["decision_on"] = _(
                "Only a stage 2 or recertification audit leads to a certification decision."
            )
        elif not held:
            errors["decision_on"] = _("The decision comes after the audit: record the audit as held first.")
        elif ends_on and decision_on < ends_on:
            errors["decision_on"] = _("The certification decision cannot come before stage 2 ended.")
        elif decision_on > today:
            errors["decision_on"] = _("The decision cannot be in the future.")
    if concerns_resolved_on is not None:
        if kind != AuditKind.STAGE1:
            errors["concerns_resolved_on"] = _(
                "Only stage 1 raises areas of concern to resolve before stage 2."
            )
        elif not held:
            errors["concerns_resolved_on"] = _("Record stage 1 as held before its concerns are resolved.")
        elif ends_on and concerns_resolved_on < ends_on:
            errors["concerns_resolved_on"] = _("Concerns are resolved after stage 1 raised them.")
        elif concerns_resolved_on > today:
            errors["concerns_resolved_on"] = _("This day cannot be in the future.")
    days = {"starts_on": starts_on, "ends_on": ends_on, "decision_on": decision_on,
            "concerns_resolved_on": concerns_resolved_on}  # fmt: skip
    return errors | date_errors(days, today)


# ------------------------------------------------------------------------------------------ quotes

TOO_CHEAP_RATIO = Decimal("0.8")  # a quote below 80 % of the IAF MD 5 audit days is flagged


def quote_warning(quoted_days: Decimal, expected_days: Decimal) -> str | None:
    """A quote whose audit days are well below the IAF MD 5 / MD 9 figure for the site (an offer too cheap to
    be a real audit is a warning sign)."""
    if expected_days > 0 and quoted_days < expected_days * TOO_CHEAP_RATIO:
        return _(
            "%(quoted)s audit days is well below the %(expected)s days IAF MD 5 gives for this site (stage 1 "
            "and 2): an accredited body rarely reduces that much. Ask how they reach it.",
            quoted=quoted_days,
            expected=expected_days,
        )
    return None


def quote_total(audit_days: Decimal, day_rate: Decimal, fees: Decimal, travel: Decimal) -> Decimal:
    return audit_days * day_rate + fees + travel


# ------------------------------------------------------------------------------------------ buyers

# The address in the first check is IAF_CERTSEARCH's, written out so that the sentence is one msgid.
BUYER_CHECKS: tuple[str, ...] = (
    _l(
        "The certification body is accredited, and its accreditation body signs the IAF MLA: check both on "
        "https://www.iafcertsearch.org."
    ),
    _l("The certificate number can be found on the certification body's own website or on IAF CertSearch."),
    _l("The scope covers the products you buy, and the site address is the factory that makes them."),
    _l("The certificate is in date, and a surveillance audit was held in the last twelve months."),
    _l("The standard's edition is current, or the move to the new edition is planned before the deadline."),
)
