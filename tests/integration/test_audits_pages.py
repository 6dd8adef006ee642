"""The internal audit pages: the programme and its coverage, planning and editing an audit (scope, team,
independence), the audit page's flags and steps, the checklist (one line at a time or all at once, stale
copies, evidence), the findings a report raises, the printable report; who may do what, another
workspace's audits, and query counts that do not grow."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.domain import audits as rules
from app.extensions import db
from app.models import Assessment, AuditLine, Clause, Finding, InternalAudit, audit_line_evidence
from tests import audit_samples as samples
from tests.evidence_samples import add_note
from tests.html import field_errors, form_values
from tests.integration.evidence_support import user_as
from tests.integration.test_unique_ids import check as unique_ids
from tests.querycount import count_queries
from tests.training_samples import add_person

TODAY = date.today()
NOTES = "The calibration record of scale 3 was missing from the file."
SUMMARY = "The system in scope works as planned, with one minor finding."


# Helpers


def url(project: Any, *parts: Any) -> str:
    return "/".join([f"/projects/{project.id}/audits", *(str(p) for p in parts)])


def plan_form(lead: Any, **fields: Any) -> dict[str, Any]:
    return {
        "title": "Context and production",
        "planned_start": (TODAY + timedelta(days=7)).isoformat(),
        "planned_end": (TODAY + timedelta(days=8)).isoformat(),
        "scope": "4, 8.5.1",
        "departments": "Production, Warehouse",
        "lead_auditor_id": str(lead.id),
        "independence_reason": "",
        "notes": "",
    } | fields


def audits_saved() -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(InternalAudit)).scalar_one()


def reload(audit_id: int) -> InternalAudit:
    db.session.expire_all()
    found = db.session.get(InternalAudit, audit_id)
    assert found is not None
    return found


def numbers(audit: InternalAudit) -> list[str]:
    return [line.clause.number for line in audit.lines]


def requirements_under(project: Any, *prefixes: str) -> list[str]:
    rows = db.session.execute(
        select(Clause.number)
        .where(Clause.standard_id == project.standard_id, Clause.is_leaf, Clause.is_requirement)
        .order_by(Clause.position)
    ).scalars()
    return [n for n in rows if rules.in_scope(n, prefixes)]


def mark_not_applicable(project: Any, number: str) -> None:
    assessment = db.session.execute(
        select(Assessment)
        .join(Clause, Clause.id == Assessment.clause_id)
        .where(Assessment.project_id == project.id, Clause.number == number)
    ).scalar_one()
    assessment.status = "not_applicable"
    db.session.commit()


def step(http: FlaskClient, project: Any, audit: InternalAudit, name: str, **fields: str) -> Any:
    """Post a step's form as the audit page shows it, plus ``fields``."""
    page = http.get(url(project, audit.id))
    values = form_values(page, f"{name}-version") | {f"{name}-{k}": v for k, v in fields.items()}
    return http.post(url(project, audit.id, name), data=values)


def line_fields(
    line: AuditLine, result: str, notes: str = "", evidence: tuple[int, ...] = ()
) -> dict[str, Any]:
    prefix = f"line-{line.id}"
    return {
        f"{prefix}-result": result,
        f"{prefix}-notes": notes,
        f"{prefix}-evidence": [str(i) for i in evidence],
        f"{prefix}-version": str(line.version),
    }


def save_line(http: FlaskClient, project: Any, audit: InternalAudit, line: AuditLine, *args: Any) -> Any:
    return http.post(url(project, audit.id, "lines", line.id), data=line_fields(line, *args))


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def lan(tree: dict[str, Any]) -> Any:
    """A qualified auditor of the Quality department."""
    return samples.qualified_auditors(tree["project"], ["Tran Thi Lan"])[0]


