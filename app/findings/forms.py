"""The forms of the register pages: raising a finding, editing it, one form per step of its workflow (plan,
implement, check, close), and the register's filters; and the words and badge colours the pages show.

The forms only read what was typed; the rules (a real sentence, dates in order, a clause of the standard)
are checked by :mod:`app.services.findings` with :mod:`app.domain.nonconformities`, and its messages are
shown beside the fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Blueprint
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, TextAreaField
from wtforms.validators import Optional

from app.documents.forms import FilterSelect
from app.domain import nonconformities as rules
from app.domain.text import _, _l
from app.evidence.forms import FieldErrors
from app.forms import TrimmedStringField, VersionField, select_choices, strip_filter
from app.models import Finding
from app.services.finding_register import RegisterFilters
from app.services.findings import FindingFields

CLAUSE_HELP = _l("The requirement it does not meet, e.g. 7.1.5.1; leave empty if none.")
RESULT_LABELS = {
    rules.CheckResult.EFFECTIVE: _l("Effective: the nonconformity has not come back"),
    rules.CheckResult.INEFFECTIVE: _l("Not effective: the action must be revised and carried out again"),
}


def deadline_help() -> str:
    """The deadline's description, with the days a major gets by default (so set when a form is made)."""
    return _(
        "Given by the certification body or the customer. Left empty for a certification body's major "
        "finding, it is the days the project's certification body gives to close a major (%(days)d without "
        "one) after the finding was raised.",
        days=rules.DEFAULT_MAJOR_DEADLINE_DAYS,
    )


class DeadlineHelp:
    """A form whose ``deadline`` field is described by :func:`deadline_help`."""

    deadline: DateField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline.description = deadline_help()


STATE_BADGES = {
    rules.FindingState.OPEN: "text-bg-danger",
    rules.FindingState.ACTION_PLANNED: "text-bg-warning",
    rules.FindingState.IMPLEMENTED: "text-bg-info",
    rules.FindingState.VERIFIED: "text-bg-primary",
    rules.FindingState.CLOSED: "text-bg-success",
}
SEVERITY_BADGES = {
    rules.Severity.MAJOR: "text-bg-danger",
    rules.Severity.MINOR: "text-bg-warning",
    rules.Severity.OBSERVATION: "text-bg-light border",
}
UNKNOWN_BADGE = "text-bg-light border"


def register_words(bp: Blueprint) -> None:
    """The labels of a finding's source, severity, state, method and check result, as template filters
    (the domain's words)."""
    filters = {
        "finding_source": lambda value: rules.SOURCE_LABELS.get(value, value),
        "finding_severity": lambda value: rules.SEVERITY_LABELS.get(value, value),
        "finding_state": lambda value: rules.STATE_LABELS.get(value, value),
        "finding_method": lambda value: rules.METHOD_LABELS.get(value, value),
        "check_result": lambda value: RESULT_LABELS.get(value, value),
        "finding_state_badge": lambda value: STATE_BADGES.get(value, UNKNOWN_BADGE),
        "severity_badge": lambda value: SEVERITY_BADGES.get(value, UNKNOWN_BADGE),
    }
    for name, function in filters.items():
        bp.add_app_template_filter(function, name)


def _select(label: str, first: str, labels: Mapping[Any, str]) -> SelectField:
    """A choice among the domain's labels; a value not among them is refused by the service."""
    choices = select_choices([("", first), *((str(value), text) for value, text in labels.items())])
    return SelectField(label, choices=choices, validate_choice=False)


def _text(label: str, rows: int = 3, **kwargs: Any) -> TextAreaField:
    return TextAreaField(label, filters=[strip_filter], render_kw={"rows": rows}, **kwargs)


def _day(label: str, **kwargs: Any) -> DateField:
    return DateField(label, validators=[Optional()], **kwargs)


class FindingForm(DeadlineHelp, FieldErrors, FlaskForm):
    """A new finding."""

    source = _select(_l("Source"), _l("Where does it come from?"), rules.SOURCE_LABELS)
    severity = _select(_l("Severity"), _l("Choose the severity…"), rules.SEVERITY_LABELS)
    clause_number = TrimmedStringField(_l("Clause"), description=CLAUSE_HELP)
    raised_on = _day(_l("Raised on"))
    description = _text(_l("Finding"), 4, description=_l("What was found, where, and the evidence seen."))
    containment = _text(_l("Immediate correction (containment)"), 2, description=_l("Optional."))
    deadline = _day(_l("Deadline"))
    action_owner = TrimmedStringField(_l("Action owner"), description=_l("Optional: who will act on it."))
    action_due = _day(_l("Action due"), description=_l("Optional: when the corrective action is due."))

    def fields(self) -> FindingFields:
        return FindingFields(
            source=self.source.data or "",
            severity=self.severity.data or "",
            description=self.description.data or "",
            raised_on=self.raised_on.data,
            clause_number=self.clause_number.data or "",
            containment=self.containment.data or "",
            deadline=self.deadline.data,
            action_owner=self.action_owner.data or "",
            action_due=self.action_due.data,
        )


