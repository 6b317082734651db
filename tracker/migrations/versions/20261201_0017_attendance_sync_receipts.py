"""attendance: receipts of the phones' offline queues (a unique client id makes a replay the same write)

Revision ID: 0017_attendance_sync_receipts
Revises: 0016_absence_messages
Create Date: 2026-12-01 06:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017_attendance_sync_receipts'
down_revision = '0016_absence_messages'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'attendance_sync_receipts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.String(length=36), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('state', sa.String(length=8), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('marked_at', sa.DateTime(), nullable=True),
        sa.Column('received_at', sa.DateTime(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('mark', 'pass')", name=op.f('ck_attendance_sync_receipts_kind')),
        sa.CheckConstraint("state IN ('saved', 'refused')", name=op.f('ck_attendance_sync_receipts_state')),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_attendance_sync_receipts_person_id_people'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['session_id'], ['meeting_sessions.id'],
                                name=op.f('fk_attendance_sync_receipts_session_id_meeting_sessions'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attendance_sync_receipts_user_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_sync_receipts')),
        sa.UniqueConstraint('client_id', name=op.f('uq_attendance_sync_receipts_client_id')),
    )
    op.create_index(op.f('ix_attendance_sync_receipts_session_id'), 'attendance_sync_receipts', ['session_id'],
                    unique=False)


def downgrade():
    op.drop_index(op.f('ix_attendance_sync_receipts_session_id'), table_name='attendance_sync_receipts')
    op.drop_table('attendance_sync_receipts')
