"""reminders: index for the outbox page's newest-first list

Revision ID: 0006b_reminders_outbox_order
Revises: 0006_reminders
Create Date: 2026-11-26 15:25:00

"""
from alembic import op


revision = '0006b_reminders_outbox_order'
down_revision = '0006_reminders'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_messages_send_after', ['send_after', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_send_after')
