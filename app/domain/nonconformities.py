"""The nonconformity and corrective action register: sources, severities, states and every transition's rule.

A finding moves one way, each step needing its own record (ISO 9001 10.2, ISO 13485 8.5.2)::

    open -> action planned -> implemented -> verified effective -> closed
                  ^                |
                  +-- ineffective -+   (an ineffective check reopens the action)

* **plan** (open -> action planned): the root cause (a method and the analysis) and the corrective action,
  with an owner and a due date, each a real sentence, not a placeholder such as ``x``.
* **implement** (action planned -> implemented): the day the action was carried out, not before it was
  raised nor in the future.
* **check** (implemented -> verified, or back to action planned): the effectiveness check's day (not before
  the implementation), who checked and the result; an ineffective result reopens the action.
* **close** (verified -> closed): needs the root cause, the action and a passed check. An observation (an
  opportunity for improvement) needs no corrective action: it closes from open with the response decided.

Every rule here is a plain function that the forms, the API, the register and the next steps all call.
"""

from __future__ import annotations

from collections.abc import Mapping
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Source(StrEnum):
    INTERNAL_AUDIT = "internal_audit"
    EXTERNAL_AUDIT = "external_audit"
    CUSTOMER_COMPLAINT = "customer_complaint"
    PROCESS = "process"
    PRODUCT = "product"
    SUPPLIER = "supplier"


SOURCE_LABELS: Mapping[Source, str] = {
    Source.INTERNAL_AUDIT: "Internal audit",
    Source.EXTERNAL_AUDIT: "External audit (certification body)",
    Source.CUSTOMER_COMPLAINT: "Customer complaint",
    Source.PROCESS: "Process nonconformity",
    Source.PRODUCT: "Product nonconformity",
    Source.SUPPLIER: "Supplier",
}


class Severity(StrEnum):
    MAJOR = "major"
    MINOR = "minor"
    OBSERVATION = "observation"


SEVERITY_LABELS: Mapping[Severity, str] = {
    Severity.MAJOR: "Major nonconformity",
    Severity.MINOR: "Minor nonconformity",
    Severity.OBSERVATION: "Observation / opportunity for improvement",
}


class FindingState(StrEnum):
    OPEN = "open"
    ACTION_PLANNED = "action_planned"
    IMPLEMENTED = "implemented"
    VERIFIED = "verified"
    CLOSED = "closed"


STATE_LABELS: Mapping[FindingState, str] = {
    FindingState.OPEN: "Open",
    FindingState.ACTION_PLANNED: "Action planned",
    FindingState.IMPLEMENTED: "Implemented",
    FindingState.VERIFIED: "Verified effective",
    FindingState.CLOSED: "Closed",
}


class RootCauseMethod(StrEnum):
    FIVE_WHYS = "five_whys"
    FISHBONE = "fishbone"
    FAULT_TREE = "fault_tree"
    OTHER = "other"


METHOD_LABELS: Mapping[RootCauseMethod, str] = {
    RootCauseMethod.FIVE_WHYS: "Five whys",
    RootCauseMethod.FISHBONE: "Fishbone (Ishikawa) diagram",
    RootCauseMethod.FAULT_TREE: "Fault tree",
    RootCauseMethod.OTHER: "Other analysis",
}


class CheckResult(StrEnum):
    EFFECTIVE = "effective"
    INEFFECTIVE = "ineffective"


class Transition(StrEnum):
    PLAN = "plan"
    IMPLEMENT = "implement"
    CHECK = "check"
    CLOSE = "close"


TRANSITION_LABELS: Mapping[Transition, str] = {
    Transition.PLAN: "Record the root cause and plan the action",
    Transition.IMPLEMENT: "Record the action as implemented",
    Transition.CHECK: "Record the effectiveness check",
    Transition.CLOSE: "Close the finding",
}

# The state each transition starts from (close: from verified, or from open for an observation).
_FROM: Mapping[Transition, FindingState] = {
    Transition.PLAN: FindingState.OPEN,
    Transition.IMPLEMENT: FindingState.ACTION_PLANNED,
    Transition.CHECK: FindingState.IMPLEMENTED,
    Transition.CLOSE: FindingState.VERIFIED,
}

DEFAULT_MAJOR_DEADLINE_DAYS = 90  # what most certification bodies give to close a major (IAF MD 1 practice)
MIN_SENTENCE_WORDS = 4
MIN_SENTENCE_LETTERS = 15
# Scripts written without spaces between words: there a run of letters is counted as one word per
# LETTERS_PER_WORD letters, and an ideograph or kana (a word or half of one) as two letters.
LETTERS_PER_WORD = 4
_UNSPACED = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF))  # Thai, Lao, Myanmar, Khmer
_IDEOGRAPHIC = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF))


def _in(ranges: tuple[tuple[int, int], ...], char: str) -> bool:
    return any(low <= ord(char) <= high for low, high in ranges)


