"""A project's risk-management files (ISO 13485 7.1): listed with their hazard counts and worst residual
risk, opened, edited on the version read, and their hazards added and edited. Shared by the pages and the
API; the rules are :mod:`app.domain.risk_files`. The list and the register's state count in SQL, with the
matrix of the domain turned into a CASE expression, so their cost does not grow with the files.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import selectinload

from app.domain import risk_files as rules
from app.domain.permissions import Action
from app.domain.registers import Concern, RecordKind, RegisterKey, RegisterState, state
from app.domain.risk_files import FileCounts, FileState, HazardScores, RiskLevel
from app.domain.text import _, _l, ngettext
from app.extensions import db
from app.models import CertificationProject, Hazard, RiskFile
from app.services.changes import check_version, refused_if_taken
from app.services.errors import Invalid, NotFound
from app.services.register_records import changed, log
from app.services.register_states import PROJECT_ID, counted
from app.services.scope import Scope, get_or_404_in

FILE = _l("risk-management file")  # the record's name in "Someone else saved this …"
FILE_LABELS = {
    "device_family": "device family",
    "intended_use": "intended use",
    "acceptability_policy": "risk acceptability policy",
    "reviewed_on": "review date",
}
HAZARD_LABELS = {
    "hazard": "hazard",
    "situation": "hazardous situation",
    "harm": "harm",
    "severity": "severity",
    "probability": "probability",
    "controls": "risk controls",
    "residual_severity": "residual severity",
    "residual_probability": "residual probability",
    "verification": "verification of the controls",
}


@dataclass
class RiskFileFields:
    device_family: str
    intended_use: str
    acceptability_policy: str = ""
    reviewed_on: date | None = None


@dataclass
class HazardFields:
    hazard: str
    situation: str
    harm: str
    severity: int | None
    probability: int | None
    controls: str = ""
    residual_severity: int | None = None
    residual_probability: int | None = None
    verification: str = ""


@dataclass(frozen=True)
class ListFilters:
    state: str | None = None  # a rules.FileState, as the list's filter reads it (rules.matches)

    def query_args(self) -> dict[str, str]:
        return {"state": self.state} if self.state else {}


@dataclass(frozen=True)
class RiskFileRow:
    """A line of the list: a device family's file and what its hazards add up to."""

    id: int
    device_family: str
    reviewed_on: date | None
    counts: FileCounts

    @property
    def state(self) -> FileState:
        return rules.file_state(self.counts)


@dataclass(frozen=True)
class HazardView:
    hazard: Hazard
    scores: HazardScores


# The matrix in SQL


def _rank(severity: Any, probability: Any) -> ColumnElement[int]:
    """:func:`rules.level` as its rank (1 acceptable, 2 review, 3 unacceptable), in SQL."""
    cell = severity * 10 + probability
    return case(
        (cell.in_(rules.cells_of(RiskLevel.UNACCEPTABLE)), rules.LEVEL_RANK[RiskLevel.UNACCEPTABLE]),
        (cell.in_(rules.cells_of(RiskLevel.REVIEW)), rules.LEVEL_RANK[RiskLevel.REVIEW]),
        else_=rules.LEVEL_RANK[RiskLevel.ACCEPTABLE],
    )


def _ranks() -> Any:
    """Each hazard's file and the ranks of its initial risk and of its residual risk (null until scored
    after controls), in SQL."""
    scored = Hazard.residual_severity.is_not(None) & Hazard.residual_probability.is_not(None)
    return select(
        Hazard.risk_file_id.label("risk_file_id"),
        _rank(Hazard.severity, Hazard.probability).label("initial"),
        case((scored, _rank(Hazard.residual_severity, Hazard.residual_probability))).label("residual"),
    ).subquery()


def _figures(ranks: Any) -> tuple[Any, Any, Any]:
    """Per hazard of ``ranks``: needs controls (0/1), flagged (0/1) and the rank of its risk as it stands
    (the properties of :class:`rules.HazardScores`)."""
    acceptable = rules.LEVEL_RANK[RiskLevel.ACCEPTABLE]
    unacceptable = rules.LEVEL_RANK[RiskLevel.UNACCEPTABLE]
    needs_controls = case(((ranks.c.initial > acceptable) & ranks.c.residual.is_(None), 1), else_=0)
    flagged = case((ranks.c.residual == unacceptable, 1), else_=0)
    return needs_controls, flagged, func.coalesce(ranks.c.residual, ranks.c.initial)


def _per_file() -> Any:
    ranks = _ranks()
    needs_controls, flagged, standing = _figures(ranks)
    return (
        select(
            ranks.c.risk_file_id,
            func.count().label("hazards"),
            func.sum(needs_controls).label("uncontrolled"),
            func.sum(flagged).label("unacceptable"),
            func.max(standing).label("worst"),
        )
        .group_by(ranks.c.risk_file_id)
        .subquery()
    )


