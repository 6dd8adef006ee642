"""The nonconformity and corrective action register: sources, severities, states and every transition's rule.

A finding moves one way, each step needing its own record (ISO 9001 10.2, ISO 13485 8.5.2)::

    open -> action planned -> implemented -> verified effective -> closed
                  ^                |
                  +-- ineffective -+   (an ineffective check reopens the action)

* **plan** (open -> action planned): the root cause (a method and the analysis) and the corrective action,
  with an owner and a due date, each a real sentence, not a placeholder such as ``x``. Until the action is
  implemented the plan may be revised, and after an ineffective check it should be: the action did not work.
* **implement** (action planned -> implemented): the day the action was carried out, not before it was
  raised nor in the future.
* **check** (implemented -> verified, or back to action planned): the effectiveness check's day (not before
  the implementation), who checked and the result; an ineffective result reopens the action.
* **close** (verified -> closed): needs the root cause, the action and a passed check. An observation (an
  opportunity for improvement) needs no corrective action: it closes from open with the response decided.

Every rule here is a plain function that the forms, the API, the register and the next steps all call.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.domain.assessment import EARLIEST_DUE_DATE, latest_due_date
from app.domain.text import _, _l


class Source(StrEnum):
    INTERNAL_AUDIT = "internal_audit"
    EXTERNAL_AUDIT = "external_audit"
    CUSTOMER_COMPLAINT = "customer_complaint"
    PROCESS = "process"
    PRODUCT = "product"
    SUPPLIER = "supplier"


SOURCE_LABELS: Mapping[Source, str] = {
    Source.INTERNAL_AUDIT: _l("Internal audit"),
    Source.EXTERNAL_AUDIT: _l("External audit (certification body)"),
    Source.CUSTOMER_COMPLAINT: _l("Customer complaint"),
    Source.PROCESS: _l("Process nonconformity"),
    Source.PRODUCT: _l("Product nonconformity"),
    Source.SUPPLIER: _l("Supplier"),
}


class Severity(StrEnum):
    MAJOR = "major"
    MINOR = "minor"
    OBSERVATION = "observation"


SEVERITY_LABELS: Mapping[Severity, str] = {
    Severity.MAJOR: _l("Major nonconformity"),
    Severity.MINOR: _l("Minor nonconformity"),
    Severity.OBSERVATION: _l("Observation / opportunity for improvement"),
}


# A severity as a finding's name shows it: "Finding 12 (major, 7.5.6)".
SEVERITY_WORDS: Mapping[str, str] = {
    Severity.MAJOR: _l("major"),
    Severity.MINOR: _l("minor"),
    Severity.OBSERVATION: _l("observation"),
}


class FindingState(StrEnum):
    OPEN = "open"
    ACTION_PLANNED = "action_planned"
    IMPLEMENTED = "implemented"
    VERIFIED = "verified"
    CLOSED = "closed"


STATE_LABELS: Mapping[FindingState, str] = {
    FindingState.OPEN: _l("Open"),
    FindingState.ACTION_PLANNED: _l("Action planned"),
    FindingState.IMPLEMENTED: _l("Implemented"),
    FindingState.VERIFIED: _l("Verified effective"),
    FindingState.CLOSED: _l("Closed"),
}


class RootCauseMethod(StrEnum):
    FIVE_WHYS = "five_whys"
    FISHBONE = "fishbone"
    FAULT_TREE = "fault_tree"
    OTHER = "other"


METHOD_LABELS: Mapping[RootCauseMethod, str] = {
    RootCauseMethod.FIVE_WHYS: _l("Five whys"),
    RootCauseMethod.FISHBONE: _l("Fishbone (Ishikawa) diagram"),
    RootCauseMethod.FAULT_TREE: _l("Fault tree"),
    RootCauseMethod.OTHER: _l("Other analysis"),
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
    Transition.PLAN: _l("Record the root cause and plan the action"),
    Transition.IMPLEMENT: _l("Record the action as implemented"),
    Transition.CHECK: _l("Record the effectiveness check"),
    Transition.CLOSE: _l("Close the finding"),
}

# The states each transition starts from (close: from verified, or from open for an observation; the plan
# is revised until the action is implemented).
_FROM: Mapping[Transition, frozenset[FindingState]] = {
    Transition.PLAN: frozenset({FindingState.OPEN, FindingState.ACTION_PLANNED}),
    Transition.IMPLEMENT: frozenset({FindingState.ACTION_PLANNED}),
    Transition.CHECK: frozenset({FindingState.IMPLEMENTED}),
    Transition.CLOSE: frozenset({FindingState.VERIFIED}),
}
# The register's state filter: a state, or "open" for every state but closed (what blocks a stage), and
# "new" for the state open itself (nothing planned yet), whose value "open" the filter already takes.
OPEN_FILTER = "open"
NEW_FILTER = "new"
STATE_FILTER_LABELS: Mapping[str, str] = {
    OPEN_FILTER: _l("Open (not closed)"),
    NEW_FILTER: _l("No action planned yet"),
    FindingState.ACTION_PLANNED: _l("Action planned"),
    FindingState.IMPLEMENTED: _l("Implemented"),
    FindingState.VERIFIED: _l("Verified effective"),
    FindingState.CLOSED: _l("Closed"),
}

TEXT_MAX_LENGTH = 5000
OWNER_MAX_LENGTH = 120  # the columns' length (action owner, who checked)
CLAUSE_MAX_LENGTH = 20
# What may be edited besides the transitions; once closed, only what describes the finding.
EDITABLE_FIELDS = (
    "clause_number",
    "severity",
    "description",
    "containment",
    "deadline",
    "action_owner",
    "action_due",
    "effectiveness_due",
)
EDITABLE_WHEN_CLOSED = ("clause_number", "description", "containment")

DEFAULT_MAJOR_DEADLINE_DAYS = 90  # what most certification bodies give to close a major (IAF MD 1 practice)
MIN_SENTENCE_WORDS = 4
MIN_SENTENCE_LETTERS = 15
# Scripts written without spaces between words: there a run of letters is counted as one word per
# LETTERS_PER_WORD letters, and an ideograph or kana (a word or half of one) as two letters.
LETTERS_PER_WORD = 4
_UNSPACED = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF))  # Thai, Lao, Myanmar, Khmer
_IDEOGRAPHIC = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF))


def _kind(char: str) -> int:
    """0: not a letter; 1: a letter of a script written with spaces; 2: of one without (Thai...);
    3: an ideograph or kana."""
    if not char.isalpha():
        return 0
    code = ord(char)
    if any(low <= code <= high for low, high in _IDEOGRAPHIC):
        return 3
    return 2 if any(low <= code <= high for low, high in _UNSPACED) else 1


def _measure(text: str) -> tuple[int, int]:
    """(words, letters) of a text. A word is a run of two letters or more (anything but a letter ends it;
    a combining mark belongs to its letter); in a script written without spaces, see LETTERS_PER_WORD."""
    words = letters = 0
    kinds = [_kind(char) for char in text if not unicodedata.category(char).startswith("M")]
    start = 0
    for end in range(1, len(kinds) + 1):
        if end < len(kinds) and kinds[end] == kinds[start]:
            continue
        kind, size = kinds[start], end - start
        if kind == 1 and size >= 2:
            words, letters = words + 1, letters + size
        elif kind >= 2:
            weight = size * (2 if kind == 3 else 1)
            words, letters = words + weight // LETTERS_PER_WORD, letters + weight
        start = end
    return words, letters


def is_sentence(text: str | None) -> bool:
    """A real sentence: at least four words of two letters or more and fifteen letters in all, so ``x``,
    ``done``, ``n/a`` or ``see above`` are refused. Letters of any script count; Thai or Chinese, written
    without spaces, are measured by their letters (see :data:`LETTERS_PER_WORD`), so a short sentence of
    eight ideographs or sixteen Thai letters counts, and 已完成 ("done") does not."""
    words, letters = _measure(text or "")
    return words >= MIN_SENTENCE_WORDS and letters >= MIN_SENTENCE_LETTERS


# What each text of a finding's workflow asks for: written at all, then as a real sentence.
_SENTENCES: Mapping[str, tuple[str, str]] = {
    "the root cause analysis": (
        _l("Write the root cause analysis."),
        _l(
            "Write the root cause analysis as a real sentence (at least %(num)d words): "
            "a placeholder is not a record."
        ),
    ),
    "the corrective action": (
        _l("Write the corrective action."),
        _l(
            "Write the corrective action as a real sentence (at least %(num)d words): "
            "a placeholder is not a record."
        ),
    ),
    "what was checked and what it showed": (
        _l("Write what was checked and what it showed."),
        _l(
            "Write what was checked and what it showed as a real sentence (at least %(num)d words): "
            "a placeholder is not a record."
        ),
    ),
    "the response to the observation": (
        _l("Write the response to the observation."),
        _l(
            "Write the response to the observation as a real sentence (at least %(num)d words): "
            "a placeholder is not a record."
        ),
    ),
}


def sentence_problem(text: str | None, empty: str, short: str) -> str | None:
    """``empty`` when nothing is written; ``short`` (its ``%(num)d`` the words needed) when no real sentence
    is (:func:`is_sentence`); in the reader's language. None for a real sentence."""
    if not (text or "").strip():
        return str(empty)
    if not is_sentence(text):
        return short % {"num": MIN_SENTENCE_WORDS}
    return None


