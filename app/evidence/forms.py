"""The forms of the evidence pages: add evidence, review it, replace its file, and the list's filters.

Files are checked on their content by the service (``app.domain.file_types``), not by ``FileAllowed``
(which trusts the name), and their size while they are copied, not by ``FileSize`` (which reads the
whole file into memory).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from app.domain.evidence_rules import STATE_LABELS, ReviewAction, is_id
from app.domain.text import _, _l
from app.forms import (
    FilterSelect,
    KnownChoice,
    TrimmedStringField,
    VersionField,
    select_choices,
    strip_filter,
)
from app.services.evidence import NewEvidence, Upload
from app.services.evidence_queries import ClauseOption, Filters, TaskOption

KIND_CHOICES = [
    ("file", _l("A file: a photo, a scan, a PDF, a spreadsheet")),
    ("link", _l("A link to a page or a shared document")),
    ("note", _l("A note")),
]


def clause_pairs(clauses: Sequence[ClauseOption], empty: str) -> list[tuple[str, str]]:
    return [("", empty), *((c.number, f"{c.number} {c.title}") for c in clauses)]


def task_pairs(tasks: Sequence[TaskOption], empty: str) -> list[tuple[str, str]]:
    return [
        ("", empty),
        *((str(t.id), f"{t.stage.replace('_', ' ').capitalize()}: {t.title}") for t in tasks),
    ]


def clause_choices(clauses: Sequence[ClauseOption], empty: str) -> list[Any]:
    return select_choices(clause_pairs(clauses, empty))


def task_choices(tasks: Sequence[TaskOption], empty: str) -> list[Any]:
    return select_choices(task_pairs(tasks, empty))


class FieldErrors:
    def add_errors(self, errors: Mapping[str, str]) -> None:
        """Show the service's refusals beside their fields (the rest above the form)."""
        for name, message in errors.items():
            field = getattr(self, name, None)
            if field is None:
                continue
            field.errors = [*field.errors, message]


class EvidenceForm(FieldErrors, FlaskForm):
    kind = RadioField(
        _l("What is it?"),
        choices=select_choices(KIND_CHOICES),
        default="file",
        validate_choice=False,
        validators=[KnownChoice(_l("Choose a file, a link or a note."))],
    )
    title = TrimmedStringField(
        _l("Title"), description=_l("What an auditor will see, e.g. “Calibration certificate, scale 3”.")
    )
    clause = SelectField(_l("Requirement"), validate_choice=False)
    task = SelectField(_l("Task"), validate_choice=False)
    valid_until = DateField(
        _l("Valid until"),
        validators=[Optional()],
        description=_l("For certificates and calibration records that expire."),
    )
    file = FileField(_l("File"), description=_l("PDF, image, Office document, CSV or text."))
    url = TrimmedStringField(
        _l("Link"), description=_l("For a link: the full address, starting with https://.")
    )
    note = TextAreaField(
        _l("Note"), filters=[strip_filter], description=_l("For a note: what was seen or done.")
    )

    def setup(self, clauses: Sequence[ClauseOption], tasks: Sequence[TaskOption]) -> EvidenceForm:
        self.clause.choices = clause_choices(clauses, _("No requirement"))
        self.task.choices = task_choices(tasks, _("No task"))
        return self

    def evidence(self) -> NewEvidence:
        """What the form asks for, as the service takes it (unknown choices are refused by the service)."""
        task = self.task.data or ""
        upload = self.file.data
        return NewEvidence(
            kind=self.kind.data or "",
            title=self.title.data or "",
            clause=self.clause.data or None,
            task_id=int(task) if is_id(task) else (0 if task else None),  # 0: no such task
            valid_until=self.valid_until.data,
            url=self.url.data or "",
            note=self.note.data or "",
            upload=Upload(upload.filename or "", upload.stream) if upload else None,
        )


class ReviewForm(FieldErrors, FlaskForm):
    """Accept or reject: the button pressed sends ``decision``, and ``version`` names the file version the
    page showed as the latest (the one reviewed)."""

    decision = StringField()
    version = VersionField()
    comment = TextAreaField(
        _l("Comment"),
        filters=[strip_filter],
        description=_l("Required when rejecting: say what to fix."),
        render_kw={"rows": 2},
    )

    def validate_decision(self, field: StringField) -> None:
        if field.data not in (ReviewAction.ACCEPT, ReviewAction.REJECT):
            raise ValidationError(_l("Choose accept or reject."))


class VersionForm(FieldErrors, FlaskForm):
    file = FileField(_l("New version of the file"), description=_l("The earlier versions are kept."))

    def upload(self) -> Upload | None:
        data = self.file.data
        return Upload(data.filename or "", data.stream) if data else None


class ConfirmForm(FlaskForm):
    """A button with only the CSRF token: submit, delete, restore."""


def clean_filters(
    args: Mapping[str, str], clauses: Sequence[ClauseOption], tasks: Sequence[TaskOption], owner: bool
) -> Filters:
    """Keep a filter only if it names something that exists; anything else means "all"."""
    clause = args.get("clause")
    task = args.get("task", "")
    state = args.get("state")
    return Filters(
        clause=clause if clause in {c.number for c in clauses} else None,
        task_id=int(task) if is_id(task) and int(task) in {t.id for t in tasks} else None,
        state=state if state in STATE_LABELS else None,
        deleted=owner and args.get("deleted") == "1",
    )


STATE_CHOICES = (("", _l("All states")), *STATE_LABELS.items())


def filter_bar(
    filters: Filters, clauses: Sequence[ClauseOption], tasks: Sequence[TaskOption]
) -> dict[str, FilterSelect]:
    """The list's filter bar (a GET form that validates nothing: :func:`clean_filters` keeps only known
    values), its selects by name, each showing the filter in force."""
    return {
        "clause": FilterSelect(
            "clause", _("Requirement"), clause_pairs(clauses, _("All requirements")), filters.clause or ""
        ),
        "task": FilterSelect(
            "task", _("Task"), task_pairs(tasks, _("All tasks")), str(filters.task_id or "")
        ),
        "state": FilterSelect("state", _("State"), STATE_CHOICES, filters.state or ""),
    }
