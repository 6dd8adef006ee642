"""An exporter's owner takes a factory from the certification body's quote to a certificate a buyer can
check. She records the body, whose accreditation body she types because it is not on the IAF MLA list (the
warning and the IAF CertSearch link are shown), records its quote and accepts it (the project's body is set
and the budget gets the body's lines), records stage 1 held, stage 2 first as scheduled while the go / no-go
says NO-GO (warned and flagged) and then as held with the certification decision, and the certificate (its
expiry defaulted): it is Valid. She creates a share link; its QR code scans to the very link. A buyer opens
the link in a browser of their own, never logged in: the company, the site's address, the number, the body
and the warning about its accreditation, status Valid, nothing internal, no cookie, not indexed. She revokes
the link, and the buyer's page is a plain 404. The strict CSP holds throughout, on the public page too."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from playwright.sync_api import Browser, Page, expect

from app.domain.audit_days import format_days, initial_audit_days
from app.domain.certification import IAF_CERTSEARCH, expiry
from app.extensions import db
from app.models import CertificationProject
from app.templating import format_date
from tests.browser.journeys import WATCH_CSP, log_in, new_project
from tests.qr_reading import qr_text

OWNER = "an-certificates@example.com"
COMPANY = "Saigon Stainless Sinks"
SITE = "Tan Uyen plant"
ADDRESS = "Lot C7, Nam Tan Uyen Industrial Park, Binh Duong"
EMPLOYEES = 30
BODY = "Pacific Rim Certification"
UNKNOWN_AB = "Pacific Accreditation Services Ltd"  # typed: not an IAF MLA signatory
BODY_WEBSITE = "https://www.pacificrim-cert.example/register"
# The quote, in the project's currency (VND, no decimals): amounts a buyer must never see.
DAY_RATE, FEES, TRAVEL, SURVEILLANCE_DAYS = "12000000", "8000000", "5000000", "2"
NUMBER = "PRC-QMS-2417"
SCOPE = "Design and manufacture of stainless steel kitchen sinks and bowls."
BUYER = "Buyer: Hamburg Kitchens GmbH"
TODAY = date.today()
STAGE1 = (TODAY - timedelta(days=42), TODAY - timedelta(days=41))
CONCERNS_RESOLVED = TODAY - timedelta(days=35)
STAGE2 = (TODAY - timedelta(days=21), TODAY - timedelta(days=20))
DECISION = TODAY - timedelta(days=10)
ISSUED = TODAY - timedelta(days=7)


def make_project(live_app: Any) -> int:
    """An ISO 9001 project of the exporter's factory (its earlier stages untouched: the go / no-go says
    NO-GO), the site with its real address."""
    project_id = new_project(
        live_app, "Mekong Export Quality", {OWNER: ("An", "owner")}, COMPANY, SITE, EMPLOYEES
    )
    with live_app.app_context():
        project = db.session.get(CertificationProject, project_id)
        assert project is not None
        project.site.address = ADDRESS
        db.session.commit()
    return project_id


def no_csp_violations(page: Page) -> None:
    assert page.evaluate("window.cspViolations") == []


def add_the_body(page: Page, base: str) -> None:
    page.goto(f"{base}/certification-bodies")
    page.locator("#new-body").click()
    form = page.locator("#body-form")
    form.get_by_label("Name", exact=True).fill(BODY)
    form.get_by_label("Accreditation body", exact=True).select_option(label="Other (type it)")
    form.get_by_label("Accreditation body not on the list").fill(UNKNOWN_AB)
    form.get_by_label("Accreditation number").fill("PAS-C-118")
    form.get_by_label("IAF sector codes it is accredited for").fill("17, 19")
    form.get_by_label("Website").fill(BODY_WEBSITE)
    page.get_by_role("button", name="Add the body").click()
    expect(page.get_by_role("heading", name=BODY)).to_be_visible()
    expect(page.locator("#body-accreditation")).to_have_text(UNKNOWN_AB)
    # Kept, but warned about, with the link to check it on IAF CertSearch.
    warning = page.locator("#accreditation-warning")
    expect(warning).to_contain_text(f"“{UNKNOWN_AB}” is not on the IAF MLA list")
    expect(warning.get_by_role("link", name="Check on IAF CertSearch")).to_have_attribute(
        "href", IAF_CERTSEARCH
    )
    page.get_by_role("link", name="Certification bodies").first.click()
    expect(page.locator("#bodies .accreditation-flag")).to_have_text("Check accreditation")


def accept_a_quote(page: Page, project_url: str) -> None:
    iaf_days = format_days(initial_audit_days("iso9001", EMPLOYEES).days)
    page.goto(f"{project_url}/quotes")
    expect(page.locator("#empty-quotes")).to_be_visible()
    page.locator("#new-quote").click()
    form = page.locator("#quote-form")
    form.get_by_label("Certification body").select_option(label=BODY)
    form.get_by_label("Audit days, stage 1 and 2").fill(iaf_days)  # as IAF MD 5 asks: not flagged
    form.get_by_label("Days of each surveillance audit").fill(SURVEILLANCE_DAYS)
    form.get_by_label("Day rate (VND)").fill(DAY_RATE)
    form.get_by_label("Fees (VND)").fill(FEES)
    form.get_by_label("Travel (VND)").fill(TRAVEL)
    page.get_by_role("button", name="Record the quote").click()
    expect(page.get_by_text(f"Quote from {BODY} recorded.")).to_be_visible()
    expect(page.locator("#quote-days")).to_have_text(iaf_days)
    expect(page.locator("#quote-warning")).to_have_count(0)
    expect(page.locator("#accreditation-warning")).to_contain_text("not on the IAF MLA list")

    page.locator("#accept-quote").click()
    # The initial audit, fees, travel and both surveillance audits.
    expect(
        page.get_by_text(f"{BODY} is the project's certification body; 5 budget lines added.")
    ).to_be_visible()
    expect(page.locator("#quote-status")).to_have_text("Accepted")
    page.goto(f"{project_url}/quotes")
    expect(page.get_by_text(f"certification body: {BODY}")).to_be_visible()
    page.goto(f"{project_url}/budget")
    lines = page.locator("#budget-lines .budget-line")
    expect(lines.filter(has_text="Certification body: initial audit, stage 1 and 2")).to_have_count(1)
    expect(lines.filter(has_text="Certification body: surveillance audit")).to_have_count(2)


def audit_form(page: Page, kind: str, days: tuple[date, date], held: bool) -> Any:
    form = page.locator("#external-audit-form")
    form.get_by_label("Audit", exact=True).select_option(label=kind)
    form.get_by_label("First day").fill(days[0].isoformat())
    form.get_by_label("Last day").fill(days[1].isoformat())
    form.get_by_label("Held" if held else "Scheduled", exact=True).check()
    return form


def record_the_stages(page: Page, project_url: str) -> None:
    page.goto(f"{project_url}/external-audits")
    expect(page.locator("#no-external-audits")).to_be_visible()
    page.locator("#new-external-audit").click()
    form = audit_form(page, "Stage 1 audit", STAGE1, held=True)
    expect(form.get_by_label("Certification body")).to_have_value("")  # the project's, now the body's
    form.get_by_label("Auditors").fill("Ms Hoa (lead)")
    form.get_by_label("Report").fill("Calibration records of the press brake gauges are incomplete.")
    form.get_by_label("Stage 1 concerns resolved on").fill(CONCERNS_RESOLVED.isoformat())
    page.get_by_role("button", name="Record the audit").click()
    expect(page.get_by_text("Stage 1 audit recorded.")).to_be_visible()
    expect(page.locator("#audit-label")).to_have_text("Stage 1 audit")
    expect(page.locator("#audit-resolved")).to_have_text(format_date(CONCERNS_RESOLVED))
    expect(page.locator("#audit-state").locator("..")).to_contain_text(BODY)

    # Stage 2 as the body scheduled it, while the go / no-go says NO-GO: recorded, warned and flagged.
    page.goto(f"{project_url}/external-audits")
    page.locator("#new-external-audit").click()
    audit_form(page, "Stage 2 audit", STAGE2, held=False)
    page.get_by_role("button", name="Record the audit").click()
    expect(page.get_by_text("The stage 2 go / no-go says NO-GO for this project")).to_be_visible()
    expect(page.locator("#audit-warnings")).to_contain_text("Scheduled while the go / no-go said NO-GO.")

    # Held: the certification decision came ten days ago.
    form = audit_form(page, "Stage 2 audit", STAGE2, held=True)
    form.get_by_label("Auditors").fill("Ms Hoa (lead), Mr Tam")
    form.get_by_label("Report").fill("Two minor nonconformities; certification recommended.")
    form.get_by_label("Certification decision on").fill(DECISION.isoformat())
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Audit saved.")).to_be_visible()
    expect(page.locator("#audit-decision")).to_have_text(format_date(DECISION))

    page.goto(f"{project_url}/external-audits")
    rows = page.locator("#external-audits tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("tr[data-kind='stage1'] .audit-state")).to_have_text(re.compile("held", re.I))
    expect(page.locator("tr[data-kind='stage2'] .audit-state")).to_have_text(re.compile("held", re.I))


def record_the_certificate(page: Page, project_url: str) -> None:
    page.goto(f"{project_url}/external-audits")
    page.locator("#record-certificate").click()
    form = page.locator("#certificate-form")
    form.get_by_label("Certificate number").fill(NUMBER)
    form.get_by_label("Certification body").select_option(label=BODY)
    standard = form.get_by_label("Standard", exact=True)
    label = standard.locator("option", has_text="9001").first.text_content()
    assert label is not None
    standard.select_option(label=label)
    form.get_by_label(re.compile(f"^{SITE}")).check()
    form.get_by_label("Scope").fill(SCOPE)
    form.get_by_label("IAF sector codes").fill("17")
    form.get_by_label("Original certification").fill(DECISION.isoformat())
    form.get_by_label("Certification decision").fill(DECISION.isoformat())
    form.get_by_label("Issued on").fill(ISSUED.isoformat())
    expect(form.get_by_label("Expires on")).to_have_value("")  # left to its default
    page.get_by_role("button", name="Record the certificate").click()
    expect(page.get_by_text(f"Certificate {NUMBER} recorded.")).to_be_visible()
    expect(page.locator("#certificate-number")).to_have_text(NUMBER)
    expect(page.locator("#certificate-status [data-certificate-status]")).to_have_text("Valid")
    expect(page.locator("#certificate-expiry")).to_have_text(format_date(expiry(DECISION)))
    expect(page.locator("#certificate-sites")).to_contain_text(ADDRESS)
    expect(page.locator("#accreditation-warning")).to_contain_text("not on the IAF MLA list")


# The image's width once it has loaded (0 if it failed): visible is not yet loaded on a busy machine.
LOADED_WIDTH = """img => img.complete ? img.naturalWidth : new Promise(done => {
    img.addEventListener("load", () => done(img.naturalWidth), {once: true});
    img.addEventListener("error", () => done(0), {once: true});
})"""


def create_the_link(page: Page, base: str) -> tuple[str, str]:
    """The link shown once, and the address of its QR code's PNG."""
    page.goto(f"{base}/share-links")
    target = page.get_by_label("What to share")
    offered = target.locator("option", has_text=f"certificate {NUMBER}").text_content()
    assert offered is not None and offered.startswith(f"{COMPANY}: ISO 9001"), offered
    assert offered.endswith("(valid)"), offered
    target.select_option(label=offered)
    page.get_by_label("Who it is for").fill(BUYER)
    page.get_by_role("button", name="Create a share link").click()
    expect(page.locator("#new-link")).to_contain_text(f"Your new link for “{BUYER}”")
    url = page.locator("#new-link-url").input_value()
    assert re.fullmatch(re.escape(base) + r"/check/[A-Za-z0-9_-]{40,}", url), url
    expect(page.locator("#open-new-link")).to_have_attribute("href", url)
    qr_image = page.locator("#new-link-qr")
    expect(qr_image).to_be_visible()
    assert qr_image.evaluate(LOADED_WIDTH) > 0  # the PNG drawn, once it has arrived
    png = page.locator("#qr-png").get_attribute("href")
    assert png is not None
    return url, base + png


