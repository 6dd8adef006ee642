"""A workspace's certification bodies and their quotes: the fields' rules, a quote's audit days against IAF
MD 5 / MD 9, what accepting or declining a quote may do, and the budget lines an accepted quote becomes.

The accreditation body is chosen from the IAF MLA list (:mod:`app.domain.certification`) or typed; a name
not on the list is kept and warned about, never refused. A quote's money is typed as people type amounts
(:func:`app.domain.money.parse_money`) in the project's currency; its days to the tenth of a day.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from app.domain.audit_days import format_days, initial_audit_days
from app.domain.budget import quantize_money
from app.domain.certification import (
    accreditation_bodies,
    find_accreditation_body,
    parse_sector_codes,
    quote_warning,
)
from app.domain.estimator import ProposedLine
from app.domain.evidence_rules import link_error
from app.domain.money import format_amount, money_places, parse_money
from app.domain.text import _, _l, grouped

# The columns' limits (app.models.certification).
NAME_MAX = 160
ACCREDITATION_MAX = 160
NUMBER_MAX = 60
SECTORS_MAX = 200
CONTACT_MAX = 120
EMAIL_MAX = 254
WEBSITE_MAX = 300
NOTES_MAX = 5000
DEADLINE_DAYS_MIN, DEADLINE_DAYS_MAX = 1, 365
OTHER = "other"  # the accreditation select's "Other (type it)"

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _too_long(text: str, limit: int) -> str | None:
    return _("Use at most %(limit)d characters.", limit=limit) if len(text) > limit else None


def accreditation_choices() -> list[tuple[str, str]]:
    """The accreditation select: each MLA signatory by acronym, labelled with its name."""
    return [(body.acronym, body.label) for body in accreditation_bodies()]


def recorded_accreditation(text: str) -> str:
    """What is stored for an accreditation body: a signatory's acronym when ``text`` names one (by acronym,
    name or label), else the text as typed."""
    found = find_accreditation_body(text)
    return found.acronym if found else text.strip()


def accreditation_label(text: str) -> str:
    """How pages show the recorded accreditation body: the signatory's label, or the text as typed."""
    found = find_accreditation_body(text)
    return found.label if found else text.strip()


def format_sector_codes(codes: tuple[int, ...]) -> str:
    return ", ".join(str(code) for code in codes)


def sector_codes_error(text: str) -> str | None:
    if len(text) > SECTORS_MAX:
        return _("Use at most %(limit)d characters.", limit=SECTORS_MAX)
    if parse_sector_codes(text) is None:
        return _("Enter IAF sector codes from 1 to 39, separated by commas (e.g. 14, 19).")
    return None


def deadline_days_error(days: int | None) -> str | None:
    if days is None or not DEADLINE_DAYS_MIN <= days <= DEADLINE_DAYS_MAX:
        return _(
            "Enter the days the body gives to close a major nonconformity: a whole number from "
            "%(least)d to %(most)d (90 is common).",
            least=DEADLINE_DAYS_MIN,
            most=DEADLINE_DAYS_MAX,
        )
    return None


def body_errors(values: Mapping[str, object]) -> dict[str, str]:
    """Why a certification body's fields (stripped text; ``major_deadline_days`` an int) cannot be saved."""

    def text(name: str) -> str:
        value = values.get(name)
        return value if isinstance(value, str) else ""

    missing_name = _("Enter the certification body's name.")
    errors: dict[str, str | None] = {
        "name": _too_long(text("name"), NAME_MAX) if text("name") else missing_name,
        "accreditation_body": _too_long(text("accreditation_body"), ACCREDITATION_MAX),
        "accreditation_number": _too_long(text("accreditation_number"), NUMBER_MAX),
        "sector_codes": sector_codes_error(text("sector_codes")),
        "contact_name": _too_long(text("contact_name"), CONTACT_MAX),
        "notes": _too_long(text("notes"), NOTES_MAX),
    }  # fmt: skip
    email = text("contact_email")
    if email and (len(email) > EMAIL_MAX or not _EMAIL.fullmatch(email)):
        errors["contact_email"] = _("Enter a valid email address.")
    website = text("website")
    if website:
        errors["website"] = _too_long(website, WEBSITE_MAX) or link_error(website)
    days = values.get("major_deadline_days")
    errors["major_deadline_days"] = deadline_days_error(days if isinstance(days, int) else None)
    return {name: message for name, message in errors.items() if message}


