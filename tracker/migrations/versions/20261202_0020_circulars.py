"""circulars: circulars to districts and one recipient row per district; the outbox's kinds gain
``circular`` and ``circular_reminder``

Revision ID: 0020_circulars
Revises: 0019_uploads
Create Date: 2026-12-02 10:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020_circulars'
down_revision = '0019_uploads'
branch_labels = None
depends_on = None

OLD_KINDS = ('invitation', 'reminder_24h', 'reminder_2h', 'change', 'cancellation', 'digest', 'action_due',
             'sign_in_code', 'reply_request', 'absence')
NEW_KINDS = (*OLD_KINDS, 'circular', 'circular_reminder')
CHECKS = (('outbox_messages', 'outbox_kind'), ('notify_problems', 'notify_problem_kind'))


def _kinds(kinds):
    listed = ', '.join(f"'{kind}'" for kind in kinds)
    for table, name in CHECKS:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
            batch.create_check_constraint(op.f(f'ck_{table}_{name}'), f'kind IN ({listed})')


def upgrade():
    op.create_table(
        'circulars',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('answer_kind', sa.Enum('acknowledge', 'text', 'number', 'programme_report', 'file',
                                         name='circular_answer_kind', native_enum=False, create_constraint=True,
                                         length=32), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('scope', sa.Enum('all', 'division', 'districts', name='circular_scope', native_enum=False,
                                   create_constraint=True, length=32), nullable=False),
        sa.Column('scope_unit_id', sa.Integer(), nullable=True),
        sa.Column('sender_user_id', sa.Integer(), nullable=True),
        sa.Column('sender_person_id', sa.Integer(), nullable=True),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['scope_unit_id'], ['units.id'], name=op.f('fk_circulars_scope_unit_id_units'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['sender_person_id'], ['people.id'],
                                name=op.f('fk_circulars_sender_person_id_people'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['sender_user_id'], ['users.id'], name=op.f('fk_circulars_sender_user_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_circulars')),
    )
    op.create_index(op.f('ix_circulars_sender_user_id'), 'circulars', ['sender_user_id'], unique=False)
    op.create_index(op.f('ix_circulars_sent_at'), 'circulars', ['sent_at'], unique=False)
    op.create_table(
        'circular_recipients',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('circular_id', sa.Integer(), nullable=False),
        sa.Column('district_unit_id', sa.Integer(), nullable=False),
        sa.Column('president_person_id', sa.Integer(), nullable=True),
        sa.Column('read_at', sa.DateTime(), nullable=True),
        sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
        sa.Column('answered_at', sa.DateTime(), nullable=True),
        sa.Column('completed_at', sa.DateTime(), nullable=True),
        sa.Column('answer_text', sa.Text(), nullable=False),
        sa.Column('answer_number', sa.BigInteger(), nullable=True),
        sa.Column('answered_by_person_id', sa.Integer(), nullable=True),
        sa.Column('reminded_at', sa.DateTime(), nullable=True),
        sa.Column('remind_count', sa.Integer(), nullable=False),
        sa.CheckConstraint('acknowledged_at IS NOT NULL OR answered_at IS NULL',
                           name=op.f('ck_circular_recipients_answer_is_acknowledged')),
        sa.CheckConstraint('remind_count >= 0', name=op.f('ck_circular_recipients_remind_count_not_negative')),
        sa.ForeignKeyConstraint(['answered_by_person_id'], ['people.id'],
                                name=op.f('fk_circular_recipients_answered_by_person_id_people'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['circular_id'], ['circulars.id'],
                                name=op.f('fk_circular_recipients_circular_id_circulars'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['district_unit_id'], ['units.id'],
                                name=op.f('fk_circular_recipients_district_unit_id_units'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['president_person_id'], ['people.id'],
                                name=op.f('fk_circular_recipients_president_person_id_people'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_circular_recipients')),
        sa.UniqueConstraint('circular_id', 'district_unit_id',
                            name=op.f('uq_circular_recipients_circular_id_district_unit_id')),
    )
    op.create_index(op.f('ix_circular_recipients_district_unit_id'), 'circular_recipients', ['district_unit_id'],
                    unique=False)
    _kinds(NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM outbox_messages WHERE kind IN ('circular', 'circular_reminder')")
    op.execute("DELETE FROM notify_problems WHERE kind IN ('circular', 'circular_reminder')")
    _kinds(OLD_KINDS)
    op.drop_index(op.f('ix_circular_recipients_district_unit_id'), table_name='circular_recipients')
    op.drop_table('circular_recipients')
    op.drop_index(op.f('ix_circulars_sent_at'), table_name='circulars')
    op.drop_index(op.f('ix_circulars_sender_user_id'), table_name='circulars')
    op.drop_table('circulars')
