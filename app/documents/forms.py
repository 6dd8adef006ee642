"""The forms of the register pages: a document's entry, a new revision, the approval steps, a periodic
review, withdrawing, the suggestions, and the master list's filters.

The forms only read what was typed; the limits (code, review interval, labels...) are checked by the
service with the rules of :mod:`app.domain.documents`, and its messages are shown beside the fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import Optional

from app.domain import documents as rules
from app.domain.text import _, _l
from app.evidence.forms import FieldErrors
from app.forms import FilterSelect, TrimmedStringField, VersionField, select_choices, strip_filter
from app.models import ControlledDocument
from app.services.document_register import SORTS, STATUS_FILTERS, STATUS_LABELS, RegisterFilters
from app.services.documents import DocumentFields, NewRevision, fields_of
from app.services.evidence import Upload

NUMBER_SEPARATORS = re.compile(r"[,;\s]+")


class MonthsField(IntegerField):
    """A whole number of months; anything else gets a message saying so."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_("Enter a whole number of months.")) from None


def requirement_numbers(text: str) -> list[str]:
    """ "7.5.2, 7.5.3" (commas, semicolons or spaces between) -> ["7.5.2", "7.5.3"]."""
    return [number for number in NUMBER_SEPARATORS.split(text) if number]


class DocumentForm(FieldErrors, FlaskForm):
    code = TrimmedStringField(
        _l("Code"),
        description=_l("Unique in this project, e.g. QM-01, QP-04, WI-12, F-07. Stored in capitals."),
    )
    title = TrimmedStringField(_l("Title"))
    doc_type = SelectField(
        _l("Type"),
        choices=select_choices([("", _l("Choose the kind of document…")), *rules.TYPE_LABELS.items()]),
        validate_choice=False,
    )
    clauses = TrimmedStringField(
        _l("Requirements"),
        description=_l("The numbers of the requirements it meets, separated by commas, e.g. 7.5.2, 7.5.3."),
    )
    owner = TrimmedStringField(_l("Owner"), description=_l("Who keeps it up to date: a name or a job title."))
    review_months = MonthsField(
        _l("Review every (months)"),
        default=rules.DEFAULT_REVIEW_MONTHS,
        validators=[Optional()],
        render_kw={"min": rules.REVIEW_MONTHS.start, "max": rules.REVIEW_MONTHS.stop - 1},
        description=_l("1 to 60 months. The next review is due this long after a revision is approved."),
    )
    retention_months = MonthsField(
        _l("Keep records for (months)"),
        validators=[Optional()],
        render_kw={"min": rules.RETENTION_MONTHS.start, "max": rules.RETENTION_MONTHS.stop - 1},
        description=_l("For records and forms: how long filled-in copies are kept. Leave empty otherwise."),
    )
    used_where = TrimmedStringField(
        _l("Where it is used"), description=_l("e.g. “Warehouse, goods-in desk”.")
    )
    notes = TextAreaField(_l("Notes"), filters=[strip_filter], render_kw={"rows": 3})
    version = VersionField()  # the entry's version when the edit form was read

    def fields(self) -> DocumentFields:
        """What was typed, as the service takes it."""
        return DocumentFields(
            code=self.code.data or "",
            title=self.title.data or "",
            doc_type=self.doc_type.data or "",
            clauses=requirement_numbers(self.clauses.data or ""),
            owner=self.owner.data or "",
            review_months=self.review_months.data,
            retention_months=self.retention_months.data,
            used_where=self.used_where.data or "",
            notes=self.notes.data or "",
        )


def document_form_data(document: ControlledDocument) -> dict[str, Any]:
    """A saved entry as the edit form shows it, with the version it was read at."""
    values = fields_of(document)
    return {**values, "clauses": ", ".join(values["clauses"]), "version": document.version}


