"""flags: the office's setting of the red flags (how many days without a programme report flag a district)

Revision ID: 0018_red_flags
Revises: 0017_attendance_sync_receipts
Create Date: 2026-12-02 10:50:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018_red_flags'
down_revision = '0017_attendance_sync_receipts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'flag_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('quiet_days', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('quiet_days BETWEEN 1 AND 365', name=op.f('ck_flag_settings_quiet_days_range')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_flag_settings')),
    )


def downgrade():
    op.drop_table('flag_settings')
