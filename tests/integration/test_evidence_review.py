"""Review on the pages (each transition for each role), file versions, soft delete and restore, the list."""

from __future__ import annotations

import hashlib
import re
from html import unescape
from typing import Any

import pytest

from app.extensions import db
from tests import evidence_samples as samples
from tests.html import input_value
from tests.integration.evidence_support import (
    ROLES,
    counts,
    evidence_url,
    item,
    post_multipart,
    stored_files,
    user_as,
)

SUBMITTERS = {"owner", "consultant", "client_manager", "contributor"}
REVIEWERS = {"owner", "consultant", "client_manager"}


@pytest.fixture
def author(app: Any, make: Any, tree: dict[str, Any]) -> Any:
    """A contributor who adds the evidence."""
    return user_as(app, make, tree, "contributor")


def in_state(tree: dict[str, Any], user: Any, state: str, **fields: Any) -> Any:
    evidence = samples.add_file(tree["project"], user.id, **fields)
    evidence.review_state = state
    db.session.commit()
    return evidence


def review(
    http: Any,
    tree: dict[str, Any],
    evidence: Any,
    decision: str,
    comment: str = "",
    version: int | None = None,
) -> Any:
    """Post the review form as its page shows it now: naming the newest file version, unless given."""
    if version is None:
        versions = item(evidence.id).versions
        version = versions[-1].number if versions else None
    url = evidence_url(tree["project"], evidence.id, "review")
    named = {"version": str(version)} if version is not None else {}
    return http.post(url, data={"decision": decision, "comment": comment} | named)


@pytest.mark.parametrize("role", ROLES)
def test_submitting_a_draft(app, make, tree, author, role):
    evidence = in_state(tree, author[1], "draft")
    http = user_as(app, make, tree, role)[0]
    response = http.post(evidence_url(tree["project"], evidence.id, "submit"))
    if role in SUBMITTERS:
        assert response.status_code == 303 and item(evidence.id).review_state == "submitted"
    else:
        assert response.status_code == 403 and item(evidence.id).review_state == "draft"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("decision", ["accept", "reject"])
def test_accepting_or_rejecting_submitted_evidence(app, make, tree, author, role, decision):
    evidence = in_state(tree, author[1], "submitted")
    http, reviewer = user_as(app, make, tree, role)
    response = review(http, tree, evidence, decision, "Photo is blurred: scan it again.")
    after = item(evidence.id)
    if role in REVIEWERS:
        assert response.status_code == 303
        assert after.review_state == {"accept": "accepted", "reject": "rejected"}[decision]
        assert after.reviewed_by_id == reviewer.id and after.reviewed_at is not None
        assert after.reviewer_comment == "Photo is blurred: scan it again."
    else:
        assert response.status_code == 403
        assert (after.review_state, after.reviewed_by_id) == ("submitted", None)


def test_rejecting_without_a_comment_is_refused_beside_the_comment(app, make, tree, author):
    evidence = in_state(tree, author[1], "submitted")
    http = user_as(app, make, tree, "consultant")[0]
    response = review(http, tree, evidence, "reject", "   ")
    assert response.status_code == 422
    errors = response.get_data(as_text=True).split('id="comment-errors"', 1)[1]
    assert "Say why it is rejected" in errors.split("</div>", 1)[0]
    assert item(evidence.id).review_state == "submitted"


@pytest.mark.parametrize("decision", ["", "approve"])
def test_an_unknown_decision_is_refused(app, make, tree, author, decision):
    evidence = in_state(tree, author[1], "submitted")
    response = review(user_as(app, make, tree, "owner")[0], tree, evidence, decision)
    assert response.status_code == 422 and "Choose accept or reject." in response.get_data(True)
    assert item(evidence.id).review_state == "submitted"


@pytest.mark.parametrize(
    ("state", "step", "message"),
    [
        ("draft", "accept", "This evidence is draft: only submitted evidence can be accepted or rejected."),
        ("accepted", "reject", "This evidence is accepted: only submitted evidence can be accepted"),
        ("rejected", "accept", "This evidence is rejected: only submitted evidence"),
        (
            "accepted",
            "submit",
            "This evidence is accepted: only a draft or a rejected item can be submitted.",
        ),
        ("submitted", "submit", "This evidence is awaiting review: only a draft or a rejected item"),
    ],
)
def test_invalid_transitions_say_why_and_change_nothing(app, make, tree, author, state, step, message):
    evidence = in_state(tree, author[1], state)
    http = user_as(app, make, tree, "consultant")[0]
    if step == "submit":
        response = http.post(evidence_url(tree["project"], evidence.id, "submit"))
    else:
        response = review(http, tree, evidence, step, "A comment")
    assert response.status_code == 409
    refusal = response.get_data(as_text=True).split('id="evidence-refusal"', 1)[1]
    assert message in refusal.split("</div>", 1)[0]
    after = item(evidence.id)
    assert (after.review_state, after.reviewed_by_id, after.reviewer_comment) == (state, None, "")