def check_as_a_buyer(buyer: Page, url: str) -> None:
    response = buyer.goto(url)
    assert response is not None and response.status == 200
    headers = response.all_headers()
    assert "set-cookie" not in headers
    assert headers.get("x-robots-tag") == "noindex"
    expect(buyer.locator("meta[name='robots']")).to_have_attribute("content", "noindex")
    assert buyer.context.cookies() == []
    main = buyer.locator("#main")
    expect(main).to_contain_text(COMPANY)
    expect(main).to_contain_text(ADDRESS)
    expect(main).to_contain_text(SITE)
    expect(main).to_contain_text(NUMBER)
    expect(main).to_contain_text(SCOPE)
    expect(main).to_contain_text(BODY)
    accreditation = buyer.locator("#accreditation")
    expect(accreditation).to_contain_text(UNKNOWN_AB)
    expect(accreditation).to_contain_text("Not on the IAF MLA list")
    expect(buyer.locator("#status")).to_contain_text("Valid")
    expect(main).to_contain_text(format_date(expiry(DECISION)))
    expect(buyer.get_by_role("link", name=IAF_CERTSEARCH)).to_have_attribute("href", IAF_CERTSEARCH)
    # Nothing internal: no log-in, no navigation of the app, no quote or budget figure, no finding.
    expect(buyer.get_by_role("button", name="Log out")).to_have_count(0)
    expect(buyer.locator("form")).to_have_count(0)
    text = main.inner_text()
    for internal in ("12,000,000", "12.000.000", DAY_RATE, "8,000,000", "VND", "Budget", "budget"):
        assert internal not in text, internal
    for internal in ("Calibration records", "minor nonconformities", "Ms Hoa", "Readiness", "readiness"):
        assert internal not in text, internal