@pytest.fixture
def started(tree: dict[str, Any], lan: Any) -> InternalAudit:
    """An audit of 4.1 and 4.2 in progress."""
    audit = samples.plan(tree["project"], lan, ("4.1", "4.2"), start=TODAY - timedelta(days=2))
    samples.start(tree["project"], audit, TODAY - timedelta(days=2))
    return reload(audit.id)


# The programme


def test_an_empty_programme_points_to_planning_the_first_audit(client, owner, tree):
    html = client.get(url(tree["project"])).get_data(as_text=True)
    assert 'id="audits-empty"' in html and 'id="plan-audit"' in html
    coverage = html.split('id="audit-coverage"')[1]
    assert coverage.count("Not yet covered in the cycle") == 7  # ISO 9001: sections 4 to 10


def test_the_programme_lists_each_audit_and_the_coverage_of_the_cycle(client, owner, tree, lan):
    project = tree["project"]
    reported = samples.reported_audit(project, ("4", "5.1"), {"4.1": "minor"}, lead=lan, title="Context")
    planned = samples.plan(project, lan, ("6", "7.1"), title="Planning and resources")
    html = client.get(url(project)).get_data(as_text=True)
    rows = {
        int(m.group(1)): m.group(2) for m in re.finditer(r'<tr data-audit-id="(\d+)"(.*?)</tr>', html, re.S)
    }
    assert 'data-status="reported"' in rows[reported.id] and ">Reported<" in rows[reported.id]
    assert text(rows[reported.id]).endswith("Tran Thi Lan 4, 5 1")  # lead, sections, findings
    assert f"reported {TODAY - timedelta(days=1):%d %b %Y}" in text(rows[reported.id])
    assert ">Planned<" in rows[planned.id] and text(rows[planned.id]).endswith("Tran Thi Lan 6, 7 0")
    coverage = {m.group(1): m.group(0) for m in re.finditer(r'<tr data-section="(\d+)".*?</tr>', html, re.S)}
    assert list(coverage) == ["4", "5", "6", "7", "8", "9", "10"]
    assert 'data-covered="yes"' in coverage["4"] and url(project, reported.id) in coverage["4"]
    assert "Not yet covered in the cycle" in coverage["6"] and url(project, planned.id) in coverage["6"]
    assert "Not yet covered in the cycle" in coverage["9"] and "—" in coverage["9"]


def test_an_audit_reported_more_than_twelve_months_ago_covers_nothing_now(client, owner, tree, lan):
    project = tree["project"]
    samples.reported_audit(project, ("4",), lead=lan, days_ago=400)
    html = client.get(url(project)).get_data(as_text=True)
    section = re.search(r'<tr data-section="4".*?</tr>', html, re.S)
    assert section and 'data-covered="no"' in section.group(0)


def test_a_section_whose_every_requirement_is_not_applicable_leaves_the_coverage(client, owner, tree):
    project = tree["project"]
    for number in requirements_under(project, "10"):
        mark_not_applicable(project, number)
    html = client.get(url(project)).get_data(as_text=True)
    assert 'data-section="9"' in html and 'data-section="10"' not in html


# Planning an audit


def test_planning_an_audit_makes_one_checklist_line_per_applicable_requirement_in_scope(
    client, owner, tree, lan
):
    project = tree["project"]
    minh = add_person(tree["site"], "Le Van Minh", department="Purchasing")
    mark_not_applicable(project, "8.5.1")
    response = client.post(url(project, "new"), data=plan_form(lan, scope="4, 8.5", team=[str(minh.id)]))
    assert response.status_code == 303
    audit = db.session.execute(select(InternalAudit)).scalar_one()
    assert response.headers["Location"].endswith(url(project, audit.id))
    assert (audit.status, audit.lead_auditor_id, [p.id for p in audit.team]) == ("planned", lan.id, [minh.id])
    assert [c.number for c in audit.scope] == ["4", "8.5"]
    expected = [n for n in requirements_under(project, "4", "8.5") if n != "8.5.1"]
    assert numbers(audit) == expected and "8.5.2" in expected
    assert [line.position for line in audit.lines] == list(range(len(expected)))
    first = audit.lines[0]
    assert first.prompt.startswith("Look for: SWOT or PESTLE sheet; issues register")
    assert {line.result for line in audit.lines} == {"not_checked"}
    page = client.get(url(project, audit.id)).get_data(as_text=True)
    assert f"0 of {len(expected)} lines answered." in page


