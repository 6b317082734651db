"""api: tokens expire, and each has a rate-limit window (api_tokens.expires_at, rate_window_at, rate_count)

Tokens made before this revision expire API_TOKEN_DAYS' default (90 days) after the upgrade, so
that no program stops working on the day of the upgrade.

Revision ID: 0005_api_token_expiry
Revises: 0004_pass_tokens
Create Date: 2026-12-01 11:00:00

"""
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005_api_token_expiry'
down_revision = '0004_pass_tokens'
branch_labels = None
depends_on = None

TOKEN_DAYS = 90  # the default of API_TOKEN_DAYS when this revision was written

tokens = sa.table("api_tokens", sa.column("expires_at", sa.DateTime))


def upgrade():
    with op.batch_alter_table('api_tokens') as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('rate_window_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('rate_count', sa.Integer(), server_default=sa.text('0'), nullable=False))
    expires = datetime.now(UTC).replace(tzinfo=None, microsecond=0) + timedelta(days=TOKEN_DAYS)
    op.execute(tokens.update().values(expires_at=expires))
    with op.batch_alter_table('api_tokens') as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(), nullable=False)


def downgrade():
    with op.batch_alter_table('api_tokens') as batch_op:
        batch_op.drop_column('rate_count')
        batch_op.drop_column('rate_window_at')
        batch_op.drop_column('expires_at')
