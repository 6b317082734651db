"""auth: one-time sign-in codes sent to a login's mobile number (sign_in_codes)

Mobile numbers of people with a login are not yet unique: a number shared by two logins is refused
at sign-in (a later revision reports the clashes and adds the uniqueness).

Revision ID: 0006_sign_in_codes
Revises: 0005_api_token_expiry
Create Date: 2026-12-01 02:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006_sign_in_codes'
down_revision = '0005_api_token_expiry'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sign_in_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('tries', sa.Integer(), nullable=False),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sign_in_codes_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_codes')),
    )
    op.create_index('ix_sign_in_codes_user_id', 'sign_in_codes', ['user_id'])


def downgrade():
    op.drop_index('ix_sign_in_codes_user_id', table_name='sign_in_codes')
    op.drop_table('sign_in_codes')
