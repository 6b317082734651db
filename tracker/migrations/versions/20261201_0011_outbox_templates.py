"""reminders: the registered template (DLT / WhatsApp) of an SMS or WhatsApp message and its variables

Revision ID: 0011_outbox_templates
Revises: 0010_login_contact
Create Date: 2026-12-01 05:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_outbox_templates'
down_revision = '0010_login_contact'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages') as batch:
        batch.add_column(sa.Column('template', sa.String(length=64), server_default='', nullable=False))
        batch.add_column(sa.Column('template_variables', sa.JSON(), nullable=True))
    # The default fills the rows queued before; new rows get theirs from the model.
    with op.batch_alter_table('outbox_messages') as batch:
        batch.alter_column('template', server_default=None, existing_type=sa.String(length=64),
                           existing_nullable=False)


def downgrade():
    with op.batch_alter_table('outbox_messages') as batch:
        batch.drop_column('template_variables')
        batch.drop_column('template')
