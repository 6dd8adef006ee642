"""catalog corrections: ISO 13485 4.1 split into 4.1.1-4.1.6, labels of untitled paragraphs, amendment notes

Schema: ``clauses.title_is_label`` (the title is the app's own label of a paragraph the standard leaves
untitled), ``clauses.notes`` (amendment and next-revision notes) and ``standards.amendments``.

Data, where the catalogs are already loaded (``load-standards`` never changes a loaded version; on a fresh
database the clause table is empty, nothing below applies, and ``load-standards`` loads the corrected files):
- ISO 13485:2016: 4.1 becomes the parent of the standard's own paragraphs 4.1.1 to 4.1.6 (inserted, later
  positions shifted). Each project's 4.1 verdict moves to 4.1.1 with a sentence saying it was made on 4.1
  as a whole; 4.1.2 to 4.1.6 start not assessed. Evidence, document links, tasks and findings on 4.1 move
  to 4.1.1.
- ISO 9001:2015+A1:2024: labels flagged, the amendment and revision notes filled in; 8.2.4 asks to amend
  existing documents (no new mandatory document); 8.5.2 can no longer be marked not applicable (only its
  traceability part is conditional), so a "not applicable" verdict on it goes back to not assessed, with a
  note, its justification kept.

The data is written out here, not read from the catalog files: those change after this migration is run.

Downgrade: the schema is reversed exactly; the data best-effort. 4.1.1's verdict goes back to 4.1 (the
sentence added on upgrade removed) and the verdicts on 4.1.2 to 4.1.6 are dropped; evidence, document links,
tasks and findings on 4.1.x go back to 4.1; 9001 8.2.4 and 8.5.2 get their old values, but verdicts changed
from "not applicable" stay not assessed.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 04:10:00

"""
from alembic import op
import sqlalchemy as sa


# SQLite: a copied table keeps ids that are never reused (see 0004).
KEEP_IDS = {'sqlite_autoincrement': True}

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

ISO9001 = ('iso9001', '2015+A1:2024')
ISO13485 = ('iso13485', '2016')

ISO9001_LABELLED = (
    '4.4.1', '4.4.2', '6.1.1', '6.1.2', '6.2.1', '6.2.2', '7.5.3.1', '7.5.3.2', '8.2.3.1', '8.2.3.2',
    '8.7.1', '8.7.2', '9.2.1', '9.2.2', '10.2.1', '10.2.2',
)
ISO9001_NOTES = {
    '4.1': "Amd 1:2024: the organization must decide whether climate change is a relevant issue. Next revision "
           "(ISO 9001:2026): Climate relevance becomes part of the main text; Annex A adds guidance on strategic "
           "direction.",
    '4.2': "Amd 1:2024: a note adds that relevant interested parties can have climate-related requirements.",
    '5.1.1': "Next revision (ISO 9001:2026): Draft adds an explicit item: top management promotes quality "
             "culture and ethical behaviour.",
    '6.1': "Next revision (ISO 9001:2026): Draft splits this into separate sub-clauses for actions on risks "
           "(6.1.2) and on opportunities (6.1.3).",
    '7.1.4': "Next revision (ISO 9001:2026): Draft adds a note linking the environment to quality culture and "
             "ethical behaviour.",
    '7.3': "Next revision (ISO 9001:2026): Draft adds awareness of the organization's quality culture and "
           "ethical behaviour.",
}
ISO9001_AMENDMENTS = [{
    'id': 'ISO 9001:2015/Amd 1:2024',
    'name': 'Climate action changes',
    'published': '2024-02-23',
    'affects': ['4.1', '4.2'],
    'summary': "4.1 gains a requirement to decide whether climate change is a relevant issue; 4.2 gains a note "
               "that interested parties can have climate-related requirements. Treated by IAF/ISO as a "
               "clarification: no transition period, no new certificates, audited from publication.",
}]
# (number, column values before, column values after)
ISO9001_CHANGES = (
    ('8.2.4',
     {'documented_information': 'maintain',
      'di_note': "Relevant documented information (specs, drawings, orders) must be amended."},
     {'documented_information': 'none',
      'di_note': "No new document: the existing documented information (specs, drawings, orders) is amended "
                 "when requirements change."}),
    ('8.5.2',
     {'may_be_not_applicable': True,
      'summary': "Identify outputs and their inspection status; where traceability is required, give outputs "
                 "unique IDs and keep records enabling trace-back.",
      'di_note': "Conditional: traceability records only when traceability is a requirement (customer, "
                 "regulation)."},
     {'may_be_not_applicable': False,
      'summary': "Identify outputs and their inspection status in every factory; where traceability is a "
                 "requirement (customer, regulation), also give outputs unique IDs and keep records enabling "
                 "trace-back.",
      'di_note': "Identification applies to every factory and cannot be excluded; traceability records are "
                 "needed only where traceability is a requirement (customer, regulation)."}),
)
NOT_APPLICABLE_ENDED = (
    "8.5.2 can no longer be marked not applicable: identification applies to every factory, only traceability "
    "is conditional. It was marked not applicable before this correction; please assess it again."
)

