"""one head for all domains

The domains were built side by side, each migration branching from 0001_initial; this joins them
so that new migrations have a single parent.

Revision ID: 0008_merge
Revises: 0002_directory, 0003_meetings, 0004_attendance, 0005_reviews, 0006b_reminders_outbox_order, 0007_api
Create Date: 2026-11-26 16:23:41.385860

"""

# revision identifiers, used by Alembic.
revision = '0008_merge'
down_revision = ('0002_directory', '0003_meetings', '0004_attendance', '0005_reviews', '0006b_reminders_outbox_order', '0007_api')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