def sentence_error(text: str | None, what: str) -> str | None:
    """Ask for ``what`` (one of :data:`_SENTENCES`) when nothing is written or no real sentence is."""
    empty, short = _SENTENCES.get(what) or (
        _l("Write %(what)s."),
        _l("Write %(what)s as a real sentence (at least %(num)d words): a placeholder is not a record."),
    )
    if not (text or "").strip():
        return empty % {"what": what}
    if not is_sentence(text):
        return short % {"num": MIN_SENTENCE_WORDS, "what": what}
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
    return tuple(t for t, start in _FROM.items() if facts.state in start)


def filter_states(value: str) -> frozenset[FindingState]:
    """The states a value of the register's state filter (:data:`STATE_FILTER_LABELS`) stands for."""
    if value == OPEN_FILTER:
        return frozenset(s for s in FindingState if is_open(s))
    if value == NEW_FILTER:
        return frozenset({FindingState.OPEN})
    return frozenset({FindingState(value)})


def editable_fields(state: FindingState) -> tuple[str, ...]:
    """The fields an edit may change: a closed finding is history, so its severity, deadline and action
    stay as they were when it closed; its description, containment and clause may still be corrected."""
    return EDITABLE_WHEN_CLOSED if state is FindingState.CLOSED else EDITABLE_FIELDS


