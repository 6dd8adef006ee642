"""A quality manager records an instrument found out of calibration, and the app does not let it be forgotten.

From the registers page she opens the measuring-equipment register, adds the extraction-force tester and
records its calibration. A next-due date before the calibration is refused beside the field, what she typed
kept. The laboratory found it out of tolerance: the instrument says its earlier results are not assessed, the
project's first next step says to assess them (7.1.5.2) and leads to the register filtered to it, and the
requirement 7.1.5.2 page shows the register's state. She records the assessment of the lots measured since the
last good calibration: the step is gone and the requirement page reads the register as in order. The strict
CSP holds throughout."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.journeys import log_in, new_project

OWNER = "thu.calibration@example.com"
CALIBRATED = date.today() - timedelta(days=5)
ASSESS_STEP = "Assess the results measured with the instrument found out of calibration (7.1.5.2)"


def test_an_out_of_calibration_instrument_leads_the_next_steps_until_assessed(
    page: Page, live_server: str, live_app: Any
) -> None:
    project_id = new_project(
        live_app, "Cork calibration", {OWNER: ("Thu", "owner")}, "Saigon Cork Stoppers", "Binh Duong plant"
    )
    base = f"{live_server}/projects/{project_id}"
    log_in(page, live_server, OWNER, watch_csp=True)

    page.goto(f"{base}/registers")
    page.get_by_role("link", name="Measuring equipment and calibration").click()
    page.get_by_role("link", name="Add an instrument").click()
    page.get_by_label("Equipment id").fill("EFT-02")
    page.get_by_label("Instrument").fill("Extraction-force tester, 0 to 500 N")
    page.get_by_label("Location").fill("Quality laboratory")
    page.get_by_label("Calibration interval (months)").fill("12")
    page.get_by_role("button", name="Add the instrument").click()
    expect(page.locator("#instrument-title")).to_have_text("EFT-02 · Extraction-force tester, 0 to 500 N")

    # A next calibration before this one is refused beside its field; what was typed stays.
    form = page.locator("#calibration-form")
    form.get_by_label("Calibrated on").fill(CALIBRATED.isoformat())
    form.get_by_label("Next calibration due").fill((CALIBRATED - timedelta(days=1)).isoformat())
    form.get_by_label("Result").select_option("out_of_tolerance")
    form.get_by_label("Performed by").fill("Quatest 3 (VILAS 004)")
    form.get_by_role("button", name="Record the calibration").click()
    expect(page.locator("#calibration-form")).to_contain_text(
        "The next calibration must come after this one."
    )
    expect(page.locator("#calibration-form").get_by_label("Performed by")).to_have_value(
        "Quatest 3 (VILAS 004)"
    )

    form = page.locator("#calibration-form")
    form.get_by_label("Next calibration due").fill("")
    form.get_by_role("button", name="Record the calibration").click()
    expect(page.locator("#instrument-status")).to_contain_text(
        "Out of tolerance — earlier results not assessed"
    )

    # The project's first next step says so, and leads to the register filtered to it.
    page.goto(base)
    first = page.locator("#next-steps li").first
    expect(first.get_by_role("link")).to_have_text(ASSESS_STEP)
    first.get_by_role("link").click()
    expect(page).to_have_url(f"{base}/equipment?status=unassessed")
    expect(page.get_by_role("link", name="EFT-02")).to_be_visible()

    # The requirement's page shows the register and its state.
    page.goto(f"{base}/requirements/7.1.5.2")
    register = page.locator('#requirement-registers [data-register="equipment"]')
    expect(register).to_contain_text("1 instrument, 1 out of tolerance")
    expect(register.locator("[data-register-state]")).to_have_class("text-warning-emphasis fw-semibold")

    # She records the assessment of the earlier results: the step is gone, the register in order.
    page.get_by_role("link", name="Measuring equipment and calibration").click()
    page.get_by_role("link", name="EFT-02").click()
    assessment = page.locator("form[id^=assessment-]")
    assessment.get_by_label("Assessed on").fill(date.today().isoformat())
    assessment.get_by_label("Results assessed").fill(
        "Lots 2611-04 to 2611-19 were tested with it since March; a retest of the retained samples "
        "showed the extraction forces within specification."
    )
    assessment.get_by_label("Action taken").fill(
        "Retained samples retested with the spare tester; no lot recalled."
    )
    assessment.get_by_role("button", name="Record the assessment").click()
    expect(page.locator("#instrument-status")).not_to_contain_text("not assessed")

    page.goto(base)
    expect(page.locator("#next-steps")).not_to_contain_text(ASSESS_STEP)
    page.goto(f"{base}/requirements/7.1.5.2")
    expect(
        page.locator('#requirement-registers [data-register="equipment"] [data-register-state]')
    ).to_have_text("1 instrument")
    assert page.evaluate("window.cspViolations") == []