def _measure(text: str) -> tuple[int, int]:
    """(words, letters) of a text. A word is a run of two letters or more (digits and punctuation end
    it; a combining mark belongs to its letter); in a script written without spaces, see LETTERS_PER_WORD."""
    words = letters = spaced = unspaced = 0

    def close() -> tuple[int, int]:
        counted = (1 if spaced >= 2 else 0) + unspaced // LETTERS_PER_WORD
        return counted, (spaced if spaced >= 2 else 0) + unspaced

    for char in f"{text} ":
        if unicodedata.category(char).startswith("M"):
            continue
        if char.isalpha() and (_in(_IDEOGRAPHIC, char) or _in(_UNSPACED, char)):
            if spaced:
                w, n = close()
                words, letters, spaced = words + w, letters + n, 0
            unspaced += 2 if _in(_IDEOGRAPHIC, char) else 1
        elif char.isalpha():
            if unspaced:
                w, n = close()
                words, letters, unspaced = words + w, letters + n, 0
            spaced += 1
        elif spaced or unspaced:
            w, n = close()
            words, letters, spaced, unspaced = words + w, letters + n, 0, 0
    return words, letters


def is_sentence(text: str | None) -> bool:
    """A real sentence: at least four words of two letters or more and fifteen letters in all, so ``x``,
    ``done``, ``n/a`` or ``see above`` are refused. Letters of any script count; Thai or Chinese, written
    without spaces, are measured by their letters (see :data:`LETTERS_PER_WORD`), so a short sentence of
    eight ideographs or sixteen Thai letters counts, and 已完成 ("done") does not."""
    words, letters = _measure(text or "")
    return words >= MIN_SENTENCE_WORDS and letters >= MIN_SENTENCE_LETTERS


def sentence_error(text: str | None, what: str) -> str | None:
    if not (text or "").strip():
        return f"Write {what}."
    if not is_sentence(text):
        return (
            f"Write {what} as a real sentence (at least {MIN_SENTENCE_WORDS} words): "
            "a placeholder is not a record."
        )
    return None


@dataclass(frozen=True)
class EffectivenessCheck:
    checked_on: date
    checked_by: str
    result: CheckResult
    notes: str = ""


@dataclass(frozen=True)
class FindingFacts:
    """A finding as plain values."""

    severity: Severity
    state: FindingState
    raised_on: date
    root_cause_method: str = ""
    root_cause: str = ""
    corrective_action: str = ""
    action_owner: str = ""
    action_due: date | None = None
    implemented_on: date | None = None
    effectiveness_due: date | None = None
    deadline: date | None = None
    checks: tuple[EffectivenessCheck, ...] = ()

    @property
    def last_check(self) -> EffectivenessCheck | None:
        return self.checks[-1] if self.checks else None


def is_open(state: FindingState | str) -> bool:
    """Everything not closed is open: an open major blocks its stage."""
    return state != FindingState.CLOSED


def allowed_transitions(facts: FindingFacts) -> tuple[Transition, ...]:
    """The transitions the finding's state allows, in the order of the workflow."""
    if facts.severity is Severity.OBSERVATION and facts.state is FindingState.OPEN:
        return (Transition.PLAN, Transition.CLOSE)
    return tuple(t for t, start in _FROM.items() if start is facts.state)


def _order_error(facts: FindingFacts, transition: Transition) -> str | None:
    if transition in allowed_transitions(facts):
        return None
    state = STATE_LABELS[facts.state].lower()
    needs = {
        Transition.PLAN: "The root cause and action are planned once, while the finding is open",
        Transition.IMPLEMENT: "Only a planned action is implemented: record the root cause and action first",
        Transition.CHECK: "Effectiveness is checked after the action is implemented",
        Transition.CLOSE: "A finding closes only after a passed effectiveness check",
    }[transition]
    return f"{needs}; this finding is {state}."


def external_deadline(
    raised_on: date, severity: Severity, days: int = DEFAULT_MAJOR_DEADLINE_DAYS
) -> date | None:
    """The certification body's deadline for a finding of its audit: a major must be closed within ``days``
    (90 by default, the body's own figure where it gives another); other findings have none by default."""
    return raised_on + timedelta(days=days) if severity is Severity.MAJOR else None


def plan_errors(facts: FindingFacts, values: Mapping[str, object], today: date) -> dict[str, str]:
    """What is missing or wrong in the planning of a corrective action (root cause, action, owner, due)."""
    errors: dict[str, str] = {}
    if values.get("root_cause_method") not in set(RootCauseMethod):
        errors["root_cause_method"] = "Choose how the root cause was analysed."
    texts = (("root_cause", "the root cause analysis"), ("corrective_action", "the corrective action"))
    for name, what in texts:
        message = sentence_error(str(values.get(name) or ""), what)
        if message:
            errors[name] = message
    if not str(values.get("action_owner") or "").strip():
        errors["action_owner"] = "Name who carries out the corrective action."
    due = values.get("action_due")
    if not isinstance(due, date):
        errors["action_due"] = "Give the date the corrective action is due."
    elif due < facts.raised_on:
        errors["action_due"] = "The action cannot be due before the finding was raised."
    return errors