def test_a_lines_prompt_is_the_clauses_summary_when_the_catalog_gives_no_examples(client, owner, tree, lan):
    project = tree["project"]
    clause = db.session.execute(
        select(Clause).where(
            Clause.standard_id == project.standard_id,
            Clause.is_leaf,
            Clause.is_requirement,
            Clause.number.like("8.%"),
        )
    ).scalars()
    bare = next(c for c in clause if not c.evidence_examples)
    audit = samples.plan(project, lan, (bare.number,))
    assert [(line.clause.number, line.prompt) for line in reload(audit.id).lines] == [
        (bare.number, bare.summary)
    ]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"scope": "4, 99"}, "scope", "ISO 9001:2015 has no clause 99."),
        ({"scope": ""}, "scope", "Choose the clauses (or whole sections) the audit covers."),
        ({"scope": "1"}, "scope", "ISO 9001:2015 sets no requirement to audit under 1"),
        (
            {"planned_end": (TODAY + timedelta(days=6)).isoformat()},
            "planned_end",
            "cannot end before it starts",
        ),
        ({"planned_start": ""}, "planned_start", "Give the day the audit starts."),
        ({"title": ""}, "title", "Give the audit a title"),
        ({"departments": " , "}, "departments", "Name the departments"),
        ({"lead_auditor_id": ""}, "lead_auditor_id", "Choose the lead auditor."),
        ({"lead_auditor_id": "abc"}, "lead_auditor_id", "Choose someone on the staff list of"),
    ],
)
def test_a_plan_that_breaks_a_rule_is_refused_beside_the_field_and_keeps_what_was_typed(
    client, owner, tree, lan, change, field, message
):
    response = client.post(url(tree["project"], "new"), data=plan_form(lan, **change))
    assert response.status_code == 422
    assert any(message in error for error in field_errors(response, field)), field_errors(response, field)
    assert form_values(response, "title")["title"] == plan_form(lan, **change)["title"]
    assert audits_saved() == 0


def test_auditors_of_another_site_or_workspace_or_who_left_are_refused(client, owner, make, tree, lan):
    project = tree["project"]
    other_site = add_person(make.site(tree["client"]), "Other Site Person", department="Quality")
    stranger = add_person(make.tree()["site"], "Stranger", department="Quality")
    leaver = add_person(tree["site"], "Gone", department="Quality", left_on=TODAY - timedelta(days=1))
    for person in (other_site, stranger, leaver):
        team = client.post(url(project, "new"), data=plan_form(lan, team=[str(person.id)]))
        assert team.status_code == 422
        assert field_errors(team, "team") == [
            f"Choose auditors on the staff list of {tree['site'].name} who still work there."
        ]
        assert person.name not in " ".join(field_errors(team, "team"))
        lead = client.post(url(project, "new"), data=plan_form(person))
        assert lead.status_code == 422
        assert field_errors(lead, "lead_auditor_id")[0].startswith("Choose someone on the staff list of")
    assert audits_saved() == 0


def test_an_auditor_of_a_department_visited_is_refused_at_a_site_of_more_than_fifteen(
    client, owner, tree, lan
):
    minh = add_person(tree["site"], "Le Van Minh", department="Production")
    response = client.post(url(tree["project"], "new"), data=plan_form(lan, team=[str(minh.id)]))
    assert response.status_code == 422
    assert "Le Van Minh works in Production" in field_errors(response, "team")[0]
    assert audits_saved() == 0


