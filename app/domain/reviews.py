"""Management review: the inputs each standard requires, its outputs, the pre-filled parts, the stage's rule.

ISO 9001:2015 9.3.2 lists inputs a) to f), with c) split into seven performance items (c1 to c7);
ISO 13485:2016 5.6.2 lists a) to l). The outputs are 9.3.3 a) to c) and 5.6.3 a) to d): each is recorded as
decisions and actions with an owner and a due date, tracked to done.

**The Management review stage** is done when a review held after the last internal audit report records
every required input (as a real sentence, not a placeholder) and at least one decision or action for every
output the standard requires.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from app.domain.nonconformities import is_sentence
from app.domain.pathway import Criterion, ReviewInput, StandardFamily
from app.domain.pathway import check_criterion as check
from app.domain.registers import RegisterKey, RegisterState
from app.domain.text import _, _l, grouped, ngettext

ISO_9001, ISO_13485 = StandardFamily.ISO_9001, StandardFamily.ISO_13485

REVIEW_INPUTS: Mapping[StandardFamily, tuple[ReviewInput, ...]] = {
    ISO_9001: (  # ISO 9001:2015 9.3.2, in our own words
        ReviewInput("previous_actions", "a", _l("Status of the actions from previous management reviews")),
        ReviewInput("context_changes", "b", _l("Changes in the external and internal issues that matter")),
        ReviewInput("customer_satisfaction", "c1",
                    _l("Customer satisfaction and feedback from interested parties")),
        ReviewInput("objectives", "c2", _l("How far the quality objectives have been met")),
        ReviewInput("process_performance", "c3",
                    _l("Process performance and product and service conformity")),
        ReviewInput("nonconformities", "c4", _l("Nonconformities and corrective actions")),
        ReviewInput("monitoring_results", "c5", _l("Monitoring and measurement results")),
        ReviewInput("audit_results", "c6", _l("Audit results")),
        ReviewInput("supplier_performance", "c7", _l("Performance of external providers")),
        ReviewInput("resources", "d", _l("Whether resources are adequate")),
        ReviewInput("risk_actions", "e", _l("How effective the actions on risks and opportunities were")),
        ReviewInput("improvement_opportunities", "f", _l("Opportunities for improvement")),
    ),
    ISO_13485: (  # ISO 13485:2016 5.6.2, in our own words
        ReviewInput("feedback", "a", _l("Feedback")),
        ReviewInput("complaints", "b", _l("Complaint handling")),
        ReviewInput("regulatory_reporting", "c", _l("Reporting to regulatory authorities")),
        ReviewInput("audits", "d", _l("Audits")),
        ReviewInput("process_monitoring", "e", _l("Monitoring and measurement of processes")),
        ReviewInput("product_monitoring", "f", _l("Monitoring and measurement of product")),
        ReviewInput("corrective_action", "g", _l("Corrective action")),
        ReviewInput("preventive_action", "h", _l("Preventive action")),
        ReviewInput("previous_actions", "i", _l("Follow-up actions from previous management reviews")),
        ReviewInput("qms_changes", "j", _l("Changes that could affect the quality management system")),
        ReviewInput("improvement_recommendations", "k", _l("Recommendations for improvement")),
        ReviewInput("regulatory_changes", "l", _l("Applicable new or revised regulatory requirements")),
    ),
}  # fmt: skip

REVIEW_OUTPUTS: Mapping[StandardFamily, tuple[ReviewInput, ...]] = {
    ISO_9001: (  # ISO 9001:2015 9.3.3
        ReviewInput("improvement", "a", _l("Opportunities for improvement")),
        ReviewInput("system_changes", "b", _l("Any need for changes to the quality management system")),
        ReviewInput("resources", "c", _l("Resource needs")),
    ),
    ISO_13485: (  # ISO 13485:2016 5.6.3
        ReviewInput("system_improvement", "a", _l("Improvement needed to keep the system and its processes "
                    "suitable, adequate and effective")),
        ReviewInput("product_improvement", "b",
                    _l("Improvement of product related to customer requirements")),
        ReviewInput("regulatory_changes", "c", _l("Changes needed to respond to new or revised regulatory "
                    "requirements")),
        ReviewInput("resources", "d", _l("Resource needs")),
    ),
}  # fmt: skip

CLAUSES: Mapping[StandardFamily, tuple[str, str]] = {
    ISO_9001: ("9.3.2", "9.3.3"),
    ISO_13485: ("5.6.2", "5.6.3"),
}


def review_inputs(family: StandardFamily) -> tuple[ReviewInput, ...]:
    return REVIEW_INPUTS[family]


def review_outputs(family: StandardFamily) -> tuple[ReviewInput, ...]:
    return REVIEW_OUTPUTS[family]


def date_errors(held_on: date | None, start: date | None, end: date | None, today: date) -> dict[str, str]:
    """A review is recorded once held, over a period that ends by the meeting."""
    errors: dict[str, str] = {}
    if held_on is None:
        errors["held_on"] = _("Give the day the review was held.")
    elif held_on > today:
        errors["held_on"] = _("A review is recorded once it is held: the date is in the future.")
    if start is None:
        errors["period_start"] = _("Give the first day of the period reviewed.")
    if end is None:
        errors["period_end"] = _("Give the last day of the period reviewed.")
    if start and end and end < start:
        errors["period_end"] = _("The period reviewed cannot end before it starts.")
    elif held_on and end and end > held_on:
        errors["period_end"] = _("The period reviewed cannot end after the review was held.")
    return errors


def attendee_errors(attendees: Sequence[str]) -> dict[str, str]:
    if not attendees:
        return {"attendees": _("Name who attended: at least top management.")}
    return {}


def output_errors(family: StandardFamily, category: str, text: str, is_action: bool, owner: str,
                  due: date | None, held_on: date) -> dict[str, str]:  # fmt: skip
    errors: dict[str, str] = {}
    if category not in {item.key for item in review_outputs(family)}:
        errors["category"] = _("Choose which output of the review this is.")
    if not is_sentence(text):
        errors["text"] = _("Write the decision or action as a real sentence (at least 4 words).")
    if is_action:
        if not owner.strip():
            errors["owner"] = _("Name who carries out the action.")
        if due is None:
            errors["due_date"] = _("Give the date the action is due.")
        elif due < held_on:
            errors["due_date"] = _("An action cannot be due before the review that decided it.")
    return errors


@dataclass(frozen=True)
class ReviewFacts:
    id: int
    held_on: date
    inputs: Mapping[str, str] = field(default_factory=dict)  # input key -> text
    outputs: Mapping[str, int] = field(default_factory=dict)  # output category -> decisions and actions

    def missing_inputs(self, family: StandardFamily) -> list[ReviewInput]:
        return [item for item in review_inputs(family) if not is_sentence(self.inputs.get(item.key, ""))]

    def missing_outputs(self, family: StandardFamily) -> list[ReviewInput]:
        return [item for item in review_outputs(family) if not self.outputs.get(item.key)]


def _names(items: Sequence[ReviewInput]) -> str:
    shown = "; ".join(f"({item.ref}) {str(item.title).lower()}" for item in items[:4])
    if len(items) <= 4:
        return shown
    return ngettext("%(items)s and %(num)d more", "%(items)s and %(num)d more", len(items) - 4, items=shown)


def latest(reviews: Sequence[ReviewFacts]) -> ReviewFacts | None:
    return max(reviews, key=lambda r: (r.held_on, r.id), default=None)


def management_review_criteria(
    family: StandardFamily, reviews: Sequence[ReviewFacts], last_audit_report: date | None
) -> list[Criterion]:
    """The stage's criteria, judged on the latest review (module docstring)."""
    review = latest(reviews)
    (inputs_clause, outputs_clause) = CLAUSES[family]
    none_recorded = _("No management review is recorded yet.")
    if review is None:
        held = none_recorded
    elif last_audit_report is None:
        held = _("No internal audit is reported yet: the review must consider the audit results.")
    elif review.held_on < last_audit_report:
        held = _(
            "The latest review (%(held)s) was held before the last internal audit report (%(reported)s): "
            "hold a review that considers it.",
            held=review.held_on.isoformat(),
            reported=last_audit_report.isoformat(),
        )
    else:
        held = None
    inputs: str | None = none_recorded
    outputs: str | None = none_recorded
    if review is not None:
        todo = review.missing_inputs(family)
        inputs = (
            ngettext(
                "%(num)d input not yet recorded: %(names)s.",
                "%(num)d inputs not yet recorded: %(names)s.",
                len(todo),
                names=_names(todo),
            )
            if todo
            else None
        )
        none_yet = review.missing_outputs(family)
        outputs = (
            _("No decision or action recorded for %(names)s.", names=_names(none_yet)) if none_yet else None
        )
    every_input = ngettext(
        "All %(num)d required input is recorded.",
        "All %(num)d required inputs are recorded.",
        len(review_inputs(family)),
    )
    return [
        check("management_review.held_after_audit", _("A review held after the last internal audit report"),
              held, _("The latest review was held after the last internal audit report.")),
        check("management_review.inputs_covered",
              _("Every required input recorded (%(clause)s)", clause=inputs_clause), inputs, every_input),
        check("management_review.outputs_recorded",
              _("Outputs recorded as decisions and actions (%(clause)s)", clause=outputs_clause), outputs,
              _("Every required output has its decisions or actions.")),
    ]  # fmt: skip