ISO13485_PARENT_BEFORE = {
    'summary': "Document the QMS, record your regulatory role(s) (manufacturer, importer, distributor, contract "
               "manufacturer), use a risk-based approach to control processes, control outsourced processes by "
               "written agreement, and validate software used in the QMS.",
    'documented_information': 'both',
    'di_note': "Documented procedures for validating QMS software (4.1.6) and records of that validation; "
               "documentation of roles under applicable regulations; quality agreements for outsourced "
               "processes.",
    'evidence_examples': ["regulatory role statement", "outsourced process list + quality agreements",
                          "QMS software validation records (ERP, eQMS, Excel tools)"],
    'documented_procedure': True,
    'is_leaf': True,
}
ISO13485_PARENT_AFTER = {
    'summary': "Document the QMS and your regulatory role(s), control its processes with a risk-based approach, "
               "control outsourced processes by written agreement, and validate the software used in the QMS "
               "(assessed as 4.1.1 to 4.1.6).",
    'documented_information': 'none',
    'di_note': '',
    'evidence_examples': [],
    'documented_procedure': False,
    'is_leaf': False,
}
# The standard's paragraphs 4.1.1 to 4.1.6 carry no title: `title` is the app's label.
ISO13485_CHILDREN = (
    {'number': '4.1.1', 'title': "QMS documented, regulatory roles recorded", 'stage_hint': 'gap_analysis',
     'summary': "Document the quality management system and keep it effective against this standard and the "
                "regulations that apply; put in place whatever the standard or the regulations say must be "
                "documented; record the role(s) your organization plays under those regulations (manufacturer, "
                "importer, distributor, contract manufacturer...).",
     'documented_information': 'maintain', 'documented_procedure': False,
     'di_note': "A controlled statement of your regulatory role(s) in each market and the regulations that "
                "apply, often part of the quality manual.",
     'evidence_examples': ["regulatory role statement per market", "list of applicable device regulations"]},
    {'number': '4.1.2', 'title': "Processes and the risk-based approach", 'stage_hint': 'documentation',
     'summary': "Decide which processes the QMS needs and how they apply across the organization given its "
                "regulatory roles, control them with a risk-based approach, and work out their sequence and "
                "interaction.",
     'documented_information': 'none', 'documented_procedure': False,
     'di_note': "Usually shown as a process map in the quality manual; the risk-based control of processes "
                "draws on the risk management of 7.1.",
     'evidence_examples': ["process map with sequence and interactions",
                           "risk-based rationale for the controls on each process"]},
    {'number': '4.1.3', 'title': "Running and monitoring each process", 'stage_hint': 'documentation',
     'summary': "For each process, set the criteria and methods that keep it effective and under control, make "
                "the resources and information it needs available, act to reach its planned results, monitor, "
                "measure where it makes sense and analyse it, and keep the records that show conformity and "
                "regulatory compliance.",
     'documented_information': 'retain', 'documented_procedure': False,
     'di_note': "Records showing conformity to the standard and compliance with the regulations, controlled "
                "under 4.2.5.",
     'evidence_examples': ["process indicators and monitoring records", "process owner reviews"]},
    {'number': '4.1.4', 'title': "Managing processes and their changes", 'stage_hint': 'documentation',
     'summary': "Manage the processes as the standard and the regulations require; before changing a process, "
                "assess what the change does to the QMS and to the devices you make, and keep the change under "
                "control.",
     'documented_information': 'none', 'documented_procedure': False,
     'di_note': "No record is named here, but an auditor expects to see how each process change was assessed "
                "(change requests, impact assessments).",
     'evidence_examples': ["change requests with an impact assessment", "change log of QMS processes"]},
    {'number': '4.1.5', 'title': "Outsourced processes", 'stage_hint': 'documentation',
     'summary': "When you outsource a process that affects product conformity, you stay responsible for it: "
                "monitor and control it in proportion to the risk and to the provider's ability, and set the "
                "controls down in a written quality agreement.",
     'documented_information': 'maintain', 'documented_procedure': False,
     'di_note': "A written quality agreement with each provider of an outsourced process (e.g. sterilization, "
                "plating, test laboratories).",
     'evidence_examples': ["list of outsourced processes", "signed quality agreements",
                           "monitoring of each outsourced process"]},
    {'number': '4.1.6', 'title': "Validation of QMS software", 'stage_hint': 'documentation',
     'summary': "Have a documented procedure for validating the software used in the QMS; validate each "
                "application before first use and, as appropriate, after changes, with an effort in proportion "
                "to the risk of its use, and keep records of the validation.",
     'documented_information': 'both', 'documented_procedure': True,
     'di_note': "Maintain: the QMS software validation procedure. Retain: the validation records of each "
                "application (ERP, eQMS, spreadsheets used as tools).",
     'evidence_examples': ["QMS software validation procedure", "inventory of QMS software with a risk rating",
                           "validation records (ERP, eQMS, Excel tools)"]},
)
CHILDREN = tuple(child['number'] for child in ISO13485_CHILDREN)
CARRIED_OVER = (
    "Carried over from 4.1: this verdict was made on 4.1 as a whole, before the standard's numbering "
    "4.1.1–4.1.6 was used."
)

