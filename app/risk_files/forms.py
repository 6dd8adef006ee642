"""The forms of the risk-management file pages: a file (new and edited) and a hazard (added on the file's
page, edited on its own). They only read what was typed; the rules (scores on the scale, residual scores no
higher than the initial ones, controls as a sentence with the scores after them) are checked by the service
with :mod:`app.domain.risk_files`, and its messages shown beside the fields."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import Optional

from app.domain import risk_files as rules
from app.domain.text import _, _l
from app.evidence.forms import FieldErrors
from app.forms import TrimmedStringField, VersionField, select_choices, strip_filter
from app.models import Hazard, RiskFile
from app.services.risk_files import HazardFields, RiskFileFields


def _scores(labels: Any, empty: str) -> Any:
    """A score's choices in the reader's words (made per form: the labels are translated when shown)."""
    return select_choices([("", empty), *((str(n), f"{n} · {label}") for n, label in labels.items())])


def _text(label: str, rows: int = 2, description: str = "") -> TextAreaField:
    return TextAreaField(
        label, filters=[strip_filter], render_kw={"rows": rows}, description=description or None
    )


class RiskFileForm(FieldErrors, FlaskForm):
    device_family = TrimmedStringField(
        _l("Device family"), description=_l("One file per family, e.g. “Gravity infusion sets”.")
    )
    intended_use = _text(
        _l("Intended use"), 3, _l("What the devices are for, on which patients, by whom: a real sentence.")
    )
    acceptability_policy = _text(
        _l("Risk acceptability policy"),
        3,
        _l(
            "How the factory decides a risk is acceptable (its own matrix or criteria), if it differs from "
            "the matrix shown."
        ),
    )
    reviewed_on = DateField(
        _l("File last reviewed on"), validators=[Optional()], description=_l("Not in the future.")
    )
    version = VersionField()  # the file's version when the edit form was read

    def fields(self) -> RiskFileFields:
        return RiskFileFields(
            device_family=self.device_family.data or "",
            intended_use=self.intended_use.data or "",
            acceptability_policy=self.acceptability_policy.data or "",
            reviewed_on=self.reviewed_on.data,
        )


def risk_file_data(risk_file: RiskFile) -> dict[str, Any]:
    """A saved file as the edit form shows it, with the version it was read at."""
    return {
        "device_family": risk_file.device_family,
        "intended_use": risk_file.intended_use,
        "acceptability_policy": risk_file.acceptability_policy,
        "reviewed_on": risk_file.reviewed_on,
        "version": risk_file.version,
    }


class HazardForm(FieldErrors, FlaskForm):
    hazard = TrimmedStringField(
        _l("Hazard"), description=_l("A potential source of harm, e.g. “Air in the fluid path”.")
    )
    situation = _text(_l("Hazardous situation"), 2, _l("How people are exposed to it: a real sentence."))
    harm = TrimmedStringField(_l("Harm"), description=_l("e.g. “Air embolism”."))
    severity = SelectField(_l("Severity"), validate_choice=False)
    probability = SelectField(_l("Probability"), validate_choice=False)
    controls = _text(
        _l("Risk controls"),
        3,
        _l(
            "Needed when the initial risk is not acceptable: design, protective measures, information for "
            "safety."
        ),
    )
    residual_severity = SelectField(_l("Severity after the controls"), validate_choice=False)
    residual_probability = SelectField(_l("Probability after the controls"), validate_choice=False)
    verification = _text(_l("How the controls were verified"), 2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.severity.choices = _scores(rules.SEVERITY_LABELS, _("Choose…"))
        self.probability.choices = _scores(rules.PROBABILITY_LABELS, _("Choose…"))
        self.residual_severity.choices = _scores(rules.SEVERITY_LABELS, _("Not scored yet"))
        self.residual_probability.choices = _scores(rules.PROBABILITY_LABELS, _("Not scored yet"))

    def fields(self) -> HazardFields:
        return HazardFields(
            hazard=self.hazard.data or "",
            situation=self.situation.data or "",
            harm=self.harm.data or "",
            severity=rules.parse_score(self.severity.data),
            probability=rules.parse_score(self.probability.data),
            controls=self.controls.data or "",
            residual_severity=rules.parse_score(self.residual_severity.data),
            residual_probability=rules.parse_score(self.residual_probability.data),
            verification=self.verification.data or "",
        )


class HazardEditForm(HazardForm):
    version = VersionField()  # the hazard's version when the edit form was read


def _score(value: int | None) -> str:
    return "" if value is None else str(value)


def hazard_data(hazard: Hazard) -> dict[str, Any]:
    """A saved hazard as the edit form shows it, with the version it was read at."""
    return {
        "hazard": hazard.hazard,
        "situation": hazard.situation,
        "harm": hazard.harm,
        "severity": _score(hazard.severity),
        "probability": _score(hazard.probability),
        "controls": hazard.controls,
        "residual_severity": _score(hazard.residual_severity),
        "residual_probability": _score(hazard.residual_probability),
        "verification": hazard.verification,
        "version": hazard.version,
    }
