"""The forms of the context pages: an issue, an interested party, a climate decision, and the register's
filters; and the words the pages show for a kind and a category.

The forms only read what was typed; the rules (a real sentence, a known kind and category, a review date not
in the future, a decision not dated before the standing one) are checked by :mod:`app.services.context`
with :mod:`app.domain.context`, and its messages are shown beside the fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, TextAreaField
from wtforms.validators import Optional

from app.documents.forms import FilterSelect
from app.domain import context as rules
from app.domain.text import _, _l
from app.evidence.forms import FieldErrors
from app.forms import TrimmedStringField, VersionField, select_choices, strip_filter
from app.models import ContextIssue, InterestedParty
from app.services.context import ContextFilters, DecisionFields, IssueFields, PartyFields

REVIEWED_HELP = _l("When this was last looked at and found still true; not in the future.")


def register_words(bp: Blueprint) -> None:
    """The labels of a kind and a category as template filters (the domain's words)."""
    # str(): the reader's words now, so that a template's |lower lowers them (not the English value).
    words = {
        "context_kind": lambda value: str(rules.KIND_LABELS.get(value, value)),
        "context_category": lambda value: str(rules.CATEGORY_LABELS.get(value, value)),
    }
    for name, function in words.items():
        bp.add_app_template_filter(function, name)


def _select(label: str, first: str, labels: Mapping[Any, str], **kwargs: Any) -> SelectField:
    """A choice among the domain's labels; a value not among them is refused by the service."""
    choices = select_choices([("", first), *((str(value), text) for value, text in labels.items())])
    return SelectField(label, choices=choices, validate_choice=False, **kwargs)


def _text(label: str, rows: int = 3, **kwargs: Any) -> TextAreaField:
    return TextAreaField(label, filters=[strip_filter], render_kw={"rows": rows}, **kwargs)


class IssueForm(FieldErrors, FlaskForm):
    kind = _select(_l("Internal or external"), _l("Choose…"), rules.KIND_LABELS)
    category = _select(_l("Category"), _l("Choose a category…"), rules.CATEGORY_LABELS)
    description = _text(
        _l("The issue"),
        description=_l("What it is, in a sentence, e.g. “Export buyers ask for a certified quality system”."),
    )
    effect = _text(
        _l("Effect on the quality system"),
        2,
        description=_l("How it bears on the QMS's ability to deliver conforming products; optional."),
    )
    owner = TrimmedStringField(_l("Owner"), description=_l("Who keeps an eye on it; optional."))
    reviewed_on = DateField(_l("Reviewed on"), validators=[Optional()], description=REVIEWED_HELP)
    version = VersionField()  # the issue's version when the edit form was read

    def fields(self) -> IssueFields:
        return IssueFields(
            kind=self.kind.data or "",
            category=self.category.data or "",
            description=self.description.data or "",
            effect=self.effect.data or "",
            owner=self.owner.data or "",
            reviewed_on=self.reviewed_on.data,
        )


def issue_data(issue: ContextIssue) -> dict[str, Any]:
    """A saved issue as the edit form shows it, with the version it was read at."""
    return {
        "kind": issue.kind,
        "category": issue.category,
        "description": issue.description,
        "effect": issue.effect,
        "owner": issue.owner,
        "reviewed_on": issue.reviewed_on,
        "version": issue.version,
    }


class PartyForm(FieldErrors, FlaskForm):
    name = TrimmedStringField(_l("Interested party"), description=_l("e.g. “Overseas buyers”, “Employees”."))
    kind = _select(_l("Internal or external"), _l("Choose…"), rules.KIND_LABELS)
    requirements = _text(
        _l("Their relevant requirements"),
        description=_l("What they need or expect that bears on the quality system, in a sentence."),
    )
    monitoring = _text(
        _l("How the factory follows them"),
        2,
        description=_l("Where their requirements are watched, e.g. complaints, meetings, audits; optional."),
    )
    reviewed_on = DateField(_l("Reviewed on"), validators=[Optional()], description=REVIEWED_HELP)
    version = VersionField()

    def fields(self) -> PartyFields:
        return PartyFields(
            name=self.name.data or "",
            kind=self.kind.data or "",
            requirements=self.requirements.data or "",
            monitoring=self.monitoring.data or "",
            reviewed_on=self.reviewed_on.data,
        )


def party_data(party: InterestedParty) -> dict[str, Any]:
    return {
        "name": party.name,
        "kind": party.kind,
        "requirements": party.requirements,
        "monitoring": party.monitoring,
        "reviewed_on": party.reviewed_on,
        "version": party.version,
    }


RELEVANT_CHOICES = (
    ("yes", _l("Relevant: climate change bears on the quality system")),
    ("no", _l("Not relevant")),
)


class DecisionForm(FieldErrors, FlaskForm):
    relevant = RadioField(
        _l("Is climate change a relevant issue?"),
        choices=select_choices(RELEVANT_CHOICES),
        validate_choice=False,
    )
    reasoning = _text(
        _l("Why"),
        description=_l(
            "The reasoning: e.g. floods, heat or buyers' climate requirements that do, or do not, "
            "affect the factory."
        ),
    )
    decided_by = TrimmedStringField(
        _l("Decided by"), description=_l("A name and role, or the management meeting.")
    )
    decided_on = DateField(_l("Decided on"), validators=[Optional()], description=_l("Not in the future."))

    def fields(self) -> DecisionFields:
        relevant = {"yes": True, "no": False}.get(self.relevant.data or "")
        return DecisionFields(
            decided_on=self.decided_on.data,
            relevant=relevant,
            reasoning=self.reasoning.data or "",
            decided_by=self.decided_by.data or "",
        )


# The filters


KIND_FILTER = (("", _l("Internal and external")), *rules.KIND_LABELS.items())
CATEGORY_FILTER = (("", _l("Every category")), *rules.CATEGORY_LABELS.items())
REVIEW_FILTER = (("", _l("Any review date")), *rules.REVIEW_FILTER_LABELS.items())


def clean_filters(args: Mapping[str, str]) -> tuple[ContextFilters, list[str]]:
    """The filters of the query string, and a message for each value that names nothing (ignored)."""
    wanted: dict[str, tuple[str | None, Mapping[Any, str]]] = {
        "kind": (args.get("kind"), rules.KIND_LABELS),
        "category": (args.get("category"), rules.CATEGORY_LABELS),
        "party_kind": (args.get("party_kind"), rules.KIND_LABELS),
        "review": (args.get("review"), rules.REVIEW_FILTER_LABELS),
    }
    kept: dict[str, str | None] = {}
    unknown = []
    for name, (value, labels) in wanted.items():
        known = value in {str(key) for key in labels}
        kept[name] = value if known else None
        if value and not known:
            unknown.append(_unknown_filter(name, value[:40]))
    filters = ContextFilters(
        kind=kept["kind"],
        category=kept["category"],
        party_kind=kept["party_kind"],
        review_due=kept["review"] is not None,
    )
    return filters, unknown


def _unknown_filter(name: str, value: str) -> str:
    """What the page says of a filter value that names nothing."""
    if name == "kind":
        return _("There is no kind of issue “%(value)s”: it is not applied.", value=value)
    if name == "party_kind":
        return _("There is no kind of interested party “%(value)s”: it is not applied.", value=value)
    if name == "category":
        return _("There is no category “%(value)s”: it is not applied.", value=value)
    return _("There is no review filter “%(value)s”: it is not applied.", value=value)


def filter_bar(filters: ContextFilters) -> dict[str, FilterSelect]:
    review = rules.ReviewFilter.DUE.value if filters.review_due else ""
    return {
        "kind": FilterSelect("kind", _("Issues"), KIND_FILTER, filters.kind or ""),
        "category": FilterSelect("category", _("Category"), CATEGORY_FILTER, filters.category or ""),
        "party_kind": FilterSelect(
            "party_kind", _("Interested parties"), KIND_FILTER, filters.party_kind or ""
        ),
        "review": FilterSelect("review", _("Review"), REVIEW_FILTER, review),
    }