def _filter(stats: Any, wanted: FileState) -> ColumnElement[bool]:
    """:func:`rules.matches` in SQL."""
    hazards = func.coalesce(stats.c.hazards, 0)
    uncontrolled = func.coalesce(stats.c.uncontrolled, 0)
    unacceptable = func.coalesce(stats.c.unacceptable, 0)
    return {
        FileState.NO_HAZARDS: hazards == 0,
        FileState.UNCONTROLLED: uncontrolled > 0,
        FileState.UNACCEPTABLE: unacceptable > 0,
        FileState.COMPLETE: (hazards > 0) & (uncontrolled == 0) & (unacceptable == 0),
    }[wanted]


def list_page(
    project_id: int, filters: ListFilters, page: int, per_page: int
) -> tuple[list[RiskFileRow], int]:
    """One page of the project's files by device family, and how many the filter keeps (two queries)."""
    stats = _per_file()
    conditions: list[Any] = [RiskFile.project_id == project_id]
    if filters.state:
        conditions.append(_filter(stats, FileState(filters.state)))
    joined = select(RiskFile.id).outerjoin(stats, stats.c.risk_file_id == RiskFile.id).where(*conditions)
    total = db.session.execute(select(func.count()).select_from(joined.subquery())).scalar_one()
    stmt = (
        select(RiskFile.id, RiskFile.device_family, RiskFile.reviewed_on, stats)
        .outerjoin(stats, stats.c.risk_file_id == RiskFile.id)
        .where(*conditions)
        .order_by(RiskFile.family_key, RiskFile.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    rows = [
        RiskFileRow(
            row.id,
            row.device_family,
            row.reviewed_on,
            FileCounts(
                hazards=row.hazards or 0,
                uncontrolled=int(row.uncontrolled or 0),
                unacceptable=int(row.unacceptable or 0),
                worst=rules.LEVEL_OF_RANK[int(row.worst)] if row.worst else None,
            ),
        )
        for row in db.session.execute(stmt)
    ]
    return rows, total


def register_state(project: CertificationProject, today: date) -> RegisterState:
    """The files of the project's device families and what needs attention in them (one query)."""
    return state_from(project, counted(state_query(project, today), project.id))


@lru_cache(maxsize=1)
def _state_query() -> Any:
    ranks = _ranks()
    needs_controls, flagged, _ = _figures(ranks)
    # (Not correlated: the outer query reads risk_files too, for the hazards' files.)
    files = (
        select(func.count())
        .select_from(RiskFile)
        .where(RiskFile.project_id == PROJECT_ID)
        .correlate(None)
        .scalar_subquery()
    )
    return (
        select(files, func.sum(needs_controls), func.sum(flagged))
        .select_from(ranks)
        .join(RiskFile, RiskFile.id == ranks.c.risk_file_id)
        .where(RiskFile.project_id == PROJECT_ID)
    )


def state_query(project: CertificationProject, today: date) -> Any:
    """The project's files, and its hazards without controls and with an unacceptable residual risk: one
    row of aggregates."""
    return _state_query()


def state_from(project: CertificationProject, row: tuple[Any, ...]) -> RegisterState:
    files, uncontrolled, unacceptable = (int(value or 0) for value in row)
    concerns = [
        Concern(
            uncontrolled,
            ngettext("hazard without controls", "hazards without controls", uncontrolled),
            action=ngettext(
                "Add risk controls and residual scores to the hazard without them (7.1)",
                "Add risk controls and residual scores to the %(num)d hazards without them (7.1)",
                uncontrolled,
            ),
            query=(("state", FileState.UNCONTROLLED.value),),
        ),
        Concern(
            unacceptable,
            ngettext("unacceptable residual risk", "unacceptable residual risks", unacceptable),
            action=ngettext(
                "Reduce the unacceptable residual risk, or record the benefit-risk decision that accepts it "
                "(7.1)",
                "Reduce the %(num)d unacceptable residual risks, or record the benefit-risk decision that "
                "accepts it (7.1)",
                unacceptable,
            ),
            query=(("state", FileState.UNACCEPTABLE.value),),
        ),
    ]
    if files == 0:
        missing = _("Open a risk-management file for each device family (7.1)")
        concerns.insert(0, Concern(1, _("no risk-management file"), action=missing, counted=False))
    return state(RegisterKey.RISK_FILES, files, concerns)


# One file and its hazards


def risk_file_in(scope: Scope, project: CertificationProject, risk_file_id: int) -> RiskFile:
    """A file of this project the scope may see, with its hazards, or NotFound (two queries)."""
    risk_file = get_or_404_in(scope, RiskFile, risk_file_id, selectinload(RiskFile.hazards))
    if risk_file.project_id != project.id:
        raise NotFound()
    return risk_file


def hazard_in(risk_file: RiskFile, hazard_id: int) -> Hazard:
    """A hazard of this (already scoped) file, or NotFound."""
    found = next((h for h in risk_file.hazards if h.id == hazard_id), None)
    if found is None:
        raise NotFound()
    return found


def scores_of(hazard: Hazard) -> HazardScores:
    return HazardScores(
        hazard.severity, hazard.probability, hazard.residual_severity, hazard.residual_probability
    )


def hazard_views(risk_file: RiskFile) -> list[HazardView]:
    return [HazardView(hazard, scores_of(hazard)) for hazard in risk_file.hazards]


def counts_of(risk_file: RiskFile) -> FileCounts:
    return rules.counts_of([scores_of(hazard) for hazard in risk_file.hazards])


def _checked_file(fields: RiskFileFields, today: date) -> dict[str, Any]:
    errors = rules.risk_file_errors(
        fields.device_family, fields.intended_use, fields.acceptability_policy, fields.reviewed_on, today
    )
    if errors:
        raise Invalid(_("The risk-management file was not saved."), errors)
    return asdict(fields)


def _refuse_if_taken(project_id: int, device_family: str, own_id: int | None = None) -> str:
    key = rules.family_key(device_family)
    other = db.session.execute(
        select(RiskFile.id).where(RiskFile.project_id == project_id, RiskFile.family_key == key)
    ).scalar_one_or_none()
    if other is not None and other != own_id:
        raise Invalid(_("The risk-management file was not saved."), {"device_family": _taken(device_family)})
    return key


def _taken(device_family: str) -> str:
    return _(
        "This project already has a risk-management file for “%(family)s”: one file per family.",
        family=device_family,
    )


def create_risk_file(
    scope: Scope, project: CertificationProject, fields: RiskFileFields, today: date
) -> RiskFile:
    scope.require(Action.EDIT_CONTENT)
    values = _checked_file(fields, today)
    key = _refuse_if_taken(project.id, fields.device_family)
    risk_file = RiskFile(project_id=project.id, family_key=key, hazards=[], **values)
    with refused_if_taken(
        _("The risk-management file was not saved."), "device_family", _taken(fields.device_family)
    ):
        db.session.add(risk_file)
    log(
        scope,
        project.id,
        RecordKind.RISK_FILE,
        risk_file.id,
        f"Opened the {FILE} of “{risk_file.device_family}”.",
    )
    return risk_file


def update_risk_file(
    scope: Scope, risk_file: RiskFile, fields: RiskFileFields, version: int | None, today: date
) -> None:
    """Save the file as edited from the copy read at ``version``."""
    scope.require(Action.EDIT_CONTENT)
    check_version(risk_file, version, FILE)
    values = _checked_file(fields, today)
    key = _refuse_if_taken(risk_file.project_id, fields.device_family, risk_file.id)
    before = {name: getattr(risk_file, name) for name in values}
    names = changed(before, values, FILE_LABELS)
    if not names:
        return
    with refused_if_taken(
        _("The risk-management file was not saved."), "device_family", _taken(fields.device_family)
    ):
        for name, value in values.items():
            setattr(risk_file, name, value)
        risk_file.family_key = key
    log(scope, risk_file.project_id, RecordKind.RISK_FILE, risk_file.id, f"Changed the {_listed(names)}.")


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', the '.join(names[:-1])} and the {names[-1]}"


def _checked_hazard(fields: HazardFields) -> tuple[dict[str, Any], HazardScores]:
    values = asdict(fields)
    errors = rules.hazard_errors(**values)
    if errors:
        raise Invalid(_("The hazard was not saved."), errors)
    assert fields.severity is not None and fields.probability is not None  # checked above
    scores = HazardScores(
        fields.severity, fields.probability, fields.residual_severity, fields.residual_probability
    )
    return values, scores


def _risk_words(scores: HazardScores) -> str:
    initial = f"initial risk {rules.LEVEL_LABELS[scores.initial].lower()} "
    initial += f"({rules.score_text(scores.severity, scores.probability)})"
    if scores.residual is None:
        return initial
    assert scores.residual_severity is not None and scores.residual_probability is not None
    residual = rules.score_text(scores.residual_severity, scores.residual_probability)
    return f"{initial}, residual {rules.LEVEL_LABELS[scores.residual].lower()} ({residual})"


def add_hazard(scope: Scope, risk_file: RiskFile, fields: HazardFields) -> Hazard:
    scope.require(Action.EDIT_CONTENT)
    values, scores = _checked_hazard(fields)
    hazard = Hazard(**values)
    risk_file.hazards.append(hazard)
    db.session.flush()
    summary = f"Added the hazard “{hazard.hazard}”: {_risk_words(scores)}."
    log(scope, risk_file.project_id, RecordKind.RISK_FILE, risk_file.id, summary)
    return hazard


def update_hazard(
    scope: Scope, risk_file: RiskFile, hazard: Hazard, fields: HazardFields, version: int | None
) -> None:
    """Save the hazard as edited from the copy read at ``version``."""
    scope.require(Action.EDIT_CONTENT)
    check_version(hazard, version, "hazard")
    values, scores = _checked_hazard(fields)
    before = {name: getattr(hazard, name) for name in values}
    names = changed(before, values, HAZARD_LABELS)
    if not names:
        return
    for name, value in values.items():
        setattr(hazard, name, value)
    summary = f"Changed the {_listed(names)} of the hazard “{hazard.hazard}”: {_risk_words(scores)}."
    log(scope, risk_file.project_id, RecordKind.RISK_FILE, risk_file.id, summary)
