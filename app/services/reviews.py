"""Management reviews of a project: loaded as domain facts for the stage (the rules are in
:mod:`app.domain.reviews`), listed with their open actions, created with their inputs pre-filled
(:mod:`app.services.review_prefill`), edited on the version read, and their decisions and actions recorded
and tracked to done. Shared by the pages and the API; refusals are raised as the app's own errors, nothing
half-saved."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, bindparam, func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from app.domain import reviews as rules
from app.domain.pathway import ReviewInput, StandardFamily, standard_family
from app.domain.permissions import Action
from app.domain.text import _
from app.extensions import db
from app.models import CertificationProject, ManagementReview, ReviewInputEntry, ReviewOutput
from app.services.changes import check_version
from app.services.errors import Conflict, Invalid, NotFound
from app.services.review_prefill import prefill_facts
from app.services.scope import Scope, get_or_404_in

# The stage's statements are built once and run with the project (and the day) bound.
_PROJECT_ID = bindparam("project_id", type_=Integer)

_REVIEWS = (  # each review with each of its inputs (one row with no key for a review without any)
    select(ManagementReview.id, ManagementReview.held_on, ReviewInputEntry.key, ReviewInputEntry.text)
    .outerjoin(ReviewInputEntry, ReviewInputEntry.review_id == ManagementReview.id)
    .where(ManagementReview.project_id == _PROJECT_ID)
)
_OUTPUTS = (
    select(
        ReviewOutput.review_id,
        ReviewOutput.category,
        ReviewOutput.kind,
        ReviewOutput.done_on,
        ReviewOutput.due_date,
        ReviewOutput.id,
        ReviewOutput.text,
    )
    .join(ManagementReview, ManagementReview.id == ReviewOutput.review_id)
    .where(ManagementReview.project_id == _PROJECT_ID)
)


@dataclass(frozen=True)
class ReviewRecords:
    """The Management review stage's facts, and what the next steps name of the reviews."""

    reviews: list[rules.ReviewFacts]  # with their inputs' texts and their outputs counted by category
    overdue_actions: list[str]  # the texts of actions past their due date and not done, oldest due first


def review_records(project: CertificationProject, today: date) -> ReviewRecords:
    """Every review of the project and every decision and action, read in two queries whatever their
    number (each review's outputs counted, the overdue actions picked, here)."""
    params = {"project_id": project.id}
    held: dict[int, date] = {}
    inputs: dict[int, dict[str, str]] = {}
    for review_id, held_on, key, text in db.session.execute(_REVIEWS, params):
        held[review_id] = held_on
        found = inputs.setdefault(review_id, {})
        if key is not None:
            found[key] = text
    outputs: dict[int, Counter[str]] = {}
    overdue: list[tuple[date, int, str]] = []
    for review_id, category, kind, done_on, due_date, output_id, text in db.session.execute(_OUTPUTS, params):
        outputs.setdefault(review_id, Counter())[category] += 1
        if kind == ACTION and due_date and rules.action_is_overdue(due_date, done_on, today):
            overdue.append((due_date, output_id, text))
    reviews = [
        rules.ReviewFacts(review_id, held_on, inputs[review_id], dict(outputs.get(review_id, {})))
        for review_id, held_on in held.items()
    ]
    return ReviewRecords(reviews, [text for _, _, text in sorted(overdue)])


def review_facts(project: CertificationProject) -> list[rules.ReviewFacts]:
    """Every review of the project with its inputs' texts and its outputs counted by category (2 queries)."""
    return review_records(project, date.today()).reviews


# Recording reviews (the pages and the API)

ACTION = rules.OutputKind.ACTION


@dataclass
class ReviewFields:
    """What a user types for a review's record (the inputs are sent apart, by key)."""

    held_on: date | None
    period_start: date | None
    period_end: date | None
    attendees: str = ""
    notes: str = ""


@dataclass
class OutputFields:
    category: str
    kind: str
    text: str
    owner: str = ""
    due_date: date | None = None


def family_of(project: CertificationProject) -> StandardFamily:
    return standard_family(project.standard.code)


def review_in(scope: Scope, project: CertificationProject, review_id: int) -> ManagementReview:
    """A review of this project the scope may see, with its inputs and outputs, or 404 (3 queries)."""
    review = get_or_404_in(
        scope,
        ManagementReview,
        review_id,
        selectinload(ManagementReview.inputs),
        selectinload(ManagementReview.outputs),
    )
    if review.project_id != project.id:
        raise NotFound()
    return review