def implement_errors(facts: FindingFacts, implemented_on: date | None, today: date) -> dict[str, str]:
    if implemented_on is None:
        return {"implemented_on": "Give the date the action was implemented."}
    if implemented_on > today:
        return {
            "implemented_on": "An action is recorded as implemented once it is: the date is in the future"
        }
    if implemented_on < facts.raised_on:
        return {"implemented_on": "The action cannot be implemented before the finding was raised."}
    return {}


def check_errors(
    facts: FindingFacts, checked_on: date | None, checked_by: str, result: str | None, notes: str, today: date
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if checked_on is None:
        errors["checked_on"] = "Give the date of the effectiveness check."
    elif checked_on > today:
        errors["checked_on"] = "A check is recorded once made: the date is in the future."
    elif facts.implemented_on is not None and checked_on < facts.implemented_on:
        errors["checked_on"] = (
            f"The effectiveness check cannot come before the action was implemented "
            f"({facts.implemented_on.isoformat()})."
        )
    if not checked_by.strip():
        errors["checked_by"] = "Name who checked the action worked."
    if result not in set(CheckResult):
        errors["result"] = "Say whether the action was effective."
    message = sentence_error(notes, "what was checked and what it showed")
    if message:
        errors["notes"] = message
    return errors


def close_errors(facts: FindingFacts, response: str = "") -> dict[str, str]:
    """Closing needs the root cause, the action and a passed effectiveness check; an open observation
    closes with the response decided (its ``corrective_action``) as a real sentence."""
    if facts.severity is Severity.OBSERVATION and facts.state is FindingState.OPEN:
        message = sentence_error(response or facts.corrective_action, "the response to the observation")
        return {"corrective_action": message} if message else {}
    errors: dict[str, str] = {}
    if not is_sentence(facts.root_cause):
        errors["root_cause"] = "A finding closes only with its root cause recorded."
    if not is_sentence(facts.corrective_action):
        errors["corrective_action"] = "A finding closes only with its corrective action recorded."
    last = facts.last_check
    if last is None or last.result is not CheckResult.EFFECTIVE:
        errors["state"] = "A finding closes only after a passed effectiveness check."
    return errors


def transition_errors(
    facts: FindingFacts, transition: Transition, values: Mapping[str, object], today: date
) -> dict[str, str]:
    """Every reason the transition is refused, by field (``state`` for a transition out of order)."""
    order = _order_error(facts, transition)
    if order:
        return {"state": order}
    if transition is Transition.PLAN:
        return plan_errors(facts, values, today)
    if transition is Transition.IMPLEMENT:
        day = values.get("implemented_on")
        return implement_errors(facts, day if isinstance(day, date) else None, today)
    if transition is Transition.CHECK:
        day = values.get("checked_on")
        return check_errors(
            facts,
            day if isinstance(day, date) else None,
            str(values.get("checked_by") or ""),
            str(values.get("result") or "") or None,
            str(values.get("notes") or ""),
            today,
        )
    return close_errors(facts, str(values.get("corrective_action") or ""))


def state_after(facts: FindingFacts, transition: Transition, values: Mapping[str, object]) -> FindingState:
    """The state a (valid) transition leads to: an ineffective check goes back to action planned."""
    if transition is Transition.PLAN:
        return FindingState.ACTION_PLANNED
    if transition is Transition.IMPLEMENT:
        return FindingState.IMPLEMENTED
    if transition is Transition.CHECK:
        effective = values.get("result") == CheckResult.EFFECTIVE
        return FindingState.VERIFIED if effective else FindingState.ACTION_PLANNED
    return FindingState.CLOSED


def due_date(facts: FindingFacts) -> date | None:
    """The date the next step is due: the body's deadline first, then the action's or the check's date."""
    if facts.state is FindingState.CLOSED:
        return None
    dates = [facts.deadline]
    if facts.state in (FindingState.OPEN, FindingState.ACTION_PLANNED):
        dates.append(facts.action_due)
    if facts.state is FindingState.IMPLEMENTED:
        dates.append(facts.effectiveness_due)
    known = [day for day in dates if day is not None]
    return min(known) if known else None


def is_overdue(facts: FindingFacts, today: date) -> bool:
    """Not closed, and the body's deadline, the action's due date (until implemented) or the planned
    effectiveness check (once implemented) has passed. The due day itself is not late yet."""
    due = due_date(facts)
    return due is not None and due < today


@dataclass(frozen=True)
class RegisterFigures:
    """Counts the management review and the next steps read (all sources)."""

    open_by_severity: Mapping[str, int]
    overdue: int
    closed_in_period: int
    raised_in_period: int

    @property
    def open_total(self) -> int:
        return sum(self.open_by_severity.values())


def label(finding_id: int, severity: str, clause: str | None) -> str:
    """How a finding is named in lists and next steps: "Finding 12 (major, 7.5.6)"."""
    return f"Finding {finding_id} ({severity}{f', {clause}' if clause else ''})"
