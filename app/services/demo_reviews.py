"""Writing a demo factory's quality objectives and management review (the data of
:mod:`app.services.demo_record_plans`), each checked by the rules the app applies to what a user records
(:mod:`app.domain.objectives`, :mod:`app.domain.reviews`): an objective and its monthly measurements; a
review's dates, attendees, every required input (those the app pre-fills written as it would) and its
decisions and actions. A plan breaking a rule raises ValueError.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal

from app.domain import objectives, reviews
from app.domain.pathway import StandardFamily
from app.extensions import db
from app.models import (
    CertificationProject,
    ManagementReview,
    ObjectiveMeasurement,
    QualityObjective,
    ReviewInputEntry,
    ReviewOutput,
)
from app.services.demo_record_plans import ObjectivePlan, OutputPlan, ReviewPlan


def day_before(today: date, days_ago: int) -> date:
    """The day ``days_ago`` before ``today`` (after it, for a negative count)."""
    return today - timedelta(days=days_ago)


def refuse(what: str, errors: Mapping[str, str]) -> None:
    if errors:
        raise ValueError(f"Demo {what}: {errors}")


def month_ends(today: date, count: int) -> list[date]:
    """The last days of the ``count`` months before this one, oldest first."""
    first = today.replace(day=1)
    ends = []
    for _ in range(count):
        first_before = (first - timedelta(days=1)).replace(day=1)
        ends.append(first - timedelta(days=1))
        first = first_before
    return ends[::-1]


def add_objective(project: CertificationProject, spec: ObjectivePlan, today: date) -> QualityObjective:
    target, due = Decimal(spec.target), today + timedelta(days=spec.due_in_days)
    errors = objectives.objective_errors(spec.title, spec.measure, target, due, spec.owner)
    errors |= objectives.limit_errors(
        title=spec.title, unit=spec.unit, owner=spec.owner, measure=spec.measure, notes=spec.notes
    )
    if problem := objectives.direction_error(spec.direction):
        errors["direction"] = problem
    objective = QualityObjective(
        project_id=project.id,
        title=spec.title,
        measure=spec.measure,
        unit=spec.unit,
        direction=objectives.Direction(spec.direction),
        target=target,
        owner=spec.owner,
        due_date=due,
        notes=spec.notes,
    )
    for day, text in zip(month_ends(today, len(spec.values)), spec.values, strict=True):
        value = objectives.parse_value(text)
        errors |= objectives.measurement_errors(day, value, today)
        objective.measurements.append(ObjectiveMeasurement(measured_on=day, value=value))
    refuse(f"objective {spec.title}", errors)
    db.session.add(objective)
    return objective


def _objective_lines(goals: Sequence[QualityObjective], day: date) -> str:
    """Each objective's latest value measured by ``day`` against its target, as the review reads it."""
    lines = []
    for goal in goals:
        direction = objectives.Direction(goal.direction)
        measured = [
            objectives.Measurement(m.measured_on, m.value) for m in goal.measurements if m.measured_on <= day
        ]
        last = objectives.latest(measured)
        met = objectives.status(direction, goal.target, measured)
        state = "no measurement yet" if met is None else "met" if met else "not met"
        unit = f" {goal.unit}" if goal.unit else ""
        value = f"latest {objectives.format_value(last.value)}{unit}, " if last else ""
        target = objectives.target_text(direction, goal.target, goal.unit)
        lines.append(f"- {goal.title}: {value}target {target} ({state}).")
    return "\n".join(lines)


# The management review


def add_review(
    project: CertificationProject,
    family: StandardFamily,
    spec: ReviewPlan,
    today: date,
    known: reviews.PrefillFacts,
    last_report: date | None,
    goals: Sequence[QualityObjective],
) -> None:
    """The review of ``spec``: ``known`` is what the app knew on its day (the period is ``known``'s),
    ``last_report`` the day of the last internal audit report, which the review must follow."""
    held_on, start, attendees = known.end, known.start, "\n".join(spec.attendees)
    inputs = reviews.prefill(family, known, held_on)
    inputs |= {
        key: text.replace("{objectives}", _objective_lines(goals, held_on))
        for key, text in spec.inputs.items()
    }
    errors = {
        **reviews.date_errors(held_on, start, held_on, today),
        **reviews.record_errors(attendees, spec.notes),
        **reviews.input_errors(family, inputs),
    }
    outputs = [_output(family, output, held_on, today, errors) for output in spec.outputs]
    facts = reviews.ReviewFacts(0, held_on, inputs, {o.category: 1 for o in outputs})
    unmet = [c.reason for c in reviews.management_review_criteria(family, [facts], last_report) if not c.met]
    if unmet:
        errors["criteria"] = " ".join(unmet)
    refuse("management review", errors)
    db.session.add(
        ManagementReview(
            project_id=project.id,
            held_on=held_on,
            period_start=start,
            period_end=held_on,
            attendees=attendees,
            notes=spec.notes,
            inputs=[
                ReviewInputEntry(key=item.key, text=inputs[item.key])
                for item in reviews.review_inputs(family)
            ],
            outputs=outputs,
        )
    )


def _output(
    family: StandardFamily, spec: OutputPlan, held_on: date, today: date, errors: dict[str, str]
) -> ReviewOutput:
    """A decision, or an action with its owner and due date (done, if it is, between the review and today);
    what is wrong goes into ``errors``."""
    kind = reviews.OutputKind.DECISION if spec.due_in_days is None else reviews.OutputKind.ACTION
    due = None if spec.due_in_days is None else held_on + timedelta(days=spec.due_in_days)
    done_on = None if spec.done_days_ago is None else day_before(today, spec.done_days_ago)
    errors |= reviews.output_field_errors(family, spec.category, kind, spec.text, spec.owner, due, held_on)
    if done_on is not None:
        errors |= reviews.done_errors(done_on, held_on, today)
    return ReviewOutput(
        category=spec.category, kind=kind, text=spec.text, owner=spec.owner, due_date=due, done_on=done_on
    )
