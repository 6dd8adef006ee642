"""The rows of each export of a project, read from the same services as the pages they export: the gap
analysis, the document register, the training matrix, the nonconformity register and the budget (the
portfolio's are in :mod:`app.services.portfolio_export`).

Each function returns an :class:`app.domain.exports.Export`; :mod:`app.services.xlsx` writes it. Every
export is read in a fixed number of queries.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import current_app

from app.domain import budget as budget_rules
from app.domain import documents as document_rules
from app.domain import nonconformities as finding_rules
from app.domain.assessment import VERDICT_LABELS
from app.domain.exports import (
    ABOUT_FINGERPRINT,
    ABOUT_PROJECT_ID,
    ABOUT_STANDARD,
    ABOUT_STANDARD_VERSION,
    GAP_COLUMNS,
    GAP_SHEET,
    Cell,
    Column,
    Export,
    Kind,
    Table,
    export_fingerprint,
    places_of,
    row_token,
)
from app.domain.text import _, _l
from app.domain.training import CELL_LABELS
from app.models import CertificationProject
from app.models.base import utcnow
from app.services import assessments, budget, document_register, finding_register, training_matrix


def signing_key() -> bytes:
    """The key of the gap analysis's row tokens: the app's secret, so a token cannot be made by hand."""
    return str(current_app.config["SECRET_KEY"]).encode()


def _about(project: CertificationProject, exported_at: datetime) -> tuple[tuple[str, Cell], ...]:
    return (
        (ABOUT_PROJECT_ID, project.id),
        (_("Client"), project.client.name),
        (_("Site"), project.site.name),
        (_("Standard"), project.standard.label),
        (ABOUT_STANDARD, project.standard.code),
        (ABOUT_STANDARD_VERSION, project.standard.version),
        (_("Exported at (UTC)"), exported_at),
    )


def _name(project: CertificationProject, what: str) -> str:
    return f"project-{project.id}-{what}"


def gap_export(project: CertificationProject) -> Export:
    """Every requirement with its verdict and the hidden row token the import checks (one query)."""
    key = signing_key()
    rows: list[list[Cell]] = []
    for found in assessments.requirements(project):
        clause, saved = found.clause, found.assessment
        rows.append(
            [
                clause.number,
                clause.title,
                VERDICT_LABELS[saved.status],
                saved.owner,
                saved.due_date,
                saved.notes,
                saved.justification,
                "Yes" if clause.may_be_not_applicable else "No",
                row_token(key, project.id, clause.number, saved.version),
            ]
        )
    tokens = [str(row[-1]) for row in rows]
    fingerprint = export_fingerprint(key, project.id, project.standard.code, tokens)
    about = (*_about(project, utcnow()), (ABOUT_FINGERPRINT, fingerprint))
    return Export(_name(project, "gap-analysis"), (Table(GAP_SHEET, GAP_COLUMNS, rows),), about)


DOCUMENT_COLUMNS = (
    Column(_l("Code"), Kind.TEXT, 12),
    Column(_l("Title"), Kind.TEXT, 40),
    Column(_l("Type"), Kind.TEXT, 16),
    Column(_l("Owner"), Kind.TEXT, 20),
    Column(_l("Status"), Kind.TEXT, 20),
    Column(_l("Current revision"), Kind.TEXT, 10),
    Column(_l("Revision waiting"), Kind.TEXT, 10),
    Column(_l("Next review"), Kind.DATE, 12),
    Column(_l("Requirements"), Kind.TEXT, 24),
)


def documents_export(project: CertificationProject, today: date) -> Export:
    """The whole master list, by code (three queries)."""
    filters = document_register.RegisterFilters()
    total = document_register.register_page(project.id, filters, 1, 1, today)[1]
    rows, _total = document_register.register_page(project.id, filters, 1, max(total, 1), today)
    table = Table(
        _("Document register"),
        DOCUMENT_COLUMNS,
        [
            [
                row.code,
                row.title,
                document_rules.TYPE_LABELS.get(row.doc_type, row.doc_type),
                row.owner,
                document_register.STATUS_LABELS.get(row.status, row.status),
                row.current_label,
                row.pending_label,
                row.review_due,
                ", ".join(row.clauses),
            ]
            for row in rows
        ],
    )
    return Export(_name(project, "documents"), (table,), _about(project, utcnow()))


def training_export(project: CertificationProject, today: date) -> Export:
    """The matrix as on its page (people by requirement, each cell its state) and the same cells one per
    line with the latest training's date and revision, for filtering."""
    page = training_matrix.matrix_page(project, today, training_matrix.MatrixRequest())
    matrix, labels = page.matrix, page.revision_labels
    people = (
        Column(_("Person"), Kind.TEXT, 24),
        Column(_("Department"), Kind.TEXT, 16),
        Column(_("Job role"), Kind.TEXT, 18),
    )
    wide = Table(
        _("Training matrix"),
        (*people, *(Column(r.name, Kind.TEXT, 14) for r in matrix.requirements)),
        [
            [
                p.name,
                p.department,
                p.job_role,
                *(CELL_LABELS[matrix.at(p.id, r.id).state] for r in matrix.requirements),
            ]
            for p in matrix.people
        ],
    )
    cells: list[list[Cell]] = []
    for person in matrix.people:
        for requirement in matrix.requirements:
            cell = matrix.at(person.id, requirement.id)
            record = cell.record
            revision = labels.get(record.revision_id) if record and record.revision_id else None
            cells.append(
                [
                    person.name,
                    person.department,
                    person.job_role,
                    requirement.name,
                    CELL_LABELS[cell.state],
                    record.held_on if record else None,
                    revision,
                ]
            )
    long_columns = (
        *people,
        Column(_("Requirement"), Kind.TEXT, 30),
        Column(_("State"), Kind.TEXT, 14),
        Column(_("Last trained"), Kind.DATE, 12),
        Column(_("Revision"), Kind.TEXT, 10),
    )
    table = Table(_("Training by person"), long_columns, cells)
    return Export(_name(project, "training-matrix"), (wide, table), _about(project, utcnow()))