def _order_error(facts: FindingFacts, transition: Transition) -> str | None:
    if transition in allowed_transitions(facts):
        return None
    state = str(STATE_LABELS[facts.state]).lower()
    needs = {
        Transition.PLAN: _l(
            "The root cause and action are planned, or revised, until the action is implemented; "
            "this finding is %(state)s."
        ),
        Transition.IMPLEMENT: _l(
            "Only a planned action is implemented: record the root cause and action first; "
            "this finding is %(state)s."
        ),
        Transition.CHECK: _l(
            "Effectiveness is checked after the action is implemented; this finding is %(state)s."
        ),
        Transition.CLOSE: _l(
            "A finding closes only after a passed effectiveness check; this finding is %(state)s."
        ),
    }[transition]
    return needs % {"state": state}


def external_deadline(
    raised_on: date, severity: Severity, days: int = DEFAULT_MAJOR_DEADLINE_DAYS
) -> date | None:
    """The certification body's deadline for a finding of its audit: a major must be closed within ``days``
    (90 by default, the body's own figure where it gives another); other findings have none by default."""
    return raised_on + timedelta(days=days) if severity is Severity.MAJOR else None


def _too_long(value: object, limit: int) -> str | None:
    return _("Use at most %(limit)d characters.", limit=limit) if len(str(value or "")) > limit else None


