"""The audit trail's pure rules: values as text, what counts as a change, actions, filters from the URL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from app.domain.trail import (
    MAX_VALUE_CHARS,
    ActivityFilters,
    TrailAction,
    as_text,
    changed_fields,
    field_label,
    parse_filters,
    readable_changes,
    soft_delete_action,
)


def test_values_are_short_text():
    assert as_text(None) == ""
    assert as_text(date(2026, 12, 2)) == "2026-12-02"
    assert as_text(datetime(2026, 12, 2, 9, 30, 15, tzinfo=UTC)) == "2026-12-02T09:30+00:00"
    assert as_text(Decimal("1500.000")) == "1500"
    assert as_text(Decimal("1200.50")) == "1200.5"
    assert as_text(Decimal("0.000")) == "0"
    assert as_text(Decimal("1E+3")) == "1000"
    assert as_text(True) == "yes" and as_text(False) == "no"
    assert as_text(["Beta", "Alpha"]) == "Alpha, Beta"
    assert len(as_text("x" * 2000)) == MAX_VALUE_CHARS


def test_only_fields_whose_text_differs_are_changes():
    pairs = [
        ("planned", Decimal("1200.500"), Decimal("1200.5")),
        ("owner", "", None),
        ("status", "open", "done"),
        ("due_date", None, date(2027, 1, 15)),
    ]
    assert changed_fields(pairs) == [("status", "open", "done"), ("due_date", "", "2027-01-15")]


def test_soft_deletes_and_restores():
    assert soft_delete_action(False, True) == TrailAction.DELETED
    assert soft_delete_action(True, False) == TrailAction.RESTORED
    assert soft_delete_action(False, False) == TrailAction.CHANGED


def test_fields_read_as_words():
    assert field_label("due_date") == "due date"
    assert field_label("reviewed_by_id") == "reviewed by"
    assert field_label("some_new_field") == "some new field"
    [line] = readable_changes([["action_due", "", "2027-01-01"]])
    assert (line.field, line.old, line.new) == ("action due", "", "2027-01-01")


def test_filters_from_the_url_ignore_what_they_cannot_read():
    args = {"user": "3", "client": "x", "project": "0", "kind": "task", "object": "9", "since": "2026-11-01",
            "until": "2026-02-30"}  # fmt: skip
    expected = ActivityFilters(user_id=3, kind="task", object_id=9, since=date(2026, 11, 1))
    assert parse_filters(args) == expected
    assert parse_filters({"kind": "tasks", "object": "9"}) == ActivityFilters()  # no object without a kind
    assert parse_filters({"user": "99999999999"}) == ActivityFilters()


def test_filters_go_back_into_the_url():
    filters = ActivityFilters(client_id=4, kind="budget", object_id=7, until=date(2026, 12, 1))
    assert filters.query_args() == {"client": "4", "kind": "budget", "object": "7", "until": "2026-12-01"}
    assert parse_filters(filters.query_args()) == filters