def output_in(review: ManagementReview, output_id: int) -> ReviewOutput:
    output = next((o for o in review.outputs if o.id == output_id), None)
    if output is None:
        raise NotFound()
    return output


def facts_of(review: ManagementReview) -> rules.ReviewFacts:
    """A loaded review as the rules see it."""
    return rules.ReviewFacts(
        review.id,
        review.held_on,
        {entry.key: entry.text for entry in review.inputs},
        dict(Counter(output.category for output in review.outputs)),
    )


# The list of reviews and the open actions


@dataclass(frozen=True)
class ActionRow:
    id: int
    review_id: int
    review_held_on: date
    category: str
    text: str
    owner: str
    due_date: date | None
    done_on: date | None
    state: rules.ActionState


@dataclass(frozen=True)
class ReviewRow:
    id: int
    held_on: date
    period_start: date
    period_end: date
    inputs_recorded: int
    inputs_required: int
    outputs: int
    open_actions: int
    overdue_actions: int


@dataclass(frozen=True)
class ReviewList:
    reviews: list[ReviewRow]  # newest first
    open_actions: list[ActionRow]  # not done, of every review, the oldest due first


def review_list(project: CertificationProject, today: date) -> ReviewList:
    """Every review of the project with its counts, and the actions still open (3 queries)."""
    family = family_of(project)
    facts = {f.id: f for f in review_facts(project)}
    reviews = db.session.execute(
        select(
            ManagementReview.id,
            ManagementReview.held_on,
            ManagementReview.period_start,
            ManagementReview.period_end,
        )
        .where(ManagementReview.project_id == project.id)
        .order_by(ManagementReview.held_on.desc(), ManagementReview.id.desc())
    ).all()
    actions = [
        ActionRow(*row, rules.action_state(row.due_date, row.done_on, today))
        for row in db.session.execute(
            select(
                ReviewOutput.id,
                ReviewOutput.review_id,
                ManagementReview.held_on,
                ReviewOutput.category,
                ReviewOutput.text,
                ReviewOutput.owner,
                ReviewOutput.due_date,
                ReviewOutput.done_on,
            )
            .join(ManagementReview, ManagementReview.id == ReviewOutput.review_id)
            .where(ManagementReview.project_id == project.id, ReviewOutput.kind == ACTION)
        )
    ]
    required = len(rules.review_inputs(family))
    rows = []
    for row in reviews:
        fact = facts.get(row.id, rules.ReviewFacts(row.id, row.held_on))
        mine = [a for a in actions if a.review_id == row.id and a.state is not rules.ActionState.DONE]
        rows.append(
            ReviewRow(
                *row,
                inputs_recorded=required - len(fact.missing_inputs(family)),
                inputs_required=required,
                outputs=sum(fact.outputs.values()),
                open_actions=len(mine),
                overdue_actions=sum(a.state is rules.ActionState.OVERDUE for a in mine),
            )
        )
    still_open = [a for a in actions if a.state is not rules.ActionState.DONE]
    still_open.sort(key=lambda a: (a.due_date is None, a.due_date or a.review_held_on, a.id))
    return ReviewList(rows, still_open)


def new_review_fields(project: CertificationProject, today: date) -> ReviewFields:
    """A new review's defaults: held today, over the period since the previous review's (one query)."""
    previous_end = db.session.execute(
        select(func.max(ManagementReview.period_end)).where(ManagementReview.project_id == project.id)
    ).scalar_one()
    start, end = rules.default_period(previous_end, today)
    return ReviewFields(held_on=today, period_start=start, period_end=end)


# Creating and editing a review


def _record_errors(fields: ReviewFields, today: date) -> dict[str, str]:
    errors = rules.date_errors(fields.held_on, fields.period_start, fields.period_end, today)
    return errors | rules.record_errors(fields.attendees, fields.notes)


def _attendees(text: str) -> str:
    return "\n".join(rules.attendee_list(text))


def create_review(
    scope: Scope, project: CertificationProject, fields: ReviewFields, today: date
) -> ManagementReview:
    """A review with every required input, pre-filled from the app's records where it can be."""
    scope.require(Action.EDIT_CONTENT)
    errors = _record_errors(fields, today)
    if errors:
        raise Invalid(_("The review was not saved."), errors)
    assert fields.held_on and fields.period_start and fields.period_end  # checked above
    family = family_of(project)
    facts = prefill_facts(project, fields.held_on, fields.period_start, fields.period_end, today)
    texts = rules.prefill(family, facts, today)
    review = ManagementReview(
        project_id=project.id,
        held_on=fields.held_on,
        period_start=fields.period_start,
        period_end=fields.period_end,
        attendees=_attendees(fields.attendees),
        notes=fields.notes,
        inputs=[ReviewInputEntry(key=i.key, text=texts.get(i.key, "")) for i in rules.review_inputs(family)],
    )
    db.session.add(review)
    db.session.flush()
    return review


