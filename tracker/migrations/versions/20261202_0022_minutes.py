"""minutes: minutes of meetings and group sessions, their versions, the letterhead settings; the outbox's kinds
gain ``minutes``

Revision ID: 0022_minutes
Revises: 0021_programme_reports
Create Date: 2026-12-02 15:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022_minutes'
down_revision = '0021_programme_reports'
branch_labels = None
depends_on = None

OLD_KINDS = ('invitation', 'reminder_24h', 'reminder_2h', 'change', 'cancellation', 'digest', 'action_due',
             'sign_in_code', 'reply_request', 'absence', 'circular', 'circular_reminder')
NEW_KINDS = (*OLD_KINDS, 'minutes')
CHECKS = (('outbox_messages', 'outbox_kind'), ('notify_problems', 'notify_problem_kind'))


def _kinds(kinds):
    listed = ', '.join(f"'{kind}'" for kind in kinds)
    for table, name in CHECKS:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
            batch.create_check_constraint(op.f(f'ck_{table}_{name}'), f'kind IN ({listed})')


def upgrade():
    op.create_table(
        'minutes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=True),
        sa.Column('scope_key', sa.String(length=40), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('reference', sa.String(length=120), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('texts', sa.JSON(), nullable=False),
        sa.Column('chair_person_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.Enum('draft', 'approved', name='minutes_status', native_enum=False,
                                    create_constraint=True, length=32), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('approved_at', sa.DateTime(), nullable=True),
        sa.Column('approved_by_user_id', sa.Integer(), nullable=True),
        sa.Column('approved_by_label', sa.String(length=200), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('created_by_user_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('number > 0', name=op.f('ck_minutes_positive_number')),
        sa.CheckConstraint('version >= 0', name=op.f('ck_minutes_version_not_negative')),
        sa.ForeignKeyConstraint(['approved_by_user_id'], ['users.id'],
                                name=op.f('fk_minutes_approved_by_user_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['chair_person_id'], ['people.id'], name=op.f('fk_minutes_chair_person_id_people'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'],
                                name=op.f('fk_minutes_created_by_user_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_minutes_meeting_id_meetings'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['session_id'], ['meeting_sessions.id'],
                                name=op.f('fk_minutes_session_id_meeting_sessions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes')),
        sa.UniqueConstraint('reference', name=op.f('uq_minutes_reference')),
        sa.UniqueConstraint('scope_key', name=op.f('uq_minutes_scope_key')),
        sa.UniqueConstraint('year', 'number', name='minutes_one_number_a_year'),
    )
    op.create_index(op.f('ix_minutes_chair_person_id'), 'minutes', ['chair_person_id'], unique=False)
    op.create_index(op.f('ix_minutes_meeting_id'), 'minutes', ['meeting_id'], unique=False)
    op.create_index(op.f('ix_minutes_session_id'), 'minutes', ['session_id'], unique=False)
    op.create_table(
        'minutes_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('minutes_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('snapshot', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_user_id', sa.Integer(), nullable=True),
        sa.Column('created_by_label', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'],
                                name=op.f('fk_minutes_versions_created_by_user_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['minutes_id'], ['minutes.id'], name=op.f('fk_minutes_versions_minutes_id_minutes'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes_versions')),
        sa.UniqueConstraint('minutes_id', 'number', name='minutes_version_one_per_number'),
    )
    op.create_table(
        'minutes_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('party_name_hi', sa.String(length=200), nullable=False),
        sa.Column('party_name_en', sa.String(length=200), nullable=False),
        sa.Column('address_hi', sa.String(length=300), nullable=False),
        sa.Column('address_en', sa.String(length=300), nullable=False),
        sa.Column('reference_prefix', sa.String(length=20), nullable=False),
        sa.Column('national_office_email', sa.String(length=254), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=True),
        sa.Column('changed_by_user_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['changed_by_user_id'], ['users.id'],
                                name=op.f('fk_minutes_settings_changed_by_user_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes_settings')),
    )
    _kinds(NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM outbox_messages WHERE kind = 'minutes'")
    op.execute("DELETE FROM notify_problems WHERE kind = 'minutes'")
    _kinds(OLD_KINDS)
    op.drop_table('minutes_settings')
    op.drop_table('minutes_versions')
    op.drop_index(op.f('ix_minutes_session_id'), table_name='minutes')
    op.drop_index(op.f('ix_minutes_meeting_id'), table_name='minutes')
    op.drop_index(op.f('ix_minutes_chair_person_id'), table_name='minutes')
    op.drop_table('minutes')
