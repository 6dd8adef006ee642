"""The customer complaint pages: recording a complaint, its investigation, closing it, the ISO 13485
reportability decision, linking or raising a nonconformity, its history and evidence; the list with its
filters, order and pages; refusals beside their fields, stale saves 409, foreign ids 404, viewers 403; and
the register's state."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.models import Complaint, Finding, RegisterEvent
from app.services import complaints as service
from tests.html import field_errors, form_values
from tests.integration.complaints_support import (
    CLOSURE,
    DESCRIPTION,
    INVESTIGATION,
    REASON,
    TODAY,
    add_complaint,
)
from tests.integration.evidence_support import user_as
from tests.integration.finding_support import add_finding
from tests.integration.test_api import bearer, token_for
from tests.integration.test_unique_ids import check as check_ids
from tests.querycount import count_queries


def url(project: Any, *parts: Any, query: str = "") -> str:
    address = "/".join([f"/projects/{project.id}/complaints", *(str(p) for p in parts)])
    return f"{address}?{query}" if query else address


def count(model: Any) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def reload(complaint_id: int) -> Complaint:
    db.session.expire_all()
    found = db.session.get(Complaint, complaint_id)
    assert found is not None
    return found


def history(complaint_id: int) -> list[str]:
    rows = select(RegisterEvent.summary).where(
        RegisterEvent.register == "complaint", RegisterEvent.record_id == complaint_id
    )
    return list(db.session.execute(rows.order_by(RegisterEvent.id)).scalars())


@pytest.fixture
def http(app: Any, make: Any, tree: dict[str, Any]) -> FlaskClient:
    return user_as(app, make, tree, "contributor")[0]


@pytest.fixture
def medical(make: Any) -> dict[str, Any]:
    return make.tree(code="iso13485")


@pytest.fixture
def med_http(app: Any, make: Any, medical: dict[str, Any]) -> FlaskClient:
    return user_as(app, make, medical, "contributor")[0]


def received(**fields: str) -> dict[str, str]:
    return {
        "received_on": (TODAY - timedelta(days=2)).isoformat(),
        "customer": "Thai Union",
        "product": "Sugar sachet 5 g",
        "description": DESCRIPTION,
        "investigation": "",
    } | fields


def edited(complaint: Complaint, **fields: str) -> dict[str, str]:
    return (
        received(
            received_on=complaint.received_on.isoformat(),
            customer=complaint.customer,
            product=complaint.product,
            version=str(complaint.version),
        )
        | fields
    )


def closing(complaint: Complaint, **fields: str) -> dict[str, str]:
    values = {"closed_on": TODAY.isoformat(), "closure": CLOSURE, "version": str(complaint.version)} | fields
    return {f"close-{name}": value for name, value in values.items()}


def deciding(complaint: Complaint, **fields: str) -> dict[str, str]:
    values = {"reportable": "no", "reportability_reason": REASON, "version": str(complaint.version)} | fields
    return {f"report-{name}": value for name, value in values.items()}


# Recording


def test_a_complaint_is_recorded_investigated_and_closed_with_its_history(http, tree):
    project = tree["project"]
    response = http.post(url(project, "new"), data=received())
    assert response.status_code == 303
    complaint = db.session.execute(select(Complaint)).scalar_one()
    assert response.headers["Location"].endswith(url(project, complaint.id))
    page = http.get(url(project, complaint.id))
    assert page.status_code == 200 and 'data-complaint-state="received"' in page.text
    assert f"/projects/{project.id}/registers" in page.text  # the breadcrumb back to the registers
    assert 'id="evidence-heading"' in page.text and 'id="history-heading"' in page.text
    assert 'id="report-form"' not in page.text  # ISO 9001: no reportability decision

    saved = http.post(url(project, complaint.id), data=edited(complaint, investigation=INVESTIGATION))
    assert saved.status_code == 303 and saved.headers["Location"].endswith("#details-section")
    complaint = reload(complaint.id)
    assert service.row_of(complaint, TODAY).state == "investigating" and complaint.version == 2
    closed = http.post(url(project, complaint.id, "close"), data=closing(complaint))
    assert closed.status_code == 303
    page = http.get(url(project, complaint.id))
    assert 'data-complaint-state="closed"' in page.text and CLOSURE in page.text
    assert 'id="close-form"' not in page.text
    assert history(complaint.id) == [
        f"Received on {service.day_text(TODAY - timedelta(days=2))} from Thai Union about Sugar sachet 5 g.",
        "Investigation recorded.",
        f"Closed on {service.day_text(TODAY)}: {CLOSURE}",
    ]
    assert "Investigation recorded." in page.text


NEW_REFUSALS = [
    (
        {"received_on": (TODAY + timedelta(days=1)).isoformat()},
        "received_on",
        "the date is in the future",
    ),
    ({"received_on": ""}, "received_on", "Give the date the complaint was received."),
    ({"customer": ""}, "customer", "Name the customer"),
    ({"description": " "}, "description", "Describe the complaint"),
    ({"investigation": "n/a"}, "investigation", "a real sentence"),
    ({"product": "p" * 161}, "product", "at most 160 characters"),
]


def test_a_complaint_that_breaks_a_rule_is_refused_beside_its_field(http, tree):
    for fields, field, message in NEW_REFUSALS:
        response = http.post(url(tree["project"], "new"), data=received(**fields))
        assert response.status_code == 422, fields
        assert any(message in error for error in field_errors(response, field)), fields
        assert form_values(response, "customer")["customer"] == received(**fields)["customer"]
    assert count(Complaint) == 0


CLOSE_REFUSALS = [
    (False, {}, None, "closes only once investigated"),
    (True, {"closure": "done"}, "close-closure", "a real sentence"),
    (True, {"closure": ""}, "close-closure", "Write how the complaint was closed"),
    (
        True,
        {"closed_on": (TODAY - timedelta(days=30)).isoformat()},
        "close-closed_on",
        "before it was received",
    ),
    (True, {"closed_on": (TODAY + timedelta(days=1)).isoformat()}, "close-closed_on", "in the future"),
    (True, {"closed_on": ""}, "close-closed_on", "Give the date the complaint was closed."),
]


def test_closing_that_breaks_a_rule_is_refused(http, tree):
    project = tree["project"]
    complaints = {False: add_complaint(project), True: add_complaint(project, investigation=INVESTIGATION)}
    for investigated, fields, field, message in CLOSE_REFUSALS:
        complaint = complaints[investigated]
        response = http.post(url(project, complaint.id, "close"), data=closing(complaint, **fields))
        assert response.status_code == 422, fields
        shown = field_errors(response, field) if field else [response.text]
        assert any(message in text for text in shown), fields
    for complaint in complaints.values():
        assert reload(complaint.id).closed_on is None and len(history(complaint.id)) == 1


def test_an_edit_keeps_a_closed_complaint_investigated(http, tree):
    project = tree["project"]
    complaint = add_complaint(project, investigation=INVESTIGATION, closed_on=TODAY, closure=CLOSURE)
    response = http.post(url(project, complaint.id), data=edited(complaint, investigation=""))
    assert response.status_code == 422
    assert any("closes only once investigated" in e for e in field_errors(response, "investigation"))
    sent = edited(complaint, investigation=INVESTIGATION, customer="Vinamilk JSC")
    assert http.post(url(project, complaint.id), data=sent).status_code == 303
    assert history(complaint.id)[-1] == "Changed the customer."


# ISO 13485: the reportability decision


def test_a_medical_complaint_closes_only_once_its_reportability_is_decided(med_http, medical):
    project = medical["project"]
    complaint = add_complaint(project, investigation=INVESTIGATION)
    page = med_http.get(url(project, complaint.id))
    assert 'id="report-form"' in page.text and 'data-reportability="undecided"' in page.text
    refused = med_http.post(url(project, complaint.id, "close"), data=closing(complaint))
    assert refused.status_code == 422 and "reported to the regulator (8.2.3) before closing" in refused.text

    decided = med_http.post(url(project, complaint.id, "reportability"), data=deciding(complaint))
    assert decided.status_code == 303 and decided.headers["Location"].endswith("#report-section")
    complaint = reload(complaint.id)
    assert complaint.reportable is False and history(complaint.id)[-1].startswith("Not reportable")
    assert med_http.post(url(project, complaint.id, "close"), data=closing(complaint)).status_code == 303
    assert reload(complaint.id).closed_on == TODAY


DECISION_REFUSALS = [
    ({"reportable": ""}, "report-reportable", "Say whether the complaint must be reported"),
    ({"reportability_reason": "no"}, "report-reportability_reason", "a real sentence"),
    ({"reportable": "yes"}, "report-authority", "Name the regulatory authority"),
    ({"reportable": "yes"}, "report-reported_on", "Give the date it was reported."),
    ({"reportable": "yes"}, "report-report_reference", "Give the report's reference"),
    (
        {"reportable": "yes", "reported_on": (TODAY - timedelta(days=20)).isoformat()},
        "report-reported_on",
        "cannot be reported before it was received",
    ),
    ({"reportable": "no", "authority": "MDA"}, "report-authority", "leave this empty"),
]


def test_a_decision_that_breaks_a_rule_is_refused_beside_its_field(med_http, medical):
    project = medical["project"]
    complaint = add_complaint(project)
    for fields, field, message in DECISION_REFUSALS:
        response = med_http.post(
            url(project, complaint.id, "reportability"), data=deciding(complaint, **fields)
        )
        assert response.status_code == 422, fields
        assert any(message in error for error in field_errors(response, field)), fields
    assert reload(complaint.id).reportable is None


def test_a_reportable_complaint_records_its_report(med_http, medical):
    project = medical["project"]
    complaint = add_complaint(project)
    report = {
        "reportable": "yes",
        "authority": "Medical Device Authority",
        "reported_on": (TODAY - timedelta(days=1)).isoformat(),
        "report_reference": "MDA-2025-0113",
    }
    sent = deciding(complaint, **report)
    assert med_http.post(url(project, complaint.id, "reportability"), data=sent).status_code == 303
    page = med_http.get(url(project, complaint.id))
    assert "MDA-2025-0113" in page.text and 'data-reportability="reportable"' in page.text
    assert "(reference MDA-2025-0113)" in history(complaint.id)[-1]


def test_an_iso_9001_complaint_takes_no_reportability_decision(http, tree):
    complaint = add_complaint(tree["project"])
    response = http.post(url(tree["project"], complaint.id, "reportability"), data=deciding(complaint))
    assert response.status_code == 422 and "ISO 13485 projects only" in response.text
    assert reload(complaint.id).reportable is None


# The nonconformity


def test_a_complaint_links_a_finding_of_its_project_and_shows_its_state(http, make, tree):
    project = tree["project"]
    complaint = add_complaint(project)
    finding = add_finding(project)
    theirs = add_finding(make.tree()["project"])
    sent = {"link-finding_id": str(theirs.id), "link-version": str(complaint.version)}
    refused = http.post(url(project, complaint.id, "finding"), data=sent)
    assert refused.status_code == 422
    assert field_errors(refused, "link-finding_id") == ["Choose a nonconformity of this project's register."]
    sent["link-finding_id"] = str(finding.id)
    assert http.post(url(project, complaint.id, "finding"), data=sent).status_code == 303
    page = http.get(url(project, complaint.id))
    assert f"/findings/{finding.id}" in page.text and 'data-state="open"' in page.text
    assert reload(complaint.id).finding_id == finding.id
    unlink = {"link-finding_id": "", "link-version": str(reload(complaint.id).version)}
    assert http.post(url(project, complaint.id, "finding"), data=unlink).status_code == 303
    assert reload(complaint.id).finding_id is None
    assert history(complaint.id)[-2:] == [
        f"Linked to Finding {finding.id} (minor, 7.1.5.1).",
        f"Unlinked from Finding {finding.id} (minor, 7.1.5.1).",
    ]


def test_a_nonconformity_is_raised_from_a_complaint_through_the_register(http, tree):
    project = tree["project"]
    complaint = add_complaint(project)
    refused = http.post(
        url(project, complaint.id, "raise-finding"),
        data={"raise-severity": "critical", "raise-description": "Wrong labels", "raise-version": "1"},
    )
    assert refused.status_code == 422 and field_errors(refused, "raise-severity")
    sent = {
        "raise-severity": "minor",
        "raise-description": "Mould on stoppers shipped.",
        "raise-version": "1",
    }
    response = http.post(url(project, complaint.id, "raise-finding"), data=sent)
    assert response.status_code == 303 and response.headers["Location"].endswith("#link-section")
    finding = db.session.execute(select(Finding)).scalar_one()
    assert (finding.source, finding.status, finding.raised_on) == ("customer_complaint", "open", TODAY)
    assert reload(complaint.id).finding_id == finding.id
    again = http.post(url(project, complaint.id, "raise-finding"), data=sent | {"raise-version": "2"})
    assert again.status_code == 422 and "already linked" in again.text
    assert count(Finding) == 1


# Stale saves, viewers, other workspaces


def test_a_stale_save_is_409_showing_what_is_saved_now(http, tree):
    project = tree["project"]
    complaint = add_complaint(project)
    complaint.customer = "Vinamilk JSC"
    db.session.commit()  # saved by someone else after the page was read at version 1
    response = http.post(url(project, complaint.id), data=edited(complaint, customer="Vina", version="1"))
    assert response.status_code == 409 and "Someone else saved this complaint" in response.text
    assert form_values(response, "customer")["customer"] == "Vinamilk JSC"
    stale = http.post(url(project, complaint.id, "close"), data=closing(complaint, version="1"))
    assert stale.status_code == 409 and reload(complaint.id).customer == "Vinamilk JSC"
    link = {"link-finding_id": "", "link-version": "1"}
    assert http.post(url(project, complaint.id, "finding"), data=link).status_code == 409


def test_a_viewer_reads_the_register_but_changes_nothing(app, make, tree):
    viewer = user_as(app, make, tree, "viewer")[0]
    project = tree["project"]
    complaint = add_complaint(project, investigation=INVESTIGATION)
    assert viewer.get(url(project)).status_code == 200
    page = viewer.get(url(project, complaint.id))
    assert page.status_code == 200 and 'id="complaint-form"' not in page.text and INVESTIGATION in page.text
    assert viewer.get(url(project, "new")).status_code == 403
    for address, data in (
        (url(project, "new"), received()),
        (url(project, complaint.id), edited(complaint)),
        (url(project, complaint.id, "close"), closing(complaint)),
        (url(project, complaint.id, "reportability"), deciding(complaint)),
        (url(project, complaint.id, "finding"), {"link-finding_id": "", "link-version": "1"}),
        (url(project, complaint.id, "raise-finding"), {"raise-severity": "minor", "raise-version": "1"}),
    ):
        assert viewer.post(address, data=data).status_code == 403, address
    assert count(Complaint) == 1 and reload(complaint.id).closed_on is None


def test_another_workspaces_complaint_is_404(http, make, tree):
    theirs = add_complaint(make.tree()["project"])
    project = tree["project"]
    assert http.get(url(project, theirs.id)).status_code == 404
    for action in ("", "close", "reportability", "finding", "raise-finding"):
        address = url(project, theirs.id, action) if action else url(project, theirs.id)
        assert http.post(address, data=closing(theirs)).status_code == 404
    assert reload(theirs.id).closed_on is None


# The list


def test_the_list_filters_and_puts_the_open_complaints_first_the_oldest_first(http, tree, monkeypatch):
    project = tree["project"]
    late = add_complaint(project, received_on=TODAY - timedelta(days=45), product="Stopper A")
    recent = add_complaint(project, received_on=TODAY - timedelta(days=3), investigation=INVESTIGATION)
    closed = add_complaint(
        project,
        received_on=TODAY - timedelta(days=60),
        investigation=INVESTIGATION,
        closed_on=TODAY,
        closure=CLOSURE,
    )
    page = http.get(url(project))
    order = [int(part.split('"')[0]) for part in page.text.split('data-complaint-id="')[1:]]
    assert order == [late.id, recent.id, closed.id]
    assert 'data-late="1"' in page.text and "Open 45 days" in page.text
    for query, expected in (
        ("state=open", [late.id, recent.id]),
        ("state=late", [late.id]),
        ("state=received", [late.id]),
        ("state=investigating", [recent.id]),
        ("state=closed", [closed.id]),
        ("product=Stopper+A", [late.id]),
    ):
        listed = http.get(url(project, query=query))
        assert [int(p.split('"')[0]) for p in listed.text.split('data-complaint-id="')[1:]] == expected, query
    unknown = http.get(url(project, query="state=lost"))
    assert unknown.status_code == 200 and "There is no state “lost”" in unknown.text
    assert unknown.text.count('data-complaint-id="') == 3
    monkeypatch.setattr("app.complaints.routes.PER_PAGE", 2)
    second = http.get(url(project, query="page=2"))
    assert second.text.count('data-complaint-id="') == 1 and "Page 2 of 2" in second.text


def test_the_list_and_the_api_run_the_same_queries_at_two_sizes(http, make, tree):
    project = tree["project"]
    add_complaint(project)
    other = make.tree(tree["workspace"])["project"]
    for index in range(6):
        add_complaint(other, customer=f"Customer {index}", investigation=INVESTIGATION if index % 2 else "")
    headers = bearer(token_for(make.user(tree["workspace"], role="owner")))
    assert http.get("/api/v1/projects", headers=headers).status_code == 200  # the token's first use noted
    pages, api = [], []
    for address, api_address in [(url(p), f"/api/v1/projects/{p.id}/complaints") for p in (project, other)]:
        with count_queries() as statements:
            assert http.get(address).status_code == 200
        pages.append(len(statements))
        with count_queries() as statements:
            listed = http.get(api_address, headers=headers)
            assert listed.status_code == 200
        api.append(len(statements))
    assert pages[0] == pages[1] and api[0] == api[1]


def test_every_id_on_the_complaint_pages_is_unique_and_every_label_has_its_control(med_http, medical):
    project = medical["project"]
    complaint = add_complaint(project, investigation=INVESTIGATION)
    add_finding(project, clause_number="8.2.2")
    for address in (url(project), url(project, complaint.id), url(project, "new")):
        check_ids(med_http.get(address).text)


# The register's state


def test_the_register_state_counts_late_undecided_and_open_complaints(tree, medical):
    nine, med = tree["project"], medical["project"]
    assert service.register_state(nine, TODAY).text == "0 complaints"
    add_complaint(nine, received_on=TODAY - timedelta(days=31))
    add_complaint(nine, received_on=TODAY - timedelta(days=30))  # the 30th day is not late yet
    state = service.register_state(nine, TODAY)
    assert state.text == "2 complaints, 1 open for more than 30 days, 2 open" and state.has_problems
    late = state.concerns[0]
    assert late.action == "Close or progress the 1 complaint open for more than 30 days"
    assert late.query == (("state", "late"),)
    add_complaint(med)
    add_complaint(med, reportable=False, reportability_reason=REASON)
    state = service.register_state(med, TODAY)
    assert state.text == "2 complaints, 1 reportability not decided, 2 open"
    undecided = state.concerns[1]
    assert undecided.action == "Decide whether the 1 complaint must be reported to the regulator (8.2.3)"
    assert undecided.query == (("reportability", "undecided"),) and undecided.urgent