FINDING_COLUMNS = (
    Column(_l("Finding"), Kind.TEXT, 16),
    Column(_l("Source"), Kind.TEXT, 18),
    Column(_l("Severity"), Kind.TEXT, 12),
    Column(_l("State"), Kind.TEXT, 16),
    Column(_l("Clause"), Kind.TEXT, 10),
    Column(_l("Action owner"), Kind.TEXT, 20),
    Column(_l("Raised on"), Kind.DATE, 12),
    Column(_l("Due"), Kind.DATE, 12),
    Column(_l("Overdue"), Kind.TEXT, 9),
)


def findings_export(project: CertificationProject, today: date) -> Export:
    """The whole register in the page's order: overdue first, then by due date (three queries)."""
    filters = finding_register.RegisterFilters()
    total = finding_register.register_page(project.id, filters, 1, 1, today)[1]
    rows, _total = finding_register.register_page(project.id, filters, 1, max(total, 1), today)
    table = Table(
        _("Nonconformities"),
        FINDING_COLUMNS,
        [
            [
                row.label,
                _label(finding_rules.SOURCE_LABELS, row.source),
                _label(finding_rules.SEVERITY_LABELS, row.severity),
                _label(finding_rules.STATE_LABELS, row.state),
                row.clause_number,
                row.action_owner,
                row.raised_on,
                row.due,
                _("Yes") if row.overdue else _("No"),
            ]
            for row in rows
        ],
    )
    return Export(_name(project, "findings"), (table,), _about(project, utcnow()))


def _label(labels: Any, value: str) -> str:
    return str(next((label for key, label in labels.items() if str(key) == value), value))


def budget_export(project: CertificationProject) -> Export:
    """The lines, then the roll-ups by stage and by category and the total with the forecast (one query)."""
    every = budget.all_lines(project)
    unit, places = every.unit, places_of(every.unit)

    def money(amount: Decimal | None) -> Decimal | None:
        return None if amount is None else budget_rules.quantize_money(amount, unit)

    line_columns = (
        Column(_("Stage"), Kind.TEXT, 18),
        Column(_("Category"), Kind.TEXT, 22),
        Column(_("Description"), Kind.TEXT, 40),
        Column(_("Vendor"), Kind.TEXT, 20),
        Column(_("Planned"), Kind.MONEY, 16),
        Column(_("Actual"), Kind.MONEY, 16),
        Column(_("Variance"), Kind.MONEY, 16),
        Column(_("Spent (%)"), Kind.PERCENT, 10),
        Column(_("Date"), Kind.DATE, 12),
        Column(_("Overspent"), Kind.TEXT, 10),
    )
    lines = [
        [
            budget_rules.STAGES.get(view.row.stage, view.row.stage),
            budget_rules.CATEGORIES.get(view.row.category, view.row.category),
            view.row.description,
            view.row.vendor,
            money(view.row.planned),
            money(view.row.actual),
            view.variance,
            view.percent_spent,
            view.row.spent_on,
            _("Yes") if view.overspent else _("No"),
        ]
        for view in every.lines
    ]
    totals_columns = (
        Column(_("Group"), Kind.TEXT, 26),
        Column(_("Planned"), Kind.MONEY, 16),
        Column(_("Actual"), Kind.MONEY, 16),
        Column(_("Variance"), Kind.MONEY, 16),
        Column(_("Spent (%)"), Kind.PERCENT, 10),
    )
    summary = every.summary

    def totals(name: str, value: budget_rules.Totals) -> list[Cell]:
        return [name, money(value.planned), money(value.actual), money(value.variance), value.percent_spent]

    by_stage = [totals(budget_rules.STAGES.get(k, k), v) for k, v in summary.by_stage.items()]
    by_category = [totals(budget_rules.CATEGORIES.get(k, k), v) for k, v in summary.by_category.items()]
    total = [
        totals(_("Total"), summary.total),
        [_("Forecast at completion"), money(summary.forecast), None, None, None],
    ]
    currency = project.currency
    tables = (
        Table(_("Budget lines"), line_columns, lines, currency, places),
        Table(_("By stage"), totals_columns, by_stage, currency, places),
        Table(_("By category"), totals_columns, by_category, currency, places),
        Table(_("Total"), totals_columns, total, currency, places),
    )
    about = (*_about(project, utcnow()), (_("Currency"), currency))
    return Export(_name(project, "budget"), tables, about)