standards = sa.table(
    'standards', sa.column('id', sa.Integer), sa.column('code', sa.String), sa.column('version', sa.String),
    sa.column('amendments', sa.JSON),
)
clauses = sa.table(
    'clauses',
    sa.column('id', sa.Integer), sa.column('standard_id', sa.Integer), sa.column('number', sa.String),
    sa.column('parent_number', sa.String), sa.column('section', sa.String), sa.column('position', sa.Integer),
    sa.column('level', sa.Integer), sa.column('title', sa.String), sa.column('title_is_label', sa.Boolean),
    sa.column('is_requirement', sa.Boolean), sa.column('is_leaf', sa.Boolean), sa.column('summary', sa.Text),
    sa.column('documented_information', sa.String), sa.column('di_note', sa.Text),
    sa.column('stage_hint', sa.String), sa.column('evidence_examples', sa.JSON),
    sa.column('may_be_not_applicable', sa.Boolean), sa.column('documented_procedure', sa.Boolean),
    sa.column('notes', sa.Text),
)


def upgrade():
    with op.batch_alter_table('standards', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('amendments', sa.JSON(), server_default='[]', nullable=False))

    with op.batch_alter_table('clauses', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('title_is_label', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('notes', sa.Text(), server_default='', nullable=False))

    correct_iso9001()
    split_iso13485_4_1()


def downgrade():
    unsplit_iso13485_4_1()
    restore_iso9001()

    with op.batch_alter_table('clauses', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column('notes')
        batch_op.drop_column('title_is_label')

    with op.batch_alter_table('standards', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_column('amendments')


# ---------------------------------------------------------------- helpers


def _standard_id(code_version):
    code, version = code_version
    return op.get_bind().execute(
        sa.select(standards.c.id).where(standards.c.code == code, standards.c.version == version)
    ).scalar_one_or_none()


def _clause_ids(standard_id, numbers):
    rows = op.get_bind().execute(
        sa.select(clauses.c.number, clauses.c.id)
        .where(clauses.c.standard_id == standard_id, clauses.c.number.in_(list(numbers)))
    ).all()
    return dict(rows)


def _update_clause(standard_id, number, values):
    op.get_bind().execute(
        clauses.update().where(clauses.c.standard_id == standard_id, clauses.c.number == number).values(**values)
    )


def _project_ids(standard_id):
    return [row[0] for row in op.get_bind().execute(
        sa.text('SELECT id FROM projects WHERE standard_id = :s ORDER BY id'), {'s': standard_id}
    )]


# ---------------------------------------------------------------- ISO 9001


def correct_iso9001():
    standard_id = _standard_id(ISO9001)
    if standard_id is None:
        return
    bind = op.get_bind()
    bind.execute(standards.update().where(standards.c.id == standard_id).values(amendments=ISO9001_AMENDMENTS))
    bind.execute(
        clauses.update()
        .where(clauses.c.standard_id == standard_id, clauses.c.number.in_(ISO9001_LABELLED))
        .values(title_is_label=True)
    )
    for number, note in ISO9001_NOTES.items():
        _update_clause(standard_id, number, {'notes': note})
    for number, _before, after in ISO9001_CHANGES:
        _update_clause(standard_id, number, after)
    clause_id = _clause_ids(standard_id, ['8.5.2']).get('8.5.2')
    if clause_id is not None:
        # Notes first, while the status still picks the rows out.
        bind.execute(sa.text(
            "UPDATE assessments SET notes = CASE WHEN notes = '' THEN CAST(:note AS TEXT) "
            "ELSE notes || CAST(:gap AS TEXT) || CAST(:note AS TEXT) END, "
            "status = 'not_assessed', version = version + 1, updated_at = CURRENT_TIMESTAMP "
            "WHERE clause_id = :c AND status = 'not_applicable'"
        ), {'c': clause_id, 'note': NOT_APPLICABLE_ENDED, 'gap': '\n\n'})


def restore_iso9001():
    standard_id = _standard_id(ISO9001)
    if standard_id is None:
        return
    for number, before, _after in ISO9001_CHANGES:
        _update_clause(standard_id, number, before)


# ---------------------------------------------------------------- ISO 13485: 4.1 -> 4.1.1 ... 4.1.6


def split_iso13485_4_1():
    standard_id = _standard_id(ISO13485)
    if standard_id is None:
        return
    bind = op.get_bind()
    parent = bind.execute(
        sa.select(clauses.c.id, clauses.c.position, clauses.c.is_leaf)
        .where(clauses.c.standard_id == standard_id, clauses.c.number == '4.1')
    ).first()
    if parent is None or not parent.is_leaf or _clause_ids(standard_id, CHILDREN):
        return  # not the catalog this migration corrects
    bind.execute(
        clauses.update()
        .where(clauses.c.standard_id == standard_id, clauses.c.position > parent.position)
        .values(position=clauses.c.position + len(CHILDREN))
    )
    _update_clause(standard_id, '4.1', ISO13485_PARENT_AFTER)
    bind.execute(clauses.insert(), [
        {**child, 'standard_id': standard_id, 'parent_number': '4.1', 'section': '4', 'level': 3,
         'position': parent.position + offset, 'title_is_label': True, 'is_requirement': True, 'is_leaf': True,
         'may_be_not_applicable': False, 'notes': ''}
        for offset, child in enumerate(ISO13485_CHILDREN, start=1)
    ])
    children = _clause_ids(standard_id, CHILDREN)
    _move_references(standard_id, parent.id, children['4.1.1'], '4.1', '4.1.1')
    for project_id in _project_ids(standard_id):
        _split_verdict(project_id, parent.id, children)


def _split_verdict(project_id, parent_id, children):
    """The 4.1 verdict becomes 4.1.1's, marked as made on 4.1 as a whole; the other paragraphs start afresh."""
    bind = op.get_bind()
    bind.execute(sa.text(
        "UPDATE assessments SET clause_id = :new, version = version + 1, "
        "notes = CASE WHEN notes = '' THEN CAST(:note AS TEXT) "
        "ELSE CAST(:note AS TEXT) || CAST(:gap AS TEXT) || notes END "
        "WHERE project_id = :p AND clause_id = :old AND (status != 'not_assessed' OR notes != '' "
        "OR owner != '' OR justification != '' OR due_date IS NOT NULL)"
    ), {'new': children['4.1.1'], 'old': parent_id, 'p': project_id, 'note': CARRIED_OVER, 'gap': '\n\n'})
    bind.execute(sa.text(  # nothing recorded on 4.1: it moves as it is
        "UPDATE assessments SET clause_id = :new WHERE project_id = :p AND clause_id = :old"
    ), {'new': children['4.1.1'], 'old': parent_id, 'p': project_id})
    assessed = {row[0] for row in bind.execute(
        sa.text("SELECT clause_id FROM assessments WHERE project_id = :p"), {'p': project_id}
    )}
    for number in CHILDREN:
        if children[number] not in assessed:
            bind.execute(sa.text(
                "INSERT INTO assessments (project_id, clause_id, status, notes, justification, owner, updated_at, "
                "version) VALUES (:p, :c, 'not_assessed', '', '', '', CURRENT_TIMESTAMP, 1)"
            ), {'p': project_id, 'c': children[number]})


def _move_references(standard_id, old_id, new_id, old_number, new_number):
    """Evidence, document links, tasks and findings of one clause move to another of the same standard."""
    bind = op.get_bind()
    bind.execute(sa.text("UPDATE evidence_items SET clause_id = :new WHERE clause_id = :old"),
                 {'new': new_id, 'old': old_id})
    # A document linked to both keeps one link.
    bind.execute(sa.text(
        "DELETE FROM document_clauses WHERE clause_id = :old AND document_id IN "
        "(SELECT document_id FROM document_clauses WHERE clause_id = :new)"
    ), {'new': new_id, 'old': old_id})
    bind.execute(sa.text("UPDATE document_clauses SET clause_id = :new WHERE clause_id = :old"),
                 {'new': new_id, 'old': old_id})
    for table in ('tasks', 'findings'):
        bind.execute(sa.text(
            f"UPDATE {table} SET clause_number = :new WHERE clause_number = :old "  # noqa: S608 (fixed names)
            "AND project_id IN (SELECT id FROM projects WHERE standard_id = :s)"
        ), {'new': new_number, 'old': old_number, 's': standard_id})


def unsplit_iso13485_4_1():
    standard_id = _standard_id(ISO13485)
    if standard_id is None:
        return
    bind = op.get_bind()
    parent_id = _clause_ids(standard_id, ['4.1']).get('4.1')
    children = _clause_ids(standard_id, CHILDREN)
    if parent_id is None or not children:
        return
    for project_id in _project_ids(standard_id):
        bind.execute(sa.text(
            "DELETE FROM assessments WHERE project_id = :p AND clause_id IN :ids"
        ).bindparams(sa.bindparam('ids', expanding=True)),
            {'p': project_id, 'ids': [cid for number, cid in children.items() if number != '4.1.1']})
        bind.execute(sa.text(
            "UPDATE assessments SET clause_id = :old, version = version + 1, "
            "notes = CASE WHEN notes = CAST(:note AS TEXT) THEN '' ELSE REPLACE(notes, CAST(:prefix AS TEXT), '') END "
            "WHERE project_id = :p AND clause_id = :new"
        ), {'old': parent_id, 'new': children.get('4.1.1'), 'p': project_id, 'note': CARRIED_OVER,
            'prefix': CARRIED_OVER + '\n\n'})
    for number, child_id in children.items():
        _move_references(standard_id, child_id, parent_id, number, '4.1')
    bind.execute(clauses.delete().where(clauses.c.id.in_(list(children.values()))))
    _update_clause(standard_id, '4.1', ISO13485_PARENT_BEFORE)
    position = bind.execute(sa.select(clauses.c.position).where(clauses.c.id == parent_id)).scalar_one()
    bind.execute(
        clauses.update()
        .where(clauses.c.standard_id == standard_id, clauses.c.position > position)
        .values(position=clauses.c.position - len(children))
    )