class RevisionForm(FieldErrors, FlaskForm):
    label = TrimmedStringField(_l("Revision"), description=_l("As you number them: A, B, C… or 1, 2, 3…"))
    change_note = TextAreaField(
        _l("What changed"),
        filters=[strip_filter],
        render_kw={"rows": 2},
        description=_l("For the first revision: “First issue”."),
    )
    file = FileField(
        _l("File"), description=_l("The revision as issued: a PDF, an Office document, an image.")
    )
    send_for_approval = BooleanField(_l("Send it for approval now"))

    def revision(self) -> NewRevision:
        data = self.file.data
        upload = Upload(data.filename or "", data.stream) if data else None
        return NewRevision(
            label=self.label.data or "",
            change_note=self.change_note.data or "",
            upload=upload,
            submit=bool(self.send_for_approval.data),
        )


class SubmitForm(FieldErrors, FlaskForm):
    """Send a draft revision for approval; ``version`` is the revision's as the page showed it."""

    version = VersionField()


class ApproveForm(FieldErrors, FlaskForm):
    effective_on = DateField(
        _l("Effective from"), validators=[Optional()], description=_l("Leave empty for the day of approval.")
    )
    comment = TextAreaField(_l("Approval note"), filters=[strip_filter], render_kw={"rows": 2})
    version = VersionField()


class ReturnForm(FieldErrors, FlaskForm):
    comment = TextAreaField(
        _l("What must change"),
        filters=[strip_filter],
        render_kw={"rows": 2},
        description=_l("Required: the author sees it in the revision's change note."),
    )
    version = VersionField()


# The form of each step, by the action in its URL; each is prefixed with the action and the revision's
# id, so the forms of two revisions on one page never share a field id.
ACTION_FORMS: dict[str, type[SubmitForm | ApproveForm | ReturnForm]] = {
    rules.RevisionAction.SUBMIT: SubmitForm,
    rules.RevisionAction.APPROVE: ApproveForm,
    rules.RevisionAction.RETURN: ReturnForm,
}


def action_prefix(action: str, revision_id: int) -> str:
    return f"{action}-{revision_id}"


class PeriodicReviewForm(FieldErrors, FlaskForm):
    version = VersionField()  # the document's


class WithdrawForm(FieldErrors, FlaskForm):
    reason = TextAreaField(
        _l("Why is it withdrawn?"),
        filters=[strip_filter],
        render_kw={"rows": 2},
        description=_l("It stays in the register's history, marked withdrawn."),
    )
    version = VersionField()  # the document's


class SuggestForm(FieldErrors, FlaskForm):
    codes = SelectMultipleField(_l("Documents to add"), validate_choice=False)


TYPE_CHOICES = (("", _l("All types")), *rules.TYPE_LABELS.items())
STATUS_CHOICES = (("", _l("Any status")), *STATUS_LABELS.items())


def clean_filters(args: Mapping[str, str], numbers: Iterable[str]) -> RegisterFilters:
    """Keep a filter or a sort only if it names something that exists; anything else means the default."""
    doc_type, status, clause = args.get("type"), args.get("status"), args.get("clause")
    sort = args.get("sort", "code")
    return RegisterFilters(
        doc_type=doc_type if doc_type in rules.TYPE_LABELS else None,
        status=status if status in STATUS_FILTERS else None,
        clause=clause if clause in set(numbers) else None,
        sort=sort if sort in SORTS else "code",
        descending=args.get("order") == "desc",
    )


def filter_bar(filters: RegisterFilters, requirements: list[tuple[str, str]]) -> dict[str, FilterSelect]:
    """The filter bar's selects by name: type, status and requirement, each showing the filter in force."""
    clauses = [("", _("All requirements")), *requirements]
    return {
        "type": FilterSelect("type", _("Type"), TYPE_CHOICES, filters.doc_type or ""),
        "status": FilterSelect("status", _("Status"), STATUS_CHOICES, filters.status or ""),
        "clause": FilterSelect("clause", _("Requirement"), clauses, filters.clause or ""),
    }
