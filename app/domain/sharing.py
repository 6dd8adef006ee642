"""Share links for buyers: the rules of a link (its label, its expiry, whether it still opens) and what the
public verification page says, built from plain values.

A link is a long random token (``secrets.token_urlsafe(32)``: 256 bits) shown once to the exporter; only its
SHA-256 is stored (see :mod:`app.services.tokens`). An unknown, revoked or expired token gets the same
plain "not found", so the page never tells whether a link ever existed.

Nothing internal is ever on the page: only what a certificate itself states (or, for a project that is not
certified yet and whose exporter allowed it, the standard, the month of the planned certification audit and
the certification body), plus the checks any buyer should make
(:data:`app.domain.certification.BUYER_CHECKS`).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from babel.dates import format_date

from app.domain.certification import (
    KIND_LABELS,
    AuditKind,
    CycleAudit,
    NextAudit,
    accreditation_warning,
    find_accreditation_body,
    parse_sector_codes,
)
from app.domain.text import _, _l, reader_locale

TOKEN_BYTES = 32  # 43 url-safe characters
MAX_TOKEN_LENGTH = 100  # longer is not one of ours: refused before hashing
LABEL_MAX_LENGTH = 120  # the column's size
MAX_EXPIRY_YEARS = 5
FINGERPRINT_LENGTH = 8  # of the SHA-256: tells links apart on the management page, opens nothing


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def fingerprint(token_hash: str) -> str:
    """A short, harmless name for a link: the start of its token's hash (the token itself is not kept)."""
    return token_hash[:FINGERPRINT_LENGTH]


def may_be_token(text: str) -> bool:
    """Whether ``text`` is worth hashing and looking up: not empty, not absurdly long."""
    return 0 < len(text) <= MAX_TOKEN_LENGTH


# ------------------------------------------------------------------------------- a link


def latest_expiry(today: date) -> date:
    try:
        return today.replace(year=today.year + MAX_EXPIRY_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year + MAX_EXPIRY_YEARS, day=28)


def link_errors(label: str, expires_on: date | None, today: date) -> dict[str, str]:
    """What is wrong with a new link: a label saying who it is for, and an expiry (optional) from today
    to five years ahead."""
    errors: dict[str, str] = {}
    if not label.strip():
        errors["label"] = _("Say who the link is for, e.g. “Buyer: Acme GmbH, catalog 2026”.")
    elif len(label.strip()) > LABEL_MAX_LENGTH:
        errors["label"] = _("Use at most %(limit)s characters.", limit=str(LABEL_MAX_LENGTH))
    if expires_on is not None:
        if expires_on < today:
            errors["expires_on"] = _("The expiry date cannot be in the past.")
        elif expires_on > latest_expiry(today):
            errors["expires_on"] = _(
                "A link can expire at most %(years)d years ahead, by %(day)s; leave the date empty to keep "
                "it until you revoke it.",
                years=MAX_EXPIRY_YEARS,
                day=latest_expiry(today).isoformat(),
            )
    return errors


def expires_at(expires_on: date) -> datetime:
    """The moment a link set to expire on ``expires_on`` stops opening: the end of that day (UTC)."""
    return datetime.combine(expires_on + timedelta(days=1), time(0), tzinfo=UTC)


def expiry_day(moment: datetime | None) -> date | None:
    """The last day a link opens, from its stored moment (the inverse of :func:`expires_at`)."""
    if moment is None:
        return None
    return (aware(moment) - timedelta(microseconds=1)).date()