def cleaned_body(values: Mapping[str, object]) -> dict[str, object]:
    """The fields as stored: the accreditation body by acronym when on the list, sector codes sorted."""
    cleaned = dict(values)
    if isinstance(values.get("accreditation_body"), str):
        cleaned["accreditation_body"] = recorded_accreditation(str(values["accreditation_body"]))
    codes = parse_sector_codes(str(values.get("sector_codes") or ""))
    if codes is not None:
        cleaned["sector_codes"] = format_sector_codes(codes)
    return cleaned


# ------------------------------------------------------------------------------------------ quotes


class QuoteStatus(StrEnum):
    RECEIVED = "received"
    ACCEPTED = "accepted"
    DECLINED = "declined"


STATUS_LABELS: Mapping[QuoteStatus, str] = {
    QuoteStatus.RECEIVED: _l("Received"),
    QuoteStatus.ACCEPTED: _l("Accepted"),
    QuoteStatus.DECLINED: _l("Declined"),
}
DAYS_MAX = Decimal(999)
# cb_quotes keeps money with two decimals, up to twelve digits before the point; so the most days at the
# most rate still fit a budget line (MAX_AMOUNT).
QUOTE_AMOUNT_MAX = Decimal("999999999999")
EARLIEST_RECEIVED = date(2000, 1, 1)
_DAYS = re.compile(r"[0-9]{1,4}(\.[0-9]+)?|\.[0-9]+")
# Each field's own sentences, so that a translator sees whole sentences: (missing, not a number).
_DAYS_MESSAGES = {
    "Audit days": (
        _l("Enter the audit days, e.g. 4.5."),
        _l("Enter the audit days as a number such as 4 or 4.5 (a point for decimals)."),
    ),
    "Surveillance days": (
        _l("Enter the surveillance days, e.g. 4.5."),
        _l("Enter the surveillance days as a number such as 4 or 4.5 (a point for decimals)."),
    ),
}
# (missing, negative)
_AMOUNT_MESSAGES = {
    "Day rate": (_l("Enter the day rate."), _l("The day rate cannot be negative.")),
    "Fees": (_l("Enter the fees."), _l("The fees cannot be negative.")),
    "Travel": (_l("Enter the travel."), _l("The travel cannot be negative.")),
}
_STATUS_WORDS = {QuoteStatus.ACCEPTED: _l("accepted"), QuoteStatus.DECLINED: _l("declined")}


def parse_days(text: str, label: str, required: bool = True) -> tuple[Decimal | None, str | None]:
    """Audit days as typed ("4" or "4.5"): the value, or the message for the field."""
    cleaned = text.strip()
    if not cleaned:
        return None, (str(_DAYS_MESSAGES[label][0]) if required else None)
    if not _DAYS.fullmatch(cleaned):
        return None, str(_DAYS_MESSAGES[label][1])
    days = Decimal(cleaned)
    if days != days.quantize(Decimal("0.1")):
        return None, _("Give days to the tenth of a day at most (e.g. 4.5).")
    if not Decimal("0.5") <= days <= DAYS_MAX:
        return None, _("Enter from 0.5 to %(most)s days.", most=DAYS_MAX)
    return days, None


def parse_quote_amount(
    text: str, label: str, minor_unit: Decimal, required: bool = True
) -> tuple[Decimal | None, str | None]:
    """An amount of the quote in the project's currency: the value, or the message for the field."""
    if not text.strip():
        return (None, str(_AMOUNT_MESSAGES[label][0])) if required else (Decimal(0), None)
    try:
        amount = parse_money(text)
    except ValueError as error:
        return None, str(error)
    places = min(money_places(minor_unit), 2)
    if amount < 0:
        return None, str(_AMOUNT_MESSAGES[label][1])
    if amount > QUOTE_AMOUNT_MAX:
        return None, _("The most a quote's amount can be is %(most)s.", most=grouped(QUOTE_AMOUNT_MAX))
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        return None, (
            _("This currency's amounts have no decimals.")
            if places == 0
            else _("Use at most %(places)d decimals.", places=places)
        )
    return amount, None


@dataclass(frozen=True)
class QuoteText:
    """A quote's fields as typed (a form's or the API's), before they are read."""

    received_on: date | None
    audit_days: str
    surveillance_days: str
    day_rate: str
    fees: str
    travel: str
    notes: str


@dataclass(frozen=True)
class QuoteFigures:
    received_on: date
    audit_days: Decimal
    surveillance_days: Decimal | None
    day_rate: Decimal
    fees: Decimal
    travel: Decimal
    notes: str