def input_field(key: str) -> str:
    """How an input is named in a refusal's fields (and in the API's PATCH body): ``inputs.<key>``."""
    return f"inputs.{key}"


def update_review(
    scope: Scope,
    project: CertificationProject,
    review: ManagementReview,
    fields: ReviewFields,
    inputs: Mapping[str, str],
    version: int | None,
    today: date,
) -> None:
    """Save the record and the inputs given (by key; the others keep their text) on the review as read at
    ``version``. The review's version moves whenever anything of it changes, its inputs included, so that
    two people editing the minutes are told rather than one overwriting the other."""
    scope.require(Action.EDIT_CONTENT)
    check_version(review, version, "management review")
    errors = _record_errors(fields, today)
    errors |= {input_field(k): m for k, m in rules.input_errors(family_of(project), inputs).items()}
    if errors:
        raise Invalid(_("The review was not saved."), errors)
    values = {
        "held_on": fields.held_on,
        "period_start": fields.period_start,
        "period_end": fields.period_end,
        "attendees": _attendees(fields.attendees),
        "notes": fields.notes,
    }
    changed = False
    for name, value in values.items():
        if getattr(review, name) != value:
            setattr(review, name, value)
            changed = True
    entries = {entry.key: entry for entry in review.inputs}
    for key, text in inputs.items():
        entry = entries.get(key)
        if entry is None:
            review.inputs.append(ReviewInputEntry(key=key, text=text))
            changed = True
        elif entry.text != text:
            entry.text = text
            changed = True
    if changed:
        flag_modified(review, "notes")  # an UPDATE of the review row, which moves its version
        db.session.flush()


def add_output(
    scope: Scope, project: CertificationProject, review: ManagementReview, fields: OutputFields
) -> ReviewOutput:
    """A decision or an action (with its owner and due date) under one of the standard's outputs."""
    scope.require(Action.EDIT_CONTENT)
    is_action = fields.kind == ACTION
    errors = rules.output_field_errors(
        family_of(project),
        fields.category,
        fields.kind,
        fields.text,
        fields.owner,
        fields.due_date,
        review.held_on,
    )
    if errors:
        raise Invalid(_("The decision or action was not saved."), errors)
    output = ReviewOutput(
        category=fields.category,
        kind=fields.kind,
        text=fields.text,
        owner=fields.owner,
        due_date=fields.due_date if is_action else None,
    )
    review.outputs.append(output)
    db.session.flush()
    return output


def mark_done(
    scope: Scope,
    review: ManagementReview,
    output: ReviewOutput,
    done_on: date | None,
    version: int | None,
    today: date,
) -> None:
    """Record an action as done on ``done_on`` (between the review and today), on the action as read."""
    scope.require(Action.EDIT_CONTENT)
    check_version(output, version, "action")
    if output.kind != ACTION:
        raise Conflict(_("A decision is not tracked to done: only an action is."))
    if output.done_on is not None:
        raise Conflict(
            _("This action is already recorded as done on %(day)s.", day=output.done_on.isoformat())
        )
    errors = rules.done_errors(done_on, review.held_on, today)
    if errors:
        raise Invalid(_("The action was not marked done."), errors)
    output.done_on = done_on


# A review's outputs as its page and its minutes show them


@dataclass(frozen=True)
class OutputLine:
    output: ReviewOutput
    state: rules.ActionState | None  # None for a decision


@dataclass(frozen=True)
class OutputSection:
    category: ReviewInput
    lines: list[OutputLine]


def output_sections(
    project: CertificationProject, review: ManagementReview, today: date
) -> list[OutputSection]:
    """The review's decisions and actions under each output the standard requires, in its order."""
    lines: dict[str, list[OutputLine]] = {}
    for output in review.outputs:
        state = rules.action_state(output.due_date, output.done_on, today) if output.kind == ACTION else None
        lines.setdefault(output.category, []).append(OutputLine(output, state))
    return [OutputSection(item, lines.get(item.key, [])) for item in rules.review_outputs(family_of(project))]