class LinkState(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"
    EXPIRED = "expired"


LINK_STATE_LABELS = {
    LinkState.ACTIVE: _l("Active"),
    LinkState.REVOKED: _l("Revoked"),
    LinkState.EXPIRED: _l("Expired"),
}
LINK_STATE_BADGES = {
    LinkState.ACTIVE: "text-bg-success",
    LinkState.REVOKED: "text-bg-secondary",
    LinkState.EXPIRED: "text-bg-warning",
}


def aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns; they were stored in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def link_state(revoked_at: datetime | None, expires: datetime | None, now: datetime) -> LinkState:
    """Revoked from the moment it was revoked; expired from the end of its last day; active otherwise."""
    if revoked_at is not None:
        return LinkState.REVOKED
    if expires is not None and aware(expires) <= now:
        return LinkState.EXPIRED
    return LinkState.ACTIVE


# ------------------------------------------------------------------------------- the public page


def web_link(url: str) -> str | None:
    """A certification body's website as a link a buyer may follow: http(s) with a host, else None (a
    ``javascript:`` or typo'd address is shown as text, never linked)."""
    text = url.strip()
    if not text:
        return None
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.hostname or "." not in parts.hostname:
        return None
    return text


@dataclass(frozen=True)
class Accreditation:
    """The accreditation body as recorded, and whether it signs the IAF MLA (the app's list)."""

    recorded: str
    full_name: str | None  # the MLA signatory's acronym and name; None when not on the list
    on_iaf_mla: bool
    warning: str | None


def accreditation(recorded: str) -> Accreditation:
    body = find_accreditation_body(recorded)
    return Accreditation(
        recorded=recorded.strip(),
        full_name=body.label if body else None,
        on_iaf_mla=body is not None,
        warning=accreditation_warning(recorded),
    )


def sector_codes(text: str) -> tuple[int, ...] | None:
    """IAF sector codes as numbers; None when the recorded text is not a list of codes (shown as typed)."""
    return parse_sector_codes(text)


@dataclass(frozen=True)
class AuditMention:
    """An audit of the cycle as the page names it: the kind, its label and a day (held or due by)."""

    kind: AuditKind
    label: str
    day: date
    overdue: bool = False


def held_mention(audit: CycleAudit | None) -> AuditMention | None:
    if audit is None:
        return None
    return AuditMention(audit.kind, KIND_LABELS[audit.kind], audit.ends_on)


def due_mention(due: NextAudit | None) -> AuditMention | None:
    if due is None:
        return None
    return AuditMention(due.kind, KIND_LABELS[due.kind], due.due_by, due.overdue)


def month_text(day: date) -> str:
    """ "December 2026", in the reader's language ("tháng 12 năm 2026")."""
    return format_date(day, "MMMM y", locale=reader_locale())


@dataclass(frozen=True)
class PlannedAudit:
    """The certification audit (stage 2) of a project not yet certified: its first day, whether it was
    held, and the certification body's name (empty when none is recorded)."""

    starts_on: date
    held: bool
    body_name: str


def progress_statement(standard: str, audit: PlannedAudit | None) -> str:
    """What a buyer reads about a project not yet certified, e.g. "Working towards ISO 9001 certification:
    certification audit planned for June 2026 with Bureau X."."""
    if audit is None:
        return _("Working towards %(standard)s certification.", standard=standard)
    values = {"standard": standard, "month": month_text(audit.starts_on), "body": audit.body_name}
    if audit.held and audit.body_name:
        return _(
            "Working towards %(standard)s certification: certification audit held in %(month)s with "
            "%(body)s; the certification decision is pending.",
            **values,
        )
    if audit.held:
        return _(
            "Working towards %(standard)s certification: certification audit held in %(month)s; "
            "the certification decision is pending.",
            **values,
        )
    if audit.body_name:
        return _(
            "Working towards %(standard)s certification: certification audit planned for %(month)s with "
            "%(body)s.",
            **values,
        )
    return _(
        "Working towards %(standard)s certification: certification audit planned for %(month)s.", **values
    )


def next_certification_audit(audits: Sequence[PlannedAudit], today: date) -> PlannedAudit | None:
    """The stage 2 audit to mention: the next one scheduled from today, else the last one held (its
    decision pending), else none."""
    planned = sorted((a for a in audits if not a.held and a.starts_on >= today), key=lambda a: a.starts_on)
    if planned:
        return planned[0]
    held = sorted((a for a in audits if a.held), key=lambda a: a.starts_on)
    return held[-1] if held else None


# ------------------------------------------------------------------------------- what a buyer sees


@dataclass(frozen=True)
class BuyerSite:
    name: str
    address: str
    country: str  # ISO 3166 alpha-2
    country_name: str


@dataclass(frozen=True)
class BuyerStandard:
    code: str  # e.g. iso9001
    name: str  # e.g. ISO 9001
    edition: str  # e.g. 2015


def buyer_standard(code: str, name: str, version: str) -> BuyerStandard:
    """A catalog's standard as a certificate names it: "ISO 9001:2015" is ISO 9001, edition 2015 (an
    amendment, as in the catalog's version "2015+A1:2024", does not make a new edition)."""
    short, _, edition = name.partition(":")
    return BuyerStandard(code, short.strip(), edition.strip() or version)


@dataclass(frozen=True)
class BuyerCertificate:
    """A certificate as its public page shows it: only what the certificate itself states, its status on
    the day, the surveillance cycle, and where to check it."""

    company: str
    sites: tuple[BuyerSite, ...]
    standard: BuyerStandard
    number: str
    scope: str
    sector_codes_text: str
    sector_codes: tuple[int, ...] | None
    body_name: str
    body_website: str | None  # a link a buyer may follow (http or https), else None
    body_website_text: str  # as recorded
    accreditation: Accreditation
    accreditation_number: str
    status: str  # app.domain.certification.CertificateStatus
    status_label: str
    original_on: date
    issued_on: date
    expires_on: date
    last_surveillance: AuditMention | None
    next_audit: AuditMention | None  # None once the certificate is no longer valid
    transition_note: str | None = None


@dataclass(frozen=True)
class BuyerProgress:
    """A project not yet certified, shown only when its exporter allowed it."""

    company: str
    sites: tuple[BuyerSite, ...]
    standard: BuyerStandard
    statement: str
    audit: PlannedAudit | None


STATUS_BADGES = {
    "valid": "text-bg-success",
    "suspended": "text-bg-warning",
    "withdrawn": "text-bg-danger",
    "expired": "text-bg-danger",
}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _mention_json(mention: AuditMention | None, day_name: str) -> dict[str, object] | None:
    if mention is None:
        return None
    found: dict[str, object] = {
        "kind": str(mention.kind),
        "label": mention.label,
        day_name: _iso(mention.day),
    }
    if day_name == "due_by":
        found["overdue"] = mention.overdue
    return found


def _common_json(
    kind: str, company: str, sites: tuple[BuyerSite, ...], standard: BuyerStandard, page_url: str
) -> dict[str, object]:
    return {
        "kind": kind,
        "page_url": page_url,
        "company": company,
        "sites": [
            {"name": s.name, "address": s.address, "country": s.country, "country_name": s.country_name}
            for s in sites
        ],
        "standard": {"code": standard.code, "name": standard.name, "edition": standard.edition},
    }


def certificate_json(
    page: BuyerCertificate, page_url: str, certsearch: str, checks: Sequence[str]
) -> dict[str, object]:
    """The JSON form of the page: the same facts, by name."""
    return _common_json("certificate", page.company, page.sites, page.standard, page_url) | {
        "certificate_number": page.number,
        "scope": page.scope,
        "sector_codes": list(page.sector_codes) if page.sector_codes is not None else None,
        "sector_codes_text": page.sector_codes_text,
        "certification_body": {
            "name": page.body_name,
            "website": page.body_website,
            "accreditation_number": page.accreditation_number,
        },
        "accreditation_body": {
            "name": page.accreditation.recorded,
            "full_name": page.accreditation.full_name,
            "on_iaf_mla": page.accreditation.on_iaf_mla,
            "warning": page.accreditation.warning,
        },
        "status": page.status,
        "status_label": page.status_label,
        "original_certification_date": _iso(page.original_on),
        "issue_date": _iso(page.issued_on),
        "expiry_date": _iso(page.expires_on),
        "last_surveillance_audit": _mention_json(page.last_surveillance, "held_on"),
        "next_audit_due": _mention_json(page.next_audit, "due_by"),
        "transition_note": page.transition_note,
        "check_links": {"certification_body": page.body_website, "iaf_certsearch": certsearch},
        "what_to_check": list(checks),
    }


def progress_json(
    page: BuyerProgress, page_url: str, certsearch: str, checks: Sequence[str]
) -> dict[str, object]:
    audit = page.audit
    return _common_json("progress", page.company, page.sites, page.standard, page_url) | {
        "statement": page.statement,
        "certification_audit": None
        if audit is None
        else {
            "month": audit.starts_on.strftime("%Y-%m"),
            "held": audit.held,
            "certification_body": audit.body_name or None,
        },
        "check_links": {"iaf_certsearch": certsearch},
        "what_to_check": list(checks),
    }