def read_quote(
    typed: QuoteText, minor_unit: Decimal, today: date
) -> tuple[QuoteFigures | None, dict[str, str]]:
    """The quote's figures, or the message for each field that cannot be read."""
    errors: dict[str, str] = {}
    if typed.received_on is None:
        errors["received_on"] = _("Enter the day the quote was received.")
    elif not EARLIEST_RECEIVED <= typed.received_on <= today:
        errors["received_on"] = _("Enter a day from %(year)d to today.", year=EARLIEST_RECEIVED.year)
    audit_days, message = parse_days(typed.audit_days, "Audit days")
    surveillance, surveillance_message = parse_days(typed.surveillance_days, "Surveillance days", False)
    rate, rate_message = parse_quote_amount(typed.day_rate, "Day rate", minor_unit)
    fees, fees_message = parse_quote_amount(typed.fees, "Fees", minor_unit, False)
    travel, travel_message = parse_quote_amount(typed.travel, "Travel", minor_unit, False)
    found = {
        "audit_days": message,
        "surveillance_days": surveillance_message,
        "day_rate": rate_message,
        "fees": fees_message,
        "travel": travel_message,
        "notes": _too_long(typed.notes, NOTES_MAX),
    }
    errors |= {name: text for name, text in found.items() if text}
    if errors or typed.received_on is None or audit_days is None or rate is None:
        return None, errors
    assert fees is not None and travel is not None  # optional amounts read as 0
    figures = QuoteFigures(typed.received_on, audit_days, surveillance, rate, fees, travel, typed.notes)
    return figures, {}


def editable_error(status: str) -> str | None:
    if status != QuoteStatus.RECEIVED:
        word = _STATUS_WORDS.get(status, status)  # type: ignore[call-overload]
        return _("This quote is %(status)s: it keeps the figures it had when it was %(status)s.", status=word)
    return None


def accept_error(status: str, accepted_elsewhere: str | None) -> str | None:
    """Why a quote cannot be accepted: another quote of the project already is (``accepted_elsewhere``
    names it). Accepting one already accepted is no error: nothing more happens."""
    if status != QuoteStatus.ACCEPTED and accepted_elsewhere:
        return _(
            "%(quote)s is already accepted for this project: decline it first.", quote=accepted_elsewhere
        )
    return None


@dataclass(frozen=True)
class DaysCheck:
    """A quote's audit days against the IAF MD 5 / MD 9 figure for the site."""

    expected: Decimal | None  # None: no table for this standard
    basis: str  # where the expected figure comes from
    warning: str | None


def days_check(standard: str, employees: int, quoted: Decimal | None = None) -> DaysCheck:
    """The IAF figure for the site and, for ``quoted`` days, the warning of a quote well below it."""
    try:
        figure = initial_audit_days(standard, employees)
    except ValueError as error:
        return DaysCheck(None, str(error), None)
    basis = _(
        "%(source)s: %(days)s days for %(band)s employees (the site has %(employees)d), stage 1 and 2 "
        "together, before any reduction.",
        source=figure.short_source,
        days=format_days(figure.days),
        band=figure.band.label,
        employees=employees,
    )
    if quoted is None:
        return DaysCheck(figure.days, basis, None)
    return DaysCheck(figure.days, basis, quote_warning(Decimal(format_days(quoted)), figure.days))


def _line(description: str, planned: Decimal, basis: str, year: int = 0) -> ProposedLine:
    return ProposedLine(
        stage="external_audit",
        category="certification_body",
        description=description,
        planned=planned,
        basis=basis,
        cycle_year=year,
    )


def quote_lines(figures: QuoteFigures, body_name: str, minor_unit: Decimal) -> tuple[ProposedLine, ...]:
    """The budget lines of an accepted quote: the initial audit (days x rate), fees and travel if any, and
    the two surveillance audits when the quote gives their days."""
    who = f"{body_name}, quote of {figures.received_on:%d %b %Y}"
    rate = format_amount(figures.day_rate, minor_unit)

    def days_basis(days: Decimal) -> str:
        return f"Accepted quote: {format_days(days)} days \u00d7 {rate} a day"

    lines = [
        _line(
            f"Certification body: initial audit, stage 1 and 2 ({who})",
            quantize_money(figures.audit_days * figures.day_rate, minor_unit),
            days_basis(figures.audit_days),
        )
    ]
    if figures.fees > 0:
        lines.append(_line(f"Certification body: fees ({who})", figures.fees, "Accepted quote: fees"))
    if figures.travel > 0:
        lines.append(_line(f"Certification body: travel ({who})", figures.travel, "Accepted quote: travel"))
    if figures.surveillance_days:
        planned = quantize_money(figures.surveillance_days * figures.day_rate, minor_unit)
        lines += [
            _line(
                f"Certification body: surveillance audit, year {year} ({who})",
                planned,
                days_basis(figures.surveillance_days),
                year,
            )
            for year in (1, 2)
        ]
    return tuple(lines)
