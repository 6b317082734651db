"""attendance: marks entered later from a paper sheet (a flag and the sheet's reason)

Revision ID: 0015_entered_later
Revises: 0014_phonetic_search_keys
Create Date: 2026-12-01 06:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_entered_later'
down_revision = '0014_phonetic_search_keys'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attendance") as batch:
        batch.add_column(sa.Column("entered_later", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("late_entry_reason", sa.Text(), server_default="", nullable=False))
    # The defaults fill the marks made before; new rows get theirs from the model (and the upsert).
    with op.batch_alter_table("attendance") as batch:
        batch.alter_column("entered_later", server_default=None, existing_type=sa.Boolean(), existing_nullable=False)
        batch.alter_column("late_entry_reason", server_default=None, existing_type=sa.Text(), existing_nullable=False)


def downgrade():
    with op.batch_alter_table("attendance") as batch:
        batch.drop_column("late_entry_reason")
        batch.drop_column("entered_later")