class EditForm(DeadlineHelp, FieldErrors, FlaskForm):
    """A finding's descriptive fields; its root cause, action and checks change through the steps."""

    severity = _select(_l("Severity"), _l("Choose the severity…"), rules.SEVERITY_LABELS)
    clause_number = TrimmedStringField(_l("Clause"), description=CLAUSE_HELP)
    description = _text(_l("Finding"), 4)
    containment = _text(_l("Immediate correction (containment)"), 2)
    deadline = _day(_l("Deadline"))
    action_owner = TrimmedStringField(_l("Action owner"))
    action_due = _day(_l("Action due"))
    effectiveness_due = _day(_l("Effectiveness check due"))
    version = VersionField()  # the finding's version when the page was read

    def changes(self, names: tuple[str, ...]) -> dict[str, Any]:
        return {name: self[name].data for name in names}


def edit_form_data(finding: Finding) -> dict[str, Any]:
    data = {name: getattr(finding, name) for name in rules.EDITABLE_FIELDS}
    return data | {"clause_number": finding.clause_number or "", "version": finding.version}


class PlanForm(FieldErrors, FlaskForm):
    root_cause_method = _select(_l("Root cause analysis"), _l("How was it analysed?"), rules.METHOD_LABELS)
    root_cause = _text(_l("Root cause"), description=_l("Why it happened, as the analysis found it."))
    corrective_action = _text(
        _l("Corrective action"), description=_l("What removes the cause, so it does not recur.")
    )
    action_owner = TrimmedStringField(_l("Action owner"))
    action_due = _day(_l("Action due"))
    effectiveness_due = _day(
        _l("Effectiveness check due"), description=_l("Optional: when to check that the action worked.")
    )
    version = VersionField()


class ImplementForm(FieldErrors, FlaskForm):
    implemented_on = _day(_l("Implemented on"))
    version = VersionField()


class CheckForm(FieldErrors, FlaskForm):
    checked_on = _day(_l("Checked on"))
    checked_by = TrimmedStringField(_l("Checked by"))
    result = RadioField(_l("Result"), choices=select_choices(RESULT_LABELS.items()), validate_choice=False)
    notes = _text(_l("What was checked, and what it showed"), 3)
    version = VersionField()


class CloseForm(FieldErrors, FlaskForm):
    corrective_action = _text(
        _l("Response to the observation"),
        description=_l("What was decided: an improvement, or why nothing is done."),
    )
    version = VersionField()


# The form of each step, by the step in its URL; each is prefixed with the step, so that the page's forms
# never share a field id.
TRANSITION_FORMS: dict[str, type[PlanForm | ImplementForm | CheckForm | CloseForm]] = {
    rules.Transition.PLAN: PlanForm,
    rules.Transition.IMPLEMENT: ImplementForm,
    rules.Transition.CHECK: CheckForm,
    rules.Transition.CLOSE: CloseForm,
}


_DAY_OF_STEP: dict[str, str] = {
    rules.Transition.IMPLEMENT: "implemented_on",
    rules.Transition.CHECK: "checked_on",
}


def transition_form(step: str, finding: Finding | None = None, today: date | None = None) -> Any:
    """A step's form: posted (no finding), or blank as the page shows it, with the finding's version and
    what it already has (a plan to revise, today's date)."""
    form_class = TRANSITION_FORMS[step]
    if finding is None:
        return form_class(prefix=step)
    data: dict[str, Any] = {"version": finding.version}
    if step == rules.Transition.PLAN:
        kept = ("root_cause_method", "root_cause", "corrective_action", "action_owner")
        data |= {name: getattr(finding, name) for name in (*kept, "action_due", "effectiveness_due")}
    elif step in _DAY_OF_STEP:
        data[_DAY_OF_STEP[step]] = today
    return form_class(formdata=None, prefix=step, data=data)


def transition_values(form: Any) -> dict[str, Any]:
    """What a step's form posted, by the names the service reads."""
    return {
        field.short_name: field.data for field in form if field.short_name not in ("csrf_token", "version")
    }


# The register's filters


SOURCE_FILTER = (("", _l("Every source")), *((str(k), v) for k, v in rules.SOURCE_LABELS.items()))
SEVERITY_FILTER = (("", _l("Every severity")), *((str(k), v) for k, v in rules.SEVERITY_LABELS.items()))
STATE_FILTER = (("", _l("Every state")), *((str(k), v) for k, v in rules.STATE_FILTER_LABELS.items()))


def clean_filters(args: Mapping[str, str]) -> RegisterFilters:
    """Keep a filter only if it names something that exists; anything else means no filter."""
    source, severity, state = args.get("source"), args.get("severity"), args.get("state")
    return RegisterFilters(
        source=source if source in rules.SOURCE_LABELS else None,
        severity=severity if severity in rules.SEVERITY_LABELS else None,
        state=state if state in rules.STATE_FILTER_LABELS else None,
        overdue=args.get("overdue") == "1",
    )


def filter_bar(filters: RegisterFilters) -> dict[str, FilterSelect]:
    return {
        "source": FilterSelect("source", _l("Source"), SOURCE_FILTER, filters.source or ""),
        "severity": FilterSelect("severity", _l("Severity"), SEVERITY_FILTER, filters.severity or ""),
        "state": FilterSelect("state", _l("State"), STATE_FILTER, filters.state or ""),
    }
