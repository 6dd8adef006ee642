"""The forms of the risk register's pages: a risk or opportunity (new and edited), the review of its action,
the project's scale, and the register's filters; and the words and badge colours the pages show.

The forms only read what was typed; the rules (a real sentence, scores on the project's scale, dates in
order, a source of this project) are checked by :mod:`app.services.risks` with :mod:`app.domain.risks`, and
its messages are shown beside the fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, TextAreaField
from wtforms.validators import Optional

from app.documents.forms import FilterSelect
from app.domain import risks as rules
from app.domain.text import _, _l, ngettext
from app.evidence.forms import FieldErrors
from app.forms import TrimmedStringField, VersionField, select_choices, strip_filter
from app.models import Risk
from app.services.risks import RegisterFilters, RiskFields, Source

# The service's field names as the forms call them (the source is one select for issue and party).
SERVICE_FIELDS = {"issue_id": "source", "party_id": "source"}
LEVEL_BADGES = {
    rules.Level.HIGH: "text-bg-danger",
    rules.Level.MEDIUM: "text-bg-warning",
    rules.Level.LOW: "text-bg-success",
}
STATE_BADGES = {
    rules.RiskState.OVERDUE: "text-bg-danger",
    rules.RiskState.NO_ACTION: "text-bg-danger",
    rules.RiskState.NOT_EFFECTIVE: "text-bg-warning",
    rules.RiskState.AWAITING_REVIEW: "text-bg-info",
    rules.RiskState.EFFECTIVE: "text-bg-success",
    rules.RiskState.ACCEPTED: "text-bg-light border",
}
UNKNOWN_BADGE = "text-bg-light border"
EFFECTIVE_CHOICES = (("yes", _l("Effective: the risk is reduced as planned")), ("no", _l("Not effective")))


def register_words(bp: Blueprint) -> None:
    """The words of a kind and the badge colours of a level and a state, as template filters."""
    bp.add_app_template_filter(lambda value: rules.KIND_LABELS.get(value, value), "risk_kind")
    bp.add_app_template_filter(lambda value: LEVEL_BADGES.get(value, UNKNOWN_BADGE), "risk_level_badge")
    bp.add_app_template_filter(lambda value: STATE_BADGES.get(value, UNKNOWN_BADGE), "risk_state_badge")


def _point(text: Any) -> int | None:
    """A score as typed: a whole number (its range is the service's rule), else None."""
    if isinstance(text, str) and text.isascii() and text.isdigit() and len(text) <= 3:
        return int(text)
    return None


def point_choices(scale: int, words: Mapping[int, tuple[str, ...]], first: str) -> list[Any]:
    labels = words[scale]
    return select_choices(
        [("", first), *((str(n), rules.point_label(n, labels)) for n in range(1, scale + 1))]
    )


def _text(label: str, rows: int = 3, **kwargs: Any) -> TextAreaField:
    return TextAreaField(label, filters=[strip_filter], render_kw={"rows": rows}, **kwargs)


class RiskForm(FieldErrors, FlaskForm):
    kind = SelectField(
        _l("Risk or opportunity"),
        choices=select_choices((str(k), v) for k, v in rules.KIND_LABELS.items()),
        validate_choice=False,
    )
    source = SelectField(_l("Arises from"), validate_choice=False)
    description = _text(
        _l("Description"),
        description=_l("What could happen, and what it would do to the QMS's intended results."),
    )
    likelihood = SelectField(_l("Likelihood"), validate_choice=False)
    impact = SelectField(_l("Impact"), validate_choice=False)
    action = _text(
        _l("Action"),
        description=_l("What addresses it (6.1.2). May stay empty for a low one, which is accepted."),
    )
    owner = TrimmedStringField(_l("Owner"), description=_l("Who answers for it: a name or a job title."))
    due_date = DateField(_l("Action due"), validators=[Optional()])
    version = VersionField()  # the record's version when the edit form was read

    def fields(self) -> RiskFields:
        issue_id, party_id = source_ids(self.source.data or "")
        return RiskFields(
            kind=self.kind.data or "",
            description=self.description.data or "",
            likelihood=_point(self.likelihood.data),
            impact=_point(self.impact.data),
            issue_id=issue_id,
            party_id=party_id,
            action=self.action.data or "",
            owner=self.owner.data or "",
            due_date=self.due_date.data,
        )


def source_value(kind: str, record_id: int) -> str:
    return f"{kind}-{record_id}"


def source_ids(value: str) -> tuple[int | None, int | None]:
    """The (issue id, party id) a source's value names; a malformed value names no record there is (0),
    so the service refuses it beside the field."""
    if not value:
        return None, None
    kind, _dash, number = value.partition("-")
    record_id = int(number) if number.isascii() and number.isdigit() and len(number) <= 19 else 0
    if kind == "party":
        return None, record_id
    return (record_id if kind == "issue" else 0), None


def risk_form(scale: int, issues: Iterable[Source], parties: Iterable[Source], **kwargs: Any) -> RiskForm:
    """The form with its choices: the project's scale, its context issues and interested parties."""
    form = RiskForm(**kwargs)
    form.likelihood.choices = point_choices(scale, rules.LIKELIHOOD_WORDS, _("Choose…"))
    form.impact.choices = point_choices(scale, rules.IMPACT_WORDS, _("Choose…"))
    sources = [("", _("Not linked to an issue or party"))]
    sources += [(source_value("issue", s.id), _("Issue: %(label)s", label=s.label)) for s in issues]
    sources += [
        (source_value("party", s.id), _("Interested party: %(label)s", label=s.label)) for s in parties
    ]
    form.source.choices = select_choices(sources)
    return form


def risk_data(risk: Risk) -> dict[str, Any]:
    """A saved risk as the edit form shows it, with the version it was read at."""
    source = ""
    if risk.issue_id is not None:
        source = source_value("issue", risk.issue_id)
    elif risk.party_id is not None:
        source = source_value("party", risk.party_id)
    return {
        "kind": risk.kind,
        "source": source,
        "description": risk.description,
        "likelihood": str(risk.likelihood),
        "impact": str(risk.impact),
        "action": risk.action,
        "owner": risk.owner,
        "due_date": risk.due_date,
        "version": risk.version,
    }


class ReviewForm(FieldErrors, FlaskForm):
    reviewed_on = DateField(_l("Reviewed on"), validators=[Optional()], description=_l("Not in the future."))
    effective = RadioField(
        _l("Was the action effective?"), choices=select_choices(EFFECTIVE_CHOICES), validate_choice=False
    )
    notes = _text(_l("What the review found"), description=_l("What was checked, and what it showed."))
    residual_likelihood = SelectField(_l("Residual likelihood"), validate_choice=False)
    residual_impact = SelectField(_l("Residual impact"), validate_choice=False)
    version = VersionField()

    def review(self) -> rules.ReviewInput:
        effective = {"yes": True, "no": False}.get(self.effective.data or "")
        return rules.ReviewInput(
            reviewed_on=self.reviewed_on.data,
            effective=effective,
            notes=self.notes.data or "",
            residual_likelihood=_point(self.residual_likelihood.data),
            residual_impact=_point(self.residual_impact.data),
        )


def review_form(scale: int, **kwargs: Any) -> ReviewForm:
    form = ReviewForm(prefix="review", **kwargs)
    form.residual_likelihood.choices = point_choices(scale, rules.LIKELIHOOD_WORDS, _("Not scored"))
    form.residual_impact.choices = point_choices(scale, rules.IMPACT_WORDS, _("Not scored"))
    return form


def review_data(risk: Risk) -> dict[str, Any]:
    return {
        "reviewed_on": risk.reviewed_on,
        "effective": {True: "yes", False: "no"}.get(risk.effective) if risk.effective is not None else None,
        "notes": risk.review_notes,
        "residual_likelihood": str(risk.residual_likelihood or ""),
        "residual_impact": str(risk.residual_impact or ""),
        "version": risk.version,
    }


class ScaleForm(FieldErrors, FlaskForm):
    scale = SelectField(_l("Scoring scale"), validate_choice=False)  # choices: scale_form, in words
    version = VersionField()  # the project's version when the page was read

    def value(self) -> int | None:
        return _point(self.scale.data)


def scale_form(scale: int, version: int, posted: bool = False) -> ScaleForm:
    if posted:
        form = ScaleForm(prefix="scale")
    else:
        form = ScaleForm(formdata=None, prefix="scale", data={"scale": str(scale), "version": version})
    form.scale.choices = select_choices(
        (str(n), ngettext("%(num)d point", "%(num)d points", n)) for n in rules.SCALES
    )
    return form


# The register's filters


KIND_FILTER = (("", _l("Risks and opportunities")), *((str(k), v) for k, v in rules.KIND_LABELS.items()))
LEVEL_FILTER = (("", _l("Every level")), *((str(k), v) for k, v in rules.LEVEL_LABELS.items()))
STATE_FILTER = (("", _l("Every state")), *((str(k), v) for k, v in rules.STATE_LABELS.items()))
FILTERS = {"kind": KIND_FILTER, "level": LEVEL_FILTER, "state": STATE_FILTER}


@dataclass(frozen=True)
class CleanFilters:
    filters: RegisterFilters
    ignored: tuple[str, ...]  # the query-string filters that named nothing, for the page to say so


def clean_filters(args: Mapping[str, str]) -> CleanFilters:
    """Keep a filter only if it names something that exists; say which were ignored."""
    kept: dict[str, str | None] = {}
    ignored = []
    for name, choices in FILTERS.items():
        value = args.get(name) or None
        known = {key for key, _label in choices if key}
        if value is not None and value not in known:
            ignored.append(f"{name} “{value[:40]}”")
            value = None
        kept[name] = value
    return CleanFilters(RegisterFilters(**kept), tuple(ignored))


def filter_bar(filters: RegisterFilters) -> dict[str, FilterSelect]:
    return {
        "kind": FilterSelect("kind", _("Kind"), KIND_FILTER, filters.kind or ""),
        "level": FilterSelect("level", _("Level"), LEVEL_FILTER, filters.level or ""),
        "state": FilterSelect("state", _("State"), STATE_FILTER, filters.state or ""),
    }