@dataclass(frozen=True)
class ActionStatus:
    text: str
    owner: str
    due_date: date | None
    done_on: date | None


@dataclass(frozen=True)
class AuditResult:
    title: str
    reported_on: date
    counts: Mapping[str, int]  # line result -> lines


@dataclass(frozen=True)
class ObjectiveStatus:
    title: str
    target: str
    latest: str | None
    met: bool | None  # None: nothing measured yet


@dataclass(frozen=True)
class PrefillFacts:
    """What the app knows for a review of the period ``start``..``end``."""

    start: date
    end: date
    previous_actions: tuple[ActionStatus, ...] = ()
    audits: tuple[AuditResult, ...] = ()
    open_findings: Mapping[str, int] = field(default_factory=dict)  # severity -> open findings
    findings_raised: int = 0
    findings_closed: int = 0
    findings_overdue: int = 0
    readiness_percent: Decimal | None = None
    coverage_percent: Decimal | None = None
    training_percent: Decimal | None = None
    budget_planned: str | None = None
    budget_actual: str | None = None
    objectives: tuple[ObjectiveStatus, ...] = ()
    registers: tuple[RegisterState, ...] = ()  # the running registers' states; empty ones are not written


# Which review inputs each running register speaks to (the states are written into them, after what the
# app already writes there).
REGISTER_INPUTS: Mapping[StandardFamily, Mapping[str, tuple[RegisterKey, ...]]] = {
    ISO_9001: {
        "context_changes": (RegisterKey.CONTEXT,),
        "customer_satisfaction": (RegisterKey.SATISFACTION, RegisterKey.COMPLAINTS),
        "supplier_performance": (RegisterKey.SUPPLIERS,),
        "resources": (RegisterKey.EQUIPMENT,),
        "risk_actions": (RegisterKey.RISKS,),
    },
    ISO_13485: {
        "feedback": (RegisterKey.SATISFACTION,),
        "complaints": (RegisterKey.COMPLAINTS,),
        "process_monitoring": (RegisterKey.EQUIPMENT, RegisterKey.SOFTWARE),
        "product_monitoring": (RegisterKey.RISK_FILES,),
    },
}


