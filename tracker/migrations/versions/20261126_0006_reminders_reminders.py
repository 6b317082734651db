"""reminders: outbox, could-not-notify list, per-meeting reminder times, sending switch, scheduler lease

Revision ID: 0006_reminders
Revises: 0001_initial
Create Date: 2026-11-26 15:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006_reminders'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('scheduler_leases',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('holder', sa.String(length=128), nullable=False),
    sa.Column('acquired_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_scheduler_leases'))
    )
    op.create_table('meeting_reminder_settings',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('day_before_minutes', sa.Integer(), nullable=False),
    sa.Column('same_day_minutes', sa.Integer(), nullable=False),
    sa.CheckConstraint('day_before_minutes >= 0 AND same_day_minutes >= 0', name=op.f('ck_meeting_reminder_settings_offsets_not_negative')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_reminder_settings_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', name=op.f('pk_meeting_reminder_settings'))
    )
    op.create_table('outbox_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sending_paused', sa.Boolean(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=True),
    sa.Column('changed_by_user_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('id = 1', name=op.f('ck_outbox_settings_single_row')),
    sa.ForeignKeyConstraint(['changed_by_user_id'], ['users.id'], name=op.f('fk_outbox_settings_changed_by_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_settings'))
    )
    op.create_table('notify_problems',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('invitation', 'reminder_24h', 'reminder_2h', 'change', 'cancellation', 'digest', 'action_due', name='notify_problem_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('reason', sa.Enum('no_email', 'no_mobile', 'no_messages', 'no_person', name='notify_problem_reason', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_notify_problems_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_notify_problems_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['meeting_sessions.id'], name=op.f('fk_notify_problems_session_id_meeting_sessions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notify_problems_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_problems')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_notify_problems_idempotency_key'))
    )
    with op.batch_alter_table('notify_problems', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notify_problems_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notify_problems_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notify_problems_person_id'), ['person_id'], unique=False)

    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('invitation', 'reminder_24h', 'reminder_2h', 'change', 'cancellation', 'digest', 'action_due', name='outbox_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('channel', sa.Enum('email', 'sms', 'whatsapp', 'console', name='outbox_channel', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('recipient_person_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('ics', sa.Text(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('action_item_id', sa.Integer(), nullable=True),
    sa.Column('send_after', sa.DateTime(), nullable=False),
    sa.Column('send_before', sa.DateTime(), nullable=True),
    sa.Column('state', sa.Enum('pending', 'sending', 'sent', 'failed', 'cancelled', 'skipped', name='outbox_state', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('claim_token', sa.String(length=64), nullable=True),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('handed_over_at', sa.DateTime(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(state != 'sending') OR (claim_token IS NOT NULL)", name=op.f('ck_outbox_messages_sending_is_claimed')),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_outbox_messages_attempts_not_negative')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_outbox_messages_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recipient_person_id'], ['people.id'], name=op.f('fk_outbox_messages_recipient_person_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['meeting_sessions.id'], name=op.f('fk_outbox_messages_session_id_meeting_sessions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_outbox_messages_idempotency_key'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_messages_due', ['state', 'send_after'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_recipient_person_id'), ['recipient_person_id'], unique=False)
        batch_op.create_index('ix_outbox_messages_session_person', ['session_id', 'recipient_person_id'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_session_person')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_recipient_person_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_messages_meeting_id'))
        batch_op.drop_index('ix_outbox_messages_due')

    op.drop_table('outbox_messages')
    with op.batch_alter_table('notify_problems', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notify_problems_person_id'))
        batch_op.drop_index(batch_op.f('ix_notify_problems_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_notify_problems_created_at'))

    op.drop_table('notify_problems')
    op.drop_table('outbox_settings')
    op.drop_table('meeting_reminder_settings')
    op.drop_table('scheduler_leases')
