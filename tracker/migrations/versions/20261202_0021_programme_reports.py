"""reports: programme reports of the districts, their blocks, and the kinds the office keeps (seeded)

Revision ID: 0021_programme_reports
Revises: 0020_circulars
Create Date: 2026-12-02 11:00:00

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021_programme_reports'
down_revision = '0020_circulars'
branch_labels = None
depends_on = None


STANDARD_KINDS = (
    ("worker_meeting", "कार्यकर्ता बैठक", "Worker meeting"),
    ("protest", "धरना-प्रदर्शन", "Protest"),
    ("rally", "रैली", "Rally"),
    ("training", "प्रशिक्षण", "Training"),
    ("membership_drive", "सदस्यता अभियान", "Membership drive"),
    ("public_contact", "जनसंपर्क", "Public contact"),
    ("sangathan_srijan_step", "संगठन सृजन चरण", "Sangathan Srijan step"),
)


def upgrade():
    op.create_table('report_kinds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_hi', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_archived', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_kinds')),
    sa.UniqueConstraint('code', name=op.f('uq_report_kinds_code'))
    )
    # The standard kinds (as tracker/reports/operations.py STANDARD_KINDS); the office edits the list.
    now = datetime.now(UTC).replace(tzinfo=None)
    kinds = sa.table('report_kinds', sa.column('code'), sa.column('name_hi'), sa.column('name_en'),
                     sa.column('position'), sa.column('is_archived'), sa.column('created_at'), sa.column('updated_at'))
    op.bulk_insert(kinds, [
        {'code': code, 'name_hi': hi, 'name_en': en, 'position': n, 'is_archived': False,
         'created_at': now, 'updated_at': now}
        for n, (code, hi, en) in enumerate(STANDARD_KINDS, start=1)
    ])
    op.create_table('programme_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_unit_id', sa.Integer(), nullable=False),
    sa.Column('kind_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('account', sa.Text(), nullable=False),
    sa.Column('links', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'verified', 'questioned', name='report_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('written_by_id', sa.Integer(), nullable=True),
    sa.Column('client_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('participants >= 0', name=op.f('ck_programme_reports_participants_not_negative')),
    sa.ForeignKeyConstraint(['district_unit_id'], ['units.id'], name=op.f('fk_programme_reports_district_unit_id_units'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['kind_id'], ['report_kinds.id'], name=op.f('fk_programme_reports_kind_id_report_kinds'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_programme_reports_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['written_by_id'], ['users.id'], name=op.f('fk_programme_reports_written_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_reports')),
    sa.UniqueConstraint('client_key', name=op.f('uq_programme_reports_client_key'))
    )
    with op.batch_alter_table('programme_reports', schema=None) as batch_op:
        batch_op.create_index('ix_programme_reports_district_held', ['district_unit_id', 'held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_reports_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_reports_kind_id'), ['kind_id'], unique=False)

    op.create_table('programme_report_units',
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['programme_reports.id'], name=op.f('fk_programme_report_units_report_id_programme_reports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_programme_report_units_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id', 'unit_id', name=op.f('pk_programme_report_units'))
    )
    with op.batch_alter_table('programme_report_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_report_units_unit_id'), ['unit_id'], unique=False)



def downgrade():
    with op.batch_alter_table('programme_report_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_report_units_unit_id'))

    op.drop_table('programme_report_units')
    with op.batch_alter_table('programme_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_reports_kind_id'))
        batch_op.drop_index(batch_op.f('ix_programme_reports_held_on'))
        batch_op.drop_index('ix_programme_reports_district_held')

    op.drop_table('programme_reports')
    op.drop_table('report_kinds')