def _register_texts(family: StandardFamily, facts: PrefillFacts) -> dict[str, str]:
    by_key = {state.key: state for state in facts.registers}
    texts = {}
    for name, keys in REGISTER_INPUTS[family].items():
        found = [by_key[key] for key in keys if key in by_key and not by_key[key].empty]
        lines = [f"{state.register.title}: {state.text}." for state in found]
        if lines:
            texts[name] = "\n".join(lines)
    return texts


def _action_line(action: ActionStatus) -> str:
    owner = action.owner or _("no owner")
    if action.done_on:
        state = _("done %(day)s", day=action.done_on.isoformat())
    elif action.due_date:
        state = _("due %(day)s", day=action.due_date.isoformat())
    else:
        state = _("open")
    return f"- {action.text} ({owner}, {state})"


def _actions_text(facts: PrefillFacts, today: date) -> str:
    if not facts.previous_actions:
        return _("No actions were recorded at earlier management reviews (this is the first review).")
    done = [a for a in facts.previous_actions if a.done_on is not None]
    late = [a for a in facts.previous_actions if action_is_overdue(a.due_date, a.done_on, today)]
    summary = ngettext(
        "%(done)d of %(num)d action from earlier reviews done, %(late)d overdue.",
        "%(done)d of %(num)d actions from earlier reviews done, %(late)d overdue.",
        len(facts.previous_actions),
        done=len(done),
        late=len(late),
    )
    return "\n".join([summary, *(_action_line(action) for action in facts.previous_actions)])


