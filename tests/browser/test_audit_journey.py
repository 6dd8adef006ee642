"""A quality lead finishes the audit programme: sections 5 to 10 were audited a few days ago, so the
programme shows section 4 not yet covered. She plans an audit of section 4 with a qualified lead from
another department, starts it, answers its checklist (every line conforming but one major), reports it,
and the major appears in the nonconformity register. She takes it through its root cause (a placeholder
is refused beside its field), the corrective action, its implementation and a passed effectiveness check
(it cannot be closed before), and closes it: every criterion of the Internal audit stage is met. She then
records the management review, whose inputs about audits and findings come written in from the records,
writes the others, records a decision or action for each output, and every criterion of the Management
review stage is met. The strict CSP holds throughout."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import CertificationProject
from tests.audit_samples import qualified_auditors, reported_audit
from tests.browser.journeys import log_in, new_project

LEAD = "thu-audits@example.com"
AUDIT_TITLE = "Context of the organization"
LEAD_AUDITOR, TEAM_MEMBER = "Tran Thi Lan", "Pham Van Khoa"
MAJOR_CLAUSE = "4.3"
MAJOR_NOTES = (
    "The scope statement excludes design and development without saying why, and the quality manual "
    "still names the old Binh Duong warehouse."
)
# The inputs of ISO 9001 9.3.2 that the app cannot write from its records.
WRITTEN_INPUTS = {
    "context_changes": "A second export customer in Japan now asks for lot traceability on every carton.",
    "customer_satisfaction": "Three customer complaints were received this year, all about late deliveries.",
    "objectives": "On-time delivery reached 94 percent against a target of 95 percent this quarter.",
    "monitoring_results": "Final inspection rejected 0.8 percent of cartons, down from 1.5 percent.",
    "supplier_performance": "The board supplier delivered late twice; the ink supplier was always on time.",
    "risk_actions": "The second source of corrugated board removed the risk of a stopped line in March.",
    "improvement_opportunities": "The printing line could change plates faster with a prepared trolley.",
}
# One decision or action per output of ISO 9001 9.3.3: (kind, text, owner).
OUTPUTS = {
    "improvement": ("decision", "Prepare a plate trolley for the printing line before the next quarter.", ""),
    "system_changes": ("action", "Revise the scope statement and the quality manual after the audit.", "Thu"),
    "resources": ("decision", "Train two more internal auditors from the warehouse team this year.", ""),
}


def make_project(live_app: Any) -> int:
    """An ISO 9001 project with two qualified auditors of the Quality department and a reported audit of
    sections 5 to 10, three days ago (every line conforming)."""
    project_id = new_project(
        live_app, "Thu Duc Quality Partners", {LEAD: ("Thu", "owner")}, "Binh Duong Cartons", "Di An"
    )
    with live_app.app_context():
        project = db.session.get(CertificationProject, project_id)
        assert project is not None
        lead, _ = qualified_auditors(project, (LEAD_AUDITOR, TEAM_MEMBER), department="Quality")
        reported_audit(
            project, ("5", "6", "7", "8", "9", "10"), days_ago=3, lead=lead, title="Leadership to improvement"
        )
        db.session.commit()
    return project_id


def containing(text: str) -> re.Pattern[str]:
    """A value holding ``text`` somewhere (to_have_value takes a whole string or a pattern)."""
    return re.compile(re.escape(text))


def no_csp_violations(page: Page) -> None:
    assert page.evaluate("window.cspViolations") == []


def every_criterion_met(page: Page, project_url: str, stage: str) -> None:
    page.goto(f"{project_url}/stages/{stage}")
    expect(page.locator("#exit-criteria li")).to_have_count(3)
    expect(page.locator("#exit-criteria li[data-met='no']")).to_have_count(0)


def plan_the_audit(page: Page, project_url: str) -> None:
    page.goto(f"{project_url}/audits")
    expect(page.locator("#audit-coverage tr[data-covered='yes']")).to_have_count(6)
    expect(page.locator("#audit-coverage tr[data-section='4']")).to_have_attribute("data-covered", "no")
    expect(page.locator("#audit-coverage tr[data-section='4'] .not-covered")).to_be_visible()
    page.locator("#plan-audit").click()
    today = date.today().isoformat()
    page.get_by_label("Title").fill(AUDIT_TITLE)
    page.get_by_label("Starts on").fill(today)
    page.get_by_label("Ends on").fill(today)
    page.get_by_label("Scope").fill("4")
    page.get_by_label("Departments visited").fill("Management")
    page.get_by_label("Lead auditor").select_option(label=f"{LEAD_AUDITOR} (Quality)")
    page.get_by_role("checkbox", name=TEAM_MEMBER).check()
    page.get_by_role("button", name="Plan the audit").click()
    expect(page.locator("#audit-title")).to_have_text(AUDIT_TITLE)
    expect(page.locator("#audit-status [data-audit-status]")).to_have_attribute(
        "data-audit-status", "planned"
    )
    expect(page.locator("#audit-team .auditor-qualified")).to_have_count(2)
    expect(page.locator("#flag-unqualified, #flag-independence")).to_have_count(0)


def answer_the_checklist(page: Page) -> int:
    """Every line conforming but one major; the number of lines."""
    page.locator("#checklist-link").click()
    lines = page.locator("#checklist-form .audit-line")
    count = lines.count()
    assert count >= 4  # 4.1, 4.2, 4.3 and 4.4 at least
    for index in range(count):
        line = lines.nth(index)
        major = line.get_attribute("data-clause") == MAJOR_CLAUSE
        line.get_by_label("Result").select_option("major" if major else "conforming")
        if major:
            line.get_by_label("What was found").fill(MAJOR_NOTES)
    page.get_by_role("button", name="Save every changed line").click()
    expect(page.get_by_text(f"{count} checklist lines saved.")).to_be_visible()
    expect(page.locator(".audit-line[data-result='not_checked']")).to_have_count(0)
    expect(page.locator(f".audit-line[data-clause='{MAJOR_CLAUSE}']")).to_have_attribute(
        "data-result", "major"
    )
    return count


def take_the_major_to_closed(page: Page) -> None:
    today = date.today()
    plan = page.locator("#plan-form")
    plan.get_by_label("Root cause analysis").select_option(label="Five whys")
    plan.get_by_label("Root cause", exact=True).fill("x")
    plan.get_by_label("Corrective action").fill(
        "Rewrite the scope statement with the justification of each exclusion and review it yearly."
    )
    plan.get_by_label("Action owner").fill("Nguyen Thi Thu")
    plan.get_by_label("Action due").fill((today + timedelta(days=14)).isoformat())
    plan.get_by_role("button", name="Record the root cause and plan the action").click()
    # The placeholder is refused beside its field; what was typed is kept and nothing moved.
    expect(page.locator("#plan-root_cause-errors")).to_contain_text("a placeholder is not a record")
    expect(page.locator("#finding-status [data-state]")).to_have_attribute("data-state", "open")
    expect(plan.get_by_label("Action owner")).to_have_value("Nguyen Thi Thu")
    plan.get_by_label("Root cause", exact=True).fill(
        "Nobody owns the scope statement since the quality manager left, so it was never reviewed."
    )
    plan.get_by_role("button", name="Record the root cause and plan the action").click()
    expect(page.locator("#finding-status [data-state]")).to_have_attribute("data-state", "action_planned")
    expect(page.locator("#finding-root-cause")).to_contain_text("Five whys")

    page.locator("#implement-form").get_by_label("Implemented on").fill(today.isoformat())
    page.get_by_role("button", name="Record the action as implemented").click()
    expect(page.locator("#finding-status [data-state]")).to_have_attribute("data-state", "implemented")
    # Not closed before its effectiveness check: the page offers no close step yet.
    expect(page.locator(".finding-step[data-step='close']")).to_have_count(0)
    expect(page.locator("#no-checks")).to_be_visible()

    check = page.locator("#check-form")
    check.get_by_label("Checked on").fill(today.isoformat())
    check.get_by_label("Checked by").fill("Tran Thi Lan")
    check.get_by_label("Effective: the nonconformity has not come back").check()
    check.get_by_label("What was checked, and what it showed").fill(
        "The revised scope statement justifies each exclusion and the manual names the current sites."
    )
    page.get_by_role("button", name="Record the effectiveness check").click()
    expect(page.locator("#finding-status [data-state]")).to_have_attribute("data-state", "verified")
    expect(page.locator("#finding-checks tr[data-result='effective']")).to_have_count(1)

    page.locator("#close-form").get_by_role("button", name="Close the finding").click()
    expect(page.locator("#finding-status [data-state]")).to_have_attribute("data-state", "closed")
    expect(page.locator("#finding-closed")).to_be_visible()


def record_the_review(page: Page, project_url: str) -> None:
    today = date.today()
    page.goto(f"{project_url}/reviews")
    page.locator("#new-review").click()
    expect(page.get_by_label("Held on")).to_have_value(today.isoformat())
    page.get_by_label("Period reviewed from").fill((today - timedelta(days=90)).isoformat())
    page.get_by_label("to", exact=True).fill(today.isoformat())
    page.get_by_label("Attendees").fill("Mr Minh, director\nNguyen Thi Thu, quality manager")
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator("#missing-inputs")).to_be_visible()

    # What the app knows is written in from its records: both audits, and the major raised and closed.
    def text_of(key: str) -> Any:
        return page.locator(f".review-input[data-input='{key}'] textarea")

    expect(text_of("audit_results")).to_have_value(containing(AUDIT_TITLE))
    expect(text_of("audit_results")).to_have_value(containing("Leadership to improvement"))
    expect(text_of("nonconformities")).to_have_value(containing("1 finding raised, 1 closed"))
    for key in ("previous_actions", "process_performance", "resources"):
        expect(text_of(key)).not_to_have_value("")
    for key, sentence in WRITTEN_INPUTS.items():
        expect(text_of(key)).to_have_value("")
        text_of(key).fill(sentence)
    page.get_by_role("button", name="Save the minutes").click()
    expect(page.locator("#missing-inputs")).to_have_count(0)
    expect(page.locator("#missing-outputs")).to_be_visible()

    for category, (kind, text, owner) in OUTPUTS.items():
        section = page.locator(f"#output-{category}")
        section.get_by_text("Add a decision or action").click()
        section.get_by_label("Kind").select_option(kind)
        if owner:
            section.get_by_label("Owner").fill(owner)
            section.get_by_label("Due").fill((today + timedelta(days=30)).isoformat())
        section.get_by_label("Decision or action").fill(text)
        section.get_by_role("button", name="Add").click()
        expect(page.locator(f"#output-{category} [data-output-id]")).to_contain_text(text)
    expect(page.locator("#review-complete")).to_be_visible()


def test_audit_a_section_close_its_major_and_hold_the_review(
    page: Page, live_server: str, live_app: Any
) -> None:
    project_id = make_project(live_app)
    project_url = f"{live_server}/projects/{project_id}"
    log_in(page, live_server, LEAD, watch_csp=True)

    # The programme: section 4 not yet covered; plan its audit, start it, answer the checklist.
    plan_the_audit(page, project_url)
    page.get_by_role("button", name="Start the audit").click()
    expect(page.locator("#audit-status [data-audit-status]")).to_have_attribute(
        "data-audit-status", "in_progress"
    )
    lines = answer_the_checklist(page)
    no_csp_violations(page)

    # The report raises the major as a finding.
    page.goto(f"{project_url}/audits")
    page.get_by_role("link", name=AUDIT_TITLE).first.click()
    expect(page.locator("#checklist-progress")).to_have_text(f"{lines} of {lines} lines answered.")
    report = page.locator("#step-report")
    report.get_by_label("Report date").fill(date.today().isoformat())
    report.get_by_label("Conclusion").fill(
        "The context and scope are understood, but the scope statement does not justify its exclusions."
    )
    report.get_by_role("button", name="Report the audit").click()
    expect(page.get_by_text("1 finding added to the nonconformity register")).to_be_visible()
    expect(page.locator("#audit-status [data-audit-status]")).to_have_attribute(
        "data-audit-status", "reported"
    )
    finding = page.locator("#audit-findings li[data-finding-id]")
    expect(finding).to_have_count(1)
    expect(finding).to_contain_text(f"major, {MAJOR_CLAUSE}")

    # Every section is now covered, but the stage waits for the major to close.
    page.goto(f"{project_url}/audits")
    expect(page.locator("#audit-coverage tr[data-covered='no']")).to_have_count(0)
    page.goto(f"{project_url}/stages/internal_audit")
    expect(page.locator("#exit-criteria li[data-met='no']")).to_have_count(1)
    expect(page.locator("#exit-criteria li[data-met='no']")).to_contain_text("1 major finding")
    no_csp_violations(page)

    # The major: root cause, action, implementation, a passed check, closed.
    page.goto(f"{project_url}/audits")
    page.get_by_role("link", name=AUDIT_TITLE).first.click()
    page.locator("#audit-findings .finding-label").click()
    expect(page.locator("#finding-description")).to_have_text(MAJOR_NOTES)
    expect(page.locator("#finding-status [data-severity]")).to_have_attribute("data-severity", "major")
    take_the_major_to_closed(page)
    no_csp_violations(page)
    every_criterion_met(page, project_url, "internal_audit")
    no_csp_violations(page)

    # The management review, after the report: inputs written in and completed, an output for each.
    record_the_review(page, project_url)
    no_csp_violations(page)
    every_criterion_met(page, project_url, "management_review")
    no_csp_violations(page)
