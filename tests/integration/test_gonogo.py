"""The stage 2 go / no-go page: GO or NO-GO with each condition, its state and a link to fix it; the
thresholds form; the service other areas call to warn when an audit is booked on NO-GO."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select, update

from app.domain import gates
from app.extensions import db
from app.models import Assessment, CertificationProject, Clause, EvidenceItem, ProjectStage
from app.services import gonogo
from tests.factories import login
from tests.html import field_errors, input_value
from tests.integration.evidence_support import user_as
from tests.integration.finding_support import add_finding
from tests.querycount import count_queries

TODAY = date.today()
PREREQUISITES = ["gap_analysis", "documentation", "training", "internal_audit", "management_review"]


def url(project: Any) -> str:
    return f"/projects/{project.id}/go-no-go"


def requirements(project: Any) -> list[tuple[int, str]]:
    return list(
        db.session.execute(
            select(Clause.id, Clause.number)
            .join(Assessment, Assessment.clause_id == Clause.id)
            .where(Assessment.project_id == project.id)
        ).all()
    )


def make_ready(project: Any, documentation_done: date | None = None) -> None:
    """Every requirement met with accepted evidence in date, the stages before the external audit done (the
    documentation four months ago), no open major."""
    db.session.execute(update(Assessment).where(Assessment.project_id == project.id).values(status="met"))
    db.session.add_all(
        EvidenceItem(
            project_id=project.id,
            clause_id=clause_id,
            kind="note",
            title=f"Records for {number}",
            note="Seen on site.",
            review_state="accepted",
        )
        for clause_id, number in requirements(project)
    )
    db.session.execute(
        update(ProjectStage)
        .where(ProjectStage.project_id == project.id, ProjectStage.key.in_(PREREQUISITES))
        .values(status="done", actual_end=documentation_done or TODAY - relativedelta(months=4))
    )
    db.session.commit()


def conditions(response: Any) -> dict[str, str]:
    """Each condition's key and whether the page shows it met ("yes"/"no")."""
    return dict(re.findall(r'data-condition="([^"]+)" data-met="(yes|no)"', response.text))


def verdict(response: Any) -> str:
    found = re.search(r'id="verdict" data-go="(yes|no)">([^<]+)<', response.text)
    assert found is not None
    return found.group(2)


def test_a_new_project_is_no_go_with_every_reason(client, owner, tree):
    project = tree["project"]
    response = client.get(url(project))
    assert response.status_code == 200
    assert verdict(response) == "NO-GO"
    assert conditions(response) == {
        "readiness": "no",
        "stage.documentation": "no",
        "stage.training": "no",
        "stage.internal_audit": "no",
        "stage.management_review": "no",
        "no_open_major": "yes",
        "evidence": "yes",
        "operating": "no",
    }
    html = response.text
    assert "Readiness is 0 % of the applicable requirements met." in html
    assert "Training is not done yet" in html
    # each unmet condition links to where it is fixed
    assert f'href="/projects/{project.id}/gap-analysis" class="small condition-fix"' in html
    assert f'href="/projects/{project.id}/stages/training" class="small condition-fix"' in html
    assert 'id="no-go-note"' in html  # the audits may still be booked, with a warning
    stages = dict(re.findall(r'data-stage="([a-z_]+)">\s*<a[^>]*>[^<]+</a>\s*<span[^>]*>([^<]+)<', html))
    assert stages == dict.fromkeys([*PREREQUISITES, "external_audit"], "Not started")


def test_a_ready_project_is_go(client, owner, tree):
    project = tree["project"]
    make_ready(project)
    response = client.get(url(project))
    assert verdict(response) == "GO"
    assert set(conditions(response).values()) == {"yes"}
    assert 'id="no-go-note"' not in response.text
    assert 'class="small condition-fix"' not in response.text
    assert re.search(r'id="go-readiness">100%', response.text)
    assert f'id="documentation-done-on">{TODAY - relativedelta(months=4):%d %b %Y}<' in response.text