def _counted(word: str, count: int) -> str:
    """``count`` checklist lines of a result, or open findings of a severity: "2 minor"."""
    if word == "conforming":
        return ngettext("%(num)d conforming", "%(num)d conforming", count)
    if word == "major":
        return ngettext("%(num)d major", "%(num)d major", count)
    if word == "minor":
        return ngettext("%(num)d minor", "%(num)d minor", count)
    if word == "observation":
        return ngettext("%(num)d observation", "%(num)d observation", count)
    if word == "not_checked":
        return ngettext("%(num)d not checked", "%(num)d not checked", count)
    return f"{count} {word.replace('_', ' ')}"


def _audits_text(facts: PrefillFacts) -> str:
    if not facts.audits:
        return _(
            "No internal audit was reported between %(start)s and %(end)s.",
            start=facts.start.isoformat(),
            end=facts.end.isoformat(),
        )
    lines = [
        ngettext(
            "%(num)d internal audit reported in the period:",
            "%(num)d internal audits reported in the period:",
            len(facts.audits),
        )
    ]
    for audit in facts.audits:
        counts = ", ".join(_counted(result, count) for result, count in sorted(audit.counts.items()))
        line = _(
            "%(audit)s, reported %(day)s: %(results)s.",
            audit=audit.title,
            day=audit.reported_on.isoformat(),
            results=counts or _("no lines"),
        )
        lines.append(f"- {line}")
    return "\n".join(lines)


def _findings_text(facts: PrefillFacts) -> str:
    open_total = sum(facts.open_findings.values())
    parts = ", ".join(
        _counted(severity, count) for severity, count in sorted(facts.open_findings.items()) if count
    )
    raised = ngettext(
        "In the period %(num)d finding raised, %(closed)d closed.",
        "In the period %(num)d findings raised, %(closed)d closed.",
        facts.findings_raised,
        closed=facts.findings_closed,
    )
    if parts:
        still_open = _(
            "Open now: %(open)d (%(severities)s), of which %(overdue)d overdue.",
            open=open_total,
            severities=parts,
            overdue=facts.findings_overdue,
        )
    else:
        still_open = _(
            "Open now: %(open)d, of which %(overdue)d overdue.",
            open=open_total,
            overdue=facts.findings_overdue,
        )
    return f"{raised} {still_open}"


def _percent(value: Decimal | None) -> str:
    return _("not measured") if value is None else f"{value.quantize(Decimal('1'))} %"


def _system_text(facts: PrefillFacts) -> str:
    return _(
        "Readiness against the standard (gap analysis): %(readiness)s; requirements with accepted evidence: "
        "%(coverage)s.",
        readiness=_percent(facts.readiness_percent),
        coverage=_percent(facts.coverage_percent),
    )


def _resources_text(facts: PrefillFacts) -> str:
    budget = (
        _(
            "Budget: %(actual)s spent of %(planned)s planned.",
            actual=facts.budget_actual,
            planned=facts.budget_planned,
        )
        if facts.budget_planned is not None
        else _("No budget is planned yet.")
    )
    training = _(
        "Training completion (required trainings done and current): %(percent)s.",
        percent=_percent(facts.training_percent),
    )
    return f"{training} {budget}"


def _objective_line(objective: ObjectiveStatus) -> str:
    state = (
        _("no measurement yet") if objective.met is None else (_("met") if objective.met else _("not met"))
    )
    if objective.latest:
        return _(
            "%(objective)s: latest %(latest)s, target %(target)s (%(state)s).",
            objective=objective.title,
            latest=objective.latest,
            target=objective.target,
            state=state,
        )
    return _(
        "%(objective)s: target %(target)s (%(state)s).",
        objective=objective.title,
        target=objective.target,
        state=state,
    )


def _objectives_text(facts: PrefillFacts) -> str:
    return "\n".join(f"- {_objective_line(objective)}" for objective in facts.objectives)


def prefill(family: StandardFamily, facts: PrefillFacts, today: date) -> dict[str, str]:
    """The inputs the app can write from its own records (the running registers' states included, see
    :data:`REGISTER_INPUTS`); the rest is left for the user to write."""
    actions, audits, findings = _actions_text(facts, today), _audits_text(facts), _findings_text(facts)
    system, resources, objectives = _system_text(facts), _resources_text(facts), _objectives_text(facts)
    if family is ISO_9001:
        filled = {
            "previous_actions": actions,
            "objectives": objectives,
            "process_performance": system,
            "nonconformities": findings,
            "audit_results": audits,
            "resources": resources,
        }
    else:
        filled = {
            "previous_actions": actions,
            "audits": audits,
            "corrective_action": findings,
            "process_monitoring": "\n".join(part for part in (system, objectives, resources) if part),
        }
    for name, text in _register_texts(family, facts).items():
        filled[name] = "\n".join(part for part in (filled.get(name, ""), text) if part)
    return {key: text for key, text in filled.items() if text}