def test_a_rejected_item_is_resubmitted_and_the_last_review_stays_visible(app, make, tree, author):
    evidence = in_state(tree, author[1], "submitted")
    consultant = user_as(app, make, tree, "consultant")[0]
    review(consultant, tree, evidence, "reject", "Wrong scale: this is scale 2.")
    http = author[0]
    assert http.post(evidence_url(tree["project"], evidence.id, "submit")).status_code == 303
    assert item(evidence.id).review_state == "submitted"
    page = http.get(evidence_url(tree["project"], evidence.id)).get_data(True)
    assert "Last review" in page and "Wrong scale: this is scale 2." in page
    assert review(consultant, tree, evidence, "accept").status_code == 303
    assert item(evidence.id).review_state == "accepted"


@pytest.mark.parametrize("decision", ["accept", "reject"])
def test_a_review_of_a_version_uploaded_after_the_page_was_opened_is_refused(
    app, make, tree, author, decision
):
    """Review D5: the reviewer opens version 1, the contributor uploads version 2, the reviewer's form
    (still naming version 1) is refused with the reason, and the page then shows and names version 2."""
    evidence = in_state(tree, author[1], "submitted", data=samples.pdf(), name="a1.pdf")
    consultant = user_as(app, make, tree, "consultant")[0]
    opened = consultant.get(evidence_url(tree["project"], evidence.id))
    seen = input_value(opened, "version")
    assert seen == "1"
    assert upload_version(author[0], tree, evidence, samples.png(3, 3), "swapped.png").status_code == 303

    refused = review(consultant, tree, evidence, decision, "Checked.", version=int(seen))
    assert refused.status_code == 409
    assert "Version 2 of the file was uploaded after you opened version 1" in refused.get_data(True)
    after = item(evidence.id)
    assert (after.review_state, after.reviewed_by_id, after.reviewer_comment) == ("submitted", None, "")
    assert input_value(refused, "version") == "2"  # the page now lists version 2 and its form names it
    assert textarea_text(refused, "comment") == "Checked."  # the comment typed is kept
    assert review(consultant, tree, evidence, decision, "Checked.", version=2).status_code == 303


def test_a_review_form_that_names_no_version_of_a_file_is_refused(app, make, tree, author):
    evidence = in_state(tree, author[1], "submitted")
    consultant = user_as(app, make, tree, "consultant")[0]
    url = evidence_url(tree["project"], evidence.id, "review")
    assert consultant.post(url, data={"decision": "accept"}).status_code == 409
    assert item(evidence.id).review_state == "submitted"


def test_a_note_has_no_file_version_to_name(app, make, tree, author):
    evidence = samples.add_note(tree["project"], author[1].id)
    evidence.review_state = "submitted"
    db.session.commit()
    consultant = user_as(app, make, tree, "consultant")[0]
    assert 'name="version"' not in consultant.get(evidence_url(tree["project"], evidence.id)).get_data(True)
    assert review(consultant, tree, evidence, "accept").status_code == 303


def test_a_new_version_moves_the_items_version_even_when_its_state_stays(app, make, tree, author):
    """So a review that read the item before an upload fails at commit instead of accepting new bytes."""
    evidence = in_state(tree, author[1], "submitted")
    before = item(evidence.id).version
    assert upload_version(author[0], tree, evidence, samples.pdf(), "new.pdf").status_code == 303
    after = item(evidence.id)
    assert (after.review_state, after.version) == ("submitted", before + 1)


def test_the_page_offers_only_what_the_role_may_do(app, make, tree, author):
    evidence = in_state(tree, author[1], "submitted")
    url = evidence_url(tree["project"], evidence.id)
    consultant_page = user_as(app, make, tree, "consultant")[0].get(url).get_data(True)
    viewer_page = user_as(app, make, tree, "viewer")[0].get(url).get_data(True)
    assert 'id="review-form"' in consultant_page and 'id="version-form"' in consultant_page
    for marker in ('id="review-form"', 'id="version-form"', "Delete this evidence", "Submit for review"):
        assert marker not in viewer_page
    assert "Download" in viewer_page  # viewers look, and may download


# Versions


def textarea_text(response: Any, name: str) -> str:
    found = re.search(
        rf'<textarea[^>]*name="{name}"[^>]*>\r?\n?(.*?)</textarea>', response.get_data(True), re.S
    )
    assert found, f"no textarea named {name}"
    return unescape(found.group(1))


def upload_version(http: Any, tree: dict[str, Any], evidence: Any, data: bytes, name: str) -> Any:
    url = evidence_url(tree["project"], evidence.id, "versions")
    return post_multipart(http, url, {"file": (data, name)})