def test_too_short_a_run_is_shown_as_advice_and_is_still_go(client, owner, tree):
    project = tree["project"]
    make_ready(project, documentation_done=TODAY - timedelta(days=10))
    response = client.get(url(project))
    assert verdict(response) == "GO"
    assert conditions(response)["operating"] == "no"
    assert "advice, does not block" in response.text


def test_an_open_major_from_the_certification_body_is_no_go(client, owner, tree):
    project = tree["project"]
    make_ready(project)
    finding = add_finding(project, "major", source="external_audit")
    response = client.get(url(project))
    assert verdict(response) == "NO-GO"
    assert [key for key, met in conditions(response).items() if met == "no"] == ["no_open_major"]
    assert "1 major nonconformity still open." in response.text
    assert f'href="/projects/{project.id}/findings/{finding.id}"' in response.text
    assert f'href="/projects/{project.id}/findings?severity=major&amp;state=open"' in response.text
    assert gonogo.go_no_go(project, TODAY).reasons == ["1 major nonconformity still open."]


def test_a_closed_major_and_an_open_minor_do_not_block(client, owner, tree):
    project = tree["project"]
    make_ready(project)
    add_finding(project, "minor")
    db.session.execute(update(Assessment).where(Assessment.project_id == project.id).values(status="met"))
    db.session.commit()
    assert verdict(client.get(url(project))) == "GO"


def test_requirements_met_without_current_evidence_are_named(client, owner, tree):
    project = tree["project"]
    make_ready(project)
    db.session.execute(
        update(EvidenceItem)
        .where(
            EvidenceItem.project_id == project.id,
            EvidenceItem.clause_id.in_(
                select(Clause.id).where(
                    Clause.number.in_(["7.1.5.1", "4.1"]), Clause.standard_id == project.standard_id
                )
            ),
        )
        .values(valid_until=TODAY - timedelta(days=1))  # expired yesterday
    )
    db.session.commit()
    response = client.get(url(project))
    assert verdict(response) == "NO-GO"
    assert "2 requirements assessed met without current evidence: 4.1, 7.1.5.1." in response.text
    assert f'href="/projects/{project.id}/evidence/new?clause=7.1.5.1"' in response.text
    assert f'href="/projects/{project.id}/evidence" class="small condition-fix"' in response.text


def test_readiness_counts_requirements_fully_met_against_the_threshold(client, owner, tree):
    project = tree["project"]
    make_ready(project)
    ids = [clause_id for clause_id, _ in requirements(project)][:6]  # 6 of 65 only partly met: 91 %
    db.session.execute(
        update(Assessment)
        .where(Assessment.project_id == project.id, Assessment.clause_id.in_(ids))
        .values(status="partial")
    )
    db.session.commit()
    response = client.get(url(project))
    assert verdict(response) == "NO-GO"
    assert "Readiness is 91 % of the applicable requirements met." in response.text
    project.readiness_threshold = 90
    db.session.commit()
    assert verdict(client.get(url(project))) == "GO"


# The thresholds


def post_thresholds(http: Any, project: Any, **fields: str) -> Any:
    db.session.expire_all()
    version = db.session.get(CertificationProject, project.id).version
    data = {"readiness_threshold": "100", "operating_months": "3", "version": str(version)} | fields
    return http.post(url(project), data=data)


def saved(project: Any) -> tuple[int, int]:
    db.session.expire_all()
    row = db.session.get(CertificationProject, project.id)
    return row.readiness_threshold, row.operating_months