def _date_error(day: object, today: date) -> str | None:
    """A date the register keeps: from 2000 to 31 December ten years on (a typing slip otherwise)."""
    latest = latest_due_date(today)
    if isinstance(day, date) and not EARLIEST_DUE_DATE <= day <= latest:
        return _(
            "Enter a date between %(first)d and %(last)d.", first=EARLIEST_DUE_DATE.year, last=latest.year
        )
    return None


def _planned_dates_errors(
    values: Mapping[str, object], raised_on: object, today: date, names: tuple[str, ...]
) -> dict[str, str]:
    """The deadline, the action's due date and the planned effectiveness check: none before the finding
    was raised, and the check not before the action is due."""
    errors: dict[str, str] = {}
    what = {
        "deadline": _("The deadline cannot be before the finding was raised."),
        "action_due": _("The action cannot be due before the finding was raised."),
        "effectiveness_due": _("The effectiveness check cannot be due before the finding was raised."),
    }
    for name in names:
        day = values.get(name)
        message = _date_error(day, today)
        if message is None and isinstance(day, date) and isinstance(raised_on, date) and day < raised_on:
            message = what[name]
        if message:
            errors[name] = message
    check, due = values.get("effectiveness_due"), values.get("action_due")
    if isinstance(check, date) and isinstance(due, date) and check < due:
        errors.setdefault(
            "effectiveness_due", _("The effectiveness check cannot be due before the action is.")
        )
    return errors


def field_errors(values: Mapping[str, object], today: date, raised_on: date | None = None) -> dict[str, str]:
    """What is wrong in a finding's descriptive fields (those ``values`` holds): its source, severity,
    clause, description, containment, the day it was raised (not in the future), its deadline, owner and
    due dates. ``raised_on`` is the saved day for an edit, where ``values`` does not hold it. Whether the
    clause is in the project's standard is the service's to check."""
    errors: dict[str, str] = {}
    if "source" in values and values["source"] not in set(Source):
        errors["source"] = _("Choose where the finding comes from.")
    if "severity" in values and values["severity"] not in set(Severity):
        errors["severity"] = _("Choose major, minor or observation.")
    if "description" in values and not str(values["description"] or "").strip():
        errors["description"] = _("Describe the finding: what was found, and where.")
    limits = (
        ("description", TEXT_MAX_LENGTH),
        ("containment", TEXT_MAX_LENGTH),
        ("clause_number", CLAUSE_MAX_LENGTH),
        ("action_owner", OWNER_MAX_LENGTH),
    )
    for name, limit in limits:
        message = _too_long(values.get(name), limit)
        if message and name not in errors:
            errors[name] = message
    raised = values.get("raised_on", raised_on)
    if "raised_on" in values:
        if not isinstance(raised, date):
            errors["raised_on"] = _("Give the date the finding was raised.")
        elif raised > today:
            errors["raised_on"] = _("A finding is recorded once raised: the date is in the future.")
        elif message := _date_error(raised, today):
            errors["raised_on"] = message
    dates = tuple(name for name in ("deadline", "action_due", "effectiveness_due") if name in values)
    return errors | _planned_dates_errors(values, raised, today, dates)


