"""Four eyes on evidence: nobody accepts evidence they added while someone else in the workspace could;
a workspace of one accepts its own, recorded and shown as self-accepted."""

from __future__ import annotations

from typing import Any

from app.extensions import db
from tests import evidence_samples as samples
from tests.integration.evidence_support import evidence_url, item, user_as


def submitted_by(tree: dict[str, Any], user: Any) -> Any:
    evidence = samples.add_file(tree["project"], user.id)
    evidence.review_state = "submitted"
    db.session.commit()
    return evidence


def accept(http: Any, tree: dict[str, Any], evidence: Any) -> Any:
    version = item(evidence.id).versions[-1].number
    url = evidence_url(tree["project"], evidence.id, "review")
    return http.post(url, data={"decision": "accept", "comment": "", "version": str(version)})


def test_the_author_cannot_accept_their_own_evidence_when_someone_else_could(app, make, tree):
    http, consultant = user_as(app, make, tree, "consultant")
    make.user(tree["workspace"], role="owner")  # a second member who can review
    evidence = submitted_by(tree, consultant)
    page = http.get(evidence_url(tree["project"], evidence.id)).get_data(as_text=True)
    assert 'id="review-form"' not in page  # not offered
    response = accept(http, tree, evidence)
    assert response.status_code == 403
    assert "someone else in the workspace must accept it" in response.get_data(as_text=True)
    assert item(evidence.id).review_state == "submitted"


def test_another_reviewer_accepts_it_and_it_is_not_self_accepted(app, make, tree):
    _, author = user_as(app, make, tree, "contributor")
    http, reviewer = user_as(app, make, tree, "client_manager")
    evidence = submitted_by(tree, author)
    assert accept(http, tree, evidence).status_code == 303
    after = item(evidence.id)
    assert (after.review_state, after.reviewed_by_id, after.self_reviewed) == ("accepted", reviewer.id, False)


def test_uploading_a_new_file_makes_you_an_author_too(app, make, tree):
    _, author = user_as(app, make, tree, "contributor")
    http, reviewer = user_as(app, make, tree, "consultant")
    evidence = submitted_by(tree, author)
    item(evidence.id).versions[-1].uploaded_by_id = reviewer.id  # the reviewer replaced the file
    db.session.commit()
    assert accept(http, tree, evidence).status_code == 403


def test_a_workspace_of_one_accepts_its_own_evidence_as_self_accepted(app, make):
    tree = make.tree()
    http, owner = user_as(app, make, tree, "owner")  # the only member
    evidence = submitted_by(tree, owner)
    assert accept(http, tree, evidence).status_code == 303
    after = item(evidence.id)
    assert (after.review_state, after.self_reviewed) == ("accepted", True)
    page = http.get(evidence_url(tree["project"], evidence.id)).get_data(as_text=True)
    assert 'id="self-reviewed"' in page and "self-accepted" in page
