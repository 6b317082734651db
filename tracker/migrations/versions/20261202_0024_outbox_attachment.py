"""outbox_messages.attachment: a reference to a file an e-mail carries, made again at delivery (the minutes' PDF)

Revision ID: 0024_outbox_attachment
Revises: 0023_flags_report_answers
Create Date: 2026-12-02 15:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024_outbox_attachment'
down_revision = '0023_flags_report_answers'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages') as batch:
        batch.add_column(sa.Column('attachment', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages') as batch:
        batch.drop_column('attachment')
