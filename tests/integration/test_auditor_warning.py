"""The internal audit stage page warns while nobody is a qualified internal auditor (the training matrix's
rule: an auditor-qualifying training done and its effectiveness check passed), and links the matrix."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.extensions import db
from tests.integration.training_support import add_person, add_requirement, add_role, add_session

TODAY = date.today()
WARNING = 'id="no-qualified-auditor"'


def stage_page(client, project, stage="internal_audit"):
    response = client.get(f"/projects/{project.id}/stages/{stage}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def auditor_course(tree):
    project = tree["project"]
    course = add_requirement(project, "Internal auditor course", qualifies_auditor=True)
    add_role(project, "Quality engineer", [course])
    return course, add_person(tree["site"], "Chi", "Quality", "Quality engineer", date(2020, 1, 1))


def test_the_internal_audit_page_warns_while_nobody_is_a_qualified_auditor(client, owner, tree):
    html = stage_page(client, tree["project"])
    assert WARNING in html
    assert "Nobody is a qualified internal auditor yet." in html
    assert f'href="/projects/{tree["project"].id}/training-matrix">training matrix</a>' in html


@pytest.mark.parametrize("stage", ["gap_analysis", "training", "management_review"])
def test_other_stages_do_not_warn(client, owner, tree, stage):
    assert WARNING not in stage_page(client, tree["project"], stage)


@pytest.mark.parametrize("result", ["pending", "fail"])
def test_a_course_without_a_passed_check_does_not_qualify(client, owner, tree, result):
    course, chi = auditor_course(tree)
    add_session(tree["project"], course, TODAY - timedelta(days=5), [chi], result=result)
    assert WARNING in stage_page(client, tree["project"])


def test_the_warning_goes_once_someone_is_qualified(client, owner, tree):
    course, chi = auditor_course(tree)
    add_session(tree["project"], course, TODAY - timedelta(days=5), [chi], result="pass")
    assert WARNING not in stage_page(client, tree["project"])


def test_a_qualified_auditor_who_has_left_does_not_count(client, owner, tree):
    course, chi = auditor_course(tree)
    add_session(tree["project"], course, TODAY - timedelta(days=50), [chi], result="pass")
    chi.left_on = TODAY - timedelta(days=1)
    db.session.commit()
    assert WARNING in stage_page(client, tree["project"])