def test_from_the_quote_to_a_certificate_a_buyer_checks(
    page: Page, browser: Browser, live_server: str, live_app: Any
) -> None:
    project_id = make_project(live_app)
    project_url = f"{live_server}/projects/{project_id}"
    log_in(page, live_server, OWNER, watch_csp=True)

    add_the_body(page, live_server)
    accept_a_quote(page, project_url)
    no_csp_violations(page)
    record_the_stages(page, project_url)
    record_the_certificate(page, project_url)
    no_csp_violations(page)

    url, qr_png = create_the_link(page, live_server)
    answer = page.request.get(qr_png)
    assert answer.status == 200 and answer.headers["content-type"] == "image/png"
    assert qr_text(answer.body()) == url  # the code scans to the very link shown
    no_csp_violations(page)

    # A buyer, in a browser of their own: never logged in, no cookie.
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    buyer = context.new_page()
    check_as_a_buyer(buyer, url)
    no_csp_violations(buyer)

    # Revoked: the buyer's page is a plain 404 that says nothing of what was there.
    page.goto(f"{live_server}/share-links")
    row = page.locator("tr[data-share-link-id]", has_text=BUYER)
    expect(row).to_have_attribute("data-state", "active")
    row.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text(f"The link “{BUYER}” is revoked: it no longer opens.")).to_be_visible()
    expect(page.locator("tr[data-share-link-id]", has_text=BUYER)).not_to_have_attribute(
        "data-state", "active"
    )
    no_csp_violations(page)

    gone = buyer.reload()
    assert gone is not None and gone.status == 404
    assert "set-cookie" not in gone.all_headers()
    expect(buyer.get_by_role("heading", name="Not found")).to_be_visible()
    for shown in (COMPANY, NUMBER, BODY, SITE, "revoked"):
        expect(buyer.locator("body")).not_to_contain_text(shown)
    unknown = context.request.get(f"{live_server}/check/{'A' * 43}")
    assert unknown.status == 404 and unknown.text() == gone.text()  # no hint the link ever existed
    assert context.request.get(qr_png).status == 404
    assert context.cookies() == []
    no_csp_violations(buyer)
    context.close()