def plan_errors(facts: FindingFacts, values: Mapping[str, object], today: date) -> dict[str, str]:
    """What is missing or wrong in the planning of a corrective action (root cause, action, owner, due;
    the effectiveness check's planned date is optional)."""
    errors: dict[str, str] = {}
    if values.get("root_cause_method") not in set(RootCauseMethod):
        errors["root_cause_method"] = _("Choose how the root cause was analysed.")
    texts = (("root_cause", "the root cause analysis"), ("corrective_action", "the corrective action"))
    for name, what in texts:
        message = _too_long(values.get(name), TEXT_MAX_LENGTH) or sentence_error(
            str(values.get(name) or ""), what
        )
        if message:
            errors[name] = message
    owner = str(values.get("action_owner") or "")
    if not owner.strip():
        errors["action_owner"] = _("Name who carries out the corrective action.")
    elif message := _too_long(owner, OWNER_MAX_LENGTH):
        errors["action_owner"] = message
    if not isinstance(values.get("action_due"), date):
        errors["action_due"] = _("Give the date the corrective action is due.")
    dates = _planned_dates_errors(values, facts.raised_on, today, ("action_due", "effectiveness_due"))
    return errors | {name: text for name, text in dates.items() if name not in errors}


def implement_errors(facts: FindingFacts, implemented_on: date | None, today: date) -> dict[str, str]:
    """The day the action was carried out: not in the future, not before the finding was raised, and
    after an ineffective check not before that check (the action carried out again)."""
    if implemented_on is None:
        return {"implemented_on": _("Give the date the action was implemented.")}
    if implemented_on > today:
        return {
            "implemented_on": _("An action is recorded as implemented once it is: the date is in the future.")
        }
    if implemented_on < facts.raised_on:
        return {"implemented_on": _("The action cannot be implemented before the finding was raised.")}
    last = facts.last_check
    if last is not None and implemented_on < last.checked_on:
        return {
            "implemented_on": _(
                "The revised action is implemented after the check that found the last one ineffective "
                "(%(day)s).",
                day=last.checked_on.isoformat(),
            )
        }
    return {}


def check_errors(
    facts: FindingFacts, checked_on: date | None, checked_by: str, result: str | None, notes: str, today: date
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if checked_on is None:
        errors["checked_on"] = _("Give the date of the effectiveness check.")
    elif checked_on > today:
        errors["checked_on"] = _("A check is recorded once made: the date is in the future.")
    elif facts.implemented_on is not None and checked_on < facts.implemented_on:
        errors["checked_on"] = _(
            "The effectiveness check cannot come before the action was implemented (%(day)s).",
            day=facts.implemented_on.isoformat(),
        )
    if not checked_by.strip():
        errors["checked_by"] = _("Name who checked the action worked.")
    elif message := _too_long(checked_by, OWNER_MAX_LENGTH):
        errors["checked_by"] = message
    if result not in set(CheckResult):
        errors["result"] = _("Say whether the action was effective.")
    message = _too_long(notes, TEXT_MAX_LENGTH) or sentence_error(
        notes, "what was checked and what it showed"
    )
    if message:
        errors["notes"] = message
    return errors


def close_errors(facts: FindingFacts, response: str = "") -> dict[str, str]:
    """Closing needs the root cause, the action and a passed effectiveness check; an open observation
    closes with the response decided (its ``corrective_action``) as a real sentence."""
    if facts.severity is Severity.OBSERVATION and facts.state is FindingState.OPEN:
        text = response or facts.corrective_action
        message = _too_long(text, TEXT_MAX_LENGTH) or sentence_error(text, "the response to the observation")
        return {"corrective_action": message} if message else {}
    errors: dict[str, str] = {}
    if not is_sentence(facts.root_cause):
        errors["root_cause"] = _("A finding closes only with its root cause recorded.")
    if not is_sentence(facts.corrective_action):
        errors["corrective_action"] = _("A finding closes only with its corrective action recorded.")
    last = facts.last_check
    if last is None or last.result is not CheckResult.EFFECTIVE:
        errors["state"] = _("A finding closes only after a passed effectiveness check.")
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
    shown = str(SEVERITY_WORDS.get(severity, severity))
    if clause:
        return _(
            "Finding %(number)d (%(severity)s, %(clause)s)", number=finding_id, severity=shown, clause=clause
        )
    return _("Finding %(number)d (%(severity)s)", number=finding_id, severity=shown)