def test_the_thresholds_are_saved(client, owner, tree):
    project = tree["project"]
    response = post_thresholds(client, project, readiness_threshold=" 90 ", operating_months="6")
    assert response.status_code == 303 and response.headers["Location"] == url(project)
    assert saved(project) == (90, 6)
    page = client.get(url(project))
    assert input_value(page, "readiness_threshold") == "90"
    assert "Readiness at least 90 %" in page.text and "6 months of records" in page.text


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"readiness_threshold": "49"}, "readiness_threshold", gates.threshold_error(49)),
        ({"readiness_threshold": "101"}, "readiness_threshold", gates.threshold_error(101)),
        ({"readiness_threshold": "ninety"}, "readiness_threshold", gates.threshold_error(None)),
        ({"readiness_threshold": "9.5"}, "readiness_threshold", gates.threshold_error(None)),
        ({"readiness_threshold": ""}, "readiness_threshold", gates.threshold_error(None)),
        ({"operating_months": "25"}, "operating_months", gates.operating_months_error(25)),
        ({"operating_months": "-1"}, "operating_months", gates.operating_months_error(None)),
        ({"operating_months": "²"}, "operating_months", gates.operating_months_error(None)),
    ],
)
def test_thresholds_out_of_range_are_refused_beside_the_field(client, owner, tree, fields, field, message):
    project = tree["project"]
    response = post_thresholds(client, project, **{"operating_months": "6"} | fields)
    assert response.status_code == 422
    assert field_errors(response, field) == [message]
    assert input_value(response, field) == fields[field]  # what was typed is kept
    assert saved(project) == (100, 3)  # nothing half-saved


def test_a_stale_copy_of_the_thresholds_is_refused(client, owner, tree):
    project = tree["project"]
    data = {"readiness_threshold": "80", "operating_months": "3", "version": str(project.version)}
    project.operating_months = 5
    db.session.commit()
    response = client.post(url(project), data=data)
    assert response.status_code == 409
    assert 'id="stale-notice"' in response.text
    assert saved(project) == (100, 5)


@pytest.mark.parametrize("role", ["contributor", "viewer"])
def test_only_a_consultant_or_owner_changes_the_thresholds(app, make, tree, role):
    http, _ = user_as(app, make, tree, role)
    page = http.get(url(tree["project"]))
    assert page.status_code == 200 and 'id="thresholds-form"' not in page.text
    assert post_thresholds(http, tree["project"], readiness_threshold="60").status_code == 403
    assert saved(tree["project"]) == (100, 3)


def test_a_consultant_changes_the_thresholds(app, make, tree):
    http, _ = user_as(app, make, tree, "consultant")
    assert post_thresholds(http, tree["project"], readiness_threshold="95").status_code == 303
    assert saved(tree["project"]) == (95, 3)


def test_another_workspace_sees_nothing(client, make, tree):
    login(client, make.user(make.workspace(), role="owner"))
    assert client.get(url(tree["project"])).status_code == 404
    assert post_thresholds(client, tree["project"], readiness_threshold="60").status_code == 404
    assert saved(tree["project"]) == (100, 3)


def test_linked_from_the_project_page_and_the_external_audit_stage(client, owner, tree):
    project = tree["project"]
    link = f'href="{url(project)}"'
    assert link in client.get(f"/projects/{project.id}").text
    assert link in client.get(f"/projects/{project.id}/stages/external_audit").text


def test_the_page_runs_the_same_queries_whatever_the_data(app, tree, make):
    http, _ = user_as(app, make, tree, "owner")  # loads its user on each request (the session is fresh)
    small = tree["project"]
    large = make.project(make.site(tree["client"]))
    make_ready(large)
    for number in range(4):
        add_finding(large, "major", description=f"Finding number {number} about the calibration records.")
    ids = [url(small), url(large)]
    counts = []
    for address in ids:
        with count_queries() as statements:
            assert http.get(address).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_the_service_says_why_it_is_no_go(tree):
    result = gonogo.go_no_go(tree["project"], TODAY)
    assert not result.go
    assert [c.key for c in result.blocking] == [
        "readiness",
        "stage.documentation",
        "stage.training",
        "stage.internal_audit",
        "stage.management_review",
    ]
    assert result.reasons[0] == "Readiness is 0 % of the applicable requirements met."
