"""The forms of the customer satisfaction pages: a measure (new and edited), a value, and the list's filters;
and the words and badge colours the pages show.

The forms only read what was typed; the rules (a name, a kind, a target and a value as numbers, a period
not in the future) are checked by :mod:`app.services.satisfaction` with :mod:`app.domain.satisfaction`,
and its messages shown beside the fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import Blueprint
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional

from app.documents.forms import FilterSelect
from app.domain import satisfaction as rules
from app.domain.text import _, _l
from app.evidence.forms import FieldErrors
from app.forms import TrimmedStringField, VersionField, select_choices
from app.models import SatisfactionMeasure
from app.services.satisfaction import MeasureFields, MeasureFilters, ValueFields

HIGHER, LOWER = "higher", "lower"
DIRECTION_CHOICES = {HIGHER: _l("Higher is better (a survey score)"), LOWER: _l("Lower is better (returns)")}
TARGET_BADGES = {True: "text-bg-success", False: "text-bg-danger", None: "text-bg-light border"}
TREND_BADGES = {
    rules.Trend.BETTER: "text-bg-success",
    rules.Trend.WORSE: "text-bg-danger",
    rules.Trend.STEADY: "text-bg-secondary",
    None: "text-bg-light border",
}
UNKNOWN_BADGE = "text-bg-light border"


def register_words(bp: Blueprint) -> None:
    """A measure's kind, trend and target status in words and badge colours, as template filters."""
    filters: dict[str, Callable[..., Any]] = {
        "satisfaction_kind": lambda value: rules.KIND_LABELS.get(value, value),
        "satisfaction_target_badge": lambda met: TARGET_BADGES.get(met, UNKNOWN_BADGE),
        "satisfaction_trend_badge": lambda trend: TREND_BADGES.get(trend, UNKNOWN_BADGE),
        "satisfaction_value": rules.value_text,
        "satisfaction_status": lambda status: rules.STATUS_FILTER_LABELS.get(status, status),
    }
    for name, function in filters.items():
        bp.add_app_template_filter(function, name)


class MeasureForm(FieldErrors, FlaskForm):
    name = TrimmedStringField(_l("Measure"), description=_l("e.g. “Yearly customer survey: overall score”."))
    kind = SelectField(
        _l("Kind"),
        choices=select_choices([("", _l("Choose…")), *((str(k), v) for k, v in rules.KIND_LABELS.items())]),
        validate_choice=False,
    )
    direction = SelectField(_l("Which way is better"), choices=select_choices(DIRECTION_CHOICES.items()))
    target = TrimmedStringField(_l("Target"), description=_l("A number; may stay empty."))
    unit = TrimmedStringField(_l("Unit"), description=_l("e.g. %, points of 5, ppm; may stay empty."))
    version = VersionField()  # the measure's version when the edit form was read

    def fields(self) -> MeasureFields:
        return MeasureFields(
            name=self.name.data or "",
            kind=self.kind.data or "",
            unit=self.unit.data or "",
            higher_is_better=self.direction.data != LOWER,
            target=self.target.data or "",
        )


def measure_data(measure: SatisfactionMeasure) -> dict[str, Any]:
    return {
        "name": measure.name,
        "kind": measure.kind,
        "direction": HIGHER if measure.higher_is_better else LOWER,
        "target": "" if measure.target is None else rules.value_text(measure.target, ""),
        "unit": measure.unit,
        "version": measure.version,
    }


class ValueForm(FieldErrors, FlaskForm):
    period_end = DateField(
        _l("Period ending"), validators=[Optional()], description=_l("Its last day; not in the future.")
    )
    value = TrimmedStringField(_l("Value"), description=_l("A number, in the measure's unit."))
    notes = TrimmedStringField(_l("Notes"), description=_l("e.g. how many customers answered."))

    def fields(self) -> ValueFields:
        return ValueFields(self.period_end.data, self.value.data or "", self.notes.data or "")


# The list's filters

KIND_FILTER = (("", _l("Every kind")), *((str(k), v) for k, v in rules.KIND_LABELS.items()))
STATUS_FILTER = (("", _l("Any status")), *rules.STATUS_FILTER_LABELS.items())


def clean_filters(args: Mapping[str, str]) -> tuple[MeasureFilters, list[str]]:
    """The filters that name something that exists, and a notice for each that does not (ignored)."""
    notices = []
    kind, status = args.get("kind") or None, args.get("status") or None
    if kind is not None and kind not in set(rules.MeasureKind):
        notices.append(_("There is no kind “%(kind)s”: every kind is shown.", kind=kind))
        kind = None
    if status is not None and status not in rules.STATUS_FILTER_LABELS:
        notices.append(_("There is no status “%(status)s”: every measure is shown.", status=status))
        status = None
    return MeasureFilters(kind=kind, status=status), notices


def filter_bar(filters: MeasureFilters) -> dict[str, FilterSelect]:
    return {
        "kind": FilterSelect("kind", _("Kind"), KIND_FILTER, filters.kind or ""),
        "status": FilterSelect("status", _("Status"), STATUS_FILTER, filters.status or ""),
    }
