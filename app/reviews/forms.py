"""The forms of the review pages: a new review's record, the minutes (the record and every required input
of the project's standard), a decision or action, and an action done.

The forms only read what was typed; the rules (dates, attendees, inputs written as sentences, an action's
owner and due date) are checked by the service with :mod:`app.domain.reviews`, and its messages are shown
beside the fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, Field, SelectField, TextAreaField
from wtforms.validators import Optional

from app.domain import reviews as rules
from app.domain.pathway import ReviewInput, StandardFamily
from app.domain.text import _l
from app.evidence.forms import FieldErrors
from app.forms import TrimmedStringField, VersionField, select_choices, strip_filter
from app.models import ManagementReview
from app.services.reviews import OutputFields, ReviewFields

INPUT_PREFIX = "input_"


class RecordForm(FieldErrors, FlaskForm):
    held_on = DateField(_l("Held on"), validators=[Optional()], description=_l("The day of the meeting."))
    period_start = DateField(
        _l("Period reviewed from"),
        validators=[Optional()],
        description=_l("The first day the review looks at."),
    )
    period_end = DateField(
        _l("to"), validators=[Optional()], description=_l("The last day; not after the meeting.")
    )
    attendees = TextAreaField(
        _l("Attendees"),
        filters=[strip_filter],
        render_kw={"rows": 3},
        description=_l("One per line, name and role, e.g. “Mr Minh, director”; top management at least."),
    )
    notes = TextAreaField(_l("Notes"), filters=[strip_filter], render_kw={"rows": 2})

    def fields(self) -> ReviewFields:
        return ReviewFields(
            held_on=self.held_on.data,
            period_start=self.period_start.data,
            period_end=self.period_end.data,
            attendees=self.attendees.data or "",
            notes=self.notes.data or "",
        )


class MinutesForm(RecordForm):
    """The record and the inputs; each standard's subclass adds one text per required input."""

    version = VersionField()  # the review's version when the page was read
    family_inputs: tuple[ReviewInput, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in self.family_inputs:  # "(c6) Audit results", in the reader's language
            self[INPUT_PREFIX + item.key].label.text = f"({item.ref}) {item.title}"

    def inputs(self) -> dict[str, str]:
        return {item.key: self[INPUT_PREFIX + item.key].data or "" for item in self.family_inputs}

    def input_fields(self) -> list[tuple[ReviewInput, Field]]:
        return [(item, self[INPUT_PREFIX + item.key]) for item in self.family_inputs]

    def add_errors(self, errors: Mapping[str, str]) -> None:
        """The service names an input ``inputs.<key>``; here it is the field ``input_<key>``."""
        named = {
            (INPUT_PREFIX + name.removeprefix("inputs.") if name.startswith("inputs.") else name): message
            for name, message in errors.items()
        }
        super().add_errors(named)


@cache
def minutes_form(family: StandardFamily) -> type[MinutesForm]:
    """The minutes form of a standard: a text per required input, labelled "(c6) Audit results" (when the
    form is made: the class is built once, for every language)."""
    inputs = rules.review_inputs(family)
    fields: dict[str, Any] = {
        INPUT_PREFIX + item.key: TextAreaField(item.title, filters=[strip_filter], render_kw={"rows": 4})
        for item in inputs
    }
    return type(f"MinutesForm{family.name}", (MinutesForm,), {**fields, "family_inputs": inputs})


def minutes_data(review: ManagementReview) -> dict[str, Any]:
    """A saved review as the minutes form shows it, with the version it was read at."""
    texts = {INPUT_PREFIX + entry.key: entry.text for entry in review.inputs}
    return {
        "held_on": review.held_on,
        "period_start": review.period_start,
        "period_end": review.period_end,
        "attendees": review.attendees,
        "notes": review.notes,
        "version": review.version,
        **texts,
    }


KIND_CHOICES = select_choices(
    [(rules.OutputKind.ACTION, _l("Action (with an owner and a due date)")),
     (rules.OutputKind.DECISION, _l("Decision"))]
)  # fmt: skip


class OutputForm(FieldErrors, FlaskForm):
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES, validate_choice=False)
    text = TextAreaField(
        _l("Decision or action"),
        filters=[strip_filter],
        render_kw={"rows": 2},
        description=_l("A real sentence, e.g. “Train two more internal auditors before the next audit”."),
    )
    owner = TrimmedStringField(_l("Owner"), description=_l("For an action: who carries it out."))
    due_date = DateField(_l("Due"), validators=[Optional()], description=_l("For an action."))

    def fields(self, category: str) -> OutputFields:
        return OutputFields(
            category=category,
            kind=self.kind.data or "",
            text=self.text.data or "",
            owner=self.owner.data or "",
            due_date=self.due_date.data,
        )


def output_prefix(category: str) -> str:
    return f"output-{category}"


class DoneForm(FieldErrors, FlaskForm):
    done_on = DateField(_l("Done on"), validators=[Optional()])
    version = VersionField()  # the action's


def done_prefix(output_id: int) -> str:
    return f"done-{output_id}"