def action_is_overdue(due: date | None, done_on: date | None, today: date) -> bool:
    return done_on is None and due is not None and due < today


# Recording a review: limits, the period, the attendees, the inputs as written, actions tracked to done

DEFAULT_PERIOD_MONTHS = 12  # a first review looks back a year
INPUT_MAX_LENGTH = 20_000
TEXT_MAX_LENGTH = 10_000  # attendees, notes, a decision or action
OWNER_MAX_LENGTH = 120


class OutputKind(StrEnum):
    DECISION = "decision"
    ACTION = "action"


KIND_LABELS: Mapping[OutputKind, str] = {OutputKind.DECISION: _l("Decision"), OutputKind.ACTION: _l("Action")}


class ActionState(StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"
    DONE = "done"


ACTION_STATE_LABELS: Mapping[ActionState, str] = {
    ActionState.OPEN: _l("Open"),
    ActionState.OVERDUE: _l("Overdue"),
    ActionState.DONE: _l("Done"),
}


def action_state(due: date | None, done_on: date | None, today: date) -> ActionState:
    if done_on is not None:
        return ActionState.DONE
    return ActionState.OVERDUE if action_is_overdue(due, done_on, today) else ActionState.OPEN


def default_period(previous_end: date | None, today: date) -> tuple[date, date]:
    """The period a new review covers: from the day after the previous review's period (or a year back)
    to today."""
    start = (
        previous_end + relativedelta(days=1)
        if previous_end
        else today - relativedelta(months=DEFAULT_PERIOD_MONTHS)
    )
    return min(start, today), today


def attendee_list(text: str) -> list[str]:
    """The attendees typed one per line ("Name, role"), blank lines dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _too_long(text: str, limit: int) -> str | None:
    return _("Use at most %(limit)s characters.", limit=grouped(limit)) if len(text) > limit else None


def record_errors(attendees: str, notes: str) -> dict[str, str]:
    """The attendees (at least one, :func:`attendee_errors`, a line each) and the notes, within their
    limits."""
    names = attendee_list(attendees)
    errors = attendee_errors(names)
    if any(len(name) > OWNER_MAX_LENGTH for name in names):
        errors["attendees"] = _(
            "Name each attendee and their role in at most %(limit)d characters a line.",
            limit=OWNER_MAX_LENGTH,
        )
    for name, text in (("attendees", attendees), ("notes", notes)):
        if problem := _too_long(text, TEXT_MAX_LENGTH):
            errors[name] = problem
    return errors


def input_errors(family: StandardFamily, texts: Mapping[str, str]) -> dict[str, str]:
    """An input may stay empty until it is discussed; once written it is a real sentence, not ``x``.
    A key the standard does not list is refused."""
    known = {item.key for item in review_inputs(family)}
    errors: dict[str, str] = {}
    for key, text in texts.items():
        if key not in known:
            errors[key] = _(
                "Not an input of this standard's management review: use one of %(keys)s.",
                keys=", ".join(known),
            )
        elif problem := _too_long(text, INPUT_MAX_LENGTH):
            errors[key] = problem
        elif text.strip() and not is_sentence(text):
            errors[key] = _(
                "Write what the review considered as a real sentence (at least 4 words), or leave it empty "
                "until it is discussed: a placeholder is not a record."
            )
    return errors


def output_field_errors(family: StandardFamily, category: str, kind: str, text: str, owner: str,
                        due: date | None, held_on: date) -> dict[str, str]:  # fmt: skip
    """:func:`output_errors` with the kind and the fields' limits."""
    errors = output_errors(family, category, text, kind == OutputKind.ACTION, owner, due, held_on)
    if kind not in set(OutputKind):
        errors["kind"] = _("Say whether this is a decision or an action.")
    if problem := _too_long(text, TEXT_MAX_LENGTH):
        errors["text"] = problem
    if problem := _too_long(owner, OWNER_MAX_LENGTH):
        errors["owner"] = problem
    return errors


def done_errors(done_on: date | None, held_on: date, today: date) -> dict[str, str]:
    """An action is done on a day between the review that decided it and today."""
    if done_on is None:
        return {"done_on": _("Give the day the action was done.")}
    if done_on > today:
        return {"done_on": _("An action is recorded as done once it is: the date is in the future.")}
    if done_on < held_on:
        return {"done_on": _("An action cannot be done before the review that decided it.")}
    return {}
