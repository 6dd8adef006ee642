"""The factory's staff list as CSV: reading it into rows with their problems (nothing is saved here), writing
it back, and the rules on a person's name and dates that the people pages and the import share.

Columns: ``name, job role, department, start date`` (dates as YYYY-MM-DD). A file larger than 1 MB, with more
than 5,000 rows, that is not UTF-8 text, or whose first line does not name the columns, is refused as a whole;
otherwise each row is reported with its problems (an empty name, a bad date, an unknown job role) or as a
duplicate (already on the staff list, or earlier in the same file), and only clean rows are imported.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from app.domain.text import _, _l, grouped

NAME_MAX_LENGTH = 120
TEXT_MAX_LENGTH = 120
CSV_MAX_BYTES = 1024 * 1024  # 1 MB: a staff list of thousands of people fits easily
CSV_MAX_ROWS = 5_000
CSV_COLUMNS = ("name", "job role", "department", "start date")
EARLIEST = date(1950, 1, 1)

# The staff list

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet runs as a formula (CSV injection)
DELIMITERS = (",", ";", "\t")  # a spreadsheet saves CSV with the separator of its locale
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
LEAVING_AHEAD_DAYS = 366  # a leaving date may be given ahead (a notice period), up to a year
NOT_TEXT = _l("This is not a CSV text file (save the spreadsheet as CSV UTF-8).")


@dataclass(frozen=True)
class StaffRow:
    line: int  # the line in the file (the header is line 1)
    name: str
    job_role: str
    department: str
    started_on: date | None
    problems: tuple[str, ...] = ()
    duplicate: bool = False  # already on the staff list (or earlier in the same file)
    same_as_line: int | None = None  # a duplicate of this earlier line of the file (None: of the staff list)

    @property
    def clean(self) -> bool:
        return not self.problems and not self.duplicate

    @property
    def duplicate_note(self) -> str:
        if not self.duplicate:
            return ""
        if self.same_as_line is not None:
            return _(
                "Same name as line %(line)d of this file: imported once at most.", line=self.same_as_line
            )
        return _("Already on the staff list: not imported again.")


@dataclass(frozen=True)
class StaffList:
    rows: tuple[StaffRow, ...] = ()
    error: str | None = None  # a problem with the whole file: nothing can be imported
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def clean_rows(self) -> list[StaffRow]:
        return [row for row in self.rows if row.clean]

    @property
    def problem_count(self) -> int:
        return sum(1 for row in self.rows if row.problems)

    @property
    def duplicate_count(self) -> int:
        return sum(1 for row in self.rows if row.duplicate and not row.problems)


def name_key(name: str) -> str:
    """A name folded for comparison: "  Nguyen  Van  An " and "nguyen van an" are the same person."""
    return " ".join(name.split()).casefold()


def name_error(name: str) -> str | None:
    """A person's name (already stripped): given, and short enough to store, folded too ("ß" folds to
    "ss", so a name within the limit can fold to a longer key)."""
    if not name:
        return _("The name is empty.")
    if len(name) > NAME_MAX_LENGTH or len(name_key(name)) > NAME_MAX_LENGTH:
        return _("The name is longer than %(limit)d characters.", limit=NAME_MAX_LENGTH)
    return None


def start_date_error(started_on: date | None, today: date) -> str | None:
    """A start date is optional; given, it is not in the future nor before 1950."""
    if started_on is None:
        return None
    if started_on > today:
        return _("The start date cannot be in the future.")
    if started_on < EARLIEST:
        return _("The start date cannot be before 1950.")
    return None


def left_date_error(left_on: date | None, started_on: date | None, today: date) -> str | None:
    """The day someone leaves (or left): not before they started, and at most a year ahead (a notice
    period: they stay on the matrix until that day)."""
    if left_on is None:
        return _("Give the day they leave (or left).")
    if left_on < EARLIEST:
        return _("The date is too far in the past.")
    if started_on is not None and left_on < started_on:
        return _("They started on %(day)s: the leaving day cannot be before it.", day=started_on.isoformat())
    if (left_on - today).days > LEAVING_AHEAD_DAYS:
        return _("The leaving day can be given at most a year ahead.")
    return None


def _date(text: str) -> date | None:
    """YYYY-MM-DD only (``date.fromisoformat`` also takes "20210315" and week dates)."""
    if not text:
        return None
    if not ISO_DATE.fullmatch(text):
        raise ValueError(text)
    return date.fromisoformat(text)


def _delimiter(text: str) -> str:
    """The separator of the header line: the one it holds most of (a comma when it holds none). Only the
    header is looked at: it names the columns, so it holds three separators and nothing quoted."""
    header = text.split("\n", 1)[0]
    return max(DELIMITERS, key=header.count)


def _unescaped(value: str) -> str:
    """A cell as it was before :func:`staff_csv` guarded it against formulas, so an export imports back."""
    return value[1:] if value[:1] == "'" and value[1:2] in FORMULA_STARTS else value


def read_staff_csv(
    data: bytes, known_roles: Iterable[str], existing_names: Iterable[str], today: date
) -> StaffList:
    """Read a staff list (columns name, job role, department, start date as YYYY-MM-DD) into rows with
    their problems; nothing is saved here. ``known_roles`` are the project's job role names, and
    ``existing_names`` the names already on the site's staff list (a second import adds nobody twice)."""
    if len(data) > CSV_MAX_BYTES:
        return StaffList(error=_("The file is larger than 1 MB: split it into smaller files."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return StaffList(error=NOT_TEXT)
    if "\x00" in text:
        return StaffList(error=NOT_TEXT)
    reader = csv.reader(io.StringIO(text), csv.excel, delimiter=_delimiter(text))
    try:
        header = next(reader)
    except StopIteration:
        return StaffList(error=_("The file is empty."))
    except csv.Error as exc:
        return StaffList(error=_("The file could not be read as CSV: %(problem)s.", problem=exc))
    columns = [h.strip().casefold() for h in header]
    if columns[: len(CSV_COLUMNS)] != list(CSV_COLUMNS):
        found = ", ".join(header) or _("nothing")
        return StaffList(
            error=_(
                "The first line must name the columns: %(columns)s (found: %(found)s).",
                columns=", ".join(CSV_COLUMNS),
                found=found,
            )
        )
    roles = {name_key(r): r for r in known_roles}
    seen: dict[str, int | None] = dict.fromkeys((name_key(n) for n in existing_names), None)
    rows: list[StaffRow] = []
    try:
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= CSV_MAX_ROWS:
                return StaffList(
                    error=_(
                        "The file has more than %(rows)s rows: split it into parts.",
                        rows=grouped(CSV_MAX_ROWS),
                    )
                )
            rows.append(_row(number, values, roles, seen, today))
    except csv.Error as exc:
        return StaffList(error=_("The file could not be read as CSV: %(problem)s.", problem=exc))
    if not rows:
        return StaffList(error=_("The file names nobody: add one person per line under the header."))
    return StaffList(rows=tuple(rows))


def _row(
    number: int, values: list[str], roles: Mapping[str, str], seen: dict[str, int | None], today: date
) -> StaffRow:
    """One line of the file; ``seen`` maps the folded names met so far to their line (None: on the staff
    list already), and takes this line's name."""
    cells = [_unescaped(v.strip()) for v in values] + [""] * len(CSV_COLUMNS)
    name, role, department, started = cells[:4]
    problems = []
    if problem := name_error(name):
        problems.append(problem)
    if role and name_key(role) not in roles:
        problems.append(
            _(
                "Unknown job role “%(role)s”: add it under Job roles first, or correct the spelling.",
                role=role,
            )
        )
    if len(department) > TEXT_MAX_LENGTH:
        problems.append(_("The department is longer than %(limit)d characters.", limit=TEXT_MAX_LENGTH))
    started_on = None
    try:
        started_on = _date(started)
    except ValueError:
        problems.append(
            _("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2021-03-15.", value=started)
        )
    if problem := start_date_error(started_on, today):
        problems.append(problem)
        started_on = None
    key = name_key(name)
    duplicate = bool(name) and key in seen
    same_as_line = seen.get(key) if duplicate else None
    if name and not duplicate:
        seen[key] = number
    return StaffRow(
        number,
        name,
        roles.get(name_key(role), role),
        department,
        started_on,
        tuple(problems),
        duplicate,
        same_as_line,
    )


def staff_csv(rows: Iterable[tuple[str, str, str, date | None]]) -> str:
    """The staff list as CSV, in the columns the import reads."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for name, role, department, started in rows:
        writer.writerow([_safe(name), _safe(role), _safe(department), started.isoformat() if started else ""])
    return out.getvalue()


def _safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    return f"'{value}" if value[:1] in FORMULA_STARTS else value
