"""The gap analysis import's rules, on plain values: each row is a change, unchanged, or refused with its
reason; the file's header and About sheet; the signed row versions; the export's number formats."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from app.domain.exports import GAP_HEADERS, money_format, places_of, row_token, safe_text, token_version
from app.domain.gap_import import FileRefused, Saved, check_about, check_headers, plan

KEY = b"test-key"
PROJECT = 7
TODAY = date(2026, 12, 2)


def saved(version: int = 3, status: str = "not_assessed", excludable: bool = False, **fields: Any) -> Saved:
    values = {"owner": "", "due_date": None, "notes": "", "justification": ""} | fields
    return Saved(version=version, status=status, may_be_not_applicable=excludable, **values)


SAVED = {"4.1": saved(), "7.1.5.2": saved(excludable=True), "8.3": saved(version=5, status="met")}


def row(clause: str, status: str = "Not assessed", version: int | None = None, **fields: Any) -> list[Any]:
    token = row_token(
        KEY, PROJECT, clause, version if version is not None else SAVED.get(clause, saved()).version
    )
    return [
        clause,
        "title",
        status,
        fields.get("owner", ""),
        fields.get("due"),
        fields.get("notes", ""),
        fields.get("justification", ""),
        "No",
        fields.get("token", token),
    ]


def judge(*rows: list[Any]) -> Any:
    numbered = [(index + 2, cells) for index, cells in enumerate(rows)]
    return plan(numbered, SAVED, key=KEY, project_id=PROJECT, not_applicable_rule="scope", today=TODAY)


def test_a_changed_row_lists_each_field_old_and_new() -> None:
    result = judge(row("4.1", "met", owner=" Lan ", due=datetime(2027, 1, 31), notes="ok"))
    [change] = result.changes
    assert (change.clause, change.version, change.row) == ("4.1", 3, 2)
    assert [(c.name, c.old, c.new) for c in change.changes] == [
        ("status", "not_assessed", "met"),
        ("owner", "", "Lan"),
        ("due_date", None, date(2027, 1, 31)),
        ("notes", "", "ok"),
    ]
    assert change.verdict == {
        "status": "met", "owner": "Lan", "due_date": date(2027, 1, 31), "notes": "ok", "justification": ""
    }  # fmt: skip


def test_unchanged_and_blank_rows_change_nothing() -> None:
    result = judge(row("4.1"), [None] * 9, row("8.3", "Met", version=5))
    assert (result.changes, result.refused, result.unchanged) == ([], [], 2)


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (row("99.1", "Met", version=1), "Unknown clause 99.1"),
        (row("", "Met"), "no clause number"),
        (row("4.1", "Sort of"), "Unknown status “Sort of”"),
        (row("4.1", "Not applicable", justification="not us"), "cannot be left out"),
        (row("7.1.5.2", "Not applicable"), "Explain why this requirement does not apply"),
        (row("4.1", "Met", version=2), "Changed in the app since the export (version 2 then, 3 now)"),
        (row("4.1", "Met", token="v3.forged"), "hidden row version is missing or was edited"),
        (row("4.1", "Met", token=None), "hidden row version is missing or was edited"),
        (row("4.1", "Met", token=row_token(KEY, PROJECT + 1, "4.1", 3)), "was edited"),  # another project's
        (row("4.1", "Met", due="soon"), "Due date “soon” is not a date"),
        (row("4.1", "Met", due=date(1999, 1, 1)), "Due date: Enter a date between 2000"),
        (row("4.1", "Met", owner="x" * 121), "Owner: Use at most 120 characters"),
    ],
)
def test_each_refused_row_says_why(cells: list[Any], reason: str) -> None:
    result = judge(cells)
    assert result.changes == []
    [refused] = result.refused
    assert reason in refused.reason


def test_a_clause_twice_is_refused_the_second_time() -> None:
    result = judge(row("4.1", "Met"), row("4.1", "Not met"))
    assert [c.clause for c in result.changes] == ["4.1"]
    assert "appears twice (rows 2 and 3)" in result.refused[0].reason


def test_not_applicable_keeps_its_justification_and_other_statuses_drop_it() -> None:
    result = judge(
        row("7.1.5.2", "not_applicable", justification="No measuring"), row("4.1", "Met", justification="x")
    )
    assert result.changes[0].verdict["justification"] == "No measuring"
    assert result.changes[1].verdict["justification"] == ""


def test_an_unchanged_row_is_not_refused_even_if_changed_in_the_app_since() -> None:
    assert judge(row("8.3", "Met", version=4)).unchanged == 1


def test_the_plans_digest_follows_what_it_applies() -> None:
    one, same, other = judge(row("4.1", "Met")), judge(row("4.1", "Met")), judge(row("4.1", "Not met"))
    assert one.digest() == same.digest() != other.digest()


def test_the_header_must_be_the_exports() -> None:
    check_headers([*GAP_HEADERS, None, ""])
    for bad in (
        [*GAP_HEADERS[:2], GAP_HEADERS[3], GAP_HEADERS[2], *GAP_HEADERS[4:]],
        GAP_HEADERS[:-1],
        ["Clause"],
    ):
        with pytest.raises(FileRefused, match="moved, renamed"):
            check_headers(bad)


def test_the_about_sheet_names_this_project_and_standard() -> None:
    about = {"Project id": 7, "Standard code": "iso9001", "Standard version": "2015"}
    check_about(about, 7, "iso9001", "2015")
    check_about(about | {"Project id": 7.0}, 7, "iso9001", "2015")
    with pytest.raises(FileRefused, match="another project"):
        check_about(about, 8, "iso9001", "2015")
    with pytest.raises(FileRefused, match="another standard"):
        check_about(about, 7, "iso13485", "2016")
    with pytest.raises(FileRefused, match="another project"):
        check_about({}, 7, "iso9001", "2015")


def test_row_tokens_are_signed_per_project_clause_and_version() -> None:
    token = row_token(KEY, 1, "4.1", 12)
    assert token.startswith("v12.")
    assert token_version(KEY, 1, "4.1", token) == 12
    assert token_version(KEY, 1, "4.2", token) is None
    assert token_version(b"other", 1, "4.1", token) is None
    assert token_version(KEY, 1, "4.1", token.replace("v12", "v13")) is None
    assert token_version(KEY, 1, "4.1", 12) is None


def test_money_and_text_formats() -> None:
    assert money_format("USD", 2) == '#,##0.00 "USD"'
    assert money_format("VND", 0) == '#,##0 "VND"'
    assert [places_of(Decimal(u)) for u in ("0.01", "1", "0.001")] == [2, 0, 3]
    assert [safe_text(t) for t in ("=SUM(A1)", "+1", "-x", "@a", "plain")] == [
        "'=SUM(A1)",
        "'+1",
        "'-x",
        "'@a",
        "plain",
    ]
