"""auth: the sign-in throttle keyed per account (an HMAC) and per client address, with expiring rows

The old table held one row per attempted username (in clear) for ever and a 15-minute lock. Its
rows are only recent failures, so it is made anew rather than converted: nobody stays throttled.

Revision ID: 0003_login_throttle
Revises: 0002_room_codes
Create Date: 2026-12-01 10:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0003_login_throttle'
down_revision = '0002_room_codes'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table('login_throttles')
    op.create_table(
        'login_throttles',
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttles')),
    )
    op.create_index('ix_login_throttles_expires_at', 'login_throttles', ['expires_at'])


def downgrade():
    op.drop_index('ix_login_throttles_expires_at', table_name='login_throttles')
    op.drop_table('login_throttles')
    op.create_table(
        'login_throttles',
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('locked_until', sa.DateTime(), nullable=True),
        sa.Column('last_failure_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttles')),
    )
