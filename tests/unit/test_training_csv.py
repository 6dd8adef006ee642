"""The staff list's CSV (reading with a preview of each row's problems, and the export) and the rules of a
person's name and dates, without an app."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain import staff_list

TODAY = date(2026, 5, 1)
HEADER = "name,job role,department,start date\n"
ROLES = ("Operator", "QA inspector")


def read(text: str | bytes, existing: tuple[str, ...] = ()) -> staff_list.StaffList:
    data = text.encode() if isinstance(text, str) else text
    return staff_list.read_staff_csv(data, ROLES, existing, TODAY)


def only_row(text: str, existing: tuple[str, ...] = ()) -> staff_list.StaffRow:
    staff = read(HEADER + text, existing)
    assert staff.error is None and len(staff.rows) == 1, staff
    return staff.rows[0]


# Whole-file errors: nothing can be imported


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a CSV text file"),
        ("name,job role,department,start date\nJosé,,,\n".encode("latin-1"), "not a CSV text file"),
        (b"name,job role,department,start date\nAn\x00,,,\n", "not a CSV text file"),
        (b"full name,role,dept,started\nAn,,,\n", "The first line must name the columns"),
        (b"name|job role|department|start date\nAn|||\n", "The first line must name the columns"),
        (HEADER.encode(), "The file names nobody"),
        ((HEADER + "\n,,,\n").encode(), "The file names nobody"),
    ],
)
def test_a_file_that_cannot_be_imported_says_why(data, message):
    staff = read(data)
    assert staff.error is not None and message in staff.error
    assert staff.rows == () and staff.clean_rows == []


def test_the_wrong_header_is_quoted_back():
    staff = read("Name;Role\nAn;Operator\n")
    assert staff.error == (
        "The first line must name the columns: name, job role, department, start date (found: Name, Role)."
    )


def test_a_file_over_one_megabyte_is_refused_before_reading():
    data = (HEADER + "An,,,\n" * 200_000).encode()
    assert len(data) > staff_list.CSV_MAX_BYTES
    assert read(data).error == "The file is larger than 1 MB: split it into smaller files."
    assert read(b"x" * (staff_list.CSV_MAX_BYTES + 1)).error == read(data).error


def test_more_than_five_thousand_rows_are_refused():
    rows = "".join(f"Person {n},,,\n" for n in range(staff_list.CSV_MAX_ROWS + 1))
    staff = read(HEADER + rows)
    assert staff.error == "The file has more than 5,000 rows: split it into parts."
    assert staff.rows == ()


def test_exactly_five_thousand_rows_and_blank_lines_after_them_are_read():
    rows = "".join(f"Person {n},,,\n" for n in range(staff_list.CSV_MAX_ROWS))
    staff = read(HEADER + rows + "\n,,,\n\n")
    assert staff.error is None and len(staff.clean_rows) == staff_list.CSV_MAX_ROWS


# Rows and their problems


def test_a_clean_row_keeps_its_values_and_the_roles_spelling():
    row = only_row("  Nguyen Van An , operator ,Assembly,2021-03-15\n")
    assert row == staff_list.StaffRow(2, "Nguyen Van An", "Operator", "Assembly", date(2021, 3, 15))
    assert row.clean and row.duplicate_note == ""


def test_the_job_role_and_start_date_may_be_empty_and_missing_columns_are_empty():
    row = only_row("Tran Thi Binh\n")
    assert (row.name, row.job_role, row.department, row.started_on, row.clean) == (
        "Tran Thi Binh",
        "",
        "",
        None,
        True,
    )


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (",Operator,Assembly,2021-03-15", "The name is empty."),
        ("  ,,QA,", "The name is empty."),
        ("X" * 121 + ",,,", "The name is longer than 120 characters."),
        ("ß" * 70 + ",,,", "The name is longer than 120 characters."),  # folds to 140 characters
        ("An,Forklift driver,,", "Unknown job role “Forklift driver”"),
        ("An,,Assembly,15/03/2021", "“15/03/2021” is not a date: write it as YYYY-MM-DD"),
        ("An,,Assembly,20210315", "“20210315” is not a date"),
        ("An,,Assembly,2021-W10-1", "“2021-W10-1” is not a date"),
        ("An,,Assembly,2021-02-30", "“2021-02-30” is not a date"),
        ("An,,Assembly,\uff12\uff10\uff12\uff11-03-15", "is not a date"),  # full-width digits
        ("An,,Assembly,2026-05-02", "The start date cannot be in the future."),
        ("An,,Assembly,1949-12-31", "The start date cannot be before 1950."),
        ("An,," + "D" * 121 + ",", "The department is longer than 120 characters."),
    ],
)
def test_each_problem_of_a_row_is_named(line, problem):
    row = only_row(line + "\n")
    assert not row.clean
    assert any(problem in p for p in row.problems), row.problems


def test_a_row_lists_every_problem_it_has():
    row = only_row(",Welder,,yesterday\n")
    assert len(row.problems) == 3 and row.started_on is None


def test_the_start_date_may_be_today():
    assert only_row(f"An,,,{TODAY.isoformat()}\n").started_on == TODAY


# Duplicates: a second import adds nobody


def test_someone_on_the_staff_list_is_a_duplicate_whatever_the_case_and_spacing():
    row = only_row("NGUYEN  van An,,,\n", existing=("Nguyen Van An",))
    assert row.duplicate and not row.problems and not row.clean
    assert row.duplicate_note == "Already on the staff list: not imported again."


def test_a_name_repeated_in_the_file_is_imported_once():
    staff = read(HEADER + "An,,,\nBinh,,,\nan ,,,\n")
    assert [r.clean for r in staff.rows] == [True, True, False]
    assert staff.rows[2].same_as_line == 2
    assert staff.rows[2].duplicate_note == "Same name as line 2 of this file: imported once at most."
    assert (staff.problem_count, staff.duplicate_count) == (0, 1)


def test_importing_the_clean_rows_then_the_same_file_again_finds_nothing_to_add():
    text = HEADER + "An,Operator,,2020-01-01\n,,,\nBinh,Welder,,\nChi,,,\n"
    first = read(text)
    assert [r.name for r in first.clean_rows] == ["An", "Chi"]
    second = read(text, existing=tuple(r.name for r in first.clean_rows))
    assert second.clean_rows == []


# The file's dialect


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_the_separator_is_read_from_the_header(separator):
    text = separator.join(["name", "job role", "department", "start date"]) + "\n"
    text += separator.join(["Le, Van Cuong", "Operator", "Assembly", "2021-03-15"]) + "\n"
    staff = read(text.replace("Le, Van Cuong", '"Le, Van Cuong"') if separator == "," else text)
    assert staff.error is None
    assert staff.rows[0].name == "Le, Van Cuong" and staff.rows[0].started_on == date(2021, 3, 15)


def test_a_byte_order_mark_windows_line_ends_and_header_spacing_are_accepted():
    data = (
        "\ufeffName , Job Role,Department,Start Date\r\nĐặng Thị Hoa,QA inspector,QA,2019-07-01\r\n".encode()
    )
    staff = read(data)
    assert staff.error is None and staff.rows[0].name == "Đặng Thị Hoa" and staff.rows[0].clean


def test_apostrophes_in_names_are_not_taken_for_quotes():
    staff = read(HEADER + "O'Brien,Operator,'Dispatch',\nD'Arcy,,Men's wear,\n")
    assert [(r.name, r.department) for r in staff.rows] == [
        ("O'Brien", "'Dispatch'"),
        ("D'Arcy", "Men's wear"),
    ]


def test_a_broken_quote_is_a_clear_error_not_a_crash():
    staff = read(HEADER + '"An,,,\n' + "x" * 200_000 + "\n")
    assert staff.error is not None and staff.error.startswith("The file could not be read as CSV")


# The export


def test_the_export_has_the_columns_the_import_reads():
    text = staff_list.staff_csv([("An", "Operator", "Assembly", date(2021, 3, 15)), ("Binh", "", "", None)])
    assert text.splitlines() == [
        "name,job role,department,start date",
        "An,Operator,Assembly,2021-03-15",
        "Binh,,,",
    ]


def test_the_export_guards_cells_a_spreadsheet_would_run_as_formulas():
    text = staff_list.staff_csv([("=HYPERLINK(1)", "+x", "@SUM(A1)", None), ("-An", "", "", None)])
    assert text.splitlines()[1:] == ["'=HYPERLINK(1),'+x,'@SUM(A1),", "'-An,,,"]


def test_an_export_imports_back_as_the_same_people():
    people = [
        ("Nguyen Van An", "Operator", "Assembly", date(2021, 3, 15)),
        ("Le, Van Cuong", "", 'Dock "B"', None),
        ("=Tran", "QA inspector", "-QA", date(2020, 1, 1)),
    ]
    staff = read(staff_list.staff_csv(people))
    assert staff.error is None
    assert [(r.name, r.job_role, r.department, r.started_on) for r in staff.clean_rows] == people
    again = read(staff_list.staff_csv(people), existing=tuple(p[0] for p in people))
    assert again.clean_rows == [] and all(r.duplicate for r in again.rows)


# A person's name and dates (the form and the import share them)


def test_name_rules():
    assert staff_list.name_error("An") is None
    assert staff_list.name_error("") == "The name is empty."
    assert staff_list.name_error("x" * 120) is None
    assert staff_list.name_error("x" * 121) == "The name is longer than 120 characters."
    assert staff_list.name_error("ß" * 61) == "The name is longer than 120 characters."


def test_start_date_rules():
    assert staff_list.start_date_error(None, TODAY) is None
    assert staff_list.start_date_error(TODAY, TODAY) is None
    assert staff_list.start_date_error(date(2026, 5, 2), TODAY) == "The start date cannot be in the future."
    assert staff_list.start_date_error(date(1949, 12, 31), TODAY) == "The start date cannot be before 1950."


def test_leaving_day_rules():
    started = date(2024, 1, 10)
    assert staff_list.left_date_error(None, started, TODAY) == "Give the day they leave (or left)."
    assert staff_list.left_date_error(started, started, TODAY) is None
    assert staff_list.left_date_error(date(2024, 1, 9), started, TODAY) == (
        "They started on 2024-01-10: the leaving day cannot be before it."
    )
    assert staff_list.left_date_error(date(2027, 5, 2), None, TODAY) is None  # notice given: a year ahead
    assert staff_list.left_date_error(date(2027, 5, 3), None, TODAY) == (
        "The leaving day can be given at most a year ahead."
    )
    assert staff_list.left_date_error(date(1949, 12, 31), None, TODAY) == "The date is too far in the past."


def test_name_key_folds_case_and_spacing():
    assert (
        staff_list.name_key("  Nguyen  Van\tAn ") == staff_list.name_key("nguyen van an") == "nguyen van an"
    )
    assert staff_list.name_key("Straße") == "strasse"