def test_a_new_version_keeps_the_old_ones_and_sends_accepted_evidence_back(app, make, tree, author):
    first = samples.png(2, 2)
    evidence = in_state(tree, author[1], "accepted", data=first, name="scale.png")
    second = samples.png(3, 3)
    response = upload_version(author[0], tree, evidence, second, "scale-rescanned.png")
    assert response.status_code == 303
    after = item(evidence.id)
    assert after.review_state == "submitted"  # changed bytes are reviewed again
    assert [(v.number, v.filename) for v in after.versions] == [(1, "scale.png"), (2, "scale-rescanned.png")]
    assert after.versions[1].uploaded_by_id == author[1].id
    for number, data in ((1, first), (2, second)):
        url = evidence_url(tree["project"], evidence.id, f"versions/{number}/download")
        download = author[0].get(url, buffered=True)
        assert download.data == data
        assert hashlib.sha256(download.data).hexdigest() == after.versions[number - 1].sha256
    assert len(stored_files(app)) == 2


@pytest.mark.parametrize("state", ["draft", "submitted", "rejected"])
def test_other_states_are_kept_by_a_new_version(app, make, tree, author, state):
    evidence = in_state(tree, author[1], state)
    assert upload_version(author[0], tree, evidence, samples.pdf(), "new.pdf").status_code == 303
    assert item(evidence.id).review_state == state


def test_a_refused_version_changes_nothing(app, make, tree, author):
    evidence = in_state(tree, author[1], "accepted")
    response = upload_version(author[0], tree, evidence, samples.EXE, "new.pdf")
    assert response.status_code == 415 and "The content is not" in response.get_data(True)
    empty = upload_version(author[0], tree, evidence, b"", "")
    assert empty.status_code == 422 and "Choose the file to upload." in empty.get_data(True)
    after = item(evidence.id)
    assert (len(after.versions), after.review_state, len(stored_files(app))) == (1, "accepted", 1)


def test_a_link_has_no_versions_and_a_viewer_adds_none(app, make, tree, author):
    link = samples.add_note(tree["project"], author[1].id)
    assert upload_version(author[0], tree, link, samples.pdf(), "x.pdf").status_code == 409
    evidence = in_state(tree, author[1], "draft")
    viewer = user_as(app, make, tree, "viewer")[0]
    assert upload_version(viewer, tree, evidence, samples.pdf(), "x.pdf").status_code == 403
    assert counts() == (2, 1)


# Soft delete and restore


def delete(http: Any, tree: dict[str, Any], evidence: Any) -> Any:
    return http.post(evidence_url(tree["project"], evidence.id, "delete"))


@pytest.mark.parametrize("role", ROLES)
def test_who_may_delete_evidence_someone_else_added(app, make, tree, author, role):
    evidence = in_state(tree, author[1], "draft")
    response = delete(user_as(app, make, tree, role)[0], tree, evidence)
    assert response.status_code == (303 if role in REVIEWERS else 403)
    assert (item(evidence.id).deleted_at is not None) is (role in REVIEWERS)


def test_the_author_deletes_their_own_draft_but_not_once_accepted(app, make, tree, author):
    draft = in_state(tree, author[1], "draft")
    accepted = in_state(tree, author[1], "accepted")
    assert delete(author[0], tree, draft).status_code == 303
    assert delete(author[0], tree, accepted).status_code == 403
    assert item(accepted.id).deleted_at is None


def test_deleted_evidence_is_hidden_and_an_owner_restores_it(app, make, tree, author):
    evidence = in_state(tree, author[1], "accepted")
    consultant = user_as(app, make, tree, "consultant")[0]
    owner = user_as(app, make, tree, "owner")[0]
    assert delete(consultant, tree, evidence).status_code == 303
    assert counts() == (1, 1) and len(stored_files(app)) == 1  # soft: the row and the file stay
    show = evidence_url(tree["project"], evidence.id)
    assert consultant.get(show).status_code == 404
    assert (
        consultant.get(evidence_url(tree["project"], evidence.id, "versions/1/download")).status_code == 404
    )
    assert 'data-evidence-id="' not in consultant.get(evidence_url(tree["project"])).get_data(True)
    assert consultant.post(evidence_url(tree["project"], evidence.id, "submit")).status_code == 404
    assert consultant.post(evidence_url(tree["project"], evidence.id, "restore")).status_code == 403

    deleted_list = owner.get(evidence_url(tree["project"]) + "?deleted=1").get_data(True)
    assert f'data-evidence-id="{evidence.id}"' in deleted_list and "Restore" in deleted_list
    assert "evidence-deleted" in owner.get(show).get_data(True)
    assert owner.post(evidence_url(tree["project"], evidence.id, "restore")).status_code == 303
    after = item(evidence.id)
    assert (after.deleted_at, after.deleted_by_id, after.review_state) == (None, None, "accepted")
    assert consultant.get(show).status_code == 200


def test_only_owners_see_the_deleted_list(app, make, tree, author):
    evidence = in_state(tree, author[1], "draft")
    delete(user_as(app, make, tree, "owner")[0], tree, evidence)
    page = user_as(app, make, tree, "consultant")[0].get(evidence_url(tree["project"]) + "?deleted=1")
    assert page.status_code == 200 and f'data-evidence-id="{evidence.id}"' not in page.get_data(True)
