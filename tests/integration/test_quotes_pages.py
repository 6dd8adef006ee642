"""A project's quotes: recording one (refusals beside their fields, in the project's currency), the list and
a quote's page against the IAF MD 5 figure for the site (a quote well below it flagged), accepting one (the
project's body, budget lines of the external audit, once), declining, editing while received; foreign ids
404, who may record and who may decide."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain.certification import accreditation_warning
from app.domain.money import EXAMPLE
from app.extensions import db
from app.models import BudgetLine, CertificationProject, Quote
from tests.html import field_errors, form_values, input_value
from tests.integration.body_support import add_body, add_quote
from tests.integration.evidence_support import user_as
from tests.integration.test_unique_ids import check as check_ids
from tests.querycount import count_queries

TODAY = date.today()


def url(project: Any, *parts: Any) -> str:
    return "/".join([f"/projects/{project.id}/quotes", *(str(p) for p in parts)])


def count(model: Any) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def reload(model: Any, row_id: int) -> Any:
    db.session.expire_all()
    return db.session.get(model, row_id)


def lines_of(project: Any) -> list[BudgetLine]:
    stmt = select(BudgetLine).where(BudgetLine.project_id == project.id).order_by(BudgetLine.id)
    return list(db.session.execute(stmt).scalars())


@pytest.fixture
def body(tree: dict[str, Any]) -> Any:
    return add_body(tree["workspace"], "Example Certification Asia", accreditation_body="BoA")


@pytest.fixture
def http(app: Any, make: Any, tree: dict[str, Any]) -> Any:
    return user_as(app, make, tree, "consultant")[0]


def quote_data(body: Any, **fields: str) -> dict[str, str]:
    return {
        "body_id": str(body.id),
        "received_on": (TODAY - timedelta(days=2)).isoformat(),
        "audit_days": "4.5",
        "surveillance_days": "1.5",
        "day_rate": "1,200.50",
        "fees": "300",
        "travel": "150.25",
        "notes": "Includes the certificate.",
    } | fields


# Recording


def test_a_quote_is_recorded_and_shown_with_its_total_and_the_iaf_figure(http, tree, body):
    project = tree["project"]  # 30 employees, ISO 9001: IAF MD 5 gives 4 days
    response = http.post(url(project, "new"), data=quote_data(body))
    assert response.status_code == 303
    quote = db.session.execute(select(Quote)).scalar_one()
    assert response.headers["Location"].endswith(url(project, quote.id))
    assert (quote.project_id, quote.body_id, quote.status) == (project.id, body.id, "received")
    assert (quote.audit_days, quote.surveillance_days) == (Decimal("4.5"), Decimal("1.5"))
    assert (quote.day_rate, quote.fees, quote.travel) == (Decimal("1200.50"), Decimal(300), Decimal("150.25"))
    page = http.get(response.headers["Location"])
    assert page.status_code == 200
    assert '<dd class="col-sm-7 fw-semibold" id="quote-total">5,852.50 USD</dd>' in page.text  # 4.5 x 1200.50
    assert "1.5 days: 1,800.75 USD" in page.text
    assert "4 days: IAF MD 5, table QMS 1: 4 days for 26\u201345 employees (the site has 30)" in page.text
    assert 'id="quote-warning"' not in page.text and 'id="accreditation-warning"' not in page.text
    check_ids(page.text)


def test_a_quote_well_below_the_iaf_figure_is_flagged(http, tree, body):
    project = tree["project"]
    assert http.post(url(project, "new"), data=quote_data(body, audit_days="3")).status_code == 303
    quote = db.session.execute(select(Quote)).scalar_one()
    page = http.get(url(project, quote.id))
    assert "3 audit days is well below the 4 days IAF MD 5 gives for this site" in page.text
    assert 'id="quote-warning"' in page.text
    listing = http.get(url(project))
    assert "Too few days" in listing.text
    # 3.5 days is within 80 % of 4: not flagged
    add_quote(project, body, audit_days="3.5")
    assert http.get(url(project)).text.count("Too few days") == 1


def test_a_quote_from_a_body_not_on_the_iaf_mla_list_is_warned_about(http, tree):
    project = tree["project"]
    shady = add_body(tree["workspace"], "Totally Real Certs Ltd", accreditation_body="(not IAF)")
    quote = add_quote(project, shady)
    page = http.get(url(project, quote.id))
    assert accreditation_warning("(not IAF)") in unescape(page.text)
    assert "Check accreditation" in http.get(url(project)).text


def test_the_form_offers_the_workspaces_bodies_and_the_amounts_in_the_projects_currency(
    http, tree, make, body
):
    add_body(make.workspace(), "Theirs Cert")
    page = http.get(url(tree["project"], "new"))
    assert page.status_code == 200
    assert f'<option value="{body.id}">Example Certification Asia</option>' in page.text
    assert "Theirs Cert" not in page.text
    assert "Day rate (USD)" in page.text
    assert 'id="add-body-link"' in page.text
    assert input_value(page, "received_on") == TODAY.isoformat()
    preset = http.get(url(tree["project"], "new") + f"?body_id={body.id}")
    assert f'<option selected value="{body.id}">' in preset.text
    check_ids(page.text)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"body_id": ""}, "body_id", "Choose the certification body that sent the quote."),
        ({"received_on": ""}, "received_on", "Enter the day the quote was received."),
        ({"received_on": (TODAY + timedelta(days=1)).isoformat()}, "received_on",
         "Enter a day from 2000 to today."),
        ({"audit_days": ""}, "audit_days", "Enter the audit days, e.g. 4.5."),
        ({"audit_days": "4,5"}, "audit_days",
         "Enter the audit days as a number such as 4 or 4.5 (a point for decimals)."),
        ({"audit_days": "0"}, "audit_days", "Enter from 0.5 to 999 days."),
        ({"audit_days": "4.25"}, "audit_days", "Give days to the tenth of a day at most (e.g. 4.5)."),
        ({"surveillance_days": "lots"}, "surveillance_days",
         "Enter the surveillance days as a number such as 4 or 4.5 (a point for decimals)."),
        ({"day_rate": ""}, "day_rate", "Enter the day rate."),
        ({"day_rate": "abc"}, "day_rate", f"'abc' is not an amount; enter {EXAMPLE}."),
        ({"day_rate": "-5"}, "day_rate", "The day rate cannot be negative."),
        ({"day_rate": "1.005"}, "day_rate", "Use at most 2 decimals."),
        ({"fees": "9" * 13}, "fees", "The most a quote's amount can be is 999,999,999,999."),
    ],
)  # fmt: skip
def test_each_bad_field_is_refused_beside_it_and_nothing_is_saved(http, tree, body, changes, field, message):
    response = http.post(url(tree["project"], "new"), data=quote_data(body, **changes))
    assert response.status_code == 422
    assert message in field_errors(response, field)
    if field != "notes":
        assert "Includes the certificate." in response.text  # what was typed is kept
    assert count(Quote) == 0


def test_amounts_follow_the_projects_currency_and_bodies_the_workspace(http, make, tree, body):
    vnd = make.project(make.site(tree["client"]), "iso13485", currency="VND")
    response = http.post(url(vnd, "new"), data=quote_data(body, day_rate="25000000.5"))
    assert response.status_code == 422
    assert field_errors(response, "day_rate") == ["This currency's amounts have no decimals."]
    theirs = add_body(make.workspace(), "Theirs Cert")
    response = http.post(url(vnd, "new"), data=quote_data(body) | {"body_id": str(theirs.id)})
    assert field_errors(response, "body_id") == ["Choose one of the workspace's certification bodies."]
    good = quote_data(body, day_rate="25,000,000", fees="0", travel="0")
    assert http.post(url(vnd, "new"), data=good).status_code == 303
    page = http.get(url(vnd, db.session.execute(select(Quote.id)).scalar_one()))
    assert "112,500,000 VND" in page.text  # 4.5 days x 25,000,000
    assert "IAF MD 9" in page.text  # ISO 13485


# The list


def test_the_list_shows_the_quotes_latest_first_in_constant_queries(http, tree, body, make):
    project = tree["project"]
    other = add_body(tree["workspace"], "Second Cert")
    add_quote(project, body, received_on=TODAY - timedelta(days=9))
    add_quote(project, other, received_on=TODAY - timedelta(days=1))
    listing, project_id, workspace_id = url(project), project.id, project.workspace_id
    with count_queries() as few:
        page = http.get(listing)
    assert page.status_code == 200
    assert page.text.index("Second Cert") < page.text.index("Example Certification Asia")
    assert "4 audit days</strong> is what IAF MD 5" in page.text
    project = db.session.get(CertificationProject, project_id)
    for n in range(3):
        add_quote(project, add_body(workspace_id, f"More Cert {n}"))
    with count_queries() as many:
        assert http.get(listing).status_code == 200
    assert len(many) == len(few)
    check_ids(page.text)


# Accepting and declining


def test_accepting_sets_the_projects_body_and_adds_the_budget_lines_once(http, tree, body):
    project = tree["project"]
    quote = add_quote(project, body, audit_days="4", day_rate="1000")  # fees 500, travel 300, 1.5 days
    page = http.get(url(project, quote.id))
    response = http.post(
        url(project, quote.id, "accept"), data=form_values(page, containing="accept-version")
    )
    assert response.status_code == 303
    quote = reload(Quote, quote.id)
    assert (quote.status, quote.accepted_on) == ("accepted", TODAY)
    assert reload(CertificationProject, project.id).body_id == body.id
    lines = lines_of(project)
    assert [(line.description.split(" (")[0], line.planned) for line in lines] == [
        ("Certification body: initial audit, stage 1 and 2", Decimal(4000)),
        ("Certification body: fees", Decimal(500)),
        ("Certification body: travel", Decimal(300)),
        ("Certification body: surveillance audit, year 1", Decimal(1500)),
        ("Certification body: surveillance audit, year 2", Decimal(1500)),
    ]
    assert {(line.stage, line.category, line.vendor) for line in lines} == {
        ("external_audit", "certification_body", "Example Certification Asia")
    }
    assert "4 days \u00d7 1,000.00 a day" in lines[0].basis
    shown = http.get(response.headers["Location"])
    assert "5 budget lines added" in shown.text and 'id="accept-quote"' not in shown.text
    # Accepting again (a second tab) adds nothing.
    again = http.post(url(project, quote.id, "accept"), data={"accept-version": str(quote.version)})
    assert again.status_code == 303
    assert "already accepted" in http.get(again.headers["Location"]).text
    assert len(lines_of(project)) == 5


def test_a_second_quote_cannot_be_accepted_until_the_first_is_declined(http, tree, body):
    project = tree["project"]
    first = add_quote(project, body, status="accepted", accepted_on=TODAY)
    second = add_quote(project, add_body(tree["workspace"], "Second Cert"))
    refused = http.post(url(project, second.id, "accept"), data={"accept-version": str(second.version)})
    assert refused.status_code == 409
    assert "from Example Certification Asia is already accepted for this project: decline it first." in (
        refused.text
    )
    assert reload(Quote, second.id).status == "received" and lines_of(project) == []
    declined = http.post(url(project, first.id, "decline"), data={"decline-version": str(first.version)})
    assert declined.status_code == 303
    assert "The budget lines it added stay in the budget" in http.get(declined.headers["Location"]).text
    assert (reload(Quote, first.id).status, reload(Quote, first.id).accepted_on) == ("declined", None)
    accepted = http.post(url(project, second.id, "accept"), data={"accept-version": str(second.version)})
    assert accepted.status_code == 303
    assert reload(CertificationProject, project.id).body.name == "Second Cert"


def test_a_decision_on_a_changed_quote_is_refused(http, tree, body):
    project = tree["project"]
    quote = add_quote(project, body)
    stale = http.post(url(project, quote.id, "accept"), data={"accept-version": str(quote.version + 1)})
    assert stale.status_code == 409
    assert 'id="stale-notice"' in stale.text
    assert reload(Quote, quote.id).status == "received" and lines_of(project) == []


@pytest.mark.parametrize("role", ["contributor", "viewer"])
def test_only_who_manages_projects_accepts_or_declines(app, make, tree, body, role):
    http = user_as(app, make, tree, role)[0]
    project = tree["project"]
    quote = add_quote(project, body)
    page = http.get(url(project, quote.id))
    assert page.status_code == 200 and 'id="accept-quote"' not in page.text
    for step in ("accept", "decline"):
        assert http.post(url(project, quote.id, step), data={f"{step}-version": "1"}).status_code == 403
    assert reload(Quote, quote.id).status == "received"
    recorded = http.post(url(project, "new"), data=quote_data(body))
    assert recorded.status_code == (303 if role == "contributor" else 403)
    if role == "contributor":  # records quotes, but adds no body: no link to a page it may not open
        assert 'id="add-body-link"' not in http.get(url(project, "new")).text


# Editing


def test_a_received_quote_is_edited_on_the_version_read_and_an_accepted_one_keeps_its_figures(
    http, tree, body
):
    project = tree["project"]
    quote = add_quote(project, body)
    data = form_values(http.get(url(project, quote.id, "edit")), containing="audit_days")
    assert (data["audit_days"], data["day_rate"], data["surveillance_days"]) == ("4", "1000.00", "1.5")
    saved = http.post(url(project, quote.id, "edit"), data=data | {"audit_days": "5"})
    assert saved.status_code == 303
    assert reload(Quote, quote.id).audit_days == Decimal(5)
    stale = http.post(url(project, quote.id, "edit"), data=data | {"travel": "1"})
    assert stale.status_code == 409 and "Someone else saved this quote" in stale.text
    quote = reload(Quote, quote.id)
    quote.status = "accepted"
    db.session.commit()
    fresh = data | {"version": str(quote.version), "audit_days": "9"}
    refused = http.post(url(project, quote.id, "edit"), data=fresh)
    assert refused.status_code == 409
    assert "This quote is accepted: it keeps the figures it had when it was accepted." in refused.text
    assert reload(Quote, quote.id).audit_days == Decimal(5)


# Foreign ids


def test_a_quote_of_another_project_or_workspace_is_not_found(http, tree, make, body):
    own_other = make.project(make.site(tree["client"]), "iso13485")
    elsewhere = add_quote(own_other, body)
    theirs = make.tree()
    foreign = add_quote(theirs["project"], add_body(theirs["workspace"]))
    project = tree["project"]
    for quote in (elsewhere, foreign):
        assert http.get(url(project, quote.id)).status_code == 404
        assert http.post(url(project, quote.id, "accept"), data={"accept-version": "1"}).status_code == 404
    assert http.get(url(theirs["project"])).status_code == 404
    assert reload(Quote, foreign.id).status == "received"


# The demo


def test_the_demo_bodies_are_accredited_and_its_quotes_show_an_accepted_one_and_a_flagged_one(app):
    from app.models import CertificationBody, Client
    from app.services import demo, quotes

    demo.create_demo(TODAY)
    db.session.commit()
    projects = {
        p.client.name: p for p in db.session.execute(select(CertificationProject).join(Client)).scalars()
    }
    chosen = {p.body.name for p in projects.values() if p.body}
    assert chosen == {"Example Certification Asia", "Example Medical Certification"}
    names = db.session.execute(select(CertificationBody.name, CertificationBody.accreditation_body)).all()
    warned = {name for name, accreditation in names if accreditation_warning(accreditation)}
    assert warned == {"QuickCert Global"}  # BoA and DSM are on the IAF MLA list
    views = {name: quotes.quote_views(project) for name, project in projects.items()}
    assert all(views.values())  # every demo project has a quote
    medical = {view.quote.body.name: view for view in views["Penang MedTech Sdn Bhd"]}
    accepted = medical["Example Medical Certification"]
    assert (accepted.quote.status, accepted.check.warning) == ("accepted", None)
    assert (
        medical["QuickCert Global"].check.warning and medical["QuickCert Global"].quote.status == "declined"
    )
    cork = {view.quote.body.name: view for view in views["Saigon Cork Co."]}
    assert cork["QuickCert Global"].check.warning and not cork["Example Certification Asia"].check.warning
    lines = lines_of(projects["Penang MedTech Sdn Bhd"])
    audit = [line for line in lines if line.description.startswith("Certification body:")]
    assert [line.planned for line in audit] == [Decimal(46200), Decimal(2500), Decimal(16800), Decimal(16800)]
    assert all("Example Medical Certification" in line.description for line in audit)  # the estimate replaced