def test_at_a_small_site_it_is_allowed_with_the_reason_recorded_and_flagged(client, owner, tree, lan):
    tree["site"].employee_count = 12
    db.session.commit()
    project = tree["project"]
    form = plan_form(lan, departments="Quality")
    asked = client.post(url(project, "new"), data=form)
    assert asked.status_code == 422
    assert "record why nobody independent can audit it" in field_errors(asked, "independence_reason")[0]
    reason = "Lan is the only person trained to audit, and the site has twelve people."
    assert client.post(url(project, "new"), data=form | {"independence_reason": reason}).status_code == 303
    audit = db.session.execute(select(InternalAudit)).scalar_one()
    page = client.get(url(project, audit.id)).get_data(as_text=True)
    flag = page.split('id="flag-independence"')[1].split("</div>\n</div>")[0]
    assert "Tran Thi Lan (Quality)" in flag and reason in flag
    assert 'class="badge text-bg-warning auditor-own-department"' in page


def test_an_auditor_without_a_passed_internal_auditor_training_is_flagged(client, owner, tree, lan):
    minh = add_person(tree["site"], "Le Van Minh", department="Purchasing")
    audit = samples.plan(tree["project"], lan, team=[minh])
    page = client.get(url(tree["project"], audit.id)).get_data(as_text=True)
    flag = page.split('id="flag-unqualified"')[1].split("</div>")[0]
    assert "Le Van Minh" in flag and "Tran Thi Lan" not in flag
    members = dict(re.findall(r'<li class="list-group-item" data-person-id="(\d+)">(.*?)</li>', page, re.S))
    assert "auditor-unqualified" in members[str(minh.id)] and "Auditor · Purchasing" in members[str(minh.id)]
    assert "auditor-qualified" in members[str(lan.id)] and "Lead auditor · Quality" in members[str(lan.id)]
    assert 'id="flag-independence"' not in page


# Editing the plan


def test_editing_the_scope_of_a_planned_audit_follows_it_in_the_checklist(client, owner, tree, lan):
    project = tree["project"]
    audit = samples.plan(project, lan, ("4",))
    form = form_values(client.get(url(project, audit.id, "edit")), "title")
    assert form["scope"] == "4" and form["lead_auditor_id"] == str(lan.id)
    kept, version = {line.clause.number: line.id for line in audit.lines}, audit.version
    response = client.post(
        url(project, audit.id, "edit"), data=form | {"scope": "4.1, 7.1.5", "title": "Renamed"}
    )
    assert response.status_code == 303
    saved = reload(audit.id)
    assert saved.title == "Renamed" and saved.version == version + 1
    assert numbers(saved) == ["4.1", *requirements_under(project, "7.1.5")]
    assert saved.lines[0].id == kept["4.1"]  # the line already there is kept
    assert db.session.execute(select(func.count()).select_from(AuditLine)).scalar_one() == len(saved.lines)


