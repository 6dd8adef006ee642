"""Evidence rules with plain values: review transitions by role, deletion, links, dates, file names."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.evidence_rules import (
    FILENAME_MAX_LENGTH,
    STATE_LABELS,
    Refusal,
    ReviewState,
    available_actions,
    decide_review,
    extension_of,
    is_id,
    link_error,
    may_delete,
    may_restore,
    sanitise_filename,
    state_after_new_version,
    valid_until_error,
    with_extension,
)

ROLES = ["owner", "consultant", "client_manager", "contributor", "viewer"]
SUBMITTERS = {"owner", "consultant", "client_manager", "contributor"}
REVIEWERS = {"owner", "consultant", "client_manager"}

# (action, from state) -> to state, for every transition the workflow has
ALLOWED = {
    ("submit", "draft"): "submitted",
    ("submit", "rejected"): "submitted",
    ("accept", "submitted"): "accepted",
    ("reject", "submitted"): "rejected",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["submit", "accept", "reject"])
@pytest.mark.parametrize("state", list(ReviewState))
def test_every_transition_for_every_role(role, action, state):
    decision = decide_review(role, state, action, comment="Blurred: scan it again.")
    allowed_role = role in (SUBMITTERS if action == "submit" else REVIEWERS)
    if not allowed_role:
        assert decision.state is None and decision.refusal is Refusal.FORBIDDEN
    elif (action, state) in ALLOWED:
        assert decision.state == ALLOWED[(action, state)] and decision.refusal is None
    else:
        assert decision.state is None and decision.refusal is Refusal.INVALID
        assert STATE_LABELS[state].lower() in decision.message


def test_the_role_is_checked_before_the_state():
    """A viewer learns they may not review, not what state the item is in."""
    assert decide_review("viewer", "accepted", "accept").refusal is Refusal.FORBIDDEN
    assert decide_review("contributor", "submitted", "accept").message == (
        "Your role does not allow you to review evidence."
    )


@pytest.mark.parametrize("comment", ["", "   ", "\n\t"])
def test_rejecting_needs_a_comment(comment):
    decision = decide_review("consultant", "submitted", "reject", comment)
    assert decision.state is None and decision.refusal is Refusal.INCOMPLETE
    assert "why" in decision.message


def test_accepting_needs_no_comment_but_a_comment_has_a_limit():
    assert decide_review("consultant", "submitted", "accept").state == "accepted"
    assert decide_review("consultant", "submitted", "accept", "x" * 5001).refusal is Refusal.INCOMPLETE


@pytest.mark.parametrize("action", ["", "approve", "ACCEPT", "delete"])
def test_unknown_actions_are_invalid(action):
    assert decide_review("owner", "submitted", action).refusal is Refusal.INVALID


@pytest.mark.parametrize("role", ["", "admin", "Owner"])
def test_unknown_roles_may_do_nothing(role):
    for action in ("submit", "accept", "reject"):
        assert decide_review(role, "draft", action, "x").refusal is Refusal.FORBIDDEN
    assert not may_delete(role, True, "draft") and not may_restore(role)


@pytest.mark.parametrize("action", ["accept", "reject"])
def test_a_review_of_an_older_version_than_the_latest_is_refused_with_the_reason(action):
    decision = decide_review("consultant", "submitted", action, "x", seen_version=1, latest_version=2)
    assert (decision.state, decision.refusal) == (None, Refusal.INVALID)
    assert decision.message.startswith("Version 2 of the file was uploaded after you opened version 1")


@pytest.mark.parametrize("seen", [0, 3])
def test_a_review_naming_no_version_of_the_file_is_refused(seen):
    decision = decide_review("consultant", "submitted", "accept", seen_version=seen, latest_version=2)
    assert decision.refusal is Refusal.INVALID and "did not name the latest version" in decision.message


@pytest.mark.parametrize(("seen", "latest"), [(2, 2), (None, 2), (0, None), (None, None)])
def test_a_review_of_the_latest_version_or_of_no_file_stands(seen, latest):
    decision = decide_review("consultant", "submitted", "accept", seen_version=seen, latest_version=latest)
    assert decision.state == "accepted"


def test_submitting_names_no_version():
    decision = decide_review("contributor", "draft", "submit", seen_version=1, latest_version=2)
    assert decision.state == "submitted"


def test_a_new_file_sends_accepted_evidence_back_for_review():
    assert state_after_new_version("accepted") == "submitted"
    assert [state_after_new_version(s) for s in ("draft", "submitted", "rejected")] == [
        "draft",
        "submitted",
        "rejected",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_delete_and_restore(role):
    reviewer = role in REVIEWERS
    assert may_delete(role, added_it=False, current="accepted") is reviewer
    assert may_delete(role, added_it=True, current="draft") is (role in SUBMITTERS)
    assert may_delete(role, added_it=False, current="draft") is reviewer
    assert may_restore(role) is (role == "owner")


def test_a_contributor_may_not_delete_accepted_evidence_even_their_own():
    assert not may_delete("contributor", added_it=True, current="accepted")
    assert may_delete("contributor", added_it=True, current="rejected")


def test_available_actions_follow_the_rules():
    assert available_actions("contributor", "draft", is_file=True, added_it=True, deleted=False) == {
        "submit",
        "new_version",
        "delete",
    }
    assert available_actions("consultant", "submitted", is_file=False, added_it=False, deleted=False) == {
        "review",
        "delete",
    }
    assert available_actions("viewer", "submitted", is_file=True, added_it=False, deleted=False) == set()
    assert available_actions("owner", "accepted", is_file=True, added_it=False, deleted=True) == {"restore"}
    assert available_actions("consultant", "accepted", is_file=True, added_it=False, deleted=True) == set()


@pytest.mark.parametrize(
    "url",
    ["https://example.com/a?b=c#d", "http://intranet.local/docs/QP-01.pdf", "https://[::1]:8443/x"],
)
def test_links_may_be_http_or_https(url):
    assert link_error(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.com/file",
        "file:///etc/passwd",
        "//example.com/x",
        "example.com",
        "https://",
        "https://exa mple.com",
        "https://example.com/\x00",
        "https://example.com/\u202e",
        "https://[::1/x",
        "https://example.com/" + "a" * 2000,
    ],
)
def test_other_links_are_refused(url):
    assert link_error(url)


def test_valid_until_has_sensible_bounds():
    today = date(2026, 5, 1)
    assert valid_until_error(None, today) is None
    assert valid_until_error(date(2020, 1, 1), today) is None  # an expired record may still be shown
    assert valid_until_error(date(1999, 12, 31), today)
    assert valid_until_error(date(2057, 1, 1), today)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("photo.png", "photo.png"),
        ("../../x.pdf", "x.pdf"),
        ("..\\..\\windows\\system32\\x.pdf", "x.pdf"),
        ("/etc/passwd", "passwd"),
        ("....", ""),
        (".", ""),
        ("..", ""),
        (".hidden.pdf", "hidden.pdf"),
        ("...pdf", "pdf"),
        ("report.pdf.", "report.pdf"),
        ("  spaced   name .pdf  ", "spaced name.pdf"),
        ("tab\there\r\nnew.pdf", "tabherenew.pdf"),
        ("bell\x07\x00null.pdf", "bellnull.pdf"),
        ("rtl\u202egpj.exe", "rtlgpj.exe"),
        ("zero\u200bwidth.pdf", "zerowidth.pdf"),
        ("no\u00a0break.pdf", "no break.pdf"),
        ('a<b>c:d"e|f?g*h;i.pdf', "a_b_c_d_e_f_g_h_i.pdf"),
        ("Biên bản đào tạo.pdf", "Biên bản đào tạo.pdf"),
        ("e\u0301.pdf", "é.pdf"),
        ("", ""),
    ],
)
def test_file_names_are_sanitised(raw, expected):
    assert sanitise_filename(raw) == expected


def test_long_names_are_shortened_keeping_the_extension():
    name = sanitise_filename("a" * 300 + ".pdf")
    assert len(name) == FILENAME_MAX_LENGTH and name.endswith("a.pdf")
    only_stem = sanitise_filename("b" * 300)
    assert only_stem == "b" * FILENAME_MAX_LENGTH
    long_extension = sanitise_filename("x." + "y" * 40)
    assert long_extension == "x." + "y" * 40  # not an extension, kept as part of the name
    assert sanitise_filename("." * 300 + "pdf") == "pdf"


def test_extensions_and_names_for_content():
    assert extension_of("Photo.JPG") == "jpg"
    assert extension_of("archive") == ""
    assert extension_of(".png") == ""
    assert with_extension("", "png") == "evidence.png"
    assert with_extension("scan", "pdf") == "scan.pdf"
    assert with_extension("scan.pdf", "png") == "scan.pdf"
    assert len(with_extension("c" * FILENAME_MAX_LENGTH, "xlsx")) == FILENAME_MAX_LENGTH


def test_only_ascii_digits_make_an_id():
    assert is_id("12") and is_id("2147483647")
    assert not any(is_id(text) for text in ("", "-1", "1.5", "²", "١٢", "12345678901", " 1"))


@pytest.mark.parametrize(
    ("text", "ok"),
    [("1", True), ("2147483647", True), ("2147483648", False), ("0", False), ("²", False), ("", False)],
)
def test_an_id_is_a_positive_32_bit_number_in_ascii_digits(text, ok):
    assert is_id(text) is ok
