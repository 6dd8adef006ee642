"""The forms of the people pages: a person, leaving and coming back, the staff list's upload and its
confirmation, and the list's filters.

The forms only read what was typed; the rules (name, dates, job role, account) are checked by the service
with :mod:`app.domain.training`, and its messages are shown beside the fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, SelectField
from wtforms.validators import Optional

from app.documents.forms import FilterSelect
from app.domain import staff_list
from app.domain.ids import is_id
from app.domain.text import _, _l, grouped
from app.evidence.forms import FieldErrors
from app.forms import TrimmedStringField, VersionField, select_choices
from app.services.people import PersonFields
from app.services.staff_list import STATUS_LABELS, STATUSES, PeopleFilters

SEARCH_MAX_LENGTH = 120
NOT_AN_ACCOUNT = -1  # a posted account that is no id: refused by the service like a stranger's


class PersonForm(FieldErrors, FlaskForm):
    name = TrimmedStringField(_l("Name"), description=_l("As on the staff list, e.g. “Nguyen Van An”."))
    job_role = SelectField(
        _l("Job role"), validate_choice=False, description=_l("One of the job roles of this project.")
    )
    department = TrimmedStringField(
        _l("Department"),
        description=_l("e.g. “Assembly”, “Warehouse”, “QA”."),
        render_kw={"list": "departments"},
    )
    started_on = DateField(
        _l("Started on"), validators=[Optional()], description=_l("Optional; not in the future.")
    )
    user_id = SelectField(
        _l("User account"),
        validate_choice=False,
        description=_l("Only for people who sign in to this app; most shop-floor staff have none."),
    )
    version = VersionField()  # the person's version when the edit form was read

    def setup(
        self, roles: Sequence[str], accounts: Sequence[tuple[int, str]], kept_role: str = ""
    ) -> PersonForm:
        """The choices: the project's job roles (and the person's role from another project of the site,
        which they may keep) and the members of the workspace."""
        extra = (
            [(kept_role, _("%(role)s (a role of another project)", role=kept_role))]
            if kept_role not in ("", *roles)
            else []
        )
        self.job_role.choices = select_choices([("", _("No job role")), *((r, r) for r in roles), *extra])
        self.user_id.choices = select_choices(
            [("", _("No account")), *((str(i), label) for i, label in accounts)]
        )
        return self

    def fields(self) -> PersonFields:
        """What was typed, as the service takes it."""
        account = self.user_id.data or ""
        return PersonFields(
            name=self.name.data or "",
            job_role=self.job_role.data or "",
            department=self.department.data or "",
            started_on=self.started_on.data,
            user_id=(int(account) if is_id(account) else NOT_AN_ACCOUNT) if account else None,
        )


class LeftForm(FieldErrors, FlaskForm):
    left_on = DateField(
        _l("Leaves (or left) on"),
        validators=[Optional()],
        description=_l("They drop off the training matrix on this day. Up to a year ahead."),
    )
    version = VersionField()  # the person's


class BackForm(FieldErrors, FlaskForm):
    version = VersionField()  # the person's


class ImportForm(FieldErrors, FlaskForm):
    file = FileField(_l("Staff list (CSV)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Said in the reader's language, with the limit in it: written when the form is made.
        self.file.description = _(
            "Columns name, job role, department, start date (YYYY-MM-DD); up to 1 MB and %(rows)s people.",
            rows=grouped(staff_list.CSV_MAX_ROWS),
        )

    def content(self) -> bytes | None:
        """The file's bytes, read no further than one byte past the limit (the rules refuse more)."""
        data = self.file.data
        if not data or not getattr(data, "stream", None):
            return None
        content: bytes = data.stream.read(staff_list.CSV_MAX_BYTES + 1)
        return content


class ConfirmImportForm(FieldErrors, FlaskForm):
    """The previewed file sent back as text: it is read again, and only its clean rows are saved."""

    csv_text = HiddenField()

    def content(self) -> bytes:
        # A browser sends a field's line breaks as CRLF: undone, so the size is the file's again.
        text = (self.csv_text.data or "").replace("\r\n", "\n")
        return text.encode("utf-8", "replace")


def clean_filters(args: Mapping[str, str], roles: Sequence[str], departments: Sequence[str]) -> PeopleFilters:
    """Keep a filter only if it names something that exists; anything else means no filter."""
    department, role, status = args.get("department"), args.get("role"), args.get("status")
    return PeopleFilters(
        department=department if department in departments else None,
        job_role=role if role in roles else None,
        status=status if status in STATUSES else "active",
        search=" ".join((args.get("q") or "").split())[:SEARCH_MAX_LENGTH],
    )


def filter_bar(
    filters: PeopleFilters, roles: Sequence[str], departments: Sequence[str]
) -> dict[str, FilterSelect]:
    """The filter bar's selects by name, each showing the filter in force."""
    return {
        "department": FilterSelect(
            "department",
            _("Department"),
            [("", _("All departments")), *((d, d) for d in departments)],
            filters.department or "",
        ),
        "role": FilterSelect(
            "role",
            _("Job role"),
            [("", _("All job roles")), *((r, r) for r in roles)],
            filters.job_role or "",
        ),
        "status": FilterSelect("status", _("Status"), list(STATUS_LABELS.items()), filters.status),
    }


def form_data(values: Mapping[str, Any], version: int) -> dict[str, Any]:
    return {**values, "version": version}