def test_a_stale_edit_is_refused_with_the_saved_values_and_what_was_typed(client, owner, tree, lan):
    project = tree["project"]
    audit = samples.plan(project, lan, ("4",), title="First title")
    form = form_values(client.get(url(project, audit.id, "edit")), "title")
    saved = reload(audit.id)
    saved.title = "Saved by someone else"
    db.session.commit()
    response = client.post(url(project, audit.id, "edit"), data=form | {"title": "Mine"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Someone else saved this audit while you were editing it." in html
    assert form_values(response, "title")["title"] == "Saved by someone else"
    assert 'data-field="title"' in html and "Mine" in html
    assert 'data-field="lead_auditor_id"' not in html and 'data-field="scope"' not in html  # unchanged
    assert reload(audit.id).title == "Saved by someone else"


def test_only_a_planned_audit_is_edited(client, owner, tree, started):
    project = tree["project"]
    assert client.get(url(project, started.id, "edit")).status_code == 409
    form = {"title": "x", "version": str(started.version)}
    response = client.post(url(project, started.id, "edit"), data=form)
    assert response.status_code == 409
    html = unescape(response.get_data(as_text=True))
    assert "Only a planned audit's plan changes; this audit is in progress." in html
    assert 'id="edit-audit"' not in client.get(url(project, started.id)).get_data(as_text=True)


# The steps and the checklist


def test_an_audit_goes_through_its_steps_and_its_report_raises_the_findings(client, owner, tree, lan):
    project = tree["project"]
    evidence = add_note(project, clause="4.1", title="SWOT sheet 2026")
    audit = samples.plan(project, lan, ("4.1", "4.2"), start=TODAY - timedelta(days=1))
    started = step(client, project, audit, "start")
    assert started.status_code == 303
    audit = reload(audit.id)
    assert (audit.status, audit.started_on) == ("in_progress", TODAY)
    first, second = audit.lines
    checklist = client.get(url(project, audit.id, "checklist")).get_data(as_text=True)
    assert f'<option value="{evidence.id}">SWOT sheet 2026</option>' in checklist
    saved = save_line(client, project, audit, first, "minor", NOTES, (evidence.id,))
    assert saved.status_code == 303 and saved.headers["Location"].endswith(f"/checklist#line-{first.id}")
    assert (reload(audit.id).lines[0].result, reload(audit.id).lines[0].notes) == ("minor", NOTES)
    unanswered = step(client, project, audit, "report", reported_on=TODAY.isoformat(), summary=SUMMARY)
    assert unanswered.status_code == 422
    assert "1 checklist line not answered yet: answer each first." in unanswered.get_data(as_text=True)
    assert save_line(client, project, reload(audit.id), second, "conforming").status_code == 303
    reported = step(client, project, audit, "report", reported_on=TODAY.isoformat(), summary=SUMMARY)
    assert reported.status_code == 303
    audit = reload(audit.id)
    assert (audit.status, audit.reported_on, audit.summary) == ("reported", TODAY, SUMMARY)
    finding = db.session.execute(select(Finding)).scalar_one()
    assert (finding.source, finding.audit_id, finding.audit_line_id) == ("internal_audit", audit.id, first.id)
    assert (finding.clause_number, finding.severity, finding.status) == ("4.1", "minor", "open")
    assert (finding.description, finding.raised_on) == (NOTES, TODAY)
    page = client.get(url(project, audit.id)).get_data(as_text=True)
    href = f"/projects/{project.id}/findings/{finding.id}"
    link = f'<a class="finding-label" href="{href}">Finding {finding.id} (minor, 4.1)</a>'
    assert link in page
    assert "The audit closes once every finding it raised is closed: 1 still open." in page
    refused = step(client, project, audit, "close")
    assert refused.status_code == 422
    assert f"1 finding of this audit still open (Finding {finding.id} (minor, 4.1))" in refused.get_data(
        as_text=True
    )
    finding.status = "closed"
    db.session.commit()
    assert step(client, project, audit, "close").status_code == 303
    assert (reload(audit.id).status, reload(audit.id).closed_on) == ("closed", TODAY)


def test_a_step_out_of_order_is_refused_naming_the_rule(client, owner, tree, lan):
    project = tree["project"]
    audit = samples.plan(project, lan, ("4.1",))
    response = client.post(url(project, audit.id, "report"), data={"report-version": str(audit.version)})
    assert response.status_code == 422
    assert (
        "Only an audit in progress is reported: start it and answer its checklist first; "
        "this audit is planned." in response.get_data(as_text=True)
    )
    assert client.post(url(project, audit.id, "close"), data={"close-version": "1"}).status_code == 422
    assert client.post(url(project, audit.id, "finish"), data={}).status_code == 404
    assert reload(audit.id).status == "planned"


def test_a_step_from_a_stale_page_is_refused(client, owner, tree, lan):
    project = tree["project"]
    audit = samples.plan(project, lan, ("4.1",))
    response = client.post(url(project, audit.id, "start"), data={"start-version": str(audit.version + 1)})
    assert response.status_code == 409
    assert reload(audit.id).status == "planned"


def test_a_report_in_the_future_or_without_a_conclusion_is_refused_beside_its_field(
    client, owner, tree, started
):
    project = tree["project"]
    samples.answer(project, started)
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    response = step(client, project, started, "report", reported_on=tomorrow, summary="ok")
    assert response.status_code == 422
    assert field_errors(response, "report-reported_on") == ["The report date is in the future."]
    assert field_errors(response, "report-summary")[0].startswith(
        "Write the report's conclusion in a real sentence"
    )
    assert reload(started.id).status == "in_progress"


def test_a_nonconforming_line_without_a_description_is_refused_beside_its_notes(client, owner, tree, started):
    project = tree["project"]
    line = started.lines[0]
    response = save_line(client, project, started, line, "major", "missing")
    assert response.status_code == 422
    assert field_errors(response, f"line-{line.id}-notes")[0].startswith(
        "A major nonconformity needs what was found"
    )
    assert form_values(response, f"line-{line.id}-notes")[f"line-{line.id}-notes"] == "missing"
    assert reload(started.id).lines[0].result == "not_checked"


def test_a_stale_line_is_refused_with_its_saved_values(client, owner, tree, started):
    project = tree["project"]
    line = started.lines[0]
    posted = line_fields(line, "minor", NOTES)
    samples.answer(
        project, started, {line.clause.number: "observation"}, notes="Someone else saw this first."
    )
    response = client.post(url(project, started.id, "lines", line.id), data=posted)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    notice = html.split(f'id="stale-notice-{line.id}"')[1].split("</dl>")[0]
    assert "Someone else saved this checklist line while you were editing it." in notice
    assert NOTES in notice and "Someone else saw this first." in notice
    assert form_values(response, f"line-{line.id}-result")[f"line-{line.id}-result"] == "observation"
    assert reload(started.id).lines[0].result == "observation"


def test_saving_the_whole_checklist_saves_every_changed_line_or_none(client, owner, tree, started):
    project = tree["project"]
    first, second = started.lines
    page = client.get(url(project, started.id, "checklist"))
    values = form_values(page, f"line-{first.id}-result")
    good = values | {f"line-{first.id}-result": "conforming", f"line-{second.id}-result": "minor"}
    refused = client.post(url(project, started.id, "checklist"), data=good)
    assert refused.status_code == 422
    assert "Nothing was saved" in refused.get_data(as_text=True)
    assert field_errors(refused, f"line-{second.id}-notes")
    assert [line.result for line in reload(started.id).lines] == ["not_checked", "not_checked"]
    saved = client.post(url(project, started.id, "checklist"), data=good | {f"line-{second.id}-notes": NOTES})
    assert saved.status_code == 303
    assert [(line.result, line.version) for line in reload(started.id).lines] == [
        ("conforming", 2),
        ("minor", 2),
    ]
    again = client.post(
        url(project, started.id, "checklist"),
        data=form_values(client.get(url(project, started.id, "checklist")), f"line-{first.id}-result"),
    )
    assert again.status_code == 303
    assert [line.version for line in reload(started.id).lines] == [2, 2]  # nothing changed, nothing saved


def test_a_line_links_evidence_of_its_project_only(client, owner, make, tree, started):
    project = tree["project"]
    line = started.lines[0]
    mine = add_note(project, clause="8.5.1", title="Batch record 12")
    theirs = add_note(make.tree()["project"], clause="4.1", title="Not mine")
    refused = save_line(client, project, started, line, "conforming", "", (theirs.id,))
    assert refused.status_code == 422
    assert field_errors(refused, f"line-{line.id}-evidence") == [
        "Choose evidence of this project (evidence in the bin cannot be linked)."
    ]
    assert save_line(client, project, started, line, "conforming", "", (mine.id,)).status_code == 303
    links = db.session.execute(select(audit_line_evidence.c.evidence_id)).scalars().all()
    assert links == [mine.id]
    checklist = client.get(url(project, started.id, "checklist")).get_data(as_text=True)
    assert f'<option selected value="{mine.id}">Batch record 12</option>' in checklist
    report = client.get(url(project, started.id, "report")).get_data(as_text=True)
    assert "Batch record 12" in report


def test_the_checklist_is_answered_only_while_the_audit_is_in_progress(client, owner, tree, lan):
    project = tree["project"]
    audit = samples.plan(project, lan, ("4.1",))
    line = audit.lines[0]
    response = save_line(client, project, audit, line, "conforming")
    assert response.status_code == 422
    assert (
        "The checklist is answered while the audit is in progress; this audit is planned."
        in response.get_data(as_text=True)
    )
    whole = client.post(url(project, audit.id, "checklist"), data=line_fields(line, "conforming"))
    assert whole.status_code == 422
    page = client.get(url(project, audit.id, "checklist")).get_data(as_text=True)
    assert 'id="checklist-form"' not in page and 'id="checklist-closed"' in page
    assert reload(audit.id).lines[0].result == "not_checked"


# The report


def test_the_report_shows_scope_team_dates_results_findings_and_conclusion_to_print(client, owner, tree, lan):
    project = tree["project"]
    audit = samples.reported_audit(project, ("4.1", "4.2"), {"4.2": "major"}, lead=lan, title="Context audit")
    finding = db.session.execute(select(Finding)).scalar_one()
    html = client.get(url(project, audit.id, "report")).get_data(as_text=True)
    assert 'href="/static/css/print.css"' in html
    assert "Internal audit report: Context audit" in html
    assert "4.1 Understanding the organization and its context; 4.2" in html
    assert "Tran Thi Lan (lead auditor, Quality)" in text(html)
    rows = dict(re.findall(r'<tr data-clause="([\d.]+)" data-result="(\w+)">', html))
    assert rows == {"4.1": "conforming", "4.2": "major"}
    assert f"Finding {finding.id} (major, 4.2)" in html and samples.NOTES in html
    assert audit.summary in html and f"{audit.reported_on:%d %b %Y}" in html


def test_the_print_stylesheet_hides_the_navigation_and_buttons(app):
    css = Path(app.static_folder or "", "css", "print.css").read_text(encoding="utf-8")
    assert "@media print" in css and ".navbar" in css and ".no-print" in css


# Who may do what


def test_a_viewer_sees_every_page_but_changes_nothing(app, make, tree, lan, started):
    project = tree["project"]
    viewer, _ = user_as(app, make, tree, "viewer")
    for page in (
        url(project),
        url(project, started.id),
        url(project, started.id, "checklist"),
        url(project, started.id, "report"),
    ):
        response = viewer.get(page)
        assert response.status_code == 200, page
        assert 'id="plan-audit"' not in response.get_data(as_text=True)
        assert 'id="checklist-form"' not in response.get_data(as_text=True)
    assert 'id="step-report"' not in viewer.get(url(project, started.id)).get_data(as_text=True)
    line = started.lines[0]
    refused = [
        viewer.get(url(project, "new")),
        viewer.post(url(project, "new"), data=plan_form(lan)),
        viewer.post(url(project, started.id, "edit"), data=plan_form(lan)),
        viewer.post(url(project, started.id, "report"), data={}),
        viewer.post(url(project, started.id, "checklist"), data=line_fields(line, "conforming")),
        viewer.post(url(project, started.id, "lines", line.id), data=line_fields(line, "conforming")),
    ]
    assert [r.status_code for r in refused] == [403] * 6
    assert audits_saved() == 1 and reload(started.id).lines[0].result == "not_checked"


def test_a_contributor_may_plan_and_answer(app, make, tree, lan, started):
    contributor, _ = user_as(app, make, tree, "contributor")
    assert contributor.post(url(tree["project"], "new"), data=plan_form(lan)).status_code == 303
    assert save_line(contributor, tree["project"], started, started.lines[0], "conforming").status_code == 303


def test_another_workspaces_audit_and_line_are_not_found(client, owner, make, tree):
    theirs = make.tree()
    project = theirs["project"]
    auditor = samples.qualified_auditors(project, ["Their auditor"])[0]
    audit = samples.plan(project, auditor, ("4.1",))
    line = audit.lines[0]
    mine = tree["project"]
    for path in ("", "/edit", "/checklist", "/report"):
        assert client.get(f"{url(mine, audit.id)}{path}").status_code == 404
        assert client.get(f"{url(project, audit.id)}{path}").status_code == 404
    assert client.post(url(mine, audit.id, "start"), data={}).status_code == 404
    assert (
        client.post(url(mine, audit.id, "lines", line.id), data=line_fields(line, "conforming")).status_code
        == 404
    )
    assert reload(audit.id).status == "planned"


def test_a_line_of_another_audit_is_not_found(client, owner, tree, lan, started):
    other = samples.plan(tree["project"], lan, ("4.1",))
    response = client.post(url(tree["project"], started.id, "lines", other.lines[0].id), data={})
    assert response.status_code == 404


# Pages that stay correct and cheap


def test_ids_are_unique_and_labels_point_at_their_controls(app, client, owner, tree, started):
    app.config["WTF_CSRF_ENABLED"] = True
    project = tree["project"]
    for page in ("", "/checklist", "/report", "/edit"):
        response = client.get(f"{url(project, started.id)}{page}")
        if page == "/edit":
            assert response.status_code == 409
            continue
        assert response.status_code == 200
        unique_ids(response.get_data(as_text=True))
    unique_ids(client.get(url(project, "new")).get_data(as_text=True))


def programme_of(make: Any, audits: int) -> dict[str, Any]:
    tree = make.tree()
    project = tree["project"]
    lead = samples.qualified_auditors(project, ["Lead auditor"])[0]
    for index in range(audits):
        section = str(4 + index % 7)
        if index % 2:
            samples.reported_audit(project, (section,), {}, lead=lead, title=f"Audit {index}")
        else:
            samples.plan(project, lead, (section,), title=f"Audit {index}", team=[])
    return tree


def test_the_programme_page_runs_the_same_queries_for_two_and_eight_audits(app, make):
    counted = []
    for size in (2, 8):
        tree = programme_of(make, size)
        http, _ = user_as(app, make, tree, "owner")
        address = url(tree["project"])
        http.get(address)
        with count_queries() as queries:
            response = http.get(address)
        assert response.status_code == 200
        counted.append(len(queries))
        assert len(re.findall(r"<tr data-audit-id=", response.get_data(as_text=True))) == size
    assert counted[0] == counted[1]


def test_the_report_page_runs_the_same_queries_for_a_short_and_a_long_checklist(client, owner, tree, lan):
    project = tree["project"]
    short = samples.reported_audit(project, ("4.1",), {"4.1": "minor"}, lead=lan)
    long = samples.reported_audit(project, ("4", "7", "8"), {"7.1.5.1": "major", "8.5.1": "minor"}, lead=lan)
    for audit in (short, long):
        for line in audit.lines[:3]:
            db.session.execute(
                audit_line_evidence.insert().values(line_id=line.id, evidence_id=add_note(project).id)
            )
        db.session.commit()
    counted = []
    for audit_id in (short.id, long.id):
        address = url(project, audit_id, "report")
        client.get(address)
        with count_queries() as queries:
            response = client.get(address)
        assert response.status_code == 200
        counted.append(len(queries))
    assert counted[0] == counted[1]
