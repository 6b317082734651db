"""reminders: personal links in messages: personal_links

A person's own link (``/p/<token>``) in their invitations and reminders; only the token's SHA-256 is
stored (the token is derived from the salt with the app's secret key).

Revision ID: 0008_personal_links
Revises: 0007_replies
Create Date: 2026-12-01 03:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_personal_links'
down_revision = '0007_replies'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'personal_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('salt', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_by', sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_links')),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'],
                                name=op.f('fk_personal_links_person_id_people'), ondelete='CASCADE'),
        sa.UniqueConstraint('token_hash', name=op.f('uq_personal_links_token_hash')),
    )
    op.create_index(op.f('ix_personal_links_person_id'), 'personal_links', ['person_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_personal_links_person_id'), table_name='personal_links')
    op.drop_table('personal_links')
