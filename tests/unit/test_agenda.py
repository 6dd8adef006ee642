"""The agenda's rules: whose an item is, what the daily digest says, and the calendar's events."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.domain.agenda import (
    DIGEST_DAYS,
    FEED_FUTURE_DAYS,
    FEED_PAST_DAYS,
    AgendaItem,
    Kind,
    Person,
    calendar_events,
    digest,
    may_review,
    names_user,
    subject,
    when,
)

TODAY = date(2026, 12, 2)
ME = Person(user_id=7, name="Nguyễn Thị Lan", email="lan@example.com")


def item(kind: Kind, days: int | None, **values: object) -> AgendaItem:
    fields: dict[str, object] = {
        "key": 1,
        "what": "Something",
        "client": "Client",
        "site": "Site",
        "target": ("project.show", {"project_id": 1}),
        "role": "consultant",
    } | values
    day = None if days is None else TODAY + timedelta(days=days)
    return AgendaItem(kind=kind, day=day, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("owner", "expected"),
    [
        ("Nguyễn Thị Lan", True),
        ("  nguyễn  thị LAN ", True),
        ("LAN@example.com", True),
        ("Lan", False),
        ("", False),
        ("   ", False),
    ],
)
def test_an_owner_names_the_user_by_name_or_address(owner, expected):
    assert names_user(owner, ME) is expected


def test_overdue_actions_are_the_users_only_when_assigned_to_them():
    mine = item(Kind.TASK, -1, key=1, owner="Nguyễn Thị Lan")
    theirs = item(Kind.TASK, -1, key=2, owner="Someone Else")
    not_yet = item(Kind.FINDING, 0, key=3, owner="lan@example.com")  # due today: not late yet
    late_finding = item(Kind.FINDING, -30, key=4, owner="lan@example.com")
    found = digest([mine, theirs, not_yet, late_finding], ME, TODAY)
    assert found.overdue == (late_finding, mine)  # oldest first


def test_only_roles_that_review_get_waiting_items_and_never_their_own_work():
    others = item(Kind.EVIDENCE_TO_REVIEW, -2, key=1, authors=(3,))
    own = item(Kind.EVIDENCE_TO_REVIEW, -2, key=2, authors=(7, None))
    alone = item(Kind.REVISION_TO_APPROVE, -2, key=3, authors=(7,), workspace_members=1)
    viewer = item(Kind.REVISION_TO_APPROVE, -2, key=4, authors=(3,), role="viewer")
    contributor = item(Kind.EVIDENCE_TO_REVIEW, -2, key=5, authors=(3,), role="contributor")
    assert [may_review(i, ME) for i in (others, own, alone, viewer, contributor)] == [
        True, False, True, False, False,
    ]  # fmt: skip
    assert digest([others, own, alone, viewer, contributor], ME, TODAY).to_review == (others, alone)


def test_documents_past_review_go_to_their_owner_and_to_approvers():
    owned = item(Kind.DOCUMENT_REVIEW, -1, key=1, owner="Nguyễn Thị Lan", role="contributor")
    approver = item(Kind.DOCUMENT_REVIEW, -1, key=2, owner="Other", role="client_manager")
    neither = item(Kind.DOCUMENT_REVIEW, -1, key=3, owner="Other", role="contributor")
    not_due = item(Kind.DOCUMENT_REVIEW, 5, key=4, owner="Nguyễn Thị Lan")
    assert digest([owned, approver, neither, not_due], ME, TODAY).documents_past_review == (owned, approver)


def test_audits_and_certificate_dates_within_30_days_are_coming():
    audit = item(Kind.EXTERNAL_AUDIT, DIGEST_DAYS, key=1)
    too_far = item(Kind.INTERNAL_AUDIT, DIGEST_DAYS + 1, key=2)
    running = item(Kind.INTERNAL_AUDIT, -1, key=3, ends=TODAY + timedelta(days=1))
    past = item(Kind.EXTERNAL_AUDIT, -3, key=4, ends=TODAY - timedelta(days=1))
    held = item(Kind.EXTERNAL_AUDIT, 3, key=5, done=True)
    expiry = item(Kind.CERTIFICATE_EXPIRY, 0, key=6)
    surveillance = item(Kind.SURVEILLANCE_DUE, 12, key=6)
    stage = item(Kind.STAGE, 2, key=7)  # stages are in the calendar, not in the digest
    found = digest([audit, too_far, running, past, held, expiry, surveillance, stage], ME, TODAY)
    assert found.coming == (running, expiry, surveillance, audit)


def test_nothing_due_is_an_empty_digest():
    found = digest([item(Kind.TASK, 3, owner="Nguyễn Thị Lan"), item(Kind.STAGE, 1)], ME, TODAY)
    assert found.empty and found.count == 0


def test_the_subject_counts_the_sections_that_hold_something():
    found = digest(
        [item(Kind.TASK, -1, owner="lan@example.com"), item(Kind.EXTERNAL_AUDIT, 3, key=2),
         item(Kind.CERTIFICATE_EXPIRY, 4, key=3)],
        ME, TODAY,
    )  # fmt: skip
    assert subject(found) == "Your Readiness digest: 1 overdue, 2 coming up"


def test_the_same_row_read_twice_is_listed_once():
    task = item(Kind.TASK, -1, owner="lan@example.com")
    assert digest([task, task], ME, TODAY).overdue == (task,)
    assert len(calendar_events([task, task], TODAY)) == 1


def test_calendar_events_span_their_days_and_keep_stable_uids():
    stage = item(Kind.STAGE, 3, key=12, ends=TODAY + timedelta(days=20), what="Training stage (planned)")
    task = item(Kind.TASK, -1, key=12)
    events = calendar_events([task, stage], TODAY)
    assert [e.uid for e in events] == ["task-12@readiness", "stage-12@readiness"]
    assert (events[1].starts, events[1].ends) == (TODAY + timedelta(days=3), TODAY + timedelta(days=20))
    assert events[1].summary == "Client — Site: Training stage (planned)"
    assert events[0].starts == events[0].ends == TODAY - timedelta(days=1)


def test_waiting_and_undated_items_and_those_outside_the_window_are_not_events():
    inside = item(Kind.CERTIFICATE_EXPIRY, FEED_FUTURE_DAYS, key=1)
    events = calendar_events(
        [
            item(Kind.EVIDENCE_TO_REVIEW, -1, key=2),
            item(Kind.REVISION_TO_APPROVE, -1, key=3),
            item(Kind.TASK, None, key=4),
            item(Kind.CERTIFICATE_EXPIRY, FEED_FUTURE_DAYS + 1, key=5),
            item(Kind.EXTERNAL_AUDIT, -FEED_PAST_DAYS - 1, key=6),
            inside,
        ],
        TODAY,
    )
    assert [e.uid for e in events] == [inside.uid]


def test_an_item_without_a_site_is_placed_at_its_client():
    assert item(Kind.CERTIFICATE_EXPIRY, 1, site="").summary == "Client: Something"


@pytest.mark.parametrize(
    ("kind", "days", "ends", "expected"),
    [
        (Kind.TASK, -12, None, "due 2026-11-20, 12 days ago"),
        (Kind.TASK, -1, None, "due 2026-12-01, yesterday"),
        (Kind.CERTIFICATE_EXPIRY, 0, None, "2026-12-02, today"),
        (Kind.CERTIFICATE_EXPIRY, 1, None, "2026-12-03, in 1 day"),
        (Kind.EXTERNAL_AUDIT, 8, 9, "2026-12-10 to 2026-12-11"),
        (Kind.EVIDENCE_TO_REVIEW, -3, None, "waiting since 2026-11-29"),
    ],
)
def test_when_words_the_day(kind, days, ends, expected):
    end = None if ends is None else TODAY + timedelta(days=ends)
    assert when(item(kind, days, ends=end), TODAY) == expected
